#!/usr/bin/env bash
# Refresh the API documentation pages' libraries (Swagger UI for /docs, ReDoc for /redoc) from the
# npm registry into webmap/static/vendor/{swagger-ui,redoc}/ and rewrite their manifest
# (webmap/static/vendor/apidocs.json: name, version, licence, files and their sha256).
#   bash scripts/vendor-apidocs.sh [swagger-ui-dist version] [redoc version]
# The map's libraries have their own script (scripts/vendor.sh); the two never write the same file.
set -euo pipefail
cd "$(dirname "$0")/.."
SWAGGER=${1:-5.35.0}
REDOC=${2:-2.5.4}
vendor=webmap/static/vendor
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "swagger-ui-dist@$SWAGGER" "redoc@$REDOC" >/dev/null)
mkdir -p "$tmp/s" "$tmp/r"
tar xzf "$tmp/swagger-ui-dist-$SWAGGER.tgz" -C "$tmp/s"
tar xzf "$tmp/redoc-$REDOC.tgz" -C "$tmp/r"
rm -rf "$vendor/swagger-ui" "$vendor/redoc"
mkdir -p "$vendor/swagger-ui" "$vendor/redoc"
for f in swagger-ui-bundle.js swagger-ui-bundle.js.LICENSE.txt swagger-ui.css favicon-32x32.png LICENSE; do
  cp "$tmp/s/package/$f" "$vendor/swagger-ui/"
done
cp "$tmp/r/package/bundles/redoc.standalone.js" "$tmp/r/package/bundles/redoc.standalone.js.LICENSE.txt" \
   "$tmp/r/package/LICENSE" "$vendor/redoc/"
# The bundles end with a source-map comment; the maps are not shipped, and a browser's developer
# tools would otherwise request them (a 404).
sed -i '/^\/\/# sourceMappingURL=/d' "$vendor/swagger-ui/swagger-ui-bundle.js" "$vendor/redoc/redoc.standalone.js"
sed -i 's#/\*\# sourceMappingURL=[^*]*\*/##' "$vendor/swagger-ui/swagger-ui.css"
# ReDoc's footer loads its maker's logo from their CDN: point it at an empty image (the footer then
# hides it), so the page requests nothing from elsewhere. Recorded in the manifest as a patch.
grep -q 'https://cdn.redoc.ly/redoc/logo-mini.svg' "$vendor/redoc/redoc.standalone.js"
sed -i 's#https://cdn.redoc.ly/redoc/logo-mini.svg#data:,#' "$vendor/redoc/redoc.standalone.js"
python3 - "$vendor" "$SWAGGER" "$REDOC" <<'PY'
import hashlib, json, sys
from pathlib import Path
vendor, swagger, redoc = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
def files(d):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((vendor / d).iterdir())}
manifest = {
    "about": "Libraries of the API documentation pages (/docs, /redoc), from the npm registry by scripts/vendor-apidocs.sh",
    "libraries": [
        {"name": "swagger-ui-dist", "version": swagger, "license": "Apache-2.0", "dir": "swagger-ui", "files": files("swagger-ui"),
         "patches": ["sourceMappingURL comments removed (the maps are not shipped)"]},
        {"name": "redoc", "version": redoc, "license": "MIT", "dir": "redoc", "files": files("redoc"),
         "patches": ["redoc.standalone.js: the footer logo's CDN URL replaced by an empty data: URL (no outside request)",
                     "bundles: sourceMappingURL comments removed (the maps are not shipped)"]},
    ],
}
(vendor / "apidocs.json").write_text(json.dumps(manifest, indent=2) + "\n")
PY
echo "vendored swagger-ui-dist $SWAGGER and redoc $REDOC into $vendor"

#!/usr/bin/env bash
# Refresh the vendored front-end libraries in webmap/static/vendor/ from the npm registry.
#
#   bash scripts/vendor.sh            # fetch the pinned versions below, verify, unpack, write manifest.json
#   bash scripts/vendor.sh --check    # verify the files on disk against manifest.json (no network)
#
# Each tarball is checked against the registry's sha512 `integrity`; when manifest.json already
# records the same version, its recorded integrity must match too (a changed tarball under an old
# version number stops the refresh). Nothing is fetched at run time: the app serves these files.
# To upgrade a library, change its version here, run the script, read the diff, run the tests.
set -euo pipefail

REGISTRY="${NPM_REGISTRY:-https://registry.npmjs.org}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENDOR="$ROOT/webmap/static/vendor"

# name  version  files to keep (paths inside the tarball's package/ folder; a trailing / = a folder)
PACKAGES=(
  "leaflet 1.9.4 dist/leaflet.js dist/leaflet.css dist/images/ LICENSE"
  "leaflet.markercluster 1.5.3 dist/leaflet.markercluster.js dist/MarkerCluster.css dist/MarkerCluster.Default.css MIT-LICENCE.txt"
  "leaflet.sync 0.2.4 L.Map.Sync.js LICENSE"
  "leaflet-textpath 1.3.0 leaflet.textpath.js LICENSE"
)

if [[ "${1:-}" == "--check" ]]; then
  exec python3 - "$VENDOR" <<'PY'
import hashlib, json, pathlib, sys
vendor = pathlib.Path(sys.argv[1])
manifest = json.loads((vendor / "manifest.json").read_text())
bad = 0
for pkg in manifest["packages"]:
    for rel, digest in pkg["files"].items():
        path = vendor / pkg["name"] / rel
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            print(f"{pkg['name']}: {rel} is missing or differs from manifest.json"); bad += 1
print("vendored files match manifest.json" if not bad else f"{bad} file(s) differ")
sys.exit(1 if bad else 0)
PY
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
entries="$tmp/entries.jsonl"
: > "$entries"

for spec in "${PACKAGES[@]}"; do
  read -r name version files <<<"$spec"
  echo "== $name@$version"
  curl -fsS --retry 2 -m 60 "$REGISTRY/$name/$version" -o "$tmp/meta.json"
  read -r tarball integrity license < <(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(d["dist"]["tarball"], d["dist"]["integrity"], d.get("license") or "UNKNOWN")' "$tmp/meta.json")
  curl -fsS --retry 2 -m 120 "$tarball" -o "$tmp/pkg.tgz"
  actual="sha512-$(openssl dgst -sha512 -binary "$tmp/pkg.tgz" | base64 -w0)"
  if [[ "$actual" != "$integrity" ]]; then
    echo "integrity mismatch for $name@$version: registry says $integrity, tarball is $actual" >&2
    exit 1
  fi
  python3 - "$VENDOR/manifest.json" "$name" "$version" "$integrity" <<'PY'
import json, pathlib, sys
path, name, version, integrity = sys.argv[1:]
p = pathlib.Path(path)
if p.is_file():
    for pkg in json.loads(p.read_text())["packages"]:
        if pkg["name"] == name and pkg["version"] == version and pkg["integrity"] != integrity:
            sys.exit(f"{name}@{version}: the registry's tarball differs from the one recorded in manifest.json")
PY
  rm -rf "$tmp/x" && mkdir -p "$tmp/x" && tar xzf "$tmp/pkg.tgz" -C "$tmp/x"
  dest="$VENDOR/$name"
  rm -rf "$dest" && mkdir -p "$dest"
  for f in $files; do
    if [[ "$f" == */ ]]; then
      mkdir -p "$dest/$(basename "$f")" && cp -r "$tmp/x/package/$f." "$dest/$(basename "$f")/"
    else
      cp "$tmp/x/package/$f" "$dest/$(basename "$f")"
    fi
  done
  echo "$version" > "$dest/VERSION"
  python3 - "$dest" "$name" "$version" "$license" "$tarball" "$integrity" >> "$entries" <<'PY'
import hashlib, json, pathlib, sys
dest, name, version, license, tarball, integrity = sys.argv[1:]
root = pathlib.Path(dest)
files = {str(f.relative_to(root)): hashlib.sha256(f.read_bytes()).hexdigest()
         for f in sorted(root.rglob("*")) if f.is_file()}
print(json.dumps({"name": name, "version": version, "license": license, "tarball": tarball,
                  "integrity": integrity, "files": files}))
PY
done

python3 - "$entries" "$VENDOR/manifest.json" <<'PY'
import json, sys
packages = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
doc = {"about": "Front-end libraries served by zonemap itself (never from a CDN). Refreshed by "
                "scripts/vendor.sh from the npm registry; files' sha256 below, tarballs' sha512 as the registry states.",
       "packages": packages}
open(sys.argv[2], "w").write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
PY
echo "wrote $VENDOR/manifest.json"

#!/usr/bin/env bash
# Install the Debian packages zonemap needs, only those missing.
#   scripts/system-deps.sh run    SpatiaLite and venv support (enough for `make run`)
#   scripts/system-deps.sh test   also PostgreSQL + PostGIS, Chromium and CJK fonts (for `make test`)
set -euo pipefail
run_pkgs=(libsqlite3-mod-spatialite python3-venv)
test_pkgs=(postgresql postgresql-15-postgis-3 chromium fonts-noto-cjk python3-qgis qgis)
pkgs=("${run_pkgs[@]}")
[ "${1:-run}" = test ] && pkgs+=("${test_pkgs[@]}")

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "zonemap needs these system packages (Debian names): ${missing[*]}; install them with your package manager." >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "installing ${missing[*]} needs root (or sudo)" >&2; exit 1; }
  sudo="sudo"
fi
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"

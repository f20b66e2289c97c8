#!/usr/bin/env bash
# The whole suite: one pytest process per database backend (GeoAlchemy2's SQLite hooks must not
# meet PostGIS in one process), the browser tests with the SpatiaLite run.
set -uo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python
pgdir=$(mktemp -d "${TMPDIR:-/tmp}/zonemap-pg.XXXXXX")
trap 'bash scripts/postgis.sh stop "$pgdir"' EXIT

echo "== SpatiaLite (and the browser) =="
env -u DATABASE_URL ZONEMAP_TEST_BACKEND=spatialite $py -m pytest -q -p no:cacheprovider "$@"
rc_lite=$?

echo "== PostGIS =="
if url=$(bash scripts/postgis.sh start "$pgdir"); then
  ZONEMAP_TEST_BACKEND=postgis ZONEMAP_TEST_DATABASE_URL="$url" $py -m pytest -q -p no:cacheprovider -m "not browser and not qgis" "$@"
  rc_pg=$?
else
  echo "could not start PostGIS" >&2
  rc_pg=1
fi
echo "SpatiaLite run: exit $rc_lite; PostGIS run: exit $rc_pg"
[ $rc_lite -eq 0 ] && [ $rc_pg -eq 0 ]

"""GIS files and the OGC API opened in a real QGIS (headless), as GIS staff would."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import httpx
import pytest


pytestmark = pytest.mark.qgis
PROBE = Path(__file__).with_name("qgis_probe.py")
SYSTEM_PYTHON = "/usr/bin/python3"


def run_qgis(*layers: str) -> dict:
    """Open each NAME=PROVIDER=URI in QGIS in a separate process; its report per layer."""
    if subprocess.run([SYSTEM_PYTHON, "-c", "import qgis.core"], capture_output=True).returncode != 0:
        pytest.fail("QGIS (Debian python3-qgis) is not installed: make test installs it")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": "/tmp"}
    env.pop("PYTHONPATH", None)
    r = subprocess.run([SYSTEM_PYTHON, str(PROBE), *layers], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    return json.loads(r.stdout.strip().splitlines()[-1])


def test_geopackage_in_qgis(server, tmp_path):
    gpkg = tmp_path / "zonemap.gpkg"
    gpkg.write_bytes(httpx.get(f"{server}/api/export/zonemap.gpkg", timeout=60).content)
    # only /api/projects pages (an unknown parameter is a 422 since the strict parameter rule)
    api = {name: httpx.get(f"{server}/api/{name}", params={"limit": 10000} if name == "projects" else None).json()["features"]
           for name in ("zones", "streets", "projects")}
    seen = run_qgis(*(f"{n}=ogr={gpkg}|layername={n}" for n in ("zones", "streets", "projects", "districts")))
    for name in ("zones", "streets", "projects"):
        assert seen[name]["valid"], seen[name]
        assert seen[name]["features"] == len(api[name])
        assert seen[name]["crs"] == "EPSG:4326"
    assert seen["zones"]["geometry"] == "MultiPolygon"
    assert seen["streets"]["geometry"] == "MultiLineString"
    assert seen["projects"]["geometry"] == "Point"
    located = sum(1 for f in api["projects"] if f["geometry"])
    assert seen["projects"]["with_geometry"] == located
    assert {"id", "name_zh", "status", "zones", "location_accuracy_m"} <= set(seen["projects"]["fields"])
    assert seen["districts"]["features"] == 11


def test_geojson_export_in_qgis(server, tmp_path):
    path = tmp_path / "zones.geojson"
    path.write_bytes(httpx.get(f"{server}/api/export/zones.geojson").content)
    seen = run_qgis(f"zones=ogr={path}")["zones"]
    assert seen["valid"] and seen["crs"] == "EPSG:4326" and seen["geometry"] == "MultiPolygon"
    # Chinese names survive the trip.
    assert any("\u4e00" <= ch <= "\u9fff" for ch in seen["sample"]["name_zh"])


def test_ogc_api_features_in_qgis(server):
    """QGIS's OAPIF provider reads the landing page, OpenAPI, collections, and pages through items."""
    expected = httpx.get(f"{server}/ogc/collections/projects/items", params={"limit": 1}).json()["numberMatched"]
    seen = run_qgis(
        f"projects=OAPIF=url='{server}/ogc' typename='projects'",
        f"zones=OAPIF=url='{server}/ogc' typename='zones'",
    )
    assert seen["projects"]["valid"], seen["projects"]
    assert seen["projects"]["features"] == expected
    assert seen["zones"]["valid"] and seen["zones"]["features"] == len(httpx.get(f"{server}/api/zones").json()["features"])
    assert seen["zones"]["crs"] in ("EPSG:4326", "OGC:CRS84")

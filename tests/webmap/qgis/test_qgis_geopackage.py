"""The styled GeoPackage opened in a real QGIS: the default styles are applied as the product draws."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from projects.palette import STATUS_COLOURS, zone_colours
from zmtest import run_pyqgis

pytestmark = pytest.mark.qgis
SCRIPT = Path(__file__).with_name("qgis_gpkg.py")


def test_geopackage_styles_applied_in_qgis(server, tmp_path):
    gpkg = tmp_path / "zonemap.gpkg"
    gpkg.write_bytes(httpx.get(f"{server}/api/export/zonemap.gpkg", timeout=120).content)
    seen = run_pyqgis(SCRIPT, "styles", str(gpkg))

    projects = seen["projects"]
    assert projects["renderer"] == "categorizedSymbol" and projects["attribute"] == "status"
    assert {c["value"]: c["colour"] for c in projects["categories"]} == STATUS_COLOURS
    assert all(c["label"] for c in projects["categories"])
    assert projects["labels"] and projects["label_field"] == "name_zh"

    zones = seen["zones"]
    api_zones = httpx.get(f"{server}/api/zones").json()["features"]
    layouts = [lay["id"] for lay in httpx.get(f"{server}/api/layouts").json()]
    assert zones["renderer"] == "categorizedSymbol" and zones["attribute"] == "id"
    # one class per zone, in the product's palette colours: the QGIS colours equal an independent
    # computation from the API's zones and layouts
    assert {c["value"]: c["colour"] for c in zones["categories"]} == zone_colours(api_zones, layouts)
    assert zones["labels"] and zones["label_field"] == "name_zh"

    # mentions: a point per mention, by status, on QGIS's temporal controller by its date
    mentions = seen["mentions"]
    assert mentions["features"] == httpx.get(f"{server}/api/mentions", params={"limit": 10000}).json()["numberMatched"]
    assert mentions["renderer"] == "categorizedSymbol" and {c["value"]: c["colour"] for c in mentions["categories"]} == STATUS_COLOURS
    # the style's temporal part (each mention shown for the year from its date: mode 1 = an instant from
    # a field) arrives with Style > Default in QGIS 3.22, which drops it when adding a layer (qgis/QGIS#42223)
    assert mentions["temporal"] == {"field": "date", "mode": 1, "field_type": "DateTime"}, mentions
    for name in ("zones", "projects", "streets"):
        assert "temporal" not in seen[name]
    corridors = seen["corridors"]
    assert corridors["renderer"] == "categorizedSymbol" and corridors["features"] == sum(
        1 for z in api_zones if z["properties"].get("centreline"))

    for name in ("streets", "districts"):
        assert seen[name]["renderer"] == "singleSymbol" and seen[name]["labels"], seen[name]
    assert seen["streets"]["colour"] == "#333333"


def test_geopackage_renders_in_qgis(server, tmp_path):
    """What a technician sees: a QGIS render of the styled layers over Xigang is drawn in colour
    (the picture is kept beside the test's temporary files)."""
    gpkg = tmp_path / "zonemap.gpkg"
    gpkg.write_bytes(httpx.get(f"{server}/api/export/zonemap.gpkg", timeout=120).content)
    png = tmp_path / "render.png"
    out = run_pyqgis(SCRIPT, "render", str(gpkg), str(png), "121.57,38.87,121.66,38.94")
    assert out["saved"] and png.stat().st_size > 50_000
    assert out["colours"] > 20  # zone fills, status colours, streets, labels — not a blank map

"""The hand-digitised geometry: valid, WGS84, RFC 7946, inside its district, tiling, consistent."""

from __future__ import annotations

import json

import pytest
from shapely.geometry import shape

from zmtest import DATA_DIR, seeds_dir
from geo.geometry import is_rfc7946_oriented
from projects.report import DISTRICT_TOLERANCE_M, TILING_TOLERANCE, geometry_findings, join_pairs, tiling

GEOMETRY = sorted((DATA_DIR / "geometry").glob("*.geojson"))


@pytest.mark.parametrize("path", GEOMETRY, ids=[p.name for p in GEOMETRY])
def test_layer_files_are_rfc7946(path):
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert "crs" not in doc
    types = {f["geometry"]["type"] for f in doc["features"]}
    assert len(types) == 1, f"{path.name} mixes geometry types {types}"
    for f in doc["features"]:
        g = shape(f["geometry"])
        assert g.is_valid, f["properties"]
        assert is_rfc7946_oriented(g), f"{path.name}: {f['properties']} has clockwise exterior rings"
        minx, miny, maxx, maxy = g.bounds
        assert 120.5 < minx and maxx < 123.5 and 38.5 < miny and maxy < 40.2
        p = f["properties"]
        assert p["placement"] and p["accuracy_m"] > 0 and p["confidence"] in ("high", "medium", "low")


def test_every_layout_zone_has_geometry_or_a_reason(real_dataset):
    """Designations covering a whole city have no area of their own: the data says so, per zone."""
    missing = [z["id"] for z in real_dataset.zones if z["geom"] is None and not z["unmapped_reason"]]
    assert missing == []
    drawn = [z for z in real_dataset.zones if z["geom"] is not None]
    assert len(drawn) >= 0.85 * len(real_dataset.zones)


def test_zones_lie_within_their_district(real_dataset):
    errors, _ = geometry_findings(real_dataset)
    outside = [e for e in errors if "beyond" in e]
    assert outside == [], f"zones beyond their district (+{DISTRICT_TOLERANCE_M} m): {outside}"


def test_subdistricts_tile_xigang(real_dataset):
    sub = [z for z in real_dataset.zones if z["layout_id"] == "xg14-subdistricts"]
    assert {z["name_zh"] for z in sub} == {"八一路街道", "人民广场街道", "白云街道", "日新街道", "香炉礁街道"}
    xigang = next(d["geom"] for d in real_dataset.districts if d["name_zh"] == "西岗区")
    gap, overlap = tiling(xigang, [z["geom"] for z in sub])
    assert gap < TILING_TOLERANCE and overlap < TILING_TOLERANCE, (gap, overlap)


def test_axis_runs_north_south_through_xigang(real_dataset):
    axis = next(z for z in real_dataset.zones if z["id"] == "xg13-axis")
    line = axis["centreline"]
    assert line is not None and axis["corridor_m"] > 0
    minx, miny, maxx, maxy = line.bounds
    assert maxy - miny > 0.03, "the axis should run ~4 km from the north shore side to the south"


def test_stated_zones_agree_with_the_join(real_dataset):
    """Wherever a document lists a project under a zone, the join puts it there (or the data says why)."""
    pairs = join_pairs(real_dataset)
    located = {p["id"] for p in real_dataset.projects if p["geom"] is not None}
    zones = {z["id"]: z for z in real_dataset.zones}
    unexplained = sorted({
        (m["project_id"], m["zone_id"]) for m in real_dataset.mentions
        if m["zone_id"] and m["project_id"] in located and zones[m["zone_id"]]["geom"] is not None
        and (m["project_id"], m["zone_id"]) not in pairs and not m.get("zone_note")
    })
    assert unexplained == []


def test_landmark_zones_contain_their_places(real_dataset):
    """A zone named after a place contains that place (surveyed stops as the places)."""
    path = seeds_dir().parent / "reference" / "control_points.geojson"
    if not path.exists():
        pytest.fail(f"{path} (the surveyed stops beside the plan documents) is missing")
    stops = json.loads(path.read_text(encoding="utf-8"))
    at = {f["properties"]["name_zh"]: shape(f["geometry"]) for f in stops["features"]}
    zones = {z["id"]: z["geom"] for z in real_dataset.zones}
    expectations = {
        "shk14-xinghaiwan": "星海广场",
        "xg14-sd-rixin": "东关街",
    }
    for zid, place in expectations.items():
        assert zones[zid] is not None and zones[zid].buffer(0.0005).contains(at[place]), f"{zid} should contain {place}"


# A zone named after a place contains that place (the place's project point, placed independently).
NAMED_PLACES = {
    "xg13-olympic": "hanglung-plaza",
    "xg14-olympic-area": "olympic-square-upgrade",
    "xg13-zhanbei": "zhanbei-square",
    "xg13-fujiazhuang": "fujiazhuang-park",
    "xg13-yiersijiu": "yiersijiu-dicp-old-campus-redevelopment",
    "xg13-xianglujiao": "xianglujiao-logistics-park",
    "xg14-dongguan-street": "dongguan-street-renewal",
    "xg14-shengliqiao-north-street": "russian-style-street",
    "shk14-xinghaiwan": "dalian-world-expo-plaza",
}


@pytest.fixture(scope="module")
def pairs(real_dataset):
    return join_pairs(real_dataset)


@pytest.mark.parametrize("zone, project", NAMED_PLACES.items())
def test_zones_contain_their_named_places(pairs, zone, project):
    assert (project, zone) in pairs

"""A filter, view or CRS one surface takes works — or is refused — on its siblings too:

- ``input_crs``: the coordinates of ``bbox``, ``near``, ``intersects`` and the POST body's geometry
  in another system (the OGC API has ``bbox-crs`` / ``filter-crs``), on /api/projects, the search,
  the statistics;
- the mentions take ``crs`` (as /api/projects and the layer exports) and ``layout`` (as
  /api/projects and the statistics);
- a status view on a one-layer export of a layer without status is refused, not ignored;
- ``plan`` by source file name on /api/zones and /api/layouts, as on /api/projects.

Expected sets come from pyproj / shapely applied here to the WGS84 features.
"""

from __future__ import annotations

import csv
import io

import pytest
from pyproj import Transformer
from shapely.geometry import Point, box, shape

from geo import crs as gcrs

FRAME = (121.605, 38.905, 121.635, 38.925)  # the station area: many located projects
CENTRE = (121.6185, 38.9155)
LAYOUT = "xg13-one-axis-six-zones"


def _ids(client, path="/api/projects", **params) -> set[str]:
    r = client.get(path, params={"limit": 10000, **params})
    assert r.status_code == 200, r.text
    return {f["id"] for f in r.json()["features"]}


@pytest.fixture(scope="module")
def points(client) -> dict[str, Point]:
    feats = client.get("/api/projects", params={"located": "true", "limit": 10000}).json()["features"]
    return {f["id"]: shape(f["geometry"]) for f in feats}


def test_bbox_in_web_mercator(client, points):
    to = Transformer.from_crs(4326, 3857, always_xy=True)
    x0, y0 = to.transform(FRAME[0], FRAME[1])
    x1, y1 = to.transform(FRAME[2], FRAME[3])
    want = {pid for pid, p in points.items() if box(x0, y0, x1, y1).intersects(Point(*to.transform(p.x, p.y)))}
    assert len(want) > 20
    assert _ids(client, bbox=f"{x0},{y0},{x1},{y1}", input_crs="3857") == want
    assert _ids(client, bbox=f"{x0},{y0},{x1},{y1}", input_crs="EPSG:3857") == _ids(client, bbox=",".join(map(str, FRAME)))


def test_bbox_in_gauss_krueger_is_the_wgs84_box_containing_it(client, points):
    to = Transformer.from_crs(4326, 4550, always_xy=True)
    corners = [to.transform(x, y) for x in FRAME[::2] for y in FRAME[1::2]]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    frame = box(min(xs), min(ys), max(xs), max(ys))
    inside = {pid for pid, p in points.items() if frame.intersects(Point(*to.transform(p.x, p.y)))}
    got = _ids(client, bbox=f"{min(xs)},{min(ys)},{max(xs)},{max(ys)}", input_crs="4550")
    assert inside <= got
    # any extra lies within metres of the box's edge (its WGS84 hull is a little larger)
    assert all(frame.distance(Point(*to.transform(points[i].x, points[i].y))) < 50 for i in got - inside)


def test_a_polygon_copied_from_amap(client, points):
    """GCJ-02 coordinates (an Amap drawing) declared as such select what the WGS84 polygon selects;
    read as WGS84 they would be ~430 m off and select otherwise."""
    wgs = box(*FRAME).segmentize(0.002)
    gcj = gcrs.from_wgs84(wgs, "gcj02")
    want = {pid for pid, p in points.items() if wgs.intersects(p)}
    assert _ids(client, intersects=gcj.wkt, input_crs="gcj02") == want
    assert _ids(client, intersects=gcj.wkt) != want
    body = {"geometry": {"type": "Polygon", "coordinates": [list(gcj.exterior.coords)]}, "input_crs": "gcj02", "limit": 10000}
    r = client.post("/api/projects/search", json=body)
    assert r.status_code == 200 and {f["id"] for f in r.json()["features"]} == want


def test_near_in_baidu_coordinates_and_stats(client, points):
    bd = gcrs.from_wgs84(Point(*CENTRE), "bd09")
    wgs = _ids(client, near=f"{CENTRE[0]},{CENTRE[1]},800")
    assert wgs and _ids(client, near=f"{bd.x},{bd.y},800", input_crs="bd09") == wgs
    stats = client.get("/api/stats", params={"by": "zone", "near": f"{bd.x},{bd.y},800", "input_crs": "bd09"}).json()
    assert stats["totals"]["projects"] == len(wgs)


@pytest.mark.parametrize("params, parameter", [
    ({"input_crs": "3857"}, "input_crs"),  # no coordinates to read in it
    ({"input_crs": "EPSG:9999", "bbox": "1,2,3,4"}, "input_crs"),
    ({"input_crs": "3857", "bbox": "1e30,1,2e30,2"}, "bbox"),
    ({"input_crs": "3857", "bbox": "3,1,2,2"}, "bbox"),
])
def test_bad_input_crs_is_refused(client, params, parameter):
    r = client.get("/api/projects", params=params)
    assert r.status_code == 422 and r.json()["parameter"] == parameter, r.text


def test_mentions_in_another_crs(client):
    projects = {f["id"]: f["geometry"] for f in client.get("/api/projects", params={"crs": "3857", "limit": 10000}).json()["features"]}
    body = client.get("/api/mentions", params={"crs": "3857", "limit": 10000}).json()
    assert body["crs"]["properties"]["name"] == "urn:ogc:def:crs:EPSG::3857" and body["coordinate_system"]["rfc7946"] is False
    located = [f for f in body["features"] if f["geometry"]]
    assert len(located) > 100
    assert all(f["geometry"] == projects[f["properties"]["project"]] for f in body["features"])
    rows = list(csv.DictReader(io.StringIO(client.get("/api/export/mentions.csv", params={"crs": "4490"}).content.decode("utf-8").lstrip("\ufeff"))))
    assert {"x", "y", "crs"} <= set(rows[0]) and {r["crs"] for r in rows} == {"EPSG:4490"}
    geo = client.get("/api/export/mentions.geojson", params={"crs": "gcj02"}).json()
    assert geo["coordinate_system"]["standard"] is False and len(geo["features"]) == len(rows)


def test_mentions_by_layout(client):
    for basis in ("text", "spatial", "any"):
        projects = _ids(client, layout=LAYOUT, basis=basis)
        got = client.get("/api/mentions", params={"layout": LAYOUT, "basis": basis, "limit": 10000}).json()["features"]
        everything = client.get("/api/mentions", params={"limit": 10000}).json()["features"]
        assert got and {f["id"] for f in got} == {f["id"] for f in everything if f["properties"]["project"] in projects}
    assert client.get("/api/mentions", params={"layout": "no-such-layout"}).status_code == 422
    assert client.get("/api/mentions", params={"basis": "text"}).json()["parameter"] == "basis"


@pytest.mark.parametrize("layer", ["zones", "streets", "districts"])
@pytest.mark.parametrize("ext", ["csv", "geojson"])
@pytest.mark.parametrize("view", [{"as_of": 2016}, {"as_seen_by": "xigang-13th-fyp"}])
def test_a_view_on_a_layer_without_status_is_refused(client, layer, ext, view):
    r = client.get(f"/api/export/{layer}.{ext}", params=view)
    assert r.status_code == 422 and r.json()["parameter"] == next(iter(view)), r.text


def test_plan_by_file_name_on_zones_and_layouts(client):
    plan = next(p for p in client.get("/api/plans").json() if p["id"] == "xigang-13th-fyp")
    for path in ("/api/zones", "/api/layouts"):
        by_id = client.get(path, params={"plan": plan["id"]}).json()
        by_file = client.get(path, params={"plan": plan["source_file"]}).json()
        assert by_id == by_file and (by_id.get("features") if isinstance(by_id, dict) else by_id)
        assert client.get(path, params={"plan": "no-such.txt"}).json()["parameter"] == "plan"

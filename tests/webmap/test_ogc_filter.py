"""OGC API – Features Part 3: every CQL2 class declared in /conformance, on both backends.

Each filter is sent in cql2-text and (where written out) cql2-json; the expected features come from
a Python predicate evaluated here on the same features (all of them, fetched unfiltered) and on
their full-precision geometry read from the database — shapely for the planar predicates, pyproj's
geodesic for distances — never from the server's own translation.
"""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from pyproj import Geod, Transformer
from shapely import wkb
from shapely.geometry import box

from geo.db import make_engine
from zmtest import assert_ogc_error

CQL2 = "http://www.opengis.net/spec/cql2/1.0/conf/"
EPSG = "http://www.opengis.net/def/crs/EPSG/0/"
GEOD = Geod(ellps="WGS84")
# 西岗区's centre and a box around the station area; both hold many located projects.
CENTRE = (121.6185, 38.9155)
FRAME = (121.605, 38.905, 121.635, 38.925)


@pytest.fixture(scope="module")
def data(client, real_db):
    """Every feature of each collection (properties as served) with its stored geometry."""
    engine = make_engine(real_db)
    out = {}
    with engine.connect() as conn:
        for cid in ("projects", "zones", "streets"):
            geoms = {r[0]: (wkb.loads(bytes(r[1])) if r[1] is not None else None)
                     for r in conn.execute(sa.text(f"SELECT id, ST_AsBinary(geom) FROM {cid}"))}
            feats = client.get(f"/ogc/collections/{cid}/items", params={"limit": 10000}).json()["features"]
            out[cid] = [(f["id"], f["properties"], geoms[f["id"]]) for f in feats]
    engine.dispose()
    return out


def served(client, cid: str, text: str | None = None, cql_json: dict | None = None, **params) -> list[str]:
    if text is not None:
        params["filter"] = text
    else:
        params.update({"filter": json.dumps(cql_json, ensure_ascii=False), "filter-lang": "cql2-json"})
    r = client.get(f"/ogc/collections/{cid}/items", params={"limit": 10000, **params})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["numberMatched"] == body["numberReturned"] == len(body["features"])
    return sorted(f["id"] for f in body["features"])


def expect(data, cid: str, predicate) -> list[str]:
    return sorted(i for i, p, g in data[cid] if predicate(p, g))


def _num(v):
    return v is not None


P, J = "property", None  # shorthand for the hand-written cql2-json below


def prop(name):
    return {"property": name}


BASIC = [
    ("status = 'completed'", {"op": "=", "args": [prop("status"), "completed"]},
     lambda p, g: p["status"] == "completed"),
    ("status <> 'completed' AND district = '西岗区'",
     {"op": "and", "args": [{"op": "<>", "args": [prop("status"), "completed"]}, {"op": "=", "args": [prop("district"), "西岗区"]}]},
     lambda p, g: p["status"] != "completed" and p["district"] == "西岗区"),
    ("status_year < 2016 OR status_year > 2018", None,
     lambda p, g: _num(p["status_year"]) and (p["status_year"] < 2016 or p["status_year"] > 2018)),
    ("NOT (status_year >= 2018)", {"op": "not", "args": [{"op": ">=", "args": [prop("status_year"), 2018]}]},
     lambda p, g: _num(p["status_year"]) and not p["status_year"] >= 2018),
    ("location_accuracy_m <= 200 AND confidence <> 'low'", None,
     lambda p, g: _num(p["location_accuracy_m"]) and p["location_accuracy_m"] <= 200 and p["confidence"] is not None and p["confidence"] != "low"),
    ("confidence IS NULL", {"op": "isNull", "args": [prop("confidence")]}, lambda p, g: p["confidence"] is None),
    ("geometry IS NULL", None, lambda p, g: g is None),
    ("geometry IS NOT NULL AND status = 'planned'", None, lambda p, g: g is not None and p["status"] == "planned"),
]
ADVANCED = [
    ("name_zh LIKE '%广场%'", {"op": "like", "args": [prop("name_zh"), "%广场%"]}, lambda p, g: "广场" in p["name_zh"]),
    ("name_en LIKE 'Bainian%'", None, lambda p, g: p["name_en"].startswith("Bainian")),
    # CQL2's LIKE is case-sensitive (SQLite's own LIKE is not)
    ("name_en LIKE 'bainian%'", None, lambda p, g: p["name_en"].startswith("bainian")),
    ("name_zh LIKE '大连__'", None, lambda p, g: p["name_zh"].startswith("大连") and len(p["name_zh"]) == 4),
    ("name_en NOT LIKE '%Park%'", None, lambda p, g: "Park" not in p["name_en"]),
    ("status_year BETWEEN 2016 AND 2018", {"op": "between", "args": [prop("status_year"), 2016, 2018]},
     lambda p, g: _num(p["status_year"]) and 2016 <= p["status_year"] <= 2018),
    ("kind IN ('building', 'culture_venue')", {"op": "in", "args": [prop("kind"), ["building", "culture_venue"]]},
     lambda p, g: p["kind"] in ("building", "culture_venue")),
    ("status NOT IN ('completed', 'unknown')", None, lambda p, g: p["status"] not in ("completed", "unknown")),
]
CASEI = [
    ("CASEI(name_en) LIKE CASEI('%ROAD%')",
     {"op": "like", "args": [{"op": "casei", "args": [prop("name_en")]}, {"op": "casei", "args": ["%ROAD%"]}]},
     lambda p, g: "road" in p["name_en"].lower()),
    ("CASEI(name_en) = CASEI('ANGANG BUILDING')", None, lambda p, g: p["name_en"].lower() == "angang building"),
    ("CASEI(kind) IN (CASEI('Building'), CASEI('PARK'))", None, lambda p, g: p["kind"].lower() in ("building", "park")),
]


def _frame_wkt():
    return box(*FRAME).wkt


SPATIAL = [
    (f"S_INTERSECTS(geometry, BBOX({', '.join(map(str, FRAME))}))",
     {"op": "s_intersects", "args": [prop("geometry"), {"bbox": list(FRAME)}]},
     lambda p, g: g is not None and g.intersects(box(*FRAME))),
    (f"S_INTERSECTS(geometry, {_frame_wkt()})", None, lambda p, g: g is not None and g.intersects(box(*FRAME))),
    (f"S_WITHIN(geometry, {_frame_wkt()}) AND status = 'completed'", None,
     lambda p, g: g is not None and g.within(box(*FRAME)) and p["status"] == "completed"),
    (f"S_DISJOINT(geometry, {_frame_wkt()})", None, lambda p, g: g is not None and g.disjoint(box(*FRAME))),
    (f"S_DWITHIN(geometry, POINT({CENTRE[0]} {CENTRE[1]}), 800)",
     {"op": "s_dwithin", "args": [prop("geometry"), {"type": "Point", "coordinates": list(CENTRE)}, 800]},
     lambda p, g: g is not None and GEOD.inv(CENTRE[0], CENTRE[1], g.x, g.y)[2] <= 800),
]


@pytest.mark.parametrize("text,cql_json,predicate", BASIC + ADVANCED + CASEI + SPATIAL, ids=lambda v: v if isinstance(v, str) else "")
def test_projects_filters_match_python(client, data, text, cql_json, predicate):
    want = expect(data, "projects", predicate)
    assert served(client, "projects", text) == want
    if cql_json is not None:
        assert served(client, "projects", cql_json=cql_json) == want


def test_filters_select_something_and_not_everything(data):
    """The cases above are informative: each selects some features and leaves some out."""
    n = len(data["projects"])
    for text, _, predicate in BASIC + ADVANCED + SPATIAL:
        if text == "name_en LIKE 'bainian%'":
            assert expect(data, "projects", predicate) == []  # the case-sensitivity witness
            continue
        assert 0 < len(expect(data, "projects", predicate)) < n, text


def test_spatial_functions_on_zones_and_streets(client, data):
    """The other spatial predicates, where polygons and lines make them meaningful."""
    zones = {i: g for i, p, g in data["zones"] if g is not None}
    streets = {i: g for i, p, g in data["streets"] if g is not None}
    some_zone = sorted(zones)[len(zones) // 2]
    z = zones[some_zone]
    inner = z.representative_point()
    cases = [
        ("zones", f"S_CONTAINS(geometry, POINT({inner.x} {inner.y}))", lambda p, g: g is not None and g.contains(inner)),
        ("zones", f"S_INTERSECTS(geometry, POINT({inner.x} {inner.y}))", lambda p, g: g is not None and g.intersects(inner)),
        ("zones", f"S_OVERLAPS(geometry, {z.wkt})", lambda p, g: g is not None and g.overlaps(z)),
        ("zones", f"S_TOUCHES(geometry, {z.wkt})", lambda p, g: g is not None and g.touches(z)),
        ("zones", f"S_EQUALS(geometry, {z.wkt})", lambda p, g: g is not None and g.equals(z)),
        ("streets", f"S_CROSSES(geometry, {z.wkt})", lambda p, g: g is not None and g.crosses(z)),
        ("streets", f"S_WITHIN(geometry, {z.wkt})", lambda p, g: g is not None and g.within(z)),
        ("zones", f"S_INTERSECTS(geometry, {z.boundary.wkt}) AND kind = 'city_area'",
         lambda p, g: g is not None and g.intersects(z.boundary) and p["kind"] == "city_area"),
    ]
    for cid, text, predicate in cases:
        assert served(client, cid, text) == expect(data, cid, predicate), text
    assert served(client, "zones", f"S_EQUALS(geometry, {z.wkt})") == [some_zone]
    assert len(served(client, "zones", f"S_OVERLAPS(geometry, {z.wkt})")) > 0
    assert streets and len(served(client, "streets", f"S_CROSSES(geometry, {z.wkt})")) >= 0


def test_filter_crs_reads_literals_in_that_crs(client, data):
    want = expect(data, "projects", lambda p, g: g is not None and g.intersects(box(*FRAME)))
    w, s, e, n = FRAME
    latlon = f"S_INTERSECTS(geometry, BBOX({s}, {w}, {n}, {e}))"
    assert served(client, "projects", latlon, **{"filter-crs": EPSG + "4326"}) == want
    t = Transformer.from_crs(4326, 3857, always_xy=True)
    (x0, x1), (y0, y1) = t.transform([w, e], [s, n])
    merc = f"S_INTERSECTS(geometry, POLYGON(({x0} {y0}, {x1} {y0}, {x1} {y1}, {x0} {y1}, {x0} {y0})))"
    assert served(client, "projects", merc, **{"filter-crs": EPSG + "3857"}) == want


def test_filter_combines_with_plain_filters_bbox_and_paging(client, data):
    want = expect(data, "projects", lambda p, g: g is not None and g.intersects(box(*FRAME)) and p["status"] == "completed"
                  and _num(p["status_year"]) and p["status_year"] >= 2016)
    got = served(client, "projects", "status_year >= 2016", status="completed", bbox=",".join(map(str, FRAME)))
    assert got == want and len(want) > 2
    first = client.get("/ogc/collections/projects/items", params={"filter": "status_year >= 2016", "limit": 2}).json()
    nxt = next(link["href"] for link in first["links"] if link["rel"] == "next")
    assert "filter=status_year" in nxt and "offset=2" in nxt


def test_sortby_properties_and_skip_geometry(client, data):
    body = client.get("/ogc/collections/projects/items", params={
        "sortby": "-status_year,+name_en", "properties": "name_en,status_year", "skipGeometry": "true", "limit": 10000}).json()
    rows = [(f["properties"]["status_year"], f["properties"]["name_en"]) for f in body["features"]]
    known = sorted((r for r in rows if r[0] is not None), key=lambda r: (-r[0], r[1]))
    assert rows == known + [r for r in rows if r[0] is None]  # nulls last, descending years, names ascending
    assert all(set(f["properties"]) == {"name_en", "status_year"} and f["geometry"] is None for f in body["features"])
    names = [f["properties"]["name_zh"] for f in client.get("/ogc/collections/projects/items", params={"sortby": "name_zh", "limit": 10000}).json()["features"]]
    assert names == sorted(names)  # code-point order on both backends


def test_queryables_are_json_schema_for_each_collection(client):
    for cid in ("projects", "zones", "streets", "districts"):
        r = client.get(f"/ogc/collections/{cid}/queryables")
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/schema+json")
        body = r.json()
        assert body["type"] == "object" and body["$id"].endswith(f"/collections/{cid}/queryables")
        assert body["properties"]["geometry"]["format"] == "geometry-any"
        assert body["properties"]["id"]["type"] == "string"
    projects = client.get("/ogc/collections/projects/queryables").json()["properties"]
    assert projects["status"]["enum"] == ["completed", "under_construction", "preparation", "planned", "unknown"]
    assert projects["status_year"]["type"] == "integer"


def test_conformance_declares_the_cql2_classes(client):
    declared = set(client.get("/ogc/conformance").json()["conformsTo"])
    for c in ("basic-cql2", "advanced-comparison-operators", "case-insensitive-comparison", "basic-spatial-functions",
              "basic-spatial-functions-plus", "spatial-functions", "cql2-text", "cql2-json"):
        assert CQL2 + c in declared
    assert "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter" in declared
    assert not any(c.endswith(("temporal-functions", "array-functions", "accent-insensitive-comparison")) for c in declared)


@pytest.mark.parametrize("params,parameter", [
    ({"filter": "colour = 'red'"}, "filter"),                        # unknown queryable
    ({"filter": "status = "}, "filter"),                              # syntax
    ({"filter": "status_year = 'twenty'"}, "filter"),                 # type
    ({"filter": "status LIKE 5"}, "filter"),
    ({"filter": "ACCENTI(name_zh) = ACCENTI('x')"}, "filter"),        # not declared
    ({"filter": "T_AFTER(status_year, DATE('2020-01-01'))"}, "filter"),
    ({"filter": "name_zh = name_en"}, "filter"),                      # property-property not declared
    ({"filter": "S_INTERSECTS(geometry, POINT(1))"}, "filter"),
    ({"filter": "status = 'x'", "filter-lang": "cql-text"}, "filter-lang"),
    ({"filter": "{not json", "filter-lang": "cql2-json"}, "filter"),
    ({"filter-lang": "cql2-text"}, "filter-lang"),
    ({"filter": "S_INTERSECTS(geometry, POINT(1 2))", "filter-crs": "EPSG:1"}, "filter-crs"),
    ({"sortby": "geometry"}, "sortby"), ({"sortby": "colour"}, "sortby"),
    ({"properties": "colour"}, "properties"), ({"skipGeometry": "maybe"}, "skipGeometry"),
])
def test_bad_filters_are_ogc_errors(client, params, parameter):
    assert_ogc_error(client.get("/ogc/collections/projects/items", params=params), parameter)

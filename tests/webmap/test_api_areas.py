"""Areas of any shape: a drawn polygon, a corridor along a street or the axis, a circle — each result
equal to an independent computation with shapely (and pyproj) on the same data, on both backends."""

from __future__ import annotations

import pytest
from pyproj import Geod, Transformer
from shapely import transform
from shapely.geometry import Point, Polygon, mapping, shape

from webmap.errors import ErrorBody

TO_UTM = Transformer.from_crs(4326, 32651, always_xy=True)
GEOD = Geod(ellps="WGS84")
# A drawn shape over 西岗区's centre (not axis-aligned, with a notch), WGS84.
DRAWN = Polygon([(121.600, 38.905), (121.640, 38.900), (121.660, 38.925), (121.632, 38.922),
                 (121.628, 38.935), (121.604, 38.930), (121.600, 38.905)])


def utm(geom):
    return transform(geom, lambda xy: list(zip(*TO_UTM.transform(xy[:, 0], xy[:, 1]))))


@pytest.fixture(scope="module")
def located(client):
    fc = client.get("/api/projects", params={"limit": 10000, "located": "true"}).json()
    assert fc["numberMatched"] > 100
    return {f["id"]: shape(f["geometry"]) for f in fc["features"]}


def ids(r) -> set[str]:
    assert r.status_code == 200, r.text[:300]
    body = r.json()
    assert body["numberMatched"] == len(body["features"])
    return {f["id"] for f in body["features"]}


def within(located, geom, metres: float, margin: float) -> set[str]:
    """Projects whose point lies within ``metres`` of ``geom`` (distance in UTM 51N); fails when one
    lies so close to the edge (± margin) that the backends' exact methods could differ."""
    target = utm(geom)
    out = set()
    for pid, point in located.items():
        d = target.distance(utm(point))
        assert metres == 0 or abs(d - metres) > margin, f"{pid} lies {d:.1f} m from the shape: pick another distance"
        if d <= metres:
            out.add(pid)
    return out


def test_polygon_post_and_get_equal_shapely(client, located):
    expected = {pid for pid, p in located.items() if DRAWN.intersects(p)}
    assert 10 < len(expected) < len(located)  # the shape cuts the data, not all or nothing
    body = {"geometry": mapping(DRAWN), "limit": 10000}
    assert ids(client.post("/api/projects/search", json=body)) == expected
    assert ids(client.get("/api/projects", params={"intersects": DRAWN.wkt, "limit": 10000})) == expected
    import json

    assert ids(client.get("/api/projects", params={"intersects": json.dumps(mapping(DRAWN)), "limit": 10000})) == expected


def test_polygon_combines_with_the_other_filters(client, located):
    status = "completed"
    all_status = ids(client.get("/api/projects", params={"status": status, "limit": 10000}))
    inside = {pid for pid, p in located.items() if DRAWN.intersects(p)}
    body = {"geometry": mapping(DRAWN), "status": status, "limit": 10000}
    assert ids(client.post("/api/projects/search", json=body)) == inside & all_status


@pytest.mark.parametrize("street, metres", [("changchun-road", 320), ("changchun-road", 1000)])
def test_corridor_along_a_street_equals_shapely(client, located, street, metres):
    line = next(shape(f["geometry"]) for f in client.get("/api/streets").json()["features"] if f["id"] == street)
    expected = within(located, line, metres, margin=metres * 0.004 + 0.5)
    assert expected
    got = ids(client.get("/api/projects", params={"along": street, "buffer_m": metres, "limit": 10000}))
    assert got == expected
    body = {"geometry": mapping(line), "buffer_m": metres, "limit": 10000}
    assert ids(client.post("/api/projects/search", json=body)) == expected


def test_along_the_axis_uses_its_corridor(client, located):
    axis = next(f for f in client.get("/api/zones", params={"kind": "axis"}).json()["features"]
                if f["properties"].get("centreline"))
    centreline, half_width = shape(axis["properties"]["centreline"]), axis["properties"]["corridor_m"]
    expected = within(located, centreline, half_width, margin=2)
    got = ids(client.get("/api/projects", params={"along": axis["id"], "limit": 10000}))
    assert got == expected and got


def test_circle_equals_geodesic_distance(client, located):
    lon, lat, metres = 121.62, 38.92, 600
    expected = set()
    for pid, p in located.items():
        _, _, d = GEOD.inv(lon, lat, p.x, p.y)
        assert abs(d - metres) > 2, f"{pid} lies {d:.1f} m from the centre: pick another radius"
        if d <= metres:
            expected.add(pid)
    assert expected
    body = {"geometry": {"type": "Point", "coordinates": [lon, lat]}, "buffer_m": metres, "limit": 10000}
    assert ids(client.post("/api/projects/search", json=body)) == expected
    assert ids(client.get("/api/projects", params={"near": f"{lon},{lat},{metres}", "limit": 10000})) == expected


def _error(r, status: int, parameter: str | None = None, words: str | None = None):
    assert r.status_code == status, r.text[:300]
    body = ErrorBody.model_validate(r.json())
    if parameter:
        assert body.parameter == parameter, body
    if words:
        assert words in body.detail, body.detail
    return body


@pytest.mark.parametrize("body, parameter, words", [
    ({"geometry": {"type": "Point", "coordinates": [121.6, 38.9]}}, "buffer_m", "buffer_m > 0"),
    ({"geometry": {"type": "Polygon", "coordinates": [[[121.6, 38.9], [121.7, 39.0], [121.7, 38.9], [121.6, 39.0], [121.6, 38.9]]]}},
     "geometry", "not valid"),
    ({"geometry": {"type": "Polygon", "coordinates": [[[121.6, 38.9], [121.7, 38.9]]]}}, "geometry", "cannot be read"),
    ({"geometry": {"type": "Polygon", "coordinates": [[[221.6, 38.9], [221.7, 38.9], [221.7, 39], [221.6, 38.9]]]}}, "geometry", "WGS84"),
    ({"geometry": {"type": "Circle", "coordinates": [121.6, 38.9]}}, "geometry", "expected a GeoJSON geometry"),
    ({"geometry": mapping(DRAWN), "along": "changchun-road"}, "along", "one area"),
    ({"geometry": mapping(DRAWN), "colour": "red"}, "colour", None),
    ({"geometry": mapping(DRAWN), "q": "a\x00"}, "q", "control character"),
    ({"geometry": mapping(DRAWN), "offset": 2**63}, "offset", None),
    ({"along": "no-such-street"}, "along", "no street or zone"),
    ({"buffer_m": 100}, "buffer_m", "goes with"),
    # a geometry that declares another CRS is refused, not read as WGS84 (a silent wrong answer)
    ({"geometry": {**mapping(DRAWN), "crs": {"type": "name", "properties": {"name": "EPSG:3857"}}}}, "geometry", "WGS84"),
    ({"geometry": {**mapping(DRAWN), "crs": "gcj02"}}, "geometry", "crs"),
])
def test_bad_areas_are_422_naming_the_field(client, body, parameter, words):
    _error(client.post("/api/projects/search", json=body), 422, parameter, words)


def test_vertex_limit_is_422(client):
    from webmap.settings import Settings

    limit = Settings().max_vertices
    ring = [(121.6 + 0.05 * i / limit, 38.9) for i in range(limit)] + [(121.65, 38.95), (121.6, 38.9)]
    r = client.post("/api/projects/search", json={"geometry": {"type": "Polygon", "coordinates": [ring]}})
    _error(r, 422, "geometry", "ZONEMAP_MAX_VERTICES")


def test_body_size_limit_is_413(real_db):
    from fastapi.testclient import TestClient

    from webmap.app import create_app
    from webmap.settings import Settings

    with TestClient(create_app(Settings(database_url=real_db, max_body_bytes=2000)), raise_server_exceptions=False) as c:
        ring = [[121.6 + i * 1e-4, 38.9 + (i % 2) * 1e-4] for i in range(200)] + [[121.6, 38.9]]
        r = c.post("/api/projects/search", json={"geometry": {"type": "Polygon", "coordinates": [ring]}})
        body = _error(r, 413)
        assert body.code == "payload_too_large" and "2000" in body.detail
        assert c.post("/api/projects/search", json={"geometry": mapping(DRAWN)}).status_code == 200


def test_a_declared_wgs84_crs_member_is_accepted(client):
    """The old GeoJSON ``crs`` member naming WGS84 (or CGCS2000, equal at this scale) is harmless."""
    plain = ids(client.post("/api/projects/search", json={"geometry": mapping(DRAWN), "limit": 10000}))
    for name in ("urn:ogc:def:crs:OGC:1.3:CRS84", "EPSG:4326", "urn:ogc:def:crs:EPSG::4490"):
        geometry = {**mapping(DRAWN), "crs": {"type": "name", "properties": {"name": name}}}
        assert ids(client.post("/api/projects/search", json={"geometry": geometry, "limit": 10000})) == plain
    text = '{"type": "Polygon", "crs": {"type": "name", "properties": {"name": "EPSG:3857"}}, "coordinates": %s}' % (
        str([list(map(list, DRAWN.exterior.coords))]))
    _error(client.get("/api/projects", params={"intersects": text}), 422, "intersects", "WGS84")

"""OGC API – Features Part 2: answers in other CRSs agree with pyproj, in the authority's axis order.

The expected coordinates are computed here, independently: the stored WGS84 geometry read
straight from the database (``ST_AsBinary``: full precision, where SpatiaLite's WKT rounds) and transformed by pyproj with the EPSG axis order
(no ``always_xy``), so a swapped axis or a wrong zone fails.
"""

from __future__ import annotations

import functools

import pytest
import sqlalchemy as sa
from pyproj import Transformer
from shapely import wkb
from shapely.geometry import shape

from geo.db import make_engine
from zmtest import assert_ogc_error

EPSG = "http://www.opengis.net/def/crs/EPSG/0/"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
ITEMS = "/ogc/collections/{}/items"


def stored(url: str, table: str) -> dict:
    """The database's own WGS84 geometries (x = longitude), by id."""
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text(f"SELECT id, ST_AsBinary(geom) FROM {table} WHERE geom IS NOT NULL")).all()
    engine.dispose()
    return {r[0]: wkb.loads(bytes(r[1])) for r in rows}


def coords(geojson: dict) -> list[tuple[float, float]]:
    return [tuple(c) for c in shape(geojson).coords] if geojson["type"] in ("Point", "LineString") else \
        [tuple(c) for g in getattr(shape(geojson), "geoms", [shape(geojson)]) for c in
         (g.exterior.coords if g.geom_type == "Polygon" else g.coords)]


@functools.lru_cache(maxsize=None)
def transformer(code: int) -> Transformer:
    return Transformer.from_crs("EPSG:4326", f"EPSG:{code}")


def expected(geom, code: int) -> list[tuple[float, float]]:
    """pyproj in the EPSG axis order: input (lat, lon), output as the CRS orders its axes."""
    t = transformer(code)
    flat = [geom] if geom.geom_type == "Point" else list(getattr(geom, "geoms", [geom]))
    pts = [c for g in flat for c in (g.exterior.coords if g.geom_type == "Polygon" else g.coords)]
    return [t.transform(lat, lon) for lon, lat in pts]


def test_collections_declare_crs_list_and_storage_crs(client):
    body = client.get("/ogc/collections").json()
    for c in body["collections"]:
        assert c["storageCrs"] == CRS84
        assert c["crs"][0] == CRS84
        assert {EPSG + "4326", EPSG + "4490", EPSG + "3857", EPSG + "4549", EPSG + "4550"} <= set(c["crs"])
    assert "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs" in client.get("/ogc/conformance").json()["conformsTo"]


@pytest.mark.parametrize("code,tolerance", [(4326, 1e-7), (4490, 1e-7), (3857, 0.01), (4549, 0.01), (4550, 0.01)])
def test_project_points_in_each_crs_agree_with_pyproj(client, real_db, code, tolerance):
    """1e-7° ≈ 1 cm; metres to 1 cm."""
    r = client.get(ITEMS.format("projects"), params={"crs": EPSG + str(code), "limit": 10000})
    assert r.status_code == 200, r.text
    assert r.headers["content-crs"] == f"<{EPSG}{code}>"
    truth = stored(real_db, "projects")
    located = [f for f in r.json()["features"] if f["geometry"]]
    assert len(located) == len(truth) > 100
    for f in located:
        (x, y), = expected(truth[f["id"]], code)
        got = f["geometry"]["coordinates"]
        assert abs(got[0] - x) <= tolerance and abs(got[1] - y) <= tolerance, (f["id"], got, (x, y))


def test_lat_lon_order_for_geographic_epsg_crs(client):
    plain = client.get(ITEMS.format("projects"), params={"limit": 5}).json()["features"]
    latlon = client.get(ITEMS.format("projects"), params={"limit": 5, "crs": EPSG + "4490"}).json()["features"]
    for a, b in zip(plain, latlon):
        if a["geometry"]:
            lon, lat = a["geometry"]["coordinates"]
            assert 38 < lat < 40 < 121 < lon
            assert b["geometry"]["coordinates"] == pytest.approx([lat, lon], abs=1e-6)


@pytest.mark.parametrize("collection,table", [("zones", "zones"), ("streets", "streets")])
def test_polygons_and_lines_in_gauss_kruger_agree_with_pyproj(client, real_db, collection, table):
    truth = stored(real_db, table)
    fc = client.get(ITEMS.format(collection), params={"crs": EPSG + "4550", "limit": 10000}).json()
    assert fc["numberReturned"] == len([f for f in fc["features"]]) and fc["features"]
    for f in fc["features"]:
        if not f["geometry"]:
            continue
        got, want = coords(f["geometry"]), expected(truth[f["id"]], 4550)
        assert len(got) == len(want)
        assert max(max(abs(a[0] - b[0]), abs(a[1] - b[1])) for a, b in zip(got, want)) <= 0.01
        # northing first: Dalian lies ~4.3e6 m north, easting ~5e5 m (false easting 500 km)
        assert 4.2e6 < got[0][0] < 4.5e6 and 3.5e5 < got[0][1] < 6.5e5


def test_bbox_crs_selects_the_same_features(client):
    # edges off the data's 6-decimal grid, so a round trip through metres cannot move a point across
    lon0, lat0, lon1, lat1 = 121.6000005, 38.9000005, 121.6400005, 38.9300005
    plain = client.get(ITEMS.format("projects"), params={"bbox": f"{lon0},{lat0},{lon1},{lat1}", "limit": 10000}).json()
    ids = {f["id"] for f in plain["features"]}
    assert len(ids) > 10
    merc = Transformer.from_crs(4326, 3857, always_xy=True)
    (x0, x1), (y0, y1) = merc.transform([lon0, lon1], [lat0, lat1])
    by_merc = client.get(ITEMS.format("projects"), params={"bbox": f"{x0},{y0},{x1},{y1}", "bbox-crs": EPSG + "3857", "limit": 10000}).json()
    assert {f["id"] for f in by_merc["features"]} == ids
    by_latlon = client.get(ITEMS.format("projects"), params={"bbox": f"{lat0},{lon0},{lat1},{lon1}", "bbox-crs": EPSG + "4326", "limit": 10000}).json()
    assert {f["id"] for f in by_latlon["features"]} == ids
    # the same box read lon/lat under EPSG:4326's lat/lon rule lies far from Dalian: nothing matches
    swapped = client.get(ITEMS.format("projects"), params={"bbox": f"{lon0 - 100},{lat0},{lon1 - 100},{lat1}", "bbox-crs": EPSG + "4326"})
    assert swapped.status_code == 200 and swapped.json()["numberMatched"] == 0


def test_one_item_in_another_crs(client, real_db):
    truth = stored(real_db, "projects")
    pid = sorted(truth)[0]
    r = client.get(f"/ogc/collections/projects/items/{pid}", params={"crs": EPSG + "3857"})
    assert r.status_code == 200 and r.headers["content-crs"] == f"<{EPSG}3857>"
    (x, y), = expected(truth[pid], 3857)
    assert r.json()["geometry"]["coordinates"] == pytest.approx([x, y], abs=0.01)
    assert client.get(f"/ogc/collections/projects/items/{pid}").headers["content-crs"] == f"<{CRS84}>"


@pytest.mark.parametrize("params,parameter", [
    ({"crs": EPSG + "2000"}, "crs"), ({"crs": "gcj02"}, "crs"), ({"bbox-crs": "EPSG:9999", "bbox": "1,2,3,4"}, "bbox-crs"),
    ({"bbox": "38.9,121.6,38.8,121.7", "bbox-crs": EPSG + "4326"}, "bbox"),
])
def test_bad_crs_is_an_ogc_error(client, params, parameter):
    assert_ogc_error(client.get(ITEMS.format("projects"), params=params), parameter)

"""OGC API – Tiles: vector tiles agree with the items, and both encoders draw the same tile.

Tile bounds are computed here from the Web Mercator formulas (not morecantile), positions with
pyproj; the expected features of a tile come from the items API with that tile's box.
"""

from __future__ import annotations

import math

import pytest
from pyproj import Transformer
from shapely.geometry import shape

from geo import tiles as gt
from geo.db import make_engine
from webmap.routes.ogc import collections as oc
from webmap.routes.ogc.tiles import CLUSTER_BELOW, tile_layer
from zmtest import BACKEND, assert_ogc_error

MERC = Transformer.from_crs(4326, 3857, always_xy=True)
HALF = 20037508.342789244  # half the Web Mercator world, metres
CENTRE = (121.6185, 38.9155)  # 西岗区
TILE = "/ogc/collections/{}/tiles/WebMercatorQuad/{}/{}/{}"


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def merc_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    size = 2 * HALF / 2**z
    return (-HALF + x * size, HALF - (y + 1) * size, -HALF + (x + 1) * size, HALF - y * size)


def lonlat_box(bounds, buffer_units: int = 0) -> str:
    x0, y0, x1, y1 = bounds
    m = (x1 - x0) * buffer_units / 4096
    inv = Transformer.from_crs(3857, 4326, always_xy=True)
    (w, e), (s, n) = inv.transform([x0 - m, x1 + m], [y0 - m, y1 + m])
    return f"{w},{s},{e},{n}"


def to_units(lon, lat, bounds) -> tuple[float, float]:
    x, y = MERC.transform(lon, lat)
    x0, y0, x1, y1 = bounds
    return (x - x0) / (x1 - x0) * 4096, (y1 - y) / (y1 - y0) * 4096  # y down, as decoded


def get_tile(client, cid, z, x, y, **params) -> list[dict]:
    r = client.get(TILE.format(cid, z, y, x), params=params)
    assert r.status_code == 200 and r.headers["content-type"] == "application/vnd.mapbox-vector-tile"
    return gt.decode(r.content).get(cid, {}).get("features", [])


@pytest.mark.parametrize("z", [14, 15])
def test_project_tile_holds_the_items_of_its_box(client, z):
    x, y = tile_of(*CENTRE, z)
    bounds = merc_bounds(z, x, y)
    items = client.get("/ogc/collections/projects/items", params={"bbox": lonlat_box(bounds, gt.BUFFER), "limit": 10000}).json()["features"]
    feats = get_tile(client, "projects", z, x, y)
    assert len(feats) == len(items) > 3
    by_id = {f["properties"]["id"]: f for f in feats}
    for item in items:
        f = by_id[item["id"]]
        for name in ("name_zh", "name_en", "kind", "status", "status_year", "district"):
            assert f["properties"].get(name) == item["properties"][name]
        ux, uy = to_units(*item["geometry"]["coordinates"], bounds)
        gx, gy = f["geometry"]["coordinates"]
        assert abs(gx - ux) <= 1 and abs(gy - uy) <= 1  # within one unit (1/16 pixel)


@pytest.mark.parametrize("z", [10, 12])
def test_low_zoom_clusters_count_every_project_once(client, z):
    assert z < CLUSTER_BELOW
    x, y = tile_of(*CENTRE, z)
    bounds = merc_bounds(z, x, y)
    items = client.get("/ogc/collections/projects/items", params={"bbox": lonlat_box(bounds), "limit": 10000}).json()["features"]
    feats = get_tile(client, "projects", z, x, y)
    assert sum(f["properties"]["count"] for f in feats) == len(items) > 10
    assert len(feats) < len(items)  # some grouping happened
    statuses = {s: sum(1 for i in items if i["properties"]["status"] == s) for s in oc.STATUSES}
    assert {s: sum(f["properties"][f"n_{s}"] for f in feats) for s in oc.STATUSES} == statuses
    for f in feats:
        p = f["properties"]
        assert sum(p[f"n_{s}"] for s in oc.STATUSES) == p["count"]
        assert ("id" in p) == (p["count"] == 1)  # a group of one keeps its properties
        assert 0 <= f["geometry"]["coordinates"][0] <= 4096 and 0 <= f["geometry"]["coordinates"][1] <= 4096


def test_zone_tile_matches_zone_items(client):
    z = 13
    x, y = tile_of(*CENTRE, z)
    bounds = merc_bounds(z, x, y)
    items = client.get("/ogc/collections/zones/items", params={"bbox": lonlat_box(bounds, gt.BUFFER), "limit": 10000}).json()["features"]
    feats = get_tile(client, "zones", z, x, y)
    assert sorted(f["properties"]["id"] for f in feats) == sorted(i["id"] for i in items)
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in feats)


def test_tiles_take_plain_and_cql2_filters(client):
    z = 14
    x, y = tile_of(*CENTRE, z)
    box = lonlat_box(merc_bounds(z, x, y), gt.BUFFER)
    want = client.get("/ogc/collections/projects/items", params={"bbox": box, "status": "completed", "filter": "status_year >= 2016"}).json()
    feats = get_tile(client, "projects", z, x, y, status="completed", filter="status_year >= 2016")
    assert sorted(f["properties"]["id"] for f in feats) == sorted(i["id"] for i in want["features"])
    assert all(f["properties"]["status"] == "completed" for f in feats)
    assert_ogc_error(client.get(TILE.format("projects", z, y, x), params={"filter": "colour = 1"}), "filter")


def test_tile_cache_headers_and_304(client):
    x, y = tile_of(*CENTRE, 14)
    r = client.get(TILE.format("projects", 14, y, x))
    assert r.headers["etag"] and "max-age" in r.headers["cache-control"]
    again = client.get(TILE.format("projects", 14, y, x), headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    other = client.get(TILE.format("projects", 14, y, x), params={"status": "completed"})
    assert other.headers["etag"] != r.headers["etag"]


def test_empty_and_missing_tiles(client):
    assert client.get(TILE.format("projects", 14, 0, 0)).content == b""  # the Arctic: nothing there
    assert client.get(TILE.format("projects", 3, 9, 0)).status_code == 404
    assert client.get(TILE.format("projects", 30, 0, 0)).status_code == 404
    assert client.get(TILE.format("nope", 3, 0, 0)).status_code == 404


def test_tileset_documents(client):
    sets = client.get("/ogc/tileMatrixSets").json()["tileMatrixSets"]
    assert [s["id"] for s in sets] == ["WebMercatorQuad"]
    tms = client.get("/ogc/tileMatrixSets/WebMercatorQuad").json()
    assert tms["id"] == "WebMercatorQuad" and len(tms["tileMatrices"]) == 25
    ts = client.get("/ogc/collections/projects/tiles").json()["tilesets"][0]
    tpl = next(link for link in ts["links"] if link["rel"] == "item")
    assert tpl["templated"] and tpl["href"].endswith("/projects/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}")
    meta = client.get("/ogc/collections/projects/tiles/WebMercatorQuad").json()
    assert meta["dataType"] == "vector" and meta["layers"][0]["id"] == "projects"
    tj = client.get("/ogc/collections/zones/tiles/WebMercatorQuad/tilejson.json").json()
    assert tj["tilejson"] == "3.0.0" and tj["tiles"][0].endswith("/zones/tiles/WebMercatorQuad/{z}/{y}/{x}")
    assert tj["vector_layers"][0]["id"] == "zones" and 121 < tj["center"][0] < 122
    conf = client.get("/ogc/conformance").json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt" in conf


def within(a, b, units: float) -> bool:
    """Each geometry lies within ``units`` of the other (Hausdorff distance ≤ units, computed by
    buffering: exact Hausdorff is quadratic in the vertices of a district outline)."""
    return a.buffer(units).covers(b) and b.buffer(units).covers(a)


def _tiles_around(zooms):
    for z in zooms:
        cx, cy = tile_of(*CENTRE, z)
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                yield z, cx + dx, cy + dy


def test_postgis_and_python_encoders_draw_the_same_tiles(real_db):
    """ST_AsMVT against the Python encoder, on the same PostGIS data: same features, same
    properties, geometry within a pixel (16 units of 4096 on a 256-pixel tile)."""
    if BACKEND != "postgis":
        pytest.skip("ST_AsMVT exists only in PostGIS; SpatiaLite's tiles are the Python encoder's, checked against the items above")
    engine = make_engine(real_db)
    compared = 0
    with engine.connect() as conn:
        for cid in ("projects", "zones", "streets", "districts"):
            c = oc.COLLECTIONS[cid]
            for z, x, y in _tiles_around((8, 12, 14, 16)):
                t = gt.Tile(z, x, y)
                layer = tile_layer(conn, c, {}, None, z)
                a, b = gt.decode(gt.render_postgis(conn, layer, t)), gt.decode(gt.render_python(conn, layer, t))
                fa, fb = a.get(cid, {}).get("features", []), b.get(cid, {}).get("features", [])
                assert len(fa) == len(fb), (cid, z, x, y)
                rest = list(fb)
                for ga in fa:  # the nearest feature of the other tile with the same properties
                    same = [gb for gb in rest if gb["properties"] == ga["properties"]]
                    assert same, (cid, z, x, y, ga["properties"])
                    a_geom = shape(ga["geometry"])
                    gb = min(same, key=lambda f: shape(f["geometry"]).centroid.distance(a_geom.centroid))
                    assert within(a_geom, shape(gb["geometry"]), 16), (cid, z, x, y, ga["properties"])
                    rest.remove(gb)
                    compared += 1
    engine.dispose()
    assert compared > 300

"""``crs=`` on the plain API and the GeoJSON exports: x/y order, the stored geometry transformed by
pyproj (checked here with pyproj on the database's own coordinates), and every answer that is not
WGS84 saying so — the GCJ-02/BD-09 shifts as the non-standard offsets they are."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from pyproj import Geod, Transformer
from shapely import wkb
from shapely.geometry import shape

from geo.db import make_engine

GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def points(real_db) -> dict:
    engine = make_engine(real_db)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT id, ST_AsBinary(geom) FROM projects WHERE geom IS NOT NULL")).all()
    engine.dispose()
    return {r[0]: wkb.loads(bytes(r[1])) for r in rows}


@pytest.mark.parametrize("code,tolerance", [(3857, 0.01), (4550, 0.01), (4490, 1e-7)])
def test_projects_in_a_real_crs(client, points, code, tolerance):
    body = client.get("/api/projects", params={"crs": str(code), "limit": 10000}).json()
    assert body["crs"] == {"type": "name", "properties": {"name": f"urn:ogc:def:crs:EPSG::{code}"}}
    assert body["coordinate_system"]["epsg"] == code and body["coordinate_system"]["rfc7946"] is False
    t = Transformer.from_crs(4326, code, always_xy=True)  # the plain API is x/y in every CRS
    located = [f for f in body["features"] if f["geometry"]]
    assert len(located) == len(points)
    for f in located:
        p = points[f["id"]]
        x, y = t.transform(p.x, p.y)
        got = f["geometry"]["coordinates"]
        assert abs(got[0] - x) <= tolerance and abs(got[1] - y) <= tolerance


def test_default_and_4326_stay_rfc7946(client):
    plain = client.get("/api/projects", params={"limit": 3}).json()
    explicit = client.get("/api/projects", params={"limit": 3, "crs": "EPSG:4326"}).json()
    assert "crs" not in plain and "coordinate_system" not in plain
    assert explicit["features"] == plain["features"] and "crs" not in explicit


@pytest.mark.parametrize("shift,low,high", [("gcj02", 350, 550), ("bd09", 900, 1500)])
def test_shifts_are_labelled_and_offset(client, points, shift, low, high):
    body = client.get("/api/projects", params={"crs": shift, "limit": 10000}).json()
    assert "crs" not in body  # no EPSG code exists for them
    info = body["coordinate_system"]
    assert info["id"] == shift and info["standard"] is False and info["rfc7946"] is False
    assert "not a coordinate reference system" in info["note"]
    for f in body["features"]:
        if f["geometry"]:
            p = points[f["id"]]
            lon, lat = f["geometry"]["coordinates"]
            assert low < GEOD.inv(p.x, p.y, lon, lat)[2] < high  # the offset GIS staff must know about
            assert lon > p.x  # both shift Dalian eastwards


def test_geometry_valued_properties_follow(client):
    zones = client.get("/api/zones", params={"crs": "3857"}).json()["features"]
    corridor = next(z for z in zones if z["properties"].get("centreline"))
    x, y = corridor["properties"]["centreline"]["coordinates"][0][0]
    assert 1.3e7 < x < 1.4e7 and 4.6e6 < y < 4.8e6  # metres, not degrees
    one = client.get(f"/api/zones/{corridor['id']}", params={"crs": "3857"}).json()
    assert one["geometry"] == corridor["geometry"] and one["crs"]["properties"]["name"] == "urn:ogc:def:crs:EPSG::3857"
    located = next(f for f in client.get("/api/projects", params={"limit": 10000}).json()["features"] if f["geometry"])
    detail = client.get(f"/api/projects/{located['id']}", params={"crs": "4550"}).json()
    assert 3e5 < shape(detail["geometry"]).x < 7e5 and detail["properties"]["mention_history"]  # metres; the detail intact


def test_geojson_export_in_cgcs2000_and_errors(client):
    r = client.get("/api/export/streets.geojson", params={"crs": "EPSG:4490"})
    assert r.status_code == 200 and r.headers["content-disposition"].endswith('streets.geojson"')
    body = r.json()
    assert body["crs"]["properties"]["name"] == "urn:ogc:def:crs:EPSG::4490"
    lon, lat = body["features"][0]["geometry"]["coordinates"][0][0]
    assert 121 < lon < 122.5 and 38.5 < lat < 40  # x/y: longitude first
    for params in ({"crs": "EPSG:2000"}, {"crs": "mars"}):
        bad = client.get("/api/projects", params=params)
        assert bad.status_code == 422 and bad.json()["parameter"] == "crs"

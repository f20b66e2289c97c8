"""The project↔zone join: computed by the database, served by the API, checked against shapely."""

from __future__ import annotations

import json

import sqlalchemy as sa
from shapely.geometry import shape

from zmtest import DATA_DIR, MINI_DIR
from geo.db import make_engine
from geo.crs import buffer_metres


def _db_pairs(url: str) -> set[tuple[str, str]]:
    engine = make_engine(url)
    with engine.connect() as conn:
        pairs = {tuple(r) for r in conn.execute(sa.text("SELECT project_id, zone_id FROM project_zones"))}
    engine.dispose()
    return pairs


def _shapely_pairs(data_dir) -> set[tuple[str, str]]:
    """The same relation computed independently from the GeoJSON files."""
    g = data_dir / "geometry"

    def feats(name):
        stem = name.removesuffix(".geojson")
        out = []
        for path in sorted(g.glob(f"{stem}*.geojson")):
            if path.stem == stem or path.stem.startswith(stem + "_"):
                out += json.loads(path.read_text(encoding="utf-8"))["features"]
        return out

    zones = {f["properties"]["zone"]: shape(f["geometry"]) for f in feats("zones.geojson")}
    for f in feats("zone_lines.geojson"):
        zones[f["properties"]["zone"]] = buffer_metres(shape(f["geometry"]), f["properties"]["corridor_m"])
    points = {f["properties"]["project"]: shape(f["geometry"]) for f in feats("project_points.geojson")}
    for f in feats("project_sites.geojson"):
        points.setdefault(f["properties"]["project"], shape(f["geometry"]).representative_point())
    return {(p, z) for p, pt in points.items() for z, poly in zones.items() if poly.intersects(pt)}


def _api_pairs(client) -> set[tuple[str, str]]:
    pairs = set()
    for z in client.get("/api/zones").json()["features"]:
        fc = client.get("/api/projects", params={"zone": z["id"], "limit": 10000}).json()
        assert fc["numberMatched"] == len(fc["features"])
        pairs |= {(f["id"], z["id"]) for f in fc["features"]}
    return pairs


def test_mini_join(mini_db, mini_client):
    expected = {("plot-a", "mini-north"), ("tower-b", "mini-south")}
    assert _db_pairs(mini_db) == expected == _shapely_pairs(MINI_DIR) == _api_pairs(mini_client)


def test_real_join_matches_database_and_independent_computation(real_db, client):
    db = _db_pairs(real_db)
    assert db, "the real data places no project in any zone"
    assert _api_pairs(client) == db
    # Corridor buffers differ by a few centimetres between GEOS in the loader and here; points are
    # never that close to a corridor edge in practice, so the sets must agree exactly.
    assert _shapely_pairs(DATA_DIR) == db


def test_project_zones_property_is_the_join(client, real_db):
    db = _db_pairs(real_db)
    fc = client.get("/api/projects", params={"limit": 10000}).json()
    from_props = {(f["id"], z) for f in fc["features"] for z in f["properties"]["zones"]}
    assert from_props == db
    unlocated = [f for f in fc["features"] if f["geometry"] is None]
    assert all(f["properties"]["zones"] == [] for f in unlocated)


def test_spatial_indexes_exist_even_after_a_spatialite_write(databases, tmp_path):
    """The join is index-backed on both backends. `zonemap check` builds a throwaway SpatiaLite file;
    that once stripped the GiST indexes from every later PostGIS database in the same process."""
    from projects.dataset import read_dataset
    from projects.store import write_dataset

    ds = read_dataset(MINI_DIR, MINI_DIR / "seeds")
    write_dataset(f"sqlite:///{tmp_path / 'first.sqlite'}", ds)
    url = databases.new_url()
    write_dataset(url, ds)
    engine = make_engine(url)
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            indexed = {r[0] for r in conn.execute(sa.text(
                "SELECT f_table_name || '.' || f_geometry_column FROM geometry_columns WHERE spatial_index_enabled = 1"))}
        else:
            indexed = {r[0] for r in conn.execute(sa.text(
                "SELECT tablename || '.' || substr(indexname, length('idx_' || tablename || '_') + 1) "
                "FROM pg_indexes WHERE indexdef ILIKE '%USING gist%'"))}
    engine.dispose()
    assert {"zones.geom", "projects.geom", "projects.site", "streets.geom", "districts.geom"} <= indexed

"""The GeoPackage for people: every layer with its default QGIS style, built once per data version."""

from __future__ import annotations

import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path

from fastapi.testclient import TestClient

from projects.palette import STATUS_COLOURS
from webmap.app import create_app
from webmap.settings import Settings


def _open(content: bytes, tmp_path: Path) -> sqlite3.Connection:
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "x.gpkg"
    path.write_bytes(content)
    return sqlite3.connect(path)


def test_layer_styles_table_as_qgis_writes_it(mini_client, tmp_path):
    db = _open(mini_client.get("/api/export/zonemap.gpkg").content, tmp_path)
    columns = [r[1] for r in db.execute("PRAGMA table_info(layer_styles)")]
    # the table QGIS creates when it saves a style in a GeoPackage, column for column
    assert columns == ["id", "f_table_catalog", "f_table_schema", "f_table_name", "f_geometry_column", "styleName",
                       "styleQML", "styleSLD", "useAsDefault", "description", "owner", "ui", "update_time"]
    rows = {r[0]: r[1:] for r in db.execute(
        "SELECT f_table_name, f_geometry_column, useAsDefault, styleQML, styleSLD FROM layer_styles")}
    layers = {r[0] for r in db.execute("SELECT table_name FROM gpkg_contents WHERE data_type = 'features'")}
    assert set(rows) == layers  # every layer has its style (the mini data has no mentions-less layer)
    geometry_columns = dict(db.execute("SELECT table_name, column_name FROM gpkg_geometry_columns"))
    for layer, (geom_col, default, qml, sld) in rows.items():
        assert geom_col == geometry_columns[layer] and default == 1
        ET.fromstring(qml.split("\n", 1)[1])
        ET.fromstring(sld.split("\n", 1)[1])
    qml = ET.fromstring(rows["projects"][2].split("\n", 1)[1])
    classes = {c.get("value"): c.get("symbol") for c in qml.findall("renderer-v2/categories/category")}
    colours = {s.get("name"): s.find("layer/Option/Option[@name='color']").get("value") for s in qml.findall("renderer-v2/symbols/symbol")}
    hexes = {value: "#%02x%02x%02x" % tuple(int(v) for v in colours[n].split(",")[:3]) for value, n in classes.items()}
    assert hexes == STATUS_COLOURS


def test_zone_classes_cover_every_zone(mini_client, tmp_path):
    db = _open(mini_client.get("/api/export/zonemap.gpkg").content, tmp_path)
    qml = db.execute("SELECT styleQML FROM layer_styles WHERE f_table_name = 'zones'").fetchone()[0]
    values = {c.get("value") for c in ET.fromstring(qml.split("\n", 1)[1]).findall("renderer-v2/categories/category")}
    assert values == {r[0] for r in db.execute("SELECT id FROM zones")}


def test_built_once_per_data_version_and_shared_through_the_cache_folder(mini_db, tmp_path):
    cache = tmp_path / "cache"
    with TestClient(create_app(Settings(database_url=mini_db, cache_dir=cache))) as c:
        first = c.get("/api/export/zonemap.gpkg")
        fingerprint = c.get("/healthz").json()["data"]
        files = list(cache.glob("*.gpkg"))
        assert [f.name for f in files] == [f"zonemap-{fingerprint}-gpkg.gpkg"]
        assert files[0].read_bytes() == first.content
        assert c.get("/api/export/zonemap.gpkg").content == first.content
    # A new process (another worker, a restart) serves the file from the folder rather than
    # building it again: a marked file comes back as it is.
    files[0].write_bytes(first.content + b"cached")
    with TestClient(create_app(Settings(database_url=mini_db, cache_dir=cache))) as c:
        assert c.get("/api/export/zonemap.gpkg").content.endswith(b"cached")


def test_equal_data_equal_file(mini_db, tmp_path):
    """Two builds of the same data are byte-identical (no build time inside): caches and ETags hold."""
    bodies = []
    for n in range(2):
        with TestClient(create_app(Settings(database_url=mini_db, cache_dir=tmp_path / str(n)))) as c:
            bodies.append(c.get("/api/export/zonemap.gpkg").content)
    assert bodies[0] == bodies[1]


def test_a_status_view_has_its_own_file(mini_db, tmp_path):
    cache = tmp_path / "cache"
    with TestClient(create_app(Settings(database_url=mini_db, cache_dir=cache))) as c:
        now = c.get("/api/export/zonemap.gpkg").content
        then = c.get("/api/export/zonemap.gpkg", params={"as_of": 2010}).content
        fingerprint = c.get("/healthz").json()["data"]
    assert sorted(p.name for p in cache.glob("*.gpkg")) == [f"zonemap-{fingerprint}-gpkg-2010.gpkg", f"zonemap-{fingerprint}-gpkg.gpkg"]
    db_now, db_then = _open(now, tmp_path / "a"), _open(then, tmp_path / "b")
    layers = "SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY 1"
    styled = "SELECT f_table_name FROM layer_styles ORDER BY 1"
    # the mini plan dates from after 2010: no project is mentioned yet, every other layer is there, styled
    assert [r[0] for r in db_then.execute(layers)] == [r[0] for r in db_now.execute(layers) if r[0] != "projects"]
    assert [r[0] for r in db_then.execute(styled)] == [r[0] for r in db_then.execute(layers)]

"""zonemap load: validates everything first, writes all or nothing, and re-runs identically."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from zmtest import BACKEND, MINI_DIR, MINI_SEEDS, snapshot
from webmap.cli import main as zonemap


def _load(data_dir: Path, url: str) -> int:
    return zonemap(["load", "--data-dir", str(data_dir), "--seeds-dir", str(MINI_SEEDS), "--database-url", url])


class _PlainDumper(yaml.SafeDumper):
    """Writes a repeated object out again, as a person would (the catalog refuses aliases)."""

    def ignore_aliases(self, data):
        return True


def _edit_yaml(path: Path, edit) -> None:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(doc)
    path.write_text(yaml.dump(doc, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _edit_geojson(path: Path, edit) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    edit(doc)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def _project(doc, pid):
    return next(p for p in doc["projects"] if p["id"] == pid)


def _feature(doc, key, value):
    return next(f for f in doc["features"] if f["properties"].get(key) == value)


def dangling_zone(doc):
    _project(doc, "plot-a")["mentions"][0]["zone"] = "no-such-zone"


def unknown_document(doc):
    _project(doc, "park-c")["mentions"][0]["plan"] = "no-such-plan"


CATALOG = "catalog/mini.yaml"
# The bad-data corpus (one case per way the data can be wrong) is tests/projects/test_bad_data.py.


@pytest.fixture
def loaded(databases, mini_copy):
    """A database holding the mini data, and the data folder it came from."""
    url = databases.new_url()
    assert _load(mini_copy, url) == 0
    return url, mini_copy


def _fingerprint(url: str):
    if BACKEND == "spatialite":
        return hashlib.sha256(Path(sa.make_url(url).database).read_bytes()).hexdigest()
    return snapshot(url)


def test_yaml_syntax_error_names_the_file(loaded, capsys):
    url, data = loaded
    before = _fingerprint(url)
    (data / CATALOG).write_text("projects: [unclosed\n", encoding="utf-8")
    assert _load(data, url) == 1
    err = capsys.readouterr().err
    assert f"{CATALOG}: not valid YAML at line 2, column 1" in err
    assert "unknown project id" not in err  # no echo of the unreadable file in every other check
    assert _fingerprint(url) == before


def test_every_problem_is_reported_not_just_the_first(loaded, capsys):
    url, data = loaded
    _edit_yaml(data / CATALOG, lambda d: (dangling_zone(d), unknown_document(d)))
    assert _load(data, url) == 1
    err = capsys.readouterr().err
    assert "unknown zone 'no-such-zone'" in err and "unknown plan 'no-such-plan'" in err


def test_reload_gives_the_same_database(databases):
    url = databases.new_url()
    assert _load(MINI_DIR, url) == 0
    first = snapshot(url)
    assert _load(MINI_DIR, url) == 0
    assert snapshot(url) == first
    assert [r[:3] for r in first["project_zones"]] == [("plot-a", "mini-north", "both"), ("tower-b", "mini-south", "both")]


def test_load_counts_and_provenance(mini_db):
    rows = snapshot(mini_db)
    assert len(rows["projects"]) == 4 and len(rows["mentions"]) == 4 and len(rows["zones"]) == 3
    assert len(rows["districts"]) == 11


def test_corridor_zone_is_buffered_from_its_centreline(mini_client):
    from shapely.geometry import shape

    from geo.crs import to_metric

    axis = mini_client.get("/api/zones/mini-axis").json()
    poly = to_metric(shape(axis["geometry"]))
    line = to_metric(shape(axis["properties"]["centreline"]))
    # 200 m either side of a 1.9 km line: about 2 × 200 × 1890 m² plus the round ends.
    assert abs(poly.area - (2 * 200 * line.length + 3.14159 * 200**2)) / poly.area < 0.02
    assert axis["properties"]["corridor_m"] == 200
    assert "buffered 200 m" in axis["properties"]["placement"]


def test_load_of_the_real_data(real_db, real_dataset):
    rows = snapshot(real_db)
    assert len(rows["plans"]) == 5
    assert len(rows["projects"]) == len(real_dataset.projects) > 200
    assert len(rows["mentions"]) == len(real_dataset.mentions)


def test_running_service_sees_a_reload(databases, mini_copy):
    """A reload while the service runs is visible at the next request (no restart, no stale file)."""
    from fastapi.testclient import TestClient

    from webmap.app import create_app
    from webmap.settings import Settings

    url = databases.new_url()
    assert _load(mini_copy, url) == 0
    with TestClient(create_app(Settings(database_url=url))) as client:
        assert client.get("/healthz").json()["projects"] == 4
        assert '"tower-b"' in client.get("/map/projects.json").text  # the map's feed, now cached
        _edit_yaml(mini_copy / CATALOG, lambda d: d["projects"].remove(_project(d, "park-c")))
        _edit_yaml(mini_copy / CATALOG, lambda d: d["projects"].remove(_project(d, "tower-b")))
        _edit_geojson(mini_copy / "geometry" / "project_points.geojson",
                      lambda d: d["features"].remove(_feature(d, "project", "tower-b")))
        assert _load(mini_copy, url) == 0
        assert client.get("/healthz").json()["projects"] == 2
        assert client.get("/api/projects/park-c").status_code == 404
        assert '"tower-b"' not in client.get("/map/projects.json").text  # the cache follows the reload

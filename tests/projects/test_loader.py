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


def _edit_yaml(path: Path, edit) -> None:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _edit_geojson(path: Path, edit) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    edit(doc)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def _project(doc, pid):
    return next(p for p in doc["projects"] if p["id"] == pid)


def _feature(doc, key, value):
    return next(f for f in doc["features"] if f["properties"].get(key) == value)


def bowtie(doc):
    _feature(doc, "zone", "mini-north")["geometry"] = {"type": "MultiPolygon", "coordinates": [[[
        [121.605, 38.918], [121.62, 38.925], [121.62, 38.918], [121.605, 38.925], [121.605, 38.918]]]]}


def swapped(doc):
    _feature(doc, "project", "plot-a")["geometry"]["coordinates"] = [38.922, 121.618]


def far_away(doc):
    _feature(doc, "project", "market-d")["geometry"]["coordinates"] = [116.39, 39.91]  # Beijing


def metres(doc):
    _feature(doc, "project", "tower-b")["geometry"]["coordinates"] = [531000.0, 4309000.0]


def wrong_type(doc):
    _feature(doc, "project", "plot-a")["geometry"] = {"type": "LineString", "coordinates": [[121.61, 38.92], [121.62, 38.92]]}


def no_accuracy(doc):
    del _feature(doc, "zone", "mini-south")["properties"]["accuracy_m"]


def unknown_project_point(doc):
    _feature(doc, "project", "plot-a")["properties"]["project"] = "no-such-project"


def duplicate_project(doc):
    doc["projects"].append(dict(_project(doc, "plot-a")))


def dangling_zone(doc):
    _project(doc, "plot-a")["mentions"][0]["zone"] = "no-such-zone"


def unknown_status(doc):
    m = _project(doc, "tower-b")["mentions"][0]
    m["status"], m["status_note"] = "finished", "typo on purpose"


def unknown_document(doc):
    _project(doc, "park-c")["mentions"][0]["plan"] = "no-such-plan"


def invented_quote(doc):
    _project(doc, "park-c")["mentions"][0]["quote"] = "丙公园已经建成开放"


def unknown_industry(doc):
    _project(doc, "plot-a")["industries"] = ["no-such-industry"]


CATALOG = "catalog/mini.yaml"
CASES = {
    "invalid geometry": ("geometry/zones.geojson", bowtie, ["geometry/zones.geojson", "mini-north", "'geometry'", "not valid"]),
    "lat/lon swapped": ("geometry/project_points.geojson", swapped, ["project_points.geojson", "plot-a", "'geometry'", "out of WGS84 range", "swapped?"]),
    "far from Dalian": ("geometry/project_points.geojson", far_away, ["project_points.geojson", "market-d", "outside Dalian"]),
    "projected metres": ("geometry/project_points.geojson", metres, ["project_points.geojson", "tower-b", "out of WGS84 range"]),
    "wrong geometry type": ("geometry/project_points.geojson", wrong_type, ["project_points.geojson", "plot-a", "expected a Point"]),
    "missing accuracy": ("geometry/zones.geojson", no_accuracy, ["zones.geojson", "mini-south", "'accuracy_m'", "positive number of metres"]),
    "point of unknown project": ("geometry/project_points.geojson", unknown_project_point, ["project_points.geojson", "no-such-project", "unknown project id"]),
    "duplicate id": (CATALOG, duplicate_project, [CATALOG, "plot-a", "'id'", "duplicate project id"]),
    "dangling zone": (CATALOG, dangling_zone, [CATALOG, "plot-a", "'zone'", "unknown zone 'no-such-zone'"]),
    "unknown status": (CATALOG, unknown_status, [CATALOG, "tower-b", "'status'", "expected one of completed"]),
    "unknown document": (CATALOG, unknown_document, [CATALOG, "park-c", "'plan'", "unknown plan 'no-such-plan'"]),
    "quote not in document": (CATALOG, invented_quote, [CATALOG, "park-c", "'quote'", "not a verbatim substring"]),
    "unknown industry": (CATALOG, unknown_industry, [CATALOG, "plot-a", "'industries'", "unknown industry"]),
}


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


@pytest.mark.parametrize("case", list(CASES))
def test_bad_data_is_refused_and_database_unchanged(case, loaded, capsys):
    url, data = loaded
    rel, edit, expected = CASES[case]
    before = _fingerprint(url)
    path = data / rel
    (_edit_geojson if rel.endswith(".geojson") else _edit_yaml)(path, edit)
    capsys.readouterr()

    assert _load(data, url) == 1
    err = capsys.readouterr().err
    assert "nothing written" in err
    for text in expected:
        assert text in err, f"{text!r} missing from: {err}"
    assert _fingerprint(url) == before


def test_yaml_syntax_error_names_the_file(loaded, capsys):
    url, data = loaded
    before = _fingerprint(url)
    (data / CATALOG).write_text("projects: [unclosed\n", encoding="utf-8")
    assert _load(data, url) == 1
    err = capsys.readouterr().err
    assert CATALOG in err and "not valid UTF-8 YAML" in err
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
    assert first["project_zones"] == [("plot-a", "mini-north"), ("tower-b", "mini-south")]


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

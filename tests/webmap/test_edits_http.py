"""Edits over HTTP: tokens (401/403), dry run by default, apply + reload (the service shows the edit at
once), history, revert, and errors in the API's one shape. On a copy of the mini data folder, with a
database of the backend under test."""

from __future__ import annotations

import json
import secrets
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from geo.overrides import dumps
from projects.dataset import read_dataset
from projects.store import write_dataset
from webmap.app import create_app
from webmap.settings import Settings, parse_edit_tokens
from zmtest import MINI_DIR, MINI_SEEDS

RW, RO = secrets.token_urlsafe(24), secrets.token_urlsafe(24)


@pytest.fixture
def editing(tmp_path, databases):
    """An app whose data folder is a writable copy of the mini data, and its database."""
    data = tmp_path / "data"
    shutil.copytree(MINI_DIR, data, ignore=shutil.ignore_patterns("seeds"))
    for p in (data / "geometry").glob("*.geojson"):
        p.write_text(dumps(json.loads(p.read_text(encoding="utf-8"))), encoding="utf-8")
    url = databases.new_url()
    write_dataset(url, read_dataset(data, MINI_SEEDS))
    settings = Settings(database_url=url, data_dir=data, seeds_dir=MINI_SEEDS, cache_dir="",
                        edit_tokens=f"li.wei:{RW}:rw,viewer:{RO}:ro")
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client, data


def auth(secret):
    return {"Authorization": f"Bearer {secret}"}


MOVE = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"id": "plot-a"}, "geometry": {"type": "Point", "coordinates": [121.6125, 38.9125]}}]}


def test_tokens(editing):
    client, data = editing
    r = client.post("/api/edits", params={"layer": "projects", "note": "n"}, json=MOVE)
    assert r.status_code == 401 and r.json()["code"] == "unauthorized" and r.headers["www-authenticate"].startswith("Bearer")
    assert client.post("/api/edits", params={"layer": "projects", "note": "n"}, json=MOVE,
                       headers={"Authorization": "Basic eDp5"}).status_code == 401
    r = client.post("/api/edits", params={"layer": "projects", "note": "n"}, json=MOVE, headers=auth(RW + "x"))
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    r = client.post("/api/edits", params={"layer": "projects", "note": "n", "dry_run": "false"}, json=MOVE, headers=auth(RO))
    assert r.status_code == 403 and "read-only" in r.json()["detail"]
    assert client.post("/api/edits/0001/revert", params={"note": "n", "dry_run": "false"}, headers=auth(RO)).status_code == 403
    # a read-only token previews
    r = client.post("/api/edits", params={"layer": "projects", "note": "n"}, json=MOVE, headers=auth(RO))
    assert r.status_code == 200 and r.json()["dry_run"] and not r.json()["applied"]
    assert not (data / "changes").exists()


def test_token_settings_refuse_weak_or_malformed_tokens():
    assert [(t.name, t.mode) for t in parse_edit_tokens(f"a:{RW}:rw, b:{RO}:ro")] == [("a", "rw"), ("b", "ro")]
    for bad in ("a:short:rw", f"a:{RW}:admin", f"a:{RW}", f"a b:{RW}:rw", f"a:{RW}:rw,a:{RO}:ro"):
        with pytest.raises(ValueError) as err:
            parse_edit_tokens(bad)
        assert RW not in str(err.value) and RO not in str(err.value)  # a secret is never repeated
    assert RW not in repr(parse_edit_tokens(f"a:{RW}:rw"))


def test_dry_run_apply_reload_history_revert(editing):
    client, data = editing
    before = client.get("/api/projects/plot-a").json()
    original = (data / "geometry/project_points.geojson").read_bytes()
    r = client.post("/api/edits", params={"layer": "projects", "note": "on the surveyed plot"}, json=MOVE, headers=auth(RW))
    body = r.json()
    assert r.status_code == 200 and body["dry_run"] and not body["applied"] and body["change"] == "0001"
    [f] = body["features"]
    assert f["id"] == "plot-a" and f["moved_m"] > 1000 and f["after"]["geometry"]["coordinates"] == [121.6125, 38.9125]
    assert any(m["project"] == "plot-a" and m["zone"] == "mini-south" and m["after"] for m in body["memberships"])
    assert (data / "geometry/project_points.geojson").read_bytes() == original

    r = client.post("/api/edits", params={"layer": "projects", "note": "on the surveyed plot", "dry_run": "false"},
                    json=MOVE, headers=auth(RW))
    body = r.json()
    assert r.status_code == 200 and body["applied"] and body["reloaded"] and body["author"] == "li.wei"
    # the service shows it at once: the new point, its new zone
    after = client.get("/api/projects/plot-a").json()
    assert after["geometry"]["coordinates"] == [121.6125, 38.9125] != before["geometry"]["coordinates"]
    assert after["properties"]["placement"].startswith("edited in QGIS by li.wei on ")
    in_south = client.get("/api/projects", params={"zone": "mini-south"}).json()["features"]
    assert "plot-a" in {p["id"] for p in in_south}
    history = client.get("/api/history", params={"feature": "plot-a"}).json()
    assert [(h["change"], h["author"], h["note"], h["action"]) for h in history] == [("0001", "li.wei", "on the surveyed plot", "edit")]
    assert history[0]["before"]["geometry"] == before["geometry"] and history[0]["moved_m"] == f["moved_m"]

    r = client.post("/api/edits/0001/revert", params={"note": "wrong plot", "dry_run": "false"}, headers=auth(RW))
    assert r.status_code == 200 and r.json()["applied"] and r.json()["reverts"] == "0001"
    assert (data / "geometry/project_points.geojson").read_bytes() == original
    assert client.get("/api/projects/plot-a").json()["geometry"] == before["geometry"]
    history = client.get("/api/history", params={"feature": "plot-a"}).json()
    assert [(h["change"], h["action"], h["reverts"], h["reverted_by"]) for h in history] == [
        ("0002", "revert", "0001", None), ("0001", "edit", None, "0002")]
    csv_rows = client.get("/api/history", params={"feature": "plot-a", "f": "csv"}).text.lstrip("\ufeff").splitlines()
    assert csv_rows[0].startswith("change,layer,feature,time,author") and len(csv_rows) == 3
    r = client.post("/api/edits/0001/revert", params={"note": "again", "dry_run": "false"}, headers=auth(RW))
    assert r.status_code == 409 and r.json()["code"] == "conflict"
    assert client.post("/api/edits/0042/revert", params={"note": "n"}, headers=auth(RW)).status_code == 404


def test_errors_in_the_apis_shape(editing):
    client, data = editing
    bow_tie = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"id": "mini-north"}, "geometry": {
        "type": "Polygon", "coordinates": [[[121.605, 38.918], [121.62, 38.925], [121.62, 38.918], [121.605, 38.925], [121.605, 38.918]]]}}]}
    r = client.post("/api/edits", params={"layer": "zones", "note": "n", "dry_run": "false"}, json=bow_tie, headers=auth(RW))
    body = r.json()
    assert r.status_code == 422 and body["code"] == "invalid_edit" and "Self-intersection" in body["detail"]
    assert body["errors"][0]["parameter"] == "geometry" and "mini-north" in body["errors"][0]["message"]
    r = client.post("/api/edits", params={"layer": "zones", "note": "n"}, content=b"a,b\n", headers={**auth(RW), "Content-Type": "text/csv"})
    assert r.status_code == 415 and r.json()["code"] == "unsupported_media_type"
    r = client.post("/api/edits", params={"layer": "roads", "note": "n"}, json=MOVE, headers=auth(RW))
    assert r.status_code == 422 and r.json()["parameter"] == "layer"
    r = client.post("/api/edits", params={"layer": "projects"}, json=MOVE, headers=auth(RW))
    assert r.status_code == 422 and r.json()["parameter"] == "note"
    r = client.post("/api/edits", params={"layer": "projects", "note": "n", "dryrun": "false"}, json=MOVE, headers=auth(RW))
    assert r.status_code == 422 and r.json()["code"] == "unknown_parameter"
    r = client.post("/api/edits", params={"layer": "projects", "note": "n"}, content=b"{not json", headers={**auth(RW), "Content-Type": "application/geo+json"})
    assert r.status_code == 422 and "not valid JSON at line 1" in r.json()["detail"]
    assert client.get("/api/history", params={"layer": "roads"}).status_code == 422
    assert client.get("/api/history", params={"feature": "plot-a"}).json() == []
    assert not (data / "changes").exists()


def test_edit_body_limit_is_its_own(tmp_path, mini_db):
    settings = Settings(database_url=mini_db, data_dir=tmp_path, cache_dir="", max_body_bytes=1000, max_edit_bytes=2000,
                        edit_tokens=f"li.wei:{RW}:rw")
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        big = b"{" + b" " * 1500 + b"}"
        r = client.post("/api/edits", params={"layer": "projects", "note": "n"}, content=big,
                        headers={**auth(RW), "Content-Type": "application/geo+json"})
        assert r.status_code == 422  # over the general limit, under the edits' one: read (and refused as no FeatureCollection)
        r = client.post("/api/edits", params={"layer": "projects", "note": "n"}, content=big + b" " * 1000,
                        headers={**auth(RW), "Content-Type": "application/geo+json"})
        assert r.status_code == 413 and "ZONEMAP_MAX_EDIT_BYTES" in r.json()["detail"]

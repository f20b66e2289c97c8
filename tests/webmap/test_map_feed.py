"""The map's project feed is built once per data version for every worker: warmed when the server
starts, kept in the cache folder, read from there by another worker (no second build)."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from webmap.app import create_app
from webmap.settings import Settings


def test_the_feed_is_warmed_at_start_and_shared_through_the_cache_folder(real_db, tmp_path):
    first = create_app(Settings(database_url=real_db, warm_up=True, cache_dir=tmp_path))
    with TestClient(first) as client:
        end = time.monotonic() + 60
        while not list(tmp_path.glob("zonemap-*map_projects*.json")):
            assert time.monotonic() < end, "the warm-up wrote no feed"
            time.sleep(0.1)
        assert first.state.exports.builds == 1  # built before anyone asked
        served = client.get("/map/projects.json")
        assert served.status_code == 200 and first.state.exports.builds == 1
    [stored] = tmp_path.glob("zonemap-*map_projects*.json")
    assert served.content == stored.read_bytes()
    assert len(served.json()["projects"]) == 295
    # Another worker (no warm-up) takes the folder's bytes rather than building: marked here, they
    # come back marked.
    stored.write_bytes(served.content + b" ")
    second = create_app(Settings(database_url=real_db, warm_up=False, cache_dir=tmp_path))
    with TestClient(second) as client:
        assert client.get("/map/projects.json").content == served.content + b" "


def test_a_warm_up_without_data_does_not_stop_the_server(databases, tmp_path):
    empty = databases.new_url()  # nothing loaded
    app = create_app(Settings(database_url=empty, warm_up=True, cache_dir=tmp_path))
    with TestClient(app, raise_server_exceptions=False) as client:
        time.sleep(0.5)
        r = client.get("/map/projects.json")
        assert r.status_code == 503 and r.json()["code"] == "not_loaded"
    assert not list(tmp_path.glob("zonemap-*"))

"""The GeoPackage export is built once per loaded dataset: concurrent requests share one build,
later ones get the stored bytes, and a reload (a new fingerprint) builds afresh — no stale download."""

from __future__ import annotations

import json
import threading
import time

from fastapi.testclient import TestClient

from projects.dataset import read_dataset
from projects.store import write_dataset
from webmap.app import create_app
from webmap.exports import ExportCache
from webmap.settings import Settings
from zmtest import MINI_DIR, MINI_SEEDS


def test_concurrent_requests_share_one_build():
    cache = ExportCache()
    started = threading.Event()
    calls = []

    def build():
        calls.append(1)
        started.set()
        time.sleep(0.3)  # a slow build: the other threads arrive while it runs
        return b"gpkg"

    results = []
    threads = [threading.Thread(target=lambda: results.append(cache.get(("fp1", "gpkg"), build))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [b"gpkg"] * 8 and len(calls) == 1 and cache.builds == 1
    assert cache.get(("fp1", "gpkg"), build) == b"gpkg" and len(calls) == 1
    # A new dataset: built again, and the old dataset's exports are let go.
    assert cache.get(("fp2", "gpkg"), lambda: b"new") == b"new"
    assert cache.peek(("fp1", "gpkg")) is None


def test_a_failed_build_is_not_stored_and_the_next_request_tries_again():
    cache = ExportCache()

    def fail():
        raise RuntimeError("GDAL failed")

    try:
        cache.get(("fp", "gpkg"), fail)
    except RuntimeError:
        pass
    assert cache.peek(("fp", "gpkg")) is None
    assert cache.get(("fp", "gpkg"), lambda: b"ok") == b"ok"


def test_exports_follow_a_reload(databases, mini_copy):
    url = databases.new_url()
    write_dataset(url, read_dataset(MINI_DIR, MINI_SEEDS))
    with TestClient(create_app(Settings(database_url=url))) as client:
        first = client.get("/api/export/projects.geojson")
        assert first.status_code == 200 and first.headers["content-type"].startswith("application/geo+json")
        assert len(first.json()["features"]) == 4
        gpkg = client.get("/api/export/zonemap.gpkg")
        assert gpkg.status_code == 200 and gpkg.content[:16] == b"SQLite format 3\x00"
        cache = client.app.state.exports
        builds = cache.builds
        assert client.get("/api/export/zonemap.gpkg").content == gpkg.content
        assert cache.builds == builds  # from the cache

        cat = mini_copy / "catalog" / "mini.yaml"
        cat.write_text(cat.read_text(encoding="utf-8").replace("  - id: park-c\n    name_zh: 丙公园\n", "  - id: park-c\n    name_zh: 丙公园新\n"), encoding="utf-8")
        write_dataset(url, read_dataset(mini_copy, MINI_SEEDS))
        after = client.get("/api/export/projects.geojson").json()
        names = {f["properties"]["id"]: f["properties"]["name_zh"] for f in after["features"]}
        assert names["park-c"] == "丙公园新"
        assert client.get("/api/export/projects.csv").text.count("丙公园新") == 1
        assert json.loads(first.content)["features"] != after["features"]
        new_gpkg = client.get("/api/export/zonemap.gpkg").content
        assert cache.builds == builds + 1 and new_gpkg != gpkg.content  # the reload's GeoPackage

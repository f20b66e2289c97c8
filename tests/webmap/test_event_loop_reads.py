"""webmap.deps.run_with_connection: on PostgreSQL a bounded page or a tile is read on the event
loop (the async engine, no worker thread); a larger page in a worker thread (the sync engine). Both
give the same answer. SpatiaLite has no async engine: every read in a worker thread."""

from __future__ import annotations

import asyncio
import threading

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from webmap.api_limits import BOUNDED_LIMIT
from webmap.app import create_app
from webmap.settings import Settings
from zmtest import BACKEND


def _where_statements_run(app) -> list[tuple[str, str]]:
    """(engine, "loop" | "thread") for every statement the app's read engines send from now on."""
    seen: list[tuple[str, str]] = []

    def on_loop() -> str:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return "thread"
        return "loop"

    engines = {"sync": app.state.engine}
    if app.state.async_engine is not None:
        engines["async"] = app.state.async_engine.sync_engine
    for name, engine in engines.items():
        sa.event.listen(engine, "before_cursor_execute", lambda *a, name=name, **k: seen.append((name, on_loop())))
    return seen


def test_bounded_pages_and_tiles_are_read_on_the_event_loop_on_postgresql(real_db):
    with TestClient(create_app(Settings(database_url=real_db))) as c:
        c.get("/api/plans")  # the data's fingerprint read once (SpatiaLite: on the loop, then a stat per request)
        seen = _where_statements_run(c.app)
        cases = {
            "small OGC page": (f"/ogc/collections/projects/items?limit={BOUNDED_LIMIT}", True),
            "small API page": ("/api/projects?limit=10&status=completed", True),
            "tile": ("/ogc/collections/projects/tiles/WebMercatorQuad/14/6266/13726", True),
            "large OGC page": (f"/ogc/collections/projects/items?limit={BOUNDED_LIMIT + 1}", False),
            "large API page": ("/api/projects?limit=1000", False),
        }
        for label, (path, bounded) in cases.items():
            seen.clear()
            r = c.get(path)
            assert r.status_code == 200, (label, r.text)
            assert r.content and seen, f"{label}: empty, or no statement seen"
            if BACKEND == "postgis" and bounded:
                assert set(seen) == {("async", "loop")}, (label, seen)
            else:
                assert set(seen) == {("sync", "thread")}, (label, seen)
        if BACKEND != "postgis":
            assert c.app.state.async_engine is None


def test_the_loop_and_the_thread_give_the_same_features(real_db):
    """The first BOUNDED_LIMIT features of a page one larger (read in a worker thread) are the
    bounded page's (read on the loop on PostgreSQL), in order and equal once parsed."""
    with TestClient(create_app(Settings(database_url=real_db))) as c:
        for base in ("/ogc/collections/projects/items?sortby=-status_year&limit=", "/api/projects?sort=name_zh&limit="):
            small = c.get(f"{base}{BOUNDED_LIMIT}").json()
            large = c.get(f"{base}{BOUNDED_LIMIT + 1}").json()
            assert len(small["features"]) == BOUNDED_LIMIT
            assert small["features"] == large["features"][:BOUNDED_LIMIT]
            assert small["numberMatched"] == large["numberMatched"]


@pytest.mark.skipif(BACKEND != "postgis", reason="the async engine and its pool: PostgreSQL only")
def test_the_loop_keeps_answering_while_threads_read(real_db):
    """Bounded reads on the loop and large pages in threads at once: every answer complete, and
    the async pool never lends more connections at once than configured (4 here, 12 clients)."""
    from concurrent.futures import ThreadPoolExecutor

    with TestClient(create_app(Settings(database_url=real_db, db_pool_size=4))) as c:
        lent = {"now": 0, "most": 0}

        def out(*_):
            lent["now"] += 1
            lent["most"] = max(lent["most"], lent["now"])

        def back(*_):
            lent["now"] -= 1

        sa.event.listen(c.app.state.async_engine.sync_engine, "checkout", out)
        sa.event.listen(c.app.state.async_engine.sync_engine, "checkin", back)
        paths = ["/ogc/collections/projects/items?limit=5", "/api/projects?limit=2000",
                 "/ogc/collections/projects/tiles/WebMercatorQuad/14/6266/13726", "/api/projects?limit=20&offset=7"] * 6
        lock = threading.Lock()
        with ThreadPoolExecutor(12) as pool:
            def get(path):
                r = c.get(path)
                with lock:
                    return path, r.status_code, len(r.content)
            results = list(pool.map(get, paths))
        assert all(code == 200 and size > 0 for _, code, size in results), [r for r in results if r[1] != 200 or not r[2]]
        assert 1 <= lent["most"] <= 4, lent

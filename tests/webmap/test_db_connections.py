"""Connections the server closed (a restart, an idle timeout): the service goes on answering.
PostgreSQL only: a SpatiaLite file has no server to close them."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from webmap.app import create_app
from webmap.settings import Settings
from zmtest import BACKEND

pytestmark = pytest.mark.skipif(BACKEND != "postgis", reason="connections closed by a database server: PostgreSQL only")


def _close_the_apps_connections(url: str) -> int:
    """What a server restart does to the app's pooled connections: each one closed from the server's side."""
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        closed = conn.execute(sa.text(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'")).scalar_one()
    admin.dispose()
    return closed


def _fill_the_pool(engine: sa.Engine, n: int = 4) -> None:
    """``n`` pooled connections, each used a moment ago (as under load)."""
    conns = [engine.connect() for _ in range(n)]
    for conn in conns:
        conn.execute(sa.text("SELECT 1"))
    for conn in conns:
        conn.close()


def test_a_request_after_the_server_closed_the_pool_is_answered(real_db):
    with TestClient(create_app(Settings(database_url=real_db))) as c:
        assert c.get("/api/projects", params={"limit": 3}).status_code == 200
        _fill_the_pool(c.app.state.engine)  # used moments ago: not pinged at checkout
        assert _close_the_apps_connections(real_db) >= 4
        hot = c.get("/api/projects", params={"limit": 6})  # fails on its dead connection, runs again on a new one
        assert hot.status_code == 200 and hot.json()["numberReturned"] == 6
        other = c.get("/api/districts")  # a sync route: the pool was renewed
        assert other.status_code == 200, other.text


def test_an_idle_connection_the_server_closed_is_replaced_at_checkout(real_db, monkeypatch):
    import geo.db

    monkeypatch.setattr(geo.db, "IDLE_PING_S", 0.0)  # every pooled connection counts as idle: pinged
    with TestClient(create_app(Settings(database_url=real_db))) as c:
        assert c.get("/api/zones").status_code == 200
        _fill_the_pool(c.app.state.engine)
        assert _close_the_apps_connections(real_db) >= 4
        r = c.get("/api/streets")  # a sync route (no retry of its own): the ping found the dead one
        assert r.status_code == 200, r.text

"""Reads from PostgreSQL streaming replicas (DATABASE_READ_URLS), writes to the primary."""

from __future__ import annotations

import subprocess

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from geo.db import make_read_engine, read_from_replica
from webmap.app import create_app
from webmap.settings import REPO_ROOT, Settings
from zmtest import BACKEND

postgis_only = pytest.mark.skipif(BACKEND != "postgis", reason="PostgreSQL replication: runs in the PostGIS pass")


def test_read_urls_are_a_comma_separated_list(monkeypatch):
    monkeypatch.setenv("DATABASE_READ_URLS", "postgresql+psycopg://a@127.0.0.1:1/x, postgresql+psycopg://b@127.0.0.1:2/x")
    assert Settings().database_read_urls == ["postgresql+psycopg://a@127.0.0.1:1/x", "postgresql+psycopg://b@127.0.0.1:2/x"]
    monkeypatch.delenv("DATABASE_READ_URLS")
    assert Settings().database_read_urls == []


def test_replicas_are_postgresql_only(tmp_path):
    with pytest.raises(ValueError, match="PostgreSQL"):
        make_read_engine(f"sqlite:///{tmp_path / 'a.sqlite'}", [f"sqlite:///{tmp_path / 'b.sqlite'}"])


@postgis_only
def test_a_replica_that_does_not_answer_falls_back_to_the_primary(real_db):
    dead = sa.make_url(real_db).set(port=1).render_as_string(hide_password=False)
    engine = make_read_engine(real_db, [dead])
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM projects")).scalar_one() > 0
        assert read_from_replica(conn) is False  # the primary answered
        assert conn.execute(sa.text("SELECT current_setting('jit')")).scalar_one() == "off"
    engine.dispose()
    with TestClient(create_app(Settings(database_url=real_db, database_read_urls=[dead]))) as client:
        health = client.get("/healthz").json()
        assert health["status"] == "ok" and health["replica"] is False
        assert client.app.state.write_engine is not client.app.state.engine
        # a bounded page, read on the event loop's async engine: the same fallback
        page = client.get("/ogc/collections/projects/items", params={"limit": 5})
        assert page.status_code == 200 and len(page.json()["features"]) == 5


@postgis_only
def test_replica_demo_reads_from_the_standby_and_sees_a_reload():
    """scripts/replica-demo.sh: a primary, a hot standby by pg_basebackup -R, pgbouncer, the app."""
    done = subprocess.run(["bash", "scripts/replica-demo.sh"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert '"replica":true' in done.stdout and "OK: reads served by the replica, the reload reached it" in done.stdout
    assert '"projects":295' in done.stdout and '"projects":795' in done.stdout

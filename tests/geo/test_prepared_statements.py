"""Prepared statements on PostgreSQL (geo.db.PG_CONNECT_ARGS): psycopg prepares a statement a
connection has run five times, and a prepared statement must follow a load's schema swap — the
same connection, after ``zonemap load`` put other data in place, reads the new data."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from geo.db import make_engine
from projects.dataset import read_dataset
from projects.store import write_dataset
from zmtest import BACKEND, MINI_DIR, MINI_SEEDS

pytestmark = pytest.mark.skipif(BACKEND != "postgis", reason="server-side prepared statements: PostgreSQL only")


def test_a_prepared_statement_reads_the_data_of_the_last_load(databases, real_dataset):
    url = databases.new_url()
    mini = read_dataset(MINI_DIR, MINI_SEEDS)
    write_dataset(url, mini)
    engine = make_engine(url, pool_size=1)
    query = sa.text("SELECT count(*), min(project_id) FROM project_texts WHERE project_id <> :none")
    try:
        with engine.connect() as conn:
            backend = conn.execute(sa.text("SELECT pg_backend_pid()")).scalar()
            for _ in range(6):
                before = conn.execute(query, {"none": ""}).one()
            prepared = conn.execute(sa.text("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%project_texts%'")).scalar()
        assert before[0] == len(mini.projects) and prepared == 1
        write_dataset(url, real_dataset)  # the swap: another schema takes the data schema's name
        with engine.connect() as conn:  # the pool's one connection, with its prepared statement
            assert conn.execute(sa.text("SELECT pg_backend_pid()")).scalar() == backend
            after = conn.execute(query, {"none": ""}).one()
        expected = min(p["id"] for p in real_dataset.projects)
        assert after == (len(real_dataset.projects), expected)
    finally:
        engine.dispose()

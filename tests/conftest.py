"""Test setup: a real SpatiaLite file or a real PostGIS, chosen per pytest process.

``scripts/test.sh`` (``make test``) runs the suite once per backend, in separate processes:
``ZONEMAP_TEST_BACKEND=spatialite`` (the default) or ``postgis`` with
``ZONEMAP_TEST_DATABASE_URL`` pointing at a throwaway PostGIS it started. GeoAlchemy2's SQLite
hooks must not meet PostGIS in one process, hence one backend per process. The tests mirror the
packages (``tests/geo``, ``tests/projects``, ``tests/webmap`` …, ``tests/data`` for the data folder);
shared helpers live in ``tests/_lib/zmtest.py``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from projects.dataset import read_dataset
from projects.store import write_dataset
from webmap.app import create_app
from webmap.settings import Settings
from zmtest import DATA_DIR, MINI_DIR, MINI_SEEDS, DatabaseFactory, seeds_dir, serve_app

# The suite starts hundreds of apps on shared databases: no background build of the map's feed at
# each start (tests/webmap/test_map_feed.py checks the warm-up itself).
os.environ.setdefault("ZONEMAP_WARM_UP", "0")


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    factory = DatabaseFactory(tmp_path_factory.mktemp("db"))
    yield factory
    factory.drop_all()


@pytest.fixture(scope="session")
def seeds() -> Path:
    return seeds_dir()


@pytest.fixture(scope="session")
def real_dataset(seeds):
    return read_dataset(DATA_DIR, seeds)


@pytest.fixture(scope="session")
def real_db(databases, real_dataset) -> str:
    """The product's own data/ loaded into a fresh database; returns its URL."""
    url = databases.new_url()
    write_dataset(url, read_dataset(DATA_DIR, seeds_dir()))
    return url


@pytest.fixture(scope="session")
def mini_db(databases) -> str:
    url = databases.new_url()
    write_dataset(url, read_dataset(MINI_DIR, MINI_SEEDS))
    return url


def _client(url: str) -> TestClient:
    return TestClient(create_app(Settings(database_url=url)), raise_server_exceptions=False)


@pytest.fixture(scope="session")
def client(real_db):
    with _client(real_db) as c:
        yield c


@pytest.fixture(scope="session")
def mini_client(mini_db):
    with _client(mini_db) as c:
        yield c


@pytest.fixture
def mini_copy(tmp_path) -> Path:
    """A writable copy of the mini data folder, for tests that break it on purpose."""
    dst = tmp_path / "data"
    shutil.copytree(MINI_DIR, dst, ignore=shutil.ignore_patterns("seeds"))
    return dst


@pytest.fixture(scope="session")
def server(real_db):
    """`zonemap serve` on the loaded product data, for the browser and QGIS client tests."""
    proc, base = serve_app(real_db)
    yield base
    proc.terminate()
    proc.wait(10)

"""webmap.deps.DataVersion on PostgreSQL: the fingerprint is answered from memory (no query, no
worker thread) until a load's swap notifies the change; then it is read again."""

from __future__ import annotations

import time

import pytest

from geo.db import make_engine
from projects.dataset import read_dataset
from projects.store import fingerprint, write_dataset
from webmap.deps import DataVersion
from zmtest import BACKEND, MINI_DIR, MINI_SEEDS

pytestmark = pytest.mark.skipif(BACKEND != "postgis", reason="LISTEN/NOTIFY: PostgreSQL only (SpatiaLite: the file's identity)")


def test_the_fingerprint_is_kept_until_a_load_notifies(databases, real_dataset):
    url = databases.new_url()
    mini = read_dataset(MINI_DIR, MINI_SEEDS)
    write_dataset(url, mini)
    engine = make_engine(url)
    version = DataVersion(engine)
    try:
        assert version.peek() is None  # nothing read yet
        assert version.get() == fingerprint(mini)
        assert version.peek() == fingerprint(mini)  # from memory
        write_dataset(url, real_dataset)  # its swap notifies
        deadline = time.monotonic() + 5
        while version.peek() is not None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert version.peek() is None  # the notification arrived: not answered from memory any more
        assert version.get() == fingerprint(real_dataset)
        assert version.peek() == fingerprint(real_dataset)
    finally:
        version.close()
        engine.dispose()

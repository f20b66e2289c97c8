"""Downloads built once per loaded dataset: the GeoPackage and the per-layer GeoJSON and CSV files.

A GeoPackage takes a GDAL child process and a second or two of CPU; eight clients asking for it
at once brought the whole service to 0.8 requests/s. Here each export is keyed by the data
fingerprint (a reload changes it) and the request's parameters; the first request builds it in
its worker thread — never on the event loop — while others asking for the same export wait for
that build instead of starting their own, and later ones get the stored bytes. The database
connection is released before the build, so a long build holds no reader lock (PostGIS reloads
swap between requests). The cache lives in each worker process; every worker checks the
fingerprint of the data it reads, so none serves an export of older data.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from fastapi import Request

# Per worker: a few exports × a few parameter sets; bytes, so bounded by count (~1–10 MB each).
MAX_ENTRIES = 24
# Builds running at once per worker (each may be a GDAL child process): the rest of the service
# keeps its CPU.
MAX_BUILDS = 1


class ExportCache:
    """Bytes per key, built at most once at a time per key (single flight)."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_builds: int = MAX_BUILDS):
        self.max_entries = max_entries
        self._done: OrderedDict[tuple, bytes] = OrderedDict()
        self._building: dict[tuple, threading.Event] = {}
        self._lock = threading.Lock()
        self._builds = threading.BoundedSemaphore(max_builds)
        self.builds = 0  # how many times something was built (for tests and benchmarks)

    def peek(self, key: tuple) -> bytes | None:
        with self._lock:
            data = self._done.get(key)
            if data is not None:
                self._done.move_to_end(key)
            return data

    def get(self, key: tuple, build: Callable[[], bytes]) -> bytes:
        """The bytes for ``key``: stored, or built now (by this thread or the one already at it)."""
        while True:
            with self._lock:
                if key in self._done:
                    self._done.move_to_end(key)
                    return self._done[key]
                waiting = self._building.get(key)
                if waiting is None:
                    waiting = self._building[key] = threading.Event()
                    break
            waiting.wait()  # another thread builds it; then look again (it may have failed)
        try:
            with self._builds:
                data = build()
            with self._lock:
                self.builds += 1
                # Exports of an older dataset will not be asked for again: keep the current one's.
                for old in [k for k in self._done if k[0] != key[0]]:
                    del self._done[old]
                self._done[key] = data
                while len(self._done) > self.max_entries:
                    self._done.popitem(last=False)
            return data
        finally:
            with self._lock:
                self._building.pop(key, None)
            waiting.set()


_create_lock = threading.Lock()


def cache_of(request: Request) -> ExportCache:
    """The worker's export cache (created on first use)."""
    state = request.app.state
    with _create_lock:
        if not isinstance(getattr(state, "exports", None), ExportCache):
            state.exports = ExportCache()
    return state.exports


def cached_export(request: Request, key: tuple, read: Callable[[sa.Connection], Any],
                  build: Callable[[Any], bytes]) -> bytes:
    """The export ``key`` (a name and the parameters it depends on) of the loaded data.

    ``read(conn)`` takes what the export needs from the database (fast); ``build(data)`` makes the
    bytes (slow, after the connection is returned). Both run only when the export is not stored.
    """
    cache = cache_of(request)
    with request.app.state.engine.connect() as conn:
        fingerprint = conn.execute(sa.text("SELECT fingerprint FROM dataset_info")).scalar()
        full = (fingerprint, *key)
        stored = cache.peek(full)
        if stored is not None:
            return stored
        data = read(conn)
    return cache.get(full, lambda: build(data))

"""Request dependencies: a database connection per request, and the loaded data's version."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from typing import Annotated, TypeVar

import sqlalchemy as sa
from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

T = TypeVar("T")


def get_conn(request: Request) -> Iterator[sa.Connection]:
    """A read connection from the app's engine, closed after the request."""
    with request.app.state.engine.connect() as conn:
        yield conn


ConnDep = Annotated[sa.Connection, Depends(get_conn)]

FINGERPRINT_KEY = "zonemap_fingerprint"  # the request state's copy (webmap.middleware.data_fingerprint)


async def run_with_connection(request: Request, work: Callable[[sa.Connection], T], *, bounded: bool = False) -> T:
    """``work(conn)`` on a read connection opened and closed around it, in one of two places:

    - in one worker thread (the default): the one thread hand-off of a hot route (an ``async def``
      route calling this), where a sync route with :data:`ConnDep` costs three (the connection's
      opening, the route, the closing);
    - ``bounded`` (the route knows its work is small: a page of at most
      :data:`webmap.api_limits.BOUNDED_LIMIT` features, a tile the database encodes) and on
      PostgreSQL: on the event loop itself, on the async engine (``geo.db.make_async_read_engine``,
      the same code run in a greenlet by SQLAlchemy): no thread hand-off, no worker thread woken
      and waited for, and the loop does other requests' work while the database answers. Unbounded
      work (a page of 10,000 features, an export) stays in threads, where the interpreter's switch
      interval keeps the loop answering the cheap requests meanwhile.

    A pooled connection found dead (closed by the server meanwhile: ``geo.db.IDLE_PING_S``) is
    replaced and the work runs once more. The loaded data's fingerprint, if neither the HTTP layer
    nor the work (:func:`note_fingerprint`) has read it, is read after (for the ETag:
    ``webmap.middleware.Conditional``)."""
    state = request.scope.setdefault("state", {})
    aengine = request.app.state.async_engine if bounded else None

    def run() -> T:
        for attempt in (1, 2):
            try:
                with request.app.state.engine.connect() as conn:
                    out = work(conn)
                break
            except sa.exc.DBAPIError as exc:
                # A pooled connection the server had closed (geo.db.IDLE_PING_S): SQLAlchemy has
                # discarded it and the pool's older ones; a read runs once more on a new one.
                if attempt == 2 or not exc.connection_invalidated:
                    raise
        if FINGERPRINT_KEY not in state:  # unless the HTTP layer or the work (note_fingerprint) read it
            state[FINGERPRINT_KEY] = request.app.state.data_version.get()
        return out

    if aengine is None:
        return await run_in_threadpool(run)
    for attempt in (1, 2):
        try:
            async with aengine.connect() as conn:
                out = await conn.run_sync(work)
            break
        except sa.exc.DBAPIError as exc:  # as in run()
            if attempt == 2 or not exc.connection_invalidated:
                raise
    if FINGERPRINT_KEY not in state:
        version = request.app.state.data_version
        fingerprint = version.peek()  # known without a query; else read in a worker thread
        state[FINGERPRINT_KEY] = fingerprint if fingerprint is not None else await run_in_threadpool(version.get)
    return out


def note_fingerprint(request: Request, fingerprint: str | None) -> None:
    """The loaded data's fingerprint as a route read it with its data (in the same statement or
    transaction), for the ETag; None: not read (then :func:`run_with_connection` reads it)."""
    if fingerprint is not None:
        request.scope.setdefault("state", {}).setdefault(FINGERPRINT_KEY, fingerprint)


class DataVersion:
    """The fingerprint of the loaded data (``dataset_info``, written by ``zonemap load``), read once
    per data version per process rather than once per request.

    SpatiaLite: ``load`` swaps in a new file, so the file's identity (inode, size, mtime) tells when
    to read it again — a ``stat`` per request. PostgreSQL: ``load`` notifies
    :data:`geo.db.DATA_CHANNEL` in the transaction of its schema swap, and the fingerprint is read
    on a connection kept for it (autocommit: no transaction held between requests, so a swap never
    waits for it) that LISTENs there: read again only after a notification, else answered from
    memory after a look at the socket (no round trip, no worker thread: :meth:`peek`). A hot
    standby cannot LISTEN (and a load reaches it by replication, not by a notification): there it
    is read per request, one row, one round trip. ``None`` while nothing is loaded.
    """

    def __init__(self, engine: sa.Engine):
        self.engine = engine
        url = engine.url
        self.path = url.database if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:") else None
        self._key: tuple | None = None
        self._value: str | None = None
        self._lock = threading.Lock()
        self._raw = None  # PostgreSQL: the connection the fingerprint is read on
        self._listening = False  # PostgreSQL: that connection LISTENs to the loads' notifications
        self._fresh = False  # PostgreSQL, listening: no notification since _value was read
        self._seen = False  # a notification arrived since the read began (psycopg's handler or the socket)

    def _file_key(self) -> tuple | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    def _read(self) -> str | None:
        try:
            with self.engine.connect() as conn:
                return conn.execute(sa.text("SELECT fingerprint FROM dataset_info")).scalar()
        except sa.exc.SQLAlchemyError:
            return None

    def _notified(self) -> bool:
        """Whether a load was notified since the last read (the socket's pending input, no round
        trip); a connection that broke counts as notified (it is replaced at the read)."""
        from psycopg import pq

        pgconn = self._raw.driver_connection.pgconn
        try:
            pgconn.consume_input()
        except Exception:  # noqa: BLE001 - the connection broke: read again on a new one
            return True
        while pgconn.notifies() is not None:
            self._seen = True
        return self._seen or pgconn.status != pq.ConnStatus.OK

    def peek(self) -> str | None:
        """The fingerprint if it is known without a query (PostgreSQL, listening, nothing notified
        since the last read), else None: for the event loop, which then calls :meth:`get` in a
        worker thread."""
        if self.path is not None or not self._listening or not self._lock.acquire(blocking=False):
            return None
        try:
            if self._raw is not None and self._fresh and not self._notified():
                return self._value
            self._fresh = False
            return None
        finally:
            self._lock.release()

    def _read_postgres(self) -> str | None:
        with self._lock:
            if self._listening and self._raw is not None and self._fresh and not self._notified():
                return self._value
            for _ in range(2):  # a connection lost since the last request: once more on a new one
                try:
                    if self._raw is None:
                        self._raw = self.engine.raw_connection()
                        self._raw.driver_connection.autocommit = True
                        self._listening = self._listen()
                    self._fresh = self._seen = False
                    with self._raw.driver_connection.cursor() as cur:
                        cur.execute("SELECT fingerprint FROM dataset_info")
                        row = cur.fetchone()
                    self._value = row[0] if row else None
                    # fresh once read after the LISTEN: a load committed since has been notified
                    self._fresh = self._listening and not self._notified()
                    return self._value
                except Exception as exc:  # noqa: BLE001 - any driver error: drop the connection
                    self.close()
                    if not isinstance(exc, self.engine.dialect.loaded_dbapi.Error):
                        raise
            return None

    def _listen(self) -> bool:
        """LISTEN on the kept connection; False where that cannot be (a hot standby)."""
        from geo.db import DATA_CHANNEL

        driver = self._raw.driver_connection
        try:
            driver.execute(f"LISTEN {DATA_CHANNEL}")
        except self.engine.dialect.loaded_dbapi.Error:
            return False
        # psycopg takes the notifications that arrive during its own queries off the socket: note them
        driver.add_notify_handler(self._note)
        return True

    def _note(self, notify) -> None:
        self._seen = True

    def close(self) -> None:
        """Give back the connection the fingerprint is read on (PostgreSQL)."""
        raw, self._raw = self._raw, None
        self._listening = self._fresh = False
        if raw is not None:
            try:
                raw.invalidate()
            except Exception:  # noqa: BLE001 - it is being thrown away
                pass

    def get(self) -> str | None:
        """The current fingerprint (None: not loaded or unreachable)."""
        if self.path is None:
            return self._read_postgres() if self.engine.dialect.name == "postgresql" else self._read()
        key = self._file_key()
        if key is None:
            return None
        with self._lock:
            if key != self._key:
                value = self._read()
                self._key, self._value = (key if value is not None else None), value
            return self._value

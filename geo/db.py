"""The database engine, and the few places where SpatiaLite and PostGIS differ.

zonemap runs on an embedded SpatiaLite file by default and on PostGIS when ``DATABASE_URL``
is a ``postgresql+psycopg://`` URL. Everything dialect-specific lives here so that the rest
of the code writes one query for both.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import sqlalchemy as sa
from geoalchemy2 import load_spatialite
from sqlalchemy import event
from sqlalchemy.orm import DeclarativeBase

SRID = 4326


class Base(DeclarativeBase):
    """Declarative base of every zonemap table."""


def stdlib_sqlite_loads_extensions() -> bool:
    """The standard ``sqlite3`` of some Python builds (e.g. pyenv's) cannot load SpatiaLite."""
    return hasattr(sqlite3.connect(":memory:"), "enable_load_extension")


def is_sqlite(url: str | sa.URL) -> bool:
    return sa.make_url(url).get_backend_name() == "sqlite"


def make_engine(url: str) -> sa.Engine:
    """Create an engine for ``url``: a SpatiaLite file or a PostGIS database.

    For SQLite URLs the SpatiaLite extension is loaded on every connection; if the standard
    ``sqlite3`` module cannot load extensions, ``pysqlite3`` (``pysqlite3-binary``) is used.
    """
    if not is_sqlite(url):
        return sa.create_engine(url, pool_pre_ping=True)
    os.environ.setdefault("SPATIALITE_LIBRARY_PATH", "mod_spatialite")
    path = sa.make_url(url).database
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    kwargs: dict = {}
    if not stdlib_sqlite_loads_extensions():
        try:
            import pysqlite3.dbapi2 as pysqlite  # type: ignore[import-not-found]
        except ImportError as exc:  # pragma: no cover - depends on the Python build
            raise RuntimeError(
                "This Python's sqlite3 cannot load extensions (needed for SpatiaLite). "
                "Use a Python that can (e.g. Debian's /usr/bin/python3) or "
                "pip install pysqlite3-binary."
            ) from exc
        kwargs["module"] = pysqlite
    engine = sa.create_engine(url, **kwargs)
    # transaction=True: InitSpatialMetaData in one transaction (0.1 s instead of ~18 s per file).
    event.listen(engine, "connect", lambda conn, rec: load_spatialite(conn, rec, transaction=True))
    # SQLite does not enforce foreign keys unless asked, per connection.
    event.listen(engine, "connect", lambda conn, rec: conn.execute("PRAGMA foreign_keys=ON"))
    if path and path != ":memory:":
        _reconnect_when_replaced(engine, Path(path))
    return engine


def _reconnect_when_replaced(engine: sa.Engine, path: Path) -> None:
    """`zonemap load` swaps in a new SpatiaLite file; pooled connections would keep reading the old
    one (an unlinked inode) until a restart. Each connection remembers the file it opened, and one
    checked out after a swap is discarded and reopened."""

    def inode() -> int | None:
        try:
            return path.stat().st_ino
        except FileNotFoundError:
            return None

    def on_connect(dbapi_conn, record):
        record.info["inode"] = inode()

    def on_checkout(dbapi_conn, record, proxy):
        if record.info.get("inode") != inode():
            raise sa.exc.DisconnectionError("the database file was replaced")

    event.listen(engine, "connect", on_connect)
    event.listen(engine, "checkout", on_checkout)


def spatial_candidates(engine_or_conn, table: str, column: str, frame_sql: str) -> str:
    """SQL condition restricting ``table`` rows to those whose index box meets ``frame_sql``.

    PostGIS uses its GiST index by itself once the query has ``ST_Intersects``/``ST_Contains``,
    so the condition is the ``&&`` box operator; SpatiaLite only uses its R*Tree when the query
    names the ``SpatialIndex`` virtual table, hence the sub-select.
    """
    if engine_or_conn.dialect.name == "sqlite":
        return (
            f"{table}.rowid IN (SELECT rowid FROM SpatialIndex WHERE f_table_name = '{table}'"
            f" AND f_geometry_column = '{column}' AND search_frame = {frame_sql})"
        )
    return f"{table}.{column} && {frame_sql}"


def envelope_sql(engine_or_conn, minx: str, miny: str, maxx: str, maxy: str) -> str:
    """SQL for a WGS84 rectangle from four bound parameter names (e.g. ``':minx'``)."""
    if engine_or_conn.dialect.name == "sqlite":
        return f"BuildMbr({minx}, {miny}, {maxx}, {maxy}, {SRID})"
    return f"ST_MakeEnvelope({minx}, {miny}, {maxx}, {maxy}, {SRID})"


def within_distance_sql(engine_or_conn, a: str, b: str, metres: str) -> str:
    """SQL condition: geometries ``a`` and ``b`` (WGS84) lie within ``metres`` of each other.

    SpatiaLite's ``PtDistWithin`` answers wrongly for lines (it held a point 870 m from a street
    "within 150 m"), so it measures the geodesic distance, ``ST_Distance(a, b, 1)``, instead.
    """
    if engine_or_conn.dialect.name == "sqlite":
        return f"ST_Distance({a}, {b}, 1) <= {metres}"
    return f"ST_DWithin({a}::geography, {b}::geography, {metres})"


def geom_from_wkt_sql(engine_or_conn, param: str) -> str:
    """SQL turning a WKT bound parameter into a WGS84 geometry."""
    if engine_or_conn.dialect.name == "sqlite":
        return f"GeomFromText({param}, {SRID})"
    return f"ST_GeomFromText({param}, {SRID})"


def predicate_sql(engine_or_conn, call: str) -> str:
    """A spatial predicate as a WHERE condition: SpatiaLite returns 1/0/-1, PostGIS a boolean."""
    if engine_or_conn.dialect.name == "sqlite":
        return f"{call} = 1"
    return call

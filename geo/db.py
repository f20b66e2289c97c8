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
from geoalchemy2 import Geography, load_spatialite
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
        # No JIT: spatial functions carry high cost estimates, so PostgreSQL JIT-compiles short
        # queries (a vector tile over 100,000 projects spent 1.9 s compiling for 0.1 s of work).
        return sa.create_engine(url, pool_pre_ping=True, connect_args={"options": "-c jit=off"})
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
    event.listen(engine, "connect", lambda conn, rec: register_sqlite_functions(conn))
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


# --- expressions for composed queries (CQL2 filters, extents, tiles) ---------------------------
# The functions above return SQL text for hand-written queries; these return SQLAlchemy
# expressions with bound parameters, for queries built from a parsed filter.

def is_postgis(engine_or_conn) -> bool:
    """True on PostGIS, False on SpatiaLite."""
    return engine_or_conn.dialect.name != "sqlite"


def register_sqlite_functions(dbapi_conn) -> None:
    """SQLite's ``lower()`` folds ASCII only; ``zm_lower`` is Python's ``str.lower`` (Unicode, like
    PostgreSQL's ``lower()`` in a UTF-8 database), so case-insensitive filters agree on both."""
    dbapi_conn.create_function("zm_lower", 1, lambda s: s.lower() if isinstance(s, str) else s, deterministic=True)


def lower_expr(engine_or_conn, expr):
    """Unicode lower case of a text expression, the same on both backends."""
    return sa.func.zm_lower(expr) if not is_postgis(engine_or_conn) else sa.func.lower(expr)


def like_glob(pattern: str, escape: str = "\\") -> str:
    """A SQL ``LIKE`` pattern (``%``, ``_``, ``escape``) as a SQLite ``GLOB`` pattern: GLOB is
    case-sensitive, as CQL2's LIKE is, where SQLite's LIKE folds ASCII case."""
    out, chars = [], iter(pattern)
    for ch in chars:
        if ch == escape:
            ch = next(chars, escape)
            out.append(f"[{ch}]" if ch in "*?[" else ch)
        elif ch == "%":
            out.append("*")
        elif ch == "_":
            out.append("?")
        elif ch in "*?[":
            out.append(f"[{ch}]")
        else:
            out.append(ch)
    return "".join(out)


def like_expr(engine_or_conn, expr, pattern: str):
    """Case-sensitive ``expr LIKE pattern`` (``%``, ``_``, backslash escapes) on both backends."""
    if not is_postgis(engine_or_conn):
        return expr.op("GLOB", is_comparison=True)(sa.bindparam(None, like_glob(pattern), type_=sa.Text))
    return expr.like(sa.bindparam(None, pattern, type_=sa.Text), escape="\\")


def geom_literal(engine_or_conn, wkt: str):
    """A WGS84 geometry from WKT, as a bound parameter."""
    fn = sa.func.GeomFromText if not is_postgis(engine_or_conn) else sa.func.ST_GeomFromText
    return fn(sa.bindparam(None, wkt, type_=sa.Text), SRID)


SPATIAL_PREDICATES = ("intersects", "within", "contains", "disjoint", "equals", "touches", "overlaps", "crosses")
"""OGC Simple Features predicates, the same names on both backends (``ST_Intersects`` …)."""


def spatial_predicate(engine_or_conn, name: str, a, b):
    """``ST_<name>(a, b)`` as a condition: SpatiaLite answers 1/0/-1, PostGIS a boolean."""
    if name not in SPATIAL_PREDICATES:
        raise ValueError(f"unknown spatial predicate {name!r}")
    if not is_postgis(engine_or_conn):
        return getattr(sa.func, f"ST_{name.capitalize()}")(a, b) == 1
    # bare, so that PostGIS's planner can use the GiST index for it
    return getattr(sa.func, f"ST_{name.capitalize()}")(a, b, type_=sa.Boolean)


def within_distance(engine_or_conn, a, b, metres: float):
    """``a`` and ``b`` (WGS84) lie within ``metres`` of each other, measured on the ellipsoid.

    As :func:`within_distance_sql`: SpatiaLite's ``PtDistWithin`` is wrong for lines, so the
    geodesic ``ST_Distance(a, b, 1)``; PostGIS ``ST_DWithin`` on geography (uses the index)."""
    d = sa.bindparam(None, float(metres), type_=sa.Float)
    if not is_postgis(engine_or_conn):
        return sa.func.ST_Distance(a, b, 1) <= d
    return sa.func.ST_DWithin(sa.cast(a, Geography), sa.cast(b, Geography), d)


def index_prefilter(engine_or_conn, table: str, column: str, envelope):
    """Rows of ``table`` whose ``column`` box meets ``envelope`` (a geometry expression), through the
    spatial index: PostGIS ``&&`` (GiST); SpatiaLite names its R*Tree in a sub-select."""
    if not is_postgis(engine_or_conn):
        frame = sa.func.BuildMbr(sa.func.MbrMinX(envelope), sa.func.MbrMinY(envelope),
                                 sa.func.MbrMaxX(envelope), sa.func.MbrMaxY(envelope), SRID)
        sub = (sa.select(sa.literal_column("rowid")).select_from(sa.table("SpatialIndex"))
               .where(sa.literal_column("f_table_name") == table, sa.literal_column("f_geometry_column") == column,
                      sa.literal_column("search_frame") == frame))
        return sa.literal_column(f"{table}.rowid").in_(sub)
    return sa.literal_column(f"{table}.{column}").op("&&")(envelope)


def envelope_expr(engine_or_conn, bbox: tuple[float, float, float, float]):
    """A WGS84 rectangle as a geometry expression with bound parameters."""
    vals = [sa.bindparam(None, float(v), type_=sa.Float) for v in bbox]
    if not is_postgis(engine_or_conn):
        return sa.func.BuildMbr(*vals, SRID)
    return sa.func.ST_MakeEnvelope(*vals, SRID)


def extent_columns(engine_or_conn, column) -> list:
    """``[minx, miny, maxx, maxy]`` aggregate expressions of a geometry column (NULL when empty)."""
    if not is_postgis(engine_or_conn):
        ext = sa.func.Extent(column)
        return [sa.func.MbrMinX(ext), sa.func.MbrMinY(ext), sa.func.MbrMaxX(ext), sa.func.MbrMaxY(ext)]
    ext = sa.func.ST_Extent(column)
    return [sa.func.ST_XMin(ext), sa.func.ST_YMin(ext), sa.func.ST_XMax(ext), sa.func.ST_YMax(ext)]


def sort_key(engine_or_conn, column, json_type: str):
    """A column as a sort key that orders the same on both backends: text by code point (SQLite's
    binary order; PostgreSQL's "C" collation, whatever the database's locale)."""
    if json_type == "string" and is_postgis(engine_or_conn):
        return column.collate("C")
    return column

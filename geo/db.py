"""The database engine, and the few places where SpatiaLite and PostGIS differ.

zonemap runs on an embedded SpatiaLite file by default and on PostGIS when ``DATABASE_URL``
is a ``postgresql+psycopg://`` URL. Everything dialect-specific lives here so that the rest
of the code writes one query for both.
"""

from __future__ import annotations

import itertools
import math
import os
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import sqlalchemy as sa
from geoalchemy2 import Geography, load_spatialite
from sqlalchemy import event
from sqlalchemy.orm import DeclarativeBase

SRID = 4326
METRIC_SRID = 32651  # UTM 51N, as geo.crs.METRIC_CRS (geo.crs imports nothing of the database)


class Base(DeclarativeBase):
    """Declarative base of every zonemap table."""


def stdlib_sqlite_loads_extensions() -> bool:
    """The standard ``sqlite3`` of some Python builds (e.g. pyenv's) cannot load SpatiaLite."""
    return hasattr(sqlite3.connect(":memory:"), "enable_load_extension")


def is_sqlite(url: str | sa.URL) -> bool:
    return sa.make_url(url).get_backend_name() == "sqlite"


# Prepared statements (psycopg prepares a statement the fifth time a connection runs it): a
# page's statement is then planned once per connection, not per request (0.3-0.8 ms of the
# server's CPU each). They follow a load's schema swap: renaming a schema resets every cached
# plan, and PostgreSQL analyses the statement again from its text on the current search path
# (tests/geo/test_prepared_statements.py checks it). No JIT: spatial functions carry high cost estimates,
# so PostgreSQL JIT-compiles short queries (a vector tile over 100,000 projects spent 1.9 s
# compiling for 0.1 s of work).
PG_CONNECT_ARGS = {"options": "-c jit=off"}


def make_engine(url: str, *, loader: bool = False, creator=None, pool_size: int | None = None) -> sa.Engine:
    """Create an engine for ``url``: a SpatiaLite file or a PostGIS database.

    For SQLite URLs the SpatiaLite extension is loaded on every connection; if the standard
    ``sqlite3`` module cannot load extensions, ``pysqlite3`` (``pysqlite3-binary``) is used.
    On PostGIS the tables live in the schema :data:`DATA_SCHEMA` (first on every connection's
    search path) and each transaction of a reader holds the swap lock shared, so that a reload
    (``loader=True``: the engine of ``zonemap load``) swaps the data between two requests.
    ``creator`` (PostgreSQL): makes the DBAPI connections (read replicas: :func:`make_read_engine`).
    ``pool_size``: connections kept open (the server's: its concurrent requests); SQLAlchemy's
    default (5) otherwise.
    """
    pool = {"pool_size": pool_size, "max_overflow": max(10, pool_size)} if pool_size else {}
    if not is_sqlite(url):
        return _postgis_engine(url, loader, creator, pool)
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
    engine = sa.create_engine(url, hide_parameters=True, **kwargs, **(pool if path and path != ":memory:" else {}))
    # transaction=True: InitSpatialMetaData in one transaction (0.1 s instead of ~18 s per file).
    event.listen(engine, "connect", lambda conn, rec: load_spatialite(conn, rec, transaction=True))
    # SQLite does not enforce foreign keys unless asked, per connection.
    event.listen(engine, "connect", lambda conn, rec: conn.execute("PRAGMA foreign_keys=ON"))
    event.listen(engine, "connect", lambda conn, rec: register_sqlite_functions(conn))
    if path and path != ":memory:":
        _reconnect_when_replaced(engine, Path(path))
    return engine


def make_read_engine(url: str, replica_urls: list[str] | tuple[str, ...] = (), pool_size: int | None = None) -> sa.Engine:
    """The engine the service reads through: ``url`` itself, or its streaming replicas.

    With replicas (PostgreSQL hot standbys of the primary at ``url``), each new pooled connection
    goes to the next replica in turn; a replica that refuses the connection is skipped for the
    next one, and the primary is the last resort, so reads go on while a standby restarts.
    Writes (``zonemap load``, edits) always use :func:`make_engine` on the primary.
    """
    if not replica_urls:
        return make_engine(url, pool_size=pool_size)
    _check_replicas(url, replica_urls)
    dialect = sa.create_engine(url).dialect
    next_order = _replica_order(dialect, url, replica_urls)

    def connect():
        order = next_order()
        for n, (cargs, cparams) in enumerate(order):
            try:
                return dialect.dbapi.connect(*cargs, **{**cparams, **PG_CONNECT_ARGS})
            except dialect.dbapi.OperationalError:
                if n == len(order) - 1:
                    raise
        raise AssertionError("unreachable")

    return make_engine(url, creator=connect, pool_size=pool_size)


def _check_replicas(url: str, replica_urls) -> None:
    if is_sqlite(url) or any(is_sqlite(u) for u in replica_urls):
        raise ValueError("read replicas are PostgreSQL streaming replicas: DATABASE_URL and DATABASE_READ_URLS must be PostgreSQL")


def _replica_order(dialect, url: str, replica_urls):
    """A function giving, at each call, the connection arguments to try in turn: the replicas
    starting from the next one (round robin), then the primary as the last resort."""
    targets = [dialect.create_connect_args(sa.make_url(u)) for u in replica_urls]
    primary = dialect.create_connect_args(sa.make_url(url))
    turn = itertools.cycle(range(len(targets)))
    lock = threading.Lock()

    def order():
        with lock:
            first = next(turn)
        return [targets[(first + i) % len(targets)] for i in range(len(targets))] + [primary]

    return order


def make_async_read_engine(url: str, replica_urls: list[str] | tuple[str, ...] = (), pool_size: int | None = None,
                           sibling: sa.Engine | None = None):
    """PostgreSQL: the engine of :func:`make_read_engine` for the event loop (SQLAlchemy's asyncio
    extension on psycopg's async connections), or None on SpatiaLite. The service runs a hot
    route's bounded work on it (``webmap.deps.run_with_connection``): the same sync code, run by
    ``AsyncConnection.run_sync`` in a greenlet on the loop, with no worker thread per request. Same
    search path, swap lock, idle ping and replicas as the sync engine; a pool of ``pool_size``
    connections and no overflow (a request beyond them waits for one: each holds it briefly).
    ``sibling``: the sync engine reading the same database; a connection found closed by the
    server on either renews both pools (a restart closed them all)."""
    if is_sqlite(url):
        return None
    from sqlalchemy.ext.asyncio import create_async_engine

    extra: dict = {"pool_size": pool_size or 5, "max_overflow": 0}
    if replica_urls:
        _check_replicas(url, replica_urls)
        import psycopg

        dialect = sa.create_engine(url).dialect
        next_order = _replica_order(dialect, url, replica_urls)

        async def connect():
            order = next_order()
            for n, (cargs, cparams) in enumerate(order):
                try:
                    return await psycopg.AsyncConnection.connect(*cargs, **{**cparams, **PG_CONNECT_ARGS})
                except psycopg.OperationalError:
                    if n == len(order) - 1:
                        raise
            raise AssertionError("unreachable")

        extra["async_creator"] = connect
    aengine = create_async_engine(url, hide_parameters=True, connect_args=dict(PG_CONNECT_ARGS), **extra)
    _reader_events(aengine.sync_engine, loader=False)
    if sibling is not None:
        aengine.sync_engine.zonemap_siblings = sibling.zonemap_siblings = [aengine.sync_engine, sibling]
    return aengine


def read_from_replica(conn: sa.Connection) -> bool:
    """True when ``conn`` reads from a standby (PostgreSQL in recovery), False on a primary or SpatiaLite."""
    if not is_postgis(conn):
        return False
    return bool(conn.execute(sa.text("SELECT pg_is_in_recovery()")).scalar())


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


def index_join_sql(engine_or_conn, polygons: str, points: str, column: str = "geom") -> str:
    """A FROM clause joining each row of ``polygons`` to the rows of ``points`` whose index box
    meets its box, polygon by polygon (the few polygons outside, the many points inside: one index
    probe per polygon, and the same polygon in consecutive predicate calls, which GEOS's prepared
    geometry cache in SpatiaLite and PostGIS then reuses).

    SpatiaLite: the points' R*Tree through its ``SpatialIndex`` table, probed with each polygon (6×
    faster at 100,000 points than probing the polygons' tree once per point); PostGIS: the ``&&``
    box operator, which the planner answers from the GiST index. Follow with the exact predicate.
    """
    if engine_or_conn.dialect.name == "sqlite":
        return (f"{polygons} JOIN {points} ON {points}.rowid IN (SELECT rowid FROM SpatialIndex"
                f" WHERE f_table_name = '{points}' AND f_geometry_column = '{column}' AND search_frame = {polygons}.{column})")
    return f"{polygons} JOIN {points} ON {polygons}.{column} && {points}.{column}"


def analyze_tables(conn: sa.Connection, *tables: str) -> None:
    """Gather the planner's statistics of ``tables`` (``"name"`` or ``"name (column, …)"``) after a bulk
    load, before the queries that need a good plan. PostgreSQL samples each table; SQLite's
    planner does well without them."""
    if is_postgis(conn):
        conn.execute(sa.text(f"ANALYZE {', '.join(tables)}"))


class BrokenForeignKeys(RuntimeError):
    """Rows written with per-row checks off whose foreign keys point nowhere (found by the one check after)."""


@contextmanager
def foreign_keys_off(engine: sa.Engine):
    """A connection (no transaction begun) on which SQLite does not check foreign keys row by row,
    for a bulk derive that checks them once, after, with :func:`foreign_keys_checked_after`; the
    enforcement is back on before the connection returns to the pool. SQLite only takes the
    pragma outside a transaction, so it is set here, before the caller's ``begin()``, and read
    back (an open transaction would ignore it silently). PostGIS: a plain connection (there
    :func:`foreign_keys_checked_after` drops and re-adds the constraints instead)."""
    with engine.connect() as conn:
        lite = not is_postgis(conn)
        if lite:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            off = conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 0
            conn.commit()
            if not off:
                raise RuntimeError("SQLite did not turn the per-row foreign key checks off")
        try:
            yield conn
        finally:
            if lite:
                conn.rollback()
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()


def row_triggers_skipped(conn: sa.Connection) -> bool:
    """PostgreSQL: stop row triggers — the foreign-key checks among them — for the rest of ``conn``'s
    transaction (``session_replication_role = replica``, transaction-local) and return True; only
    a superuser, or a role granted SET on that parameter, may: otherwise return False with the
    transaction as it was (the attempt runs in a savepoint). SQLite: False."""
    if not is_postgis(conn):
        return False
    savepoint = conn.begin_nested()
    try:
        conn.execute(sa.text("SELECT set_config('session_replication_role', 'replica', true)"))
    except sa.exc.DBAPIError:
        savepoint.rollback()
        return False
    savepoint.commit()
    return True


@contextmanager
def foreign_keys_checked_after(conn: sa.Connection, table: str, *, by_construction: bool = False):
    """Insert many rows into ``table`` with its foreign keys checked once, after, rather than row by
    row. PostgreSQL: the table's foreign-key constraints are dropped inside the caller's
    transaction and added back at the end, which validates every row in one join (at 100,000
    rows, two thirds of a join's time went to per-row checks); anything failing rolls back with
    the transaction. SpatiaLite: on a connection from :func:`foreign_keys_off` (the loader's),
    one ``PRAGMA foreign_key_check(table)`` after the inserts, raising :class:`BrokenForeignKeys`
    if it reports anything (the caller rolls back); with the checks on, each row is checked as
    it is written and nothing changes here.

    ``by_construction=True``: the caller writes only keys it selects, in the same transaction,
    from the parent tables themselves (or from columns whose own foreign keys were checked as
    they were written), so no row can point nowhere. PostgreSQL then skips the checks where it
    may (:func:`row_triggers_skipped`: the constraints stay as they were, validated; ~10 % of the
    join at 1,000,000 projects) and validates once after where it may not; SpatiaLite as above."""
    role = conn.execute(sa.text("SELECT current_setting('session_replication_role')")).scalar_one() \
        if by_construction and is_postgis(conn) else None
    if by_construction and row_triggers_skipped(conn):
        yield
        conn.execute(sa.text("SELECT set_config('session_replication_role', :r, true)"), {"r": role})
        return
    if not is_postgis(conn):
        checked = conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 0
        yield
        if checked:
            broken = conn.exec_driver_sql(f"PRAGMA foreign_key_check({table})").all()
            if broken:
                first = broken[0]  # (table, rowid, parent table, foreign key index)
                raise BrokenForeignKeys(f"{table}: {len(broken)} row(s) refer to rows that do not exist "
                                        f"(the first, rowid {first[1]}, to a missing row of {first[2]})")
        return
    rows = conn.execute(sa.text("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                                "WHERE conrelid = to_regclass(:t) AND contype = 'f' ORDER BY conname"), {"t": table}).all()
    for name, _ in rows:
        conn.execute(sa.text(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))
    yield
    for name, definition in rows:
        conn.execute(sa.text(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'))


@contextmanager
def indexes_built_after(conn: sa.Connection, table: sa.Table):
    """Fill ``table`` with its secondary indexes (the metadata's ``Index`` objects, not the primary
    key) dropped inside the caller's transaction and built once after, from sorted data, instead
    of maintained row by row (SpatiaLite: 0.15 s of a 1.7 s join at 100,000 projects; PostgreSQL:
    ~1 s of CPU at 1,000,000 projects). The drop takes the table's exclusive lock until the
    transaction ends: for tables a load builds, which no reader sees yet."""
    indexes = sorted(table.indexes, key=lambda i: i.name)
    for index in indexes:
        index.drop(conn)
    yield
    for index in indexes:
        index.create(conn)


# Memory for one bulk statement of a load (sorts, hash joins and aggregates over every project; the
# indexes built after): PostgreSQL's defaults (work_mem 4 MB) make the 1,000,000-project join
# spill its sort and hash to disk. Transaction-local; never lowers what the server already has.
BULK_WORK_MEM_MB = 256
BULK_MAINTENANCE_WORK_MEM_MB = 512


@contextmanager
def bulk_memory(conn: sa.Connection):
    """Run the enclosed statements of ``conn``'s transaction with the memory of a bulk load
    (:data:`BULK_WORK_MEM_MB` for sorts and hashes, :data:`BULK_MAINTENANCE_WORK_MEM_MB` for index
    builds and foreign-key validation), then put the previous values back. PostgreSQL only:
    SQLite's sorts use its page cache and temp store as they are."""
    if not is_postgis(conn):
        yield
        return
    wanted = {"work_mem": BULK_WORK_MEM_MB, "maintenance_work_mem": BULK_MAINTENANCE_WORK_MEM_MB}
    before = {}
    for name, mb in wanted.items():
        before[name], have = conn.execute(sa.text("SELECT current_setting(:n), pg_size_bytes(current_setting(:n))"),
                                          {"n": name}).one()
        if have < mb * 1024 * 1024:
            conn.execute(sa.text("SELECT set_config(:n, :v, true)"), {"n": name, "v": f"{mb}MB"})
    try:
        yield
    finally:
        for name, value in before.items():
            conn.execute(sa.text("SELECT set_config(:n, :v, true)"), {"n": name, "v": value})


def fast_full_join(engine_or_conn) -> bool:
    """Whether a ``FULL JOIN`` of two large row sets is cheap: PostgreSQL hashes or merges it;
    SQLite (3.39+) runs it as a nested loop over the other side's materialised rows, quadratic
    (850 s for 180,000 × 38,000 rows), so callers write it as an insert and an upsert there."""
    return engine_or_conn.dialect.name != "sqlite"


def bulk_insert(conn: sa.Connection, table: sa.Table, rows: list[dict]) -> None:
    """Insert ``rows`` (dicts by column name; geometries as shapely objects in WGS84, JSON columns
    as Python values) the fast way each database offers, for the loads of large tables.

    PostgreSQL: ``COPY … FROM STDIN``, geometries as hex EWKB (the geometry type's own text input,
    so no function call per row). SpatiaLite: one prepared ``INSERT`` run by the driver over plain
    tuples, geometries as WKB through ``GeomFromWKB``. Either way the stored values are the ones a
    plain ``table.insert()`` stores (JSON as SQLAlchemy serialises it, numbers and text as given).
    """
    import json

    import shapely
    from geoalchemy2 import Geometry

    if not rows:
        return
    cols = list(table.columns)
    names = [c.name for c in cols]
    geometry = [isinstance(c.type, Geometry) for c in cols]
    as_json = [isinstance(c.type, sa.JSON) for c in cols]
    pg = is_postgis(conn)
    columns = {}
    for i, name in enumerate(names):
        values = [r.get(name) for r in rows]
        if geometry[i]:
            present = [j for j, v in enumerate(values) if v is not None]
            if present:
                geoms = shapely.force_2d(shapely.set_srid(np.asarray([values[j] for j in present], dtype=object), SRID)) if pg \
                    else shapely.force_2d(np.asarray([values[j] for j in present], dtype=object))
                encoded = shapely.to_wkb(geoms, hex=pg, include_srid=pg, byte_order=1)
                for j, e in zip(present, encoded):
                    values[j] = e
        elif as_json[i]:  # as SQLAlchemy's JSON type writes it (None as JSON null unless none_as_null)
            keep_null = cols[i].type.none_as_null
            values = [None if v is None and keep_null else json.dumps(v) for v in values]
        columns[name] = values
    tuples = list(zip(*(columns[n] for n in names)))
    dbapi = conn.connection.dbapi_connection
    if pg:
        quoted = ", ".join(f'"{n}"' for n in names)
        with dbapi.cursor() as cur, cur.copy(f'COPY {table.name} ({quoted}) FROM STDIN') as copy:
            for t in tuples:
                copy.write_row(t)
        return
    marks = ", ".join(f"GeomFromWKB(?, {SRID})" if g else "?" for g in geometry)
    cur = dbapi.cursor()
    try:
        cur.executemany(f'INSERT INTO {table.name} ({", ".join(names)}) VALUES ({marks})', tuples)
    finally:
        cur.close()


def in_list_sql(engine_or_conn, column: str, param: str) -> str:
    """Condition: ``column`` is one of the values of the list bound as ``param`` (see
    :func:`list_param`) — one parameter however long the list, so nothing is compiled per value."""
    if engine_or_conn.dialect.name == "sqlite":
        return f"{column} IN (SELECT value FROM json_each({param}))"
    return f"{column} = ANY(CAST({param} AS text[]))"


def list_param(engine_or_conn, values: list[str]):
    """A list of text values as one bound parameter for :func:`in_list_sql`."""
    if engine_or_conn.dialect.name == "sqlite":
        import json

        return json.dumps(list(values), ensure_ascii=False)
    return list(values)


def json_array_sql(engine_or_conn, value: str, from_where: str, order: str) -> str:
    """A scalar sub-select: the JSON array of ``value`` over the rows of ``from_where``, in ``order``
    (``[]`` when there are none); ``value`` may be a :func:`json_object_sql`. SQLite aggregates an
    ordered sub-select (``json_group_array`` keeps the rows' order; ``json()`` keeps an object an
    object through it), PostgreSQL ``json_agg … ORDER BY``. Read the result with :func:`json_value`."""
    if engine_or_conn.dialect.name == "sqlite":
        item = "json(v)" if value.startswith("json_object(") else "v"
        return f"(SELECT json_group_array({item}) FROM (SELECT {value} AS v FROM {from_where} ORDER BY {order}))"
    # As text: orjson reads it faster than the driver's own JSON loader would.
    return f"(SELECT coalesce(json_agg({value} ORDER BY {order}), '[]'::json)::text FROM {from_where})"


def json_object_sql(engine_or_conn, **fields: str) -> str:
    """A JSON object of SQL expressions, keys in the given order."""
    pairs = ", ".join(f"'{k}', {v}" for k, v in fields.items())
    if engine_or_conn.dialect.name == "sqlite":
        return f"json_object({pairs})"
    return f"json_build_object({pairs})"


def json_value(value):
    """A JSON value read back from :func:`json_array_sql`: PostgreSQL's driver parses it, SQLite
    gives its text."""
    if isinstance(value, (str, bytes)):
        import orjson

        return orjson.loads(value)
    return value


# --- JSON text written by the database (the feature texts of a load: projects.features.write_feature_texts) -
# Each gives SQL for a piece of JSON *text*, never NULL, so pieces concatenate with ``||``, written
# as orjson writes JSON (``sep=","``) or as Python's ``json.dumps(value, ensure_ascii=False)``
# does (``sep=", "``: the flat OGC properties carry exactly that text as a string).

def json_string_sql(engine_or_conn, expr: str) -> str:
    """A text expression as a JSON string (``null`` when NULL), escaped as JSON requires."""
    if engine_or_conn.dialect.name == "sqlite":
        return f"json_quote({expr})"  # json_quote(NULL) is 'null'
    return f"coalesce(to_json(CAST({expr} AS text))::text, 'null')"


def json_int_sql(engine_or_conn, expr: str) -> str:
    """An integer expression as a JSON number (``null`` when NULL)."""
    return f"coalesce(CAST({expr} AS {'TEXT' if engine_or_conn.dialect.name == 'sqlite' else 'text'}), 'null')"


def json_float_sql(engine_or_conn, expr: str) -> str:
    """A floating-point column as Python writes a float (``50.0``, ``12.5``; ``null`` when NULL):
    PostgreSQL writes the shortest exact digits, as Python does, but whole numbers without ``.0``;
    SQLite writes 15 significant digits, kept when they read back exactly, else 17."""
    if engine_or_conn.dialect.name == "sqlite":
        return (f"(CASE WHEN {expr} IS NULL THEN 'null' WHEN CAST(CAST({expr} AS TEXT) AS REAL) = {expr} THEN CAST({expr} AS TEXT)"
                f" ELSE printf('%!.17g', {expr}) END)")
    return (f"(CASE WHEN {expr} IS NULL THEN 'null' WHEN {expr} = trunc({expr}) AND abs({expr}) < 1e15"
            f" THEN CAST(CAST({expr} AS bigint) AS text) || '.0' ELSE CAST({expr} AS text) END)")


def json_text_list_sql(engine_or_conn, item: str, from_where: str, order: str, sep: str = ",") -> str:
    """A scalar sub-select: the JSON array text of the JSON texts ``item`` over the rows of
    ``from_where`` in ``order`` (``[]`` when there are none)."""
    if engine_or_conn.dialect.name == "sqlite":  # group_concat keeps the ordered sub-select's order
        return f"(SELECT coalesce('[' || group_concat(v, '{sep}') || ']', '[]') FROM (SELECT {item} AS v FROM {from_where} ORDER BY {order}))"
    return f"(SELECT coalesce('[' || string_agg({item}, '{sep}' ORDER BY {order}) || ']', '[]') FROM {from_where})"


def json_string_array_sql(engine_or_conn, column: str, sep: str = ",") -> str:
    """A JSON column holding an array of strings, as array text (``[]`` for NULL or JSON null),
    each string written anew (SQLite stores ``\\u`` escapes; PostgreSQL's ``json`` keeps the text
    as it was written)."""
    if engine_or_conn.dialect.name == "sqlite":
        return (f"(CASE WHEN json_type({column}) = 'array' THEN (SELECT coalesce('[' || group_concat(json_quote(value), '{sep}')"
                f" || ']', '[]') FROM json_each({column})) ELSE '[]' END)")
    return (f"(SELECT coalesce('[' || string_agg(to_json(a.v)::text, '{sep}' ORDER BY a.n) || ']', '[]') FROM"
            f" json_array_elements_text(CASE WHEN json_typeof({column}) = 'array' THEN {column} END) WITH ORDINALITY AS a(v, n))")


def geojson_geometry_sql(engine_or_conn, column: str, precision: int = 6) -> str:
    """A geometry column as GeoJSON geometry text (``null`` when NULL), coordinates rounded to
    ``precision`` decimals by the database (correctly rounded on both, trailing zeros dropped)."""
    fn = "AsGeoJSON" if engine_or_conn.dialect.name == "sqlite" else "ST_AsGeoJSON"
    return f"coalesce({fn}({column}, {precision}), 'null')"


def date_year_sql(engine_or_conn, expr: str) -> str:
    """The year of a date column (SQLite stores dates as ISO text)."""
    if engine_or_conn.dialect.name == "sqlite":
        return f"CAST(substr({expr}, 1, 4) AS INTEGER)"
    return f"CAST(EXTRACT(YEAR FROM {expr}) AS integer)"


def all_digits_sql(engine_or_conn, expr: str) -> str:
    """Condition: a text expression is non-empty and only ASCII digits."""
    if engine_or_conn.dialect.name == "sqlite":
        return f"({expr} <> '' AND {expr} NOT GLOB '*[^0-9]*')"
    return f"({expr} ~ '^[0-9]+$')"


def envelope_sql(engine_or_conn, minx: str, miny: str, maxx: str, maxy: str) -> str:
    """SQL for a WGS84 rectangle from four bound parameter names (e.g. ``':minx'``)."""
    if engine_or_conn.dialect.name == "sqlite":
        return f"BuildMbr({minx}, {miny}, {maxx}, {maxy}, {SRID})"
    return f"ST_MakeEnvelope({minx}, {miny}, {maxx}, {maxy}, {SRID})"


def within_distance_sql(engine_or_conn, a: str, b: str, metres: str) -> str:
    """SQL condition: geometries ``a`` and ``b`` (WGS84) lie within ``metres`` of each other.

    PostGIS measures on the spheroid (geography). SpatiaLite's ``PtDistWithin`` answers wrongly for
    lines (it held a point 870 m from a street "within 150 m"), and its ellipsoidal
    ``ST_Distance(a, b, 1)`` measures to the nearest point found in degrees, 3 % long for a diagonal
    street; so it measures in the metric CRS (UTM 51N: scale error < 0.03 % over Dalian).
    """
    if engine_or_conn.dialect.name == "sqlite":
        return f"ST_Distance(ST_Transform({a}, {METRIC_SRID}), ST_Transform({b}, {METRIC_SRID})) <= {metres}"
    return f"ST_DWithin({a}::geography, {b}::geography, {metres})"


def near_box_sql(engine_or_conn, point: str, geom: str, metres: float) -> str:
    """SQL condition, cheap: the point ``point`` lies in the bounding box of ``geom`` grown by at least
    ``metres`` (WGS84, Dalian's latitudes: a degree of latitude ≥ 110.5 km, of longitude ≥ 84 km up to
    41° N). A prefilter before an exact distance test; never drops a pair within ``metres``."""
    dlat, dlon = metres / 110_500, metres / 84_000
    xmin, xmax, ymin, ymax = (("ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY") if engine_or_conn.dialect.name == "sqlite"
                              else ("ST_XMin", "ST_XMax", "ST_YMin", "ST_YMax"))
    return (f"ST_X({point}) BETWEEN {xmin}({geom}) - {dlon:.6f} AND {xmax}({geom}) + {dlon:.6f}"
            f" AND ST_Y({point}) BETWEEN {ymin}({geom}) - {dlat:.6f} AND {ymax}({geom}) + {dlat:.6f}")


def circle_bbox(lon: float, lat: float, metres: float) -> tuple[float, float, float, float] | None:
    """A WGS84 box holding every point within ``metres`` of (lon, lat) on the WGS84 ellipsoid, for a
    spatial index prefilter before an exact distance test (which neither backend's index serves:
    PostGIS's geography distance ignores the geometry index, SpatiaLite measures in another CRS).
    Conservative: a degree of latitude is ≥ 110,574 m, a degree of longitude ≥ 111,319 m × cos φ at
    the box's latitude farthest from the equator. None when the box would reach a pole or cross
    the antimeridian (no prefilter then)."""
    dlat = metres / 110_500
    far = abs(lat) + dlat
    if far >= 89.9:
        return None
    dlon = metres / (111_319 * math.cos(math.radians(far))) * 1.001
    box = (lon - dlon, lat - dlat, lon + dlon, lat + dlat)
    return None if box[0] < -180 or box[2] > 180 else box


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


# --- PostGIS: the data lives in one schema that `zonemap load` replaces whole -------------------
# The loader builds the new data in a schema of its own, verifies it, then renames it to
# DATA_SCHEMA in a short transaction. Every reader transaction holds SWAP_LOCK_KEY shared; the swap
# takes it exclusively for the instant of the rename: a request sees the old data or the new,
# never a mix, and never a lock on a table (no deadlock with readers).
DATA_SCHEMA = "zonemap"
SWAP_LOCK_KEY = 0x7A6F6E656D6170  # "zonemap" in ASCII
DATA_CHANNEL = "zonemap_data"  # NOTIFY'd by the swap's transaction: the services read the fingerprint again


def _postgis_engine(url: str, loader: bool, creator=None, pool: dict | None = None) -> sa.Engine:
    extra = {"creator": creator} if creator is not None else {}
    extra.update(pool or {})
    engine = sa.create_engine(url, hide_parameters=True, connect_args=dict(PG_CONNECT_ARGS), **extra)
    _reader_events(engine, loader)
    return engine


def _reader_events(engine: sa.Engine, loader: bool) -> None:
    """Every PostgreSQL engine's connection set-up (the data schema on the search path, the idle
    ping) and, but for the loader's, each transaction's swap lock — on a sync engine and on the
    sync face of an async one (:func:`make_async_read_engine`) alike."""
    _ping_when_idle(engine)

    def on_connect(dbapi_conn, record):
        # The data schema first, then whatever the database's search path was (PostGIS's
        # functions and types live there, usually in public).
        with dbapi_conn.cursor() as cur:
            cur.execute("SHOW search_path")
            base = cur.fetchone()[0]
            record.info["base_search_path"] = base
            cur.execute("SELECT set_config('search_path', %s, false)", (f"{DATA_SCHEMA}, {base}",))
        dbapi_conn.commit()

    event.listen(engine, "connect", on_connect)
    if loader:
        return
    # The transaction's BEGIN and the readers' swap lock as one simple query, sent by libpq itself
    # (psycopg then sees a transaction open and sends no BEGIN of its own; the ROLLBACK or COMMIT at
    # the end is its own as before): one round trip and ~60 µs of client CPU, where a psycopg
    # pipeline took ~140 µs for the same two statements. The way to send it is chosen once per
    # engine: on an async engine's connections the answer is awaited without blocking the loop.
    from psycopg import OperationalError, generators, pq
    from sqlalchemy.util import await_only

    lock = b"BEGIN; SELECT pg_advisory_xact_lock_shared(%d)" % SWAP_LOCK_KEY

    def send_blocking(driver):
        return driver.pgconn.exec_(lock)

    def send_awaited(driver):
        driver.pgconn.send_query(lock)
        results = await_only(driver.wait(generators.execute(driver.pgconn)))
        return results[-1] if results else None

    send = send_awaited if engine.dialect.is_async else send_blocking

    def on_begin(conn):
        if conn.connection.dbapi_connection.autocommit:  # no transaction to hold the lock: each statement stands alone
            return
        driver = conn.connection.driver_connection
        try:
            result, failure = send(driver), None
        except OperationalError as exc:  # the socket is gone
            result, failure = None, exc
        if result is None or result.status != pq.ExecStatus.TUPLES_OK:
            message = failure or (result.error_message.decode(errors="replace") if result is not None else "no answer")
            error = OperationalError(f"could not begin a read: {message}")
            dead = driver.pgconn.status != pq.ConnStatus.OK
            if dead:  # the server closed it (a restart): so it did the pool's others, and its siblings'
                conn.invalidate(error)
                for engine_ in getattr(conn.engine, "zonemap_siblings", [conn.engine]):
                    engine_.dispose(close=False)
            raise sa.exc.OperationalError("BEGIN", None, error, connection_invalidated=dead)

    event.listen(engine, "begin", on_begin)


# A pooled connection unused for this long is checked (one round trip) before it is handed out:
# the server may have closed it meanwhile (a restart, an idle timeout of the server or of a proxy).
# One in use moments ago is not — a ping on every checkout was a fifth round trip per request — and
# if it broke since, the statement fails, SQLAlchemy discards every pooled connection made before
# and the hot routes run once more on a new one (webmap.deps.run_with_connection).
IDLE_PING_S = 5.0


def _ping_when_idle(engine: sa.Engine) -> None:
    def on_checkin(dbapi_conn, record):
        if record is not None:
            record.info["zonemap_idle_since"] = time.monotonic()

    def on_checkout(dbapi_conn, record, proxy):
        since = record.info.get("zonemap_idle_since")
        if since is None or time.monotonic() - since < IDLE_PING_S:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_conn)
        except engine.dialect.loaded_dbapi.Error:
            alive = False
        if not alive:
            raise sa.exc.DisconnectionError("a pooled connection was closed by the server")  # the pool reconnects

    event.listen(engine, "checkin", on_checkin)
    event.listen(engine, "checkout", on_checkout)


def use_schema(conn: sa.Connection, schema: str) -> None:
    """For the rest of ``conn``'s transaction, unqualified table names mean ``schema`` (PostGIS)."""
    base = conn.connection.info.get("base_search_path", "public")
    conn.execute(sa.text("SELECT set_config('search_path', :p, true)"), {"p": f"{schema}, {base}"})


# --- Writing geometry, and verifying the spatial structure of a new database ------------------
# Geometries go in as WKB: SpatiaLite's WKT parser is quadratic and gives up (NULL) between 400k
# and 500k vertices; WKB is read in linear time on both databases.

def geom_from_wkb(engine_or_conn, param) -> sa.ColumnElement:
    """SQL turning a WKB bound parameter into a WGS84 geometry."""
    if engine_or_conn.dialect.name == "sqlite":
        return sa.func.GeomFromWKB(param, SRID)
    return sa.func.ST_GeomFromWKB(param, SRID)


def geom_as_wkb(column) -> sa.ColumnElement:
    """SQL giving a geometry column as WKB bytes (the same function name on both databases)."""
    return sa.func.ST_AsBinary(column, type_=sa.LargeBinary)


def add_spatialite_geometry(conn: sa.Connection, table: str, column: str, geometry_type: str, indexed: bool) -> None:
    """Register a (BLOB) column as a SpatiaLite geometry column, with its R*Tree when ``indexed``.

    SpatiaLite reports failures of these functions by printing and returning 0, not by raising
    (a full disk gave a database without metadata or indexes): the return values are checked.
    """
    ok = conn.execute(sa.text("SELECT RecoverGeometryColumn(:t, :c, :srid, :gt, 'XY')"),
                      {"t": table, "c": column, "srid": SRID, "gt": geometry_type}).scalar()
    if ok != 1:
        raise RuntimeError(f"SpatiaLite could not register the geometry column {table}.{column}")
    if indexed:
        ok = conn.execute(sa.text("SELECT CreateSpatialIndex(:t, :c)"), {"t": table, "c": column}).scalar()
        if ok != 1:
            raise RuntimeError(f"SpatiaLite could not create the spatial index of {table}.{column}")


_SPATIALITE_TYPE_CODES = {"POINT": 1, "LINESTRING": 2, "POLYGON": 3, "MULTIPOINT": 4,
                          "MULTILINESTRING": 5, "MULTIPOLYGON": 6, "GEOMETRYCOLLECTION": 7}


def spatial_structure_problems(conn: sa.Connection, expected: list[tuple[str, str, str, bool]],
                               schema: str | None = None) -> list[str]:
    """What is missing from a new database's spatial structure; empty when all is well.

    ``expected``: (table, column, geometry type, indexed) for every declared geometry column.
    SpatiaLite: the spatial metadata, each column registered with its type and SRID, each R*Tree
    present and consistent with its table. PostGIS (tables in ``schema``): each column in
    ``geometry_columns`` with its type and SRID, each GiST index present.
    """
    problems = []
    if conn.dialect.name == "sqlite":
        if conn.execute(sa.text("SELECT CheckSpatialMetaData()")).scalar() != 3:
            return ["SpatiaLite's spatial metadata tables are missing or incomplete"]
        rows = conn.execute(sa.text(
            "SELECT f_table_name, f_geometry_column, geometry_type, srid, spatial_index_enabled FROM geometry_columns"))
        found = {(t.lower(), c.lower()): (gt, srid, idx) for t, c, gt, srid, idx in rows}
        for table, column, gtype, indexed in expected:
            got = found.get((table, column))
            if got is None:
                problems.append(f"geometry column {table}.{column} is not registered in geometry_columns")
                continue
            if got[0] != _SPATIALITE_TYPE_CODES[gtype] or got[1] != SRID:
                problems.append(f"geometry column {table}.{column} is registered as type {got[0]}, SRID {got[1]}")
            if indexed:
                if got[2] != 1:
                    problems.append(f"the spatial index of {table}.{column} is not enabled")
                elif conn.execute(sa.text("SELECT CheckSpatialIndex(:t, :c)"), {"t": table, "c": column}).scalar() != 1:
                    problems.append(f"the spatial index of {table}.{column} is missing or inconsistent with the table")
        return problems
    rows = conn.execute(sa.text(
        "SELECT f_table_name, f_geometry_column, type, srid FROM geometry_columns WHERE f_table_schema = :s"), {"s": schema})
    found = {(t, c): (gt, srid) for t, c, gt, srid in rows}
    gist = {(t, d) for t, d in conn.execute(sa.text(
        "SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = :s AND indexdef ILIKE '%USING gist%'"), {"s": schema})}
    for table, column, gtype, indexed in expected:
        got = found.get((table, column))
        if got is None or got[0].upper() != gtype or got[1] != SRID:
            problems.append(f"geometry column {table}.{column} is missing or not a {gtype} in SRID {SRID} (found {got})")
        if indexed and not any(t == table and f"({column})" in d for t, d in gist):
            problems.append(f"the GiST index of {table}.{column} is missing")
    return problems

def geom_from_wkb_sql(engine_or_conn, param: str) -> str:
    """SQL turning a WKB bound parameter into a WGS84 geometry (no WKT parsing: it is quadratic in
    SpatiaLite for large geometries)."""
    if engine_or_conn.dialect.name == "sqlite":
        return f"GeomFromWKB({param}, {SRID})"
    return f"ST_GeomFromWKB({param}, {SRID})"


def text_order_sql(engine_or_conn, expr: str) -> str:
    """``expr`` ordered by code point on both backends: SQLite compares text bytewise (UTF-8, the
    same order), PostgreSQL by the database's collation unless told ``COLLATE "C"``."""
    if engine_or_conn.dialect.name == "sqlite":
        return expr
    return f'{expr} COLLATE "C"'


LIKE_ESCAPE = "\\"


def like_contains(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, its own ``%``, ``_`` and ``\\`` taken literally;
    use it with ``LIKE :param ESCAPE '\\'`` (the same syntax on both backends)."""
    escaped = text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", LIKE_ESCAPE + "%").replace("_", LIKE_ESCAPE + "_")
    return f"%{escaped}%"


# What a database error means for whoever asked (webmap/errors.py maps each to an HTTP answer).
NOT_LOADED = "not_loaded"  # the tables (or the database, or a column) do not exist: `zonemap load` has not run (with this version)
UNAVAILABLE = "unavailable"  # cannot connect, server shutting down, file unreadable
BUSY = "busy"  # a lock, a deadlock, a timeout: worth retrying shortly
CLIENT_INPUT = "client_input"  # the request's values are too big or complex for the database
UNKNOWN = "unknown"

_SQLITE_MESSAGES = (  # SQLite has no error codes in Python's sqlite3 before 3.11; its messages are stable
    ("no such table", NOT_LOADED),
    ("no such column", NOT_LOADED),  # tables of an older zonemap's load (e.g. before project_texts)
    ("database is locked", BUSY),
    ("database table is locked", BUSY),
    ("unable to open database", UNAVAILABLE),
    ("disk i/o error", UNAVAILABLE),
    ("file is not a database", UNAVAILABLE),
    ("database disk image is malformed", UNAVAILABLE),
    ("pattern too complex", CLIENT_INPUT),
    ("string or blob too big", CLIENT_INPUT),
    ("too many sql variables", CLIENT_INPUT),
    ("expression tree is too large", CLIENT_INPUT),
    ("parser stack overflow", CLIENT_INPUT),
    ("integer overflow", CLIENT_INPUT),
)
_PG_STATES = {  # SQLSTATE codes (PostgreSQL appendix A), exact first, then by class
    "42P01": NOT_LOADED, "42703": NOT_LOADED, "3F000": NOT_LOADED, "3D000": NOT_LOADED,
    "40P01": BUSY, "40001": BUSY, "55P03": BUSY, "57014": BUSY,
    "57P01": UNAVAILABLE, "57P02": UNAVAILABLE, "57P03": UNAVAILABLE,
}
_PG_CLASSES = {"08": UNAVAILABLE, "53": UNAVAILABLE, "58": UNAVAILABLE, "22": CLIENT_INPUT, "54": CLIENT_INPUT}


def classify_error(exc: BaseException) -> tuple[str, str]:
    """What a database exception means (``NOT_LOADED``, ``UNAVAILABLE``, ``BUSY``, ``CLIENT_INPUT`` or
    ``UNKNOWN``) and a short cause safe to log: the driver's error class and SQLSTATE or message
    head — never the statement or its parameters."""
    orig = getattr(exc, "orig", None) or exc
    name = type(orig).__name__
    state = getattr(orig, "sqlstate", None) or getattr(getattr(orig, "diag", None), "sqlstate", None)
    if state:
        kind = _PG_STATES.get(state) or _PG_CLASSES.get(state[:2], UNKNOWN)
        return kind, f"{name} {state}"
    first = str(orig).splitlines()[0] if str(orig) else ""
    low = first.lower()
    for needle, kind in _SQLITE_MESSAGES:
        if needle in low:
            return kind, f"{name}: {first[:80]}"
    if isinstance(exc, sa.exc.OperationalError) or isinstance(orig, (ConnectionError, OSError)):
        # No SQLSTATE on PostgreSQL means the connection itself failed (refused, reset, no such host).
        kind = NOT_LOADED if "does not exist" in low and "database" in low else UNAVAILABLE
        return kind, name
    return UNKNOWN, name


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

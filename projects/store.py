"""Writing a validated :class:`~projects.dataset.Dataset` to the database: all of it, verified, or
nothing changes.

SpatiaLite: the new database is built in a temporary file beside the target
(``.<name>.<pid>.tmp``), verified, fsynced and renamed over the target. PostGIS: the new data is
built in a schema of its own in one transaction, verified, then swapped with the live schema in
a short transaction while readers go on reading (see :mod:`geo.db`). The verification reads the
new database back: its spatial metadata and indexes, every row of every table compared with what
was written (so a geometry the database turned into NULL, a truncated value or a missing row is
caught), and the project↔zone join compared with the same join computed in Python. The data
fingerprint is written last, from the verified content.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import re
import resource
import shutil
import time
import uuid
from pathlib import Path

import orjson
import shapely
import sqlalchemy as sa
from geoalchemy2 import Geometry

from geo.db import (
    DATA_CHANNEL, DATA_SCHEMA, SWAP_LOCK_KEY, Base, BrokenForeignKeys, add_spatialite_geometry, bulk_insert, foreign_keys_off,
    geom_as_wkb, geom_from_wkb, is_sqlite, make_engine, spatial_structure_problems, use_schema,
)
from geo.errors import WriteError
from projects import models as pm
from projects.changelog import Change
from projects.dataset import Dataset
from projects.features import write_feature_texts
from projects.join import compute_project_zones
from zones import models as zm

log = logging.getLogger("zonemap")

# Parents before children, so foreign keys hold at every insert.
TABLES = [
    ("plans", zm.Plan.__table__), ("layouts", zm.Layout.__table__), ("zones", zm.Zone.__table__),
    ("streets", zm.Street.__table__), ("districts", zm.District.__table__),
    ("industry_groups", pm.IndustryGroup.__table__), ("industries", pm.Industry.__table__),
    ("industry_group_members", pm.industry_group_members), ("zone_industries", pm.zone_industries),
    ("projects", pm.Project.__table__), ("project_industries", pm.project_industries),
    ("project_streets", pm.project_streets), ("mentions", pm.Mention.__table__),
    ("project_status_years", pm.project_status_years), ("project_status_seen_by", pm.project_status_seen_by),
    ("changes", Change.__table__),
]
# project_zones and project_texts are computed by the database; dataset_info (the fingerprint) is written last.

# Tables with at least this many rows are written by geo.db.bulk_insert (COPY on PostgreSQL, the
# driver's executemany on SpatiaLite): the synthetic datasets' millions of rows, in seconds.
BULK_ROWS = 1000

# PostGIS swap: each attempt waits at most this long for readers to finish their transaction
# (readers queue behind the waiting swap, so this is also the longest pause a reader can see).
SWAP_LOCK_TIMEOUT_MS = 500
SWAP_GIVE_UP_S = 60


def write_dataset(url: str, ds: Dataset) -> dict[str, int]:
    """Replace the database at ``url`` with ``ds``; returns the row counts per table.

    Either the new data is in place, complete and verified, or :class:`~geo.errors.WriteError`
    is raised with a message naming the cause (no space, no permission, read-only, a database
    refusal, a failed verification) and the existing database is exactly as it was.
    """
    if is_sqlite(url):
        return _write_spatialite(url, ds)
    return _write_postgis(url, ds)


# --- Rows as written and as read back ---------------------------------------------------------

def _is_geometry(col: sa.Column) -> bool:
    return isinstance(col.type, Geometry)


def _wkb(geom) -> bytes:
    return shapely.to_wkb(geom, byte_order=1, output_dimension=2)


def _rows(ds: Dataset, name: str, table: sa.Table) -> list[dict]:
    """Every row of ``table`` from ``ds`` with every column present (None when not given)."""
    rows = getattr(ds, name)
    pk = list(table.primary_key.columns)
    # A table keyed by a plain integer (mentions): numbered in data order, so that a reload gives
    # the same keys and the rows read back can be compared with these.
    numbered = len(pk) == 1 and isinstance(pk[0].type, sa.Integer)
    names = [c.name for c in table.columns]
    out = []
    for n, row in enumerate(rows, start=1):
        full = {name: row.get(name) for name in names}
        if numbered and full[pk[0].name] is None:
            full[pk[0].name] = n
        out.append(full)
    return out


def _canonical(value, col: sa.Column):
    """One comparable form per column type, the same for a value written and a value read back."""
    return _canonical_column([value], col)[0]


def _canonical_column(values: list, col: sa.Column) -> list:
    """:func:`_canonical` of a whole column: geometries through shapely's array functions (a million
    points in a second or two, not per row), other types by one function chosen per column."""
    if _is_geometry(col):
        out: list = [None] * len(values)
        present = [i for i, v in enumerate(values) if v is not None]
        if present:
            # Read back as WKB bytes: through shapely too, so byte order and dimensions compare equal.
            given = [values[i] for i in present]
            geoms = given if isinstance(given[0], shapely.Geometry) else shapely.from_wkb([bytes(v) for v in given])
            for i, wkb in zip(present, shapely.to_wkb(geoms, byte_order=1, output_dimension=2)):
                out[i] = hashlib.sha256(wkb).hexdigest()
        return out
    t = col.type
    if isinstance(t, sa.Float):
        one = float
    elif isinstance(t, sa.Integer):
        one = int
    elif isinstance(t, sa.Date):
        one = _iso_date
    elif isinstance(t, sa.JSON):
        def one(v):
            return orjson.dumps(v, option=orjson.OPT_SORT_KEYS).decode("utf-8")
    else:
        one = str
    return [None if v is None else one(v) for v in values]


def _iso_date(value) -> str:
    return value if isinstance(value, str) else value.isoformat()


def _table_digest(rows: list[tuple]) -> str:
    digest = hashlib.sha256()
    for line in sorted(orjson.dumps(row) for row in rows):
        digest.update(line)
        digest.update(b"\n")
    return digest.hexdigest()


def _summary(table: sa.Table, rows: list[tuple]) -> dict:
    """Row count and non-null count per geometry column: what a mismatch message reports."""
    geo = {i: c.name for i, c in enumerate(table.columns) if _is_geometry(c)}
    return {"rows": len(rows), **{name: sum(r[i] is not None for r in rows) for i, name in geo.items()}}


def _by_columns(table: sa.Table, columns: list[list]) -> list[tuple]:
    """Rows as tuples of canonical values, from the raw values column by column."""
    if not columns or not columns[0]:
        return []
    return list(zip(*(_canonical_column(values, c) for values, c in zip(columns, table.columns))))


def _written(ds: Dataset) -> dict[str, list[tuple]]:
    out = {}
    for name, table in TABLES:
        rows = _rows(ds, name, table)
        out[name] = _by_columns(table, [[r[c.name] for r in rows] for c in table.columns])
    return out


def _read_back(conn: sa.Connection) -> dict[str, list[tuple]]:
    out = {}
    for name, table in TABLES:
        cols = [geom_as_wkb(c) if _is_geometry(c) else c for c in table.columns]
        rows = conn.execute(sa.select(*cols)).all()
        out[name] = _by_columns(table, [list(values) for values in zip(*rows)]) if rows else []
    return out


def _expected_join(ds: Dataset) -> set[tuple[str, str]]:
    """The project↔zone pairs computed in Python (shapely), independently of the database."""
    zones = [(z["id"], z["geom"]) for z in ds.zones if z.get("geom") is not None]
    points = [(p["id"], p["geom"]) for p in ds.projects if p.get("geom") is not None]
    if not zones or not points:
        return set()
    tree = shapely.STRtree([g for _, g in zones])
    pi, zi = tree.query([g for _, g in points], predicate="intersects")
    return {(points[i][0], zones[j][0]) for i, j in zip(pi, zi)}


def _spatial_columns() -> list[tuple[str, str, str, bool]]:
    return [(t.name, c.name, c.type.geometry_type.upper(), bool(c.type.spatial_index))
            for t in Base.metadata.sorted_tables for c in t.columns if _is_geometry(c)]


def _verify(conn: sa.Connection, ds: Dataset, written: dict[str, list[tuple]], schema: str | None = None) -> str:
    """Check the new database against what was written; return the fingerprint of its content.

    Raises :class:`WriteError` listing every difference.
    """
    problems = spatial_structure_problems(conn, _spatial_columns(), schema)
    stored = _read_back(conn)
    digests = []
    for name, table in TABLES:
        want, got = _table_digest(written[name]), _table_digest(stored[name])
        if want != got:
            w, g = _summary(table, written[name]), _summary(table, stored[name])
            diff = [f"{w[k]} {'rows' if k == 'rows' else k + ' geometries'} written, {g[k]} read back"
                    for k in w if w[k] != g[k]] or ["values read back differ from those written"]
            problems.append(f"table {name}: {', '.join(diff)}")
        digests.append(f"{name}:{got}")
    # The spatial side of the membership (a basis column, when there is one, also holds pairs the
    # documents state; those are not the geometry's to confirm).
    spatial = " WHERE basis IN ('spatial', 'both')" if "basis" in pm.project_zones.c else ""
    joined = {tuple(r) for r in conn.execute(sa.text(f"SELECT project_id, zone_id FROM project_zones{spatial}"))}
    expected = _expected_join(ds)
    if joined != expected:
        problems.append(f"project↔zone join: {len(joined)} links in the database, {len(expected)} expected "
                        f"({len(expected - joined)} missing, {len(joined - expected)} unexpected)")
    if problems:
        raise WriteError("the new database failed its verification, so it was not put in place: " + "; ".join(problems))
    digests.append(f"project_zones:{_table_digest(sorted(joined))}")
    return hashlib.sha256("\n".join(digests).encode("utf-8")).hexdigest()


def _write_info(conn: sa.Connection, fp: str) -> None:
    """dataset_info, written last: the fingerprint and the number of projects."""
    projects = conn.execute(sa.text("SELECT count(*) FROM projects")).scalar_one()
    conn.execute(zm.DatasetInfo.__table__.insert(), [{"id": 1, "fingerprint": fp, "projects": projects}])


def fingerprint(ds: Dataset) -> str:
    """The fingerprint :func:`write_dataset` stores for ``ds``: a hash of every row, geometries as
    WKB, and of the spatial project↔zone pairs (whatever else the join derives comes from rows
    already hashed). Equal data, equal fingerprint, on either database."""
    written = _written(ds)
    digests = [f"{name}:{_table_digest(written[name])}" for name, _ in TABLES]
    digests.append(f"project_zones:{_table_digest(sorted(_expected_join(ds)))}")
    return hashlib.sha256("\n".join(digests).encode("utf-8")).hexdigest()


def _insert(conn: sa.Connection, ds: Dataset) -> dict[str, int]:
    """Insert every row of ``ds`` (geometries as WKB); returns counts per table."""
    counts = {}
    for name, table in TABLES:
        rows = _rows(ds, name, table)
        counts[name] = len(rows)
        if not rows:
            continue
        if len(rows) >= BULK_ROWS:
            try:
                bulk_insert(conn, table, rows)
            except sa.exc.DBAPIError as exc:
                raise WriteError(f"the database refused a row of table {name}: {_db_reason(exc)}") from None
            except conn.dialect.dbapi.Error as exc:  # raised by the driver itself (COPY, executemany)
                raise WriteError(f"the database refused a row of table {name}: "
                                 f"{_db_reason(sa.exc.DBAPIError(None, None, exc))}") from None
            continue
        values = {}
        for c in table.columns:
            param = sa.bindparam(f"p_{c.name}", type_=sa.LargeBinary if _is_geometry(c) else c.type)
            values[c.name] = geom_from_wkb(conn, param) if _is_geometry(c) else param
        params = [{f"p_{c.name}": (_wkb(r[c.name]) if _is_geometry(c) and r[c.name] is not None else r[c.name])
                   for c in table.columns} for r in rows]
        try:
            conn.execute(table.insert().values(values), params)
        except sa.exc.DBAPIError as exc:
            raise WriteError(f"the database refused a row of table {name}: {_db_reason(exc)}") from None
    return counts


# --- SpatiaLite: a new file, verified, then renamed over the old one ---------------------------

def temp_path(target: Path, pid: int | None = None) -> Path:
    """The file a load of ``target`` builds in (beside it, so the rename is atomic)."""
    return target.with_name(f".{target.name}.{pid or os.getpid()}.tmp")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale_files(url: str) -> list[Path]:
    """Remove the temporary files of loads of ``url`` whose process is gone (killed mid-load);
    returns what was removed. Called at the start of every load and of ``zonemap serve``."""
    if not is_sqlite(url) or not sa.make_url(url).database or sa.make_url(url).database == ":memory:":
        return []
    target = Path(sa.make_url(url).database)
    pattern = re.compile(rf"^\.{re.escape(target.name)}\.(\d+)\.tmp(-journal|-wal|-shm)?$")
    removed = []
    try:
        candidates = list(target.parent.iterdir()) if target.parent.is_dir() else []
    except OSError:
        return []
    for path in candidates:
        m = pattern.match(path.name)
        if m and int(m.group(1)) != os.getpid() and not _pid_alive(int(m.group(1))):
            try:
                path.unlink()
                removed.append(path)
            except OSError as exc:  # not ours to remove, or already gone: say so, carry on
                log.warning("could not remove the stale temporary file %s: %s", path, exc.strerror)
    return removed


def _free(directory: Path) -> str:
    """Free space of the device, and this process's file size limit when it has one: the two
    reasons a write stops short."""
    try:
        text = f"{shutil.disk_usage(directory).free / 2**20:.1f} MiB free"
    except OSError:
        text = "free space unknown"
    limit = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    if limit != resource.RLIM_INFINITY:
        text += f"; this process's file size limit (ulimit -f) is {limit / 2**20:.1f} MiB"
    return text


def _storage_message(exc: BaseException, path: Path) -> str:
    """What went wrong writing ``path``, in words a user can act on; never rows or SQL."""
    orig = getattr(exc, "orig", None) or exc
    name = getattr(orig, "sqlite_errorname", "") or ""
    code = orig.errno if isinstance(orig, OSError) else None
    directory = path.parent
    if name == "SQLITE_FULL" or code in (errno.ENOSPC, errno.EDQUOT):
        return f"no space left on the device of {directory} ({_free(directory)})"
    if code == errno.EFBIG:
        return f"{path} reached the file size limit ({_free(directory)})"
    if name.startswith("SQLITE_READONLY") or code == errno.EROFS:
        return f"{directory} is on a read-only file system or the file is read-only"
    if name.startswith("SQLITE_CANTOPEN") or code in (errno.EACCES, errno.EPERM):
        return f"cannot create or write files in {directory}: permission denied"
    if name.startswith("SQLITE_IOERR") or isinstance(orig, RuntimeError):
        return f"could not write {path}: {str(orig).splitlines()[0]} ({_free(directory)})"
    if isinstance(orig, OSError):
        return f"could not write {orig.filename or path}: {orig.strerror}"
    return f"could not write {path}: {str(orig).splitlines()[0][:200]} ({_free(directory)})"


def _check_target(target: Path) -> None:
    directory = target.parent
    try:
        read_only_fs = bool(os.statvfs(directory).f_flag & os.ST_RDONLY) if directory.exists() else False
    except OSError:
        read_only_fs = False
    if read_only_fs:
        raise WriteError(f"{directory} is on a read-only file system")
    if target.is_dir():
        raise WriteError(f"{target} is a directory, not a database file")
    if target.exists() and not (target.stat().st_mode & 0o222 and os.access(target, os.W_OK)):
        raise WriteError(f"the database file {target} is read-only: make it writable to replace it")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(_storage_message(exc, target)) from None
    if not os.access(directory, os.W_OK):
        raise WriteError(f"cannot create files in {directory}: permission denied")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _create_spatialite_tables(conn: sa.Connection) -> None:
    """Create the tables from a copy of the metadata: geometry columns as BLOBs registered with
    SpatiaLite by :func:`geo.db.add_spatialite_geometry` (return values checked), not through
    GeoAlchemy2's create hooks, which ignore SpatiaLite's errors (and rewrite the tables they
    create, which left later PostGIS databases of the same process without GiST indexes)."""
    md = sa.MetaData()
    spatial = []
    for table in Base.metadata.sorted_tables:
        copy = table.to_metadata(md)
        for col in copy.columns:
            if _is_geometry(col):
                spatial.append((copy.name, col.name, col.type.geometry_type.upper(), bool(col.type.spatial_index)))
                col.type = sa.LargeBinary()
        for index in [i for i in copy.indexes if any(c.name in {s[1] for s in spatial if s[0] == copy.name} for c in i.columns)]:
            copy.indexes.discard(index)
    if conn.execute(sa.text("SELECT CheckSpatialMetaData()")).scalar() != 3:
        raise RuntimeError("SpatiaLite could not initialise its spatial metadata")
    md.create_all(conn)
    for table, column, gtype, indexed in spatial:
        add_spatialite_geometry(conn, table, column, gtype, indexed)


def _write_spatialite(url: str, ds: Dataset) -> dict[str, int]:
    target = Path(sa.make_url(url).database)
    clean_stale_files(url)
    _check_target(target)
    tmp = temp_path(target)
    written = _written(ds)

    def remove_tmp():
        for p in (tmp, tmp.with_name(tmp.name + "-journal")):
            try:
                p.unlink(missing_ok=True)
            except OSError:
                pass

    remove_tmp()
    engine = None
    try:
        engine = make_engine(str(sa.make_url(url).set(database=str(tmp))), loader=True)
        # The temporary file is not the database until the rename, and a crash discards it: no
        # journal on disk and no sync per commit while building, one fsync before the rename.
        sa.event.listen(engine, "connect", lambda c, r: (c.execute("PRAGMA synchronous=OFF"),
                                                         c.execute("PRAGMA journal_mode=MEMORY")), insert=True)
        with engine.begin() as conn:
            _create_spatialite_tables(conn)
        with engine.begin() as conn:
            counts = _insert(conn, ds)
        # The join in a transaction of its own, its foreign keys checked once after the inserts
        # rather than row by row (a fifth of its time at 100,000 projects); the file is still the
        # temporary one, removed if anything below fails.
        with foreign_keys_off(engine) as conn, conn.begin():
            try:
                counts["project_zones"] = compute_project_zones(conn)
                counts["project_texts"] = write_feature_texts(conn)
            except BrokenForeignKeys as exc:
                raise WriteError(f"the new database failed its verification, so it was not put in place: {exc}") from None
        with engine.begin() as conn:
            fp = _verify(conn, ds, written)
            _write_info(conn, fp)
        with engine.connect() as conn:
            integrity = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check")]
            foreign = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
            stored = conn.execute(sa.text("SELECT fingerprint FROM dataset_info")).scalar()
        if integrity != ["ok"] or foreign or stored != fp:
            raise WriteError("the new database failed its verification, so it was not put in place: "
                             f"integrity check {integrity[:3]}, {len(foreign)} broken foreign keys, "
                             f"fingerprint {'present' if stored == fp else 'missing'} ({_free(target.parent)})")
        engine.dispose()
        engine = None
        _fsync(tmp)
        os.replace(tmp, target)
        _fsync(target.parent)
        counts["fingerprint"] = fp
        return counts
    except WriteError as exc:
        remove_tmp()
        if "verification" in str(exc) and "free" not in str(exc):  # a full disk is the usual cause
            raise WriteError(f"{exc} ({_free(target.parent)})") from None
        raise
    except (sa.exc.DBAPIError, OSError, RuntimeError) as exc:
        remove_tmp()
        raise WriteError(_storage_message(exc, tmp)) from None
    except BaseException:
        remove_tmp()
        raise
    finally:
        if engine is not None:
            engine.dispose()


# --- PostGIS: a new schema, verified, then swapped with the live one -------------------------

def _db_reason(exc: sa.exc.DBAPIError) -> str:
    """The database's own reason, first line only: PostgreSQL's DETAIL lines carry row data."""
    orig = exc.orig
    diag = getattr(orig, "diag", None)
    text = (getattr(diag, "message_primary", None) or str(orig)).splitlines()[0][:300]
    state = getattr(orig, "sqlstate", None)
    return f"{text} (SQLSTATE {state})" if state else text


def _pg_message(exc: sa.exc.DBAPIError) -> str:
    state = getattr(exc.orig, "sqlstate", None) or ""
    reason = _db_reason(exc)
    if state == "53100":
        return f"the database server has no space left: {reason}"
    if state == "25006":
        return f"the database is read-only: {reason}"
    if state == "42501":
        return f"the database user may not create schemas or tables here: {reason}"
    if state.startswith("08") or isinstance(exc, sa.exc.OperationalError) and not state:
        return f"cannot reach the database: {reason}"
    if "geometry" in reason and state == "42704":
        return f"PostGIS is not installed in this database (CREATE EXTENSION postgis): {reason}"
    return f"the database refused the load: {reason}"


def _drop_schema(engine: sa.Engine, schema: str) -> bool:
    for attempt in range(5):
        try:
            with engine.begin() as conn:
                conn.execute(sa.text(f"SET LOCAL lock_timeout = '{SWAP_LOCK_TIMEOUT_MS}ms'"))
                conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            return True
        except sa.exc.DBAPIError:
            time.sleep(0.2 * (attempt + 1))
    return False


def _drop_leftovers(engine: sa.Engine) -> None:
    """Old schemas a previous load could not drop (a reader outside zonemap held them)."""
    with engine.connect() as conn:
        names = conn.execute(sa.text("SELECT nspname FROM pg_namespace WHERE nspname LIKE :p"),
                             {"p": f"{DATA_SCHEMA}\\_old\\_%"}).scalars().all()
    for name in names:
        _drop_schema(engine, name)


def _drop_legacy_public_tables(engine: sa.Engine) -> None:
    """Databases loaded before the data had its own schema kept the tables in ``public``."""
    with engine.connect() as conn:
        legacy = conn.execute(sa.text("SELECT to_regclass('public.dataset_info')")).scalar()
    if legacy is None:
        return
    names = ", ".join(f'public."{t.name}"' for t in Base.metadata.sorted_tables)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(f"SET LOCAL lock_timeout = '{SWAP_LOCK_TIMEOUT_MS}ms'"))
            conn.execute(sa.text(f"DROP TABLE IF EXISTS {names} CASCADE"))
    except sa.exc.DBAPIError as exc:
        log.warning("could not drop the tables of the old layout in public: %s", _db_reason(exc))


def _swap(engine: sa.Engine, build: str) -> str | None:
    """Make ``build`` the live schema; returns the name the old live schema was renamed to."""
    deadline = time.monotonic() + SWAP_GIVE_UP_S
    delay = 0.05
    while True:
        old = f"{DATA_SCHEMA}_old_{uuid.uuid4().hex[:12]}"
        try:
            with engine.begin() as conn:
                conn.execute(sa.text(f"SET LOCAL lock_timeout = '{SWAP_LOCK_TIMEOUT_MS}ms'"))
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": SWAP_LOCK_KEY})
                live = conn.execute(sa.text("SELECT 1 FROM pg_namespace WHERE nspname = :s"), {"s": DATA_SCHEMA}).scalar()
                if live:
                    conn.execute(sa.text(f'ALTER SCHEMA "{DATA_SCHEMA}" RENAME TO "{old}"'))
                conn.execute(sa.text(f'ALTER SCHEMA "{build}" RENAME TO "{DATA_SCHEMA}"'))
                conn.execute(sa.text("SELECT pg_notify(:c, '')"), {"c": DATA_CHANNEL})  # delivered at commit
            return old if live else None
        except sa.exc.OperationalError as exc:
            # 55P03 lock_not_available (lock_timeout), 40P01 deadlock: wait and try again.
            if getattr(exc.orig, "sqlstate", None) not in ("55P03", "40P01") or time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 1.0)


def _write_postgis(url: str, ds: Dataset) -> dict[str, int]:
    written = _written(ds)
    build = f"{DATA_SCHEMA}_build_{uuid.uuid4().hex[:12]}"
    engine = make_engine(url, loader=True)
    swapped = False
    try:
        _drop_leftovers(engine)
        with engine.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{build}"'))
            use_schema(conn, build)
            Base.metadata.create_all(conn, checkfirst=False)
            counts = _insert(conn, ds)
            counts["project_zones"] = compute_project_zones(conn)
            counts["project_texts"] = write_feature_texts(conn)
            fp = _verify(conn, ds, written, schema=build)
            _write_info(conn, fp)
        old = _swap(engine, build)
        swapped = True
        if old and not _drop_schema(engine, old):
            log.warning("the previous data (schema %s) is still in use; the next load drops it", old)
        _drop_legacy_public_tables(engine)
        counts["fingerprint"] = fp
        return counts
    except sa.exc.DBAPIError as exc:
        raise WriteError(_pg_message(exc)) from None
    finally:
        if not swapped:
            try:
                _drop_schema(engine, build)
            except Exception:  # the server may be the reason we are here
                pass
        engine.dispose()

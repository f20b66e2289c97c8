"""Writing a validated :class:`~projects.dataset.Dataset` to the database, all or nothing."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import sqlalchemy as sa
from geoalchemy2.shape import from_shape

from geo.db import SRID, Base, is_sqlite, make_engine
from projects import models as pm
from projects.dataset import Dataset
from projects.join import compute_project_zones
from zones import models as zm

GEOMETRY_COLUMNS = {"geom", "site", "centreline"}

# Parents before children, so foreign keys hold at every insert.
TABLES = [
    ("plans", zm.Plan.__table__), ("layouts", zm.Layout.__table__), ("zones", zm.Zone.__table__),
    ("streets", zm.Street.__table__), ("districts", zm.District.__table__),
    ("industry_groups", pm.IndustryGroup.__table__), ("industries", pm.Industry.__table__),
    ("industry_group_members", pm.industry_group_members), ("zone_industries", pm.zone_industries),
    ("projects", pm.Project.__table__), ("project_industries", pm.project_industries),
    ("project_streets", pm.project_streets), ("mentions", pm.Mention.__table__),
    ("project_status_years", pm.project_status_years), ("project_status_seen_by", pm.project_status_seen_by),
]
# dataset_info is written last, by write_rows.


def _row(row: dict, table: sa.Table) -> dict:
    out = {}
    for col in table.columns:
        if col.name not in row:
            continue
        value = row[col.name]
        if col.name in GEOMETRY_COLUMNS and value is not None:
            value = from_shape(value, srid=SRID)
        out[col.name] = value
    return out


def write_rows(conn: sa.Connection, ds: Dataset) -> dict[str, int]:
    """Insert every row of ``ds`` and compute the project↔zone join; returns counts per table."""
    counts = {}
    for name, table in TABLES:
        rows = [_row(r, table) for r in getattr(ds, name)]
        if rows:
            conn.execute(table.insert(), rows)
        counts[name] = len(rows)
    counts["project_zones"] = compute_project_zones(conn)
    conn.execute(zm.DatasetInfo.__table__.insert(), [{"id": 1, "fingerprint": fingerprint(ds)}])
    return counts


def fingerprint(ds: Dataset) -> str:
    """A stable hash of everything in ``ds`` (geometries as WKT): equal data, equal fingerprint."""
    digest = hashlib.sha256()
    for name, _ in TABLES:
        for row in getattr(ds, name):
            flat = {k: (v.wkt if hasattr(v, "wkt") else v) for k, v in sorted(row.items())}
            digest.update(json.dumps(flat, ensure_ascii=False, default=str, sort_keys=True).encode("utf-8"))
    return digest.hexdigest()


def _private_metadata() -> sa.MetaData:
    """A copy of the tables for SpatiaLite's CREATE statements.

    GeoAlchemy2's SQLite create hooks rewrite the tables they create (they take the spatial indexes
    off); on the shared metadata that left every later PostGIS database of the same process without
    GiST indexes. Creating SpatiaLite tables from a copy keeps the shared tables intact.
    """
    md = sa.MetaData()
    for table in Base.metadata.sorted_tables:
        table.to_metadata(md)
    return md


def write_dataset(url: str, ds: Dataset) -> dict[str, int]:
    """Replace the database at ``url`` with ``ds`` in one all-or-nothing step.

    SpatiaLite: the new database is built in a temporary file beside the target and moved over
    it only when complete. PostGIS: tables are dropped, recreated and filled in one transaction.
    Either way a failure leaves the existing database exactly as it was.
    """
    if is_sqlite(url):
        target = Path(sa.make_url(url).database)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        tmp.unlink(missing_ok=True)
        engine = make_engine(str(sa.make_url(url).set(database=str(tmp))))
        try:
            with engine.begin() as conn:
                _private_metadata().create_all(conn)
            with engine.begin() as conn:
                counts = write_rows(conn, ds)
            engine.dispose()
            os.replace(tmp, target)
        except BaseException:
            engine.dispose()
            tmp.unlink(missing_ok=True)
            raise
        return counts
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            Base.metadata.drop_all(conn)
            Base.metadata.create_all(conn)
            return write_rows(conn, ds)
    finally:
        engine.dispose()

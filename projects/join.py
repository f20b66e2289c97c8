"""The project↔zone relation, computed by the database at load: by geometry and by text.

A project belongs to a zone when its point lies in the zone's polygon (basis ``spatial``, the
database join on the spatial index), when a document states it (basis ``text``: a mention whose
``zone`` is the zone), or both (``both``). Unlocated projects thus still belong to the zones the
documents state for them; where the text and the point disagree, both memberships are kept and
``zonemap check`` lists the case.
"""

from __future__ import annotations

import sqlalchemy as sa

from geo.db import (
    analyze_tables, bulk_memory, fast_full_join, foreign_keys_checked_after, index_join_sql, indexes_built_after,
    predicate_sql,
)
from projects.models import project_zones

# The bases a ``basis=`` filter admits: ``both`` counts for either side.
BASIS_FILTER = {
    "spatial": ("spatial", "both"),
    "text": ("text", "both"),
    "any": ("spatial", "text", "both"),
}


def compute_project_zones(conn: sa.Connection) -> int:
    """Fill ``project_zones`` with every (project, zone, basis[, mention]); returns the number of pairs.

    The pairs the geometry gives come zone by zone through the projects' spatial index
    (:func:`geo.db.index_join_sql`); a pair a mention also states is ``both`` (with the first such
    mention), a pair only the geometry gives ``spatial``, one only a mention states ``text``. Where
    the database joins two large row sets cheaply (:func:`geo.db.fast_full_join`, PostgreSQL) that
    is one ``INSERT … SELECT`` over a ``FULL JOIN`` of the two; on SQLite the geometry's pairs go in
    first and the stated pairs follow as an upsert (16,000 updates and 21,000 inserts at 100,000
    projects rather than 180,000 look-ups into the stated pairs).

    Rows go in sorted by the primary key, so its B-tree grows at its right edge instead of at random
    pages (PostgreSQL at 1,000,000 projects: a plain insert of the pairs 13.7 s of CPU, sorted
    9.5 s). The foreign keys are checked once at the end, not per row
    (:func:`geo.db.foreign_keys_checked_after`; on SpatiaLite when ``conn`` comes from
    :func:`geo.db.foreign_keys_off`, as the loader's does), or not at all where PostgreSQL lets the
    loader skip row triggers (the keys hold by construction), the secondary index is built after the
    inserts (:func:`geo.db.indexes_built_after`), and PostgreSQL sorts and hashes in memory
    (:func:`geo.db.bulk_memory`). ``bench/suite.py`` measures it against its SQL floor.
    """
    conn.execute(sa.text("DELETE FROM project_zones"))
    # Freshly loaded tables have no statistics: the planner would guess one row per table and
    # loop where it should hash (45 s instead of 1.5 s at 10,000 projects on PostGIS).
    analyze_tables(conn, "projects (id)", "zones (id)", "mentions (project_id, zone_id)")  # not the geometries: slow
    inside = predicate_sql(conn, "ST_Intersects(zones.geom, projects.geom)")
    spatial = (f"SELECT projects.id AS project_id, zones.id AS zone_id FROM {index_join_sql(conn, 'zones', 'projects')}"
               f" WHERE zones.geom IS NOT NULL AND projects.geom IS NOT NULL AND {inside}")
    stated = ("SELECT project_id, zone_id, min(id) AS mention_id FROM mentions"
              " WHERE zone_id IS NOT NULL GROUP BY project_id, zone_id")  # the pairs the text states
    # Every key written is selected here from projects, zones or mentions (whose own keys were
    # checked as they were written), in this transaction: no row can point nowhere.
    keys = foreign_keys_checked_after(conn, "project_zones", by_construction=True)
    with bulk_memory(conn), keys, indexes_built_after(conn, project_zones):
        if fast_full_join(conn):
            conn.execute(sa.text(f"""
                INSERT INTO project_zones (project_id, zone_id, basis, mention_id)
                SELECT coalesce(g.project_id, s.project_id), coalesce(g.zone_id, s.zone_id),
                       CASE WHEN s.project_id IS NULL THEN 'spatial' WHEN g.project_id IS NULL THEN 'text' ELSE 'both' END,
                       s.mention_id
                FROM ({spatial}) AS g FULL JOIN ({stated}) AS s ON s.project_id = g.project_id AND s.zone_id = g.zone_id
                ORDER BY 1, 2
            """))
        else:
            conn.execute(sa.text(f"INSERT INTO project_zones (project_id, zone_id, basis) "
                                 f"SELECT project_id, zone_id, 'spatial' FROM ({spatial}) AS g ORDER BY 1, 2"))
            # (WHERE true: SQLite's parser needs it between a SELECT and ON CONFLICT)
            conn.execute(sa.text(f"""
                INSERT INTO project_zones (project_id, zone_id, basis, mention_id)
                SELECT project_id, zone_id, 'text', mention_id FROM ({stated}) AS s WHERE true
                ON CONFLICT (project_id, zone_id) DO UPDATE SET basis = 'both', mention_id = excluded.mention_id
            """))
    return conn.execute(sa.text("SELECT count(*) FROM project_zones")).scalar_one()


def spatial_pairs(conn: sa.Connection) -> set[tuple[str, str]]:
    """The (project, zone) pairs the geometry confirms (basis ``spatial`` or ``both``)."""
    rows = conn.execute(sa.text("SELECT project_id, zone_id FROM project_zones WHERE basis IN ('spatial', 'both')"))
    return {tuple(r) for r in rows}

"""The project↔zone relation, computed by the database at load: by geometry and by text.

A project belongs to a zone when its point lies in the zone's polygon (basis ``spatial``, the
database join on the spatial index), when a document states it (basis ``text``: a mention whose
``zone`` is the zone), or both (``both``). Unlocated projects thus still belong to the zones the
documents state for them; where the text and the point disagree, both memberships are kept and
``zonemap check`` lists the case.
"""

from __future__ import annotations

import sqlalchemy as sa

from geo.db import analyze_tables, foreign_keys_checked_after, index_join_sql, indexes_built_after, predicate_sql
from projects.models import project_zones

# The bases a ``basis=`` filter admits: ``both`` counts for either side.
BASIS_FILTER = {
    "spatial": ("spatial", "both"),
    "text": ("text", "both"),
    "any": ("spatial", "text", "both"),
}


def compute_project_zones(conn: sa.Connection) -> int:
    """Fill ``project_zones`` with every (project, zone, basis[, mention]); returns the number of pairs.

    Two INSERT … SELECTs: the pairs the geometry gives, zone by zone through the projects' spatial
    index (:func:`geo.db.index_join_sql`), each marked ``both`` when a mention states the same zone
    (with the first such mention) or else ``spatial``; then the pairs only a mention states
    (``text``). The foreign keys are checked once at the end, not per row
    (:func:`geo.db.foreign_keys_checked_after`; on SpatiaLite when ``conn`` comes from
    :func:`geo.db.foreign_keys_off`, as the loader's does), and the secondary index is built after
    the inserts (:func:`geo.db.indexes_built_after`). ``bench/suite.py`` measures it against its SQL floor.
    """
    conn.execute(sa.text("DELETE FROM project_zones"))
    # Freshly loaded tables have no statistics: the planner would guess one row per table and
    # loop where it should hash (45 s instead of 1.5 s at 10,000 projects on PostGIS).
    analyze_tables(conn, "projects (id)", "zones (id)", "mentions (project_id, zone_id)")  # not the geometries: slow
    inside = predicate_sql(conn, "ST_Intersects(zones.geom, projects.geom)")
    stated = ("SELECT project_id, zone_id, min(id) AS mention_id FROM mentions"
              " WHERE zone_id IS NOT NULL GROUP BY project_id, zone_id")  # the pairs the text states
    with foreign_keys_checked_after(conn, "project_zones"), indexes_built_after(conn, project_zones):
        conn.execute(sa.text(f"""
            INSERT INTO project_zones (project_id, zone_id, basis, mention_id)
            SELECT projects.id, zones.id, CASE WHEN stated.mention_id IS NULL THEN 'spatial' ELSE 'both' END,
                   stated.mention_id
            FROM {index_join_sql(conn, "zones", "projects")}
            LEFT JOIN ({stated}) AS stated ON stated.project_id = projects.id AND stated.zone_id = zones.id
            WHERE zones.geom IS NOT NULL AND projects.geom IS NOT NULL AND {inside}
        """))
        conn.execute(sa.text(f"""
            INSERT INTO project_zones (project_id, zone_id, basis, mention_id)
            SELECT stated.project_id, stated.zone_id, 'text', stated.mention_id FROM ({stated}) AS stated
            WHERE NOT EXISTS (SELECT 1 FROM project_zones AS pz
                              WHERE pz.project_id = stated.project_id AND pz.zone_id = stated.zone_id)
        """))
    return conn.execute(sa.text("SELECT count(*) FROM project_zones")).scalar_one()


def spatial_pairs(conn: sa.Connection) -> set[tuple[str, str]]:
    """The (project, zone) pairs the geometry confirms (basis ``spatial`` or ``both``)."""
    rows = conn.execute(sa.text("SELECT project_id, zone_id FROM project_zones WHERE basis IN ('spatial', 'both')"))
    return {tuple(r) for r in rows}

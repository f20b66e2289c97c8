"""The project↔zone relation, computed by the database at load: by geometry and by text.

A project belongs to a zone when its point lies in the zone's polygon (basis ``spatial``, the
database join on the spatial index), when a document states it (basis ``text``: a mention whose
``zone`` is the zone), or both (``both``). Unlocated projects thus still belong to the zones the
documents state for them; where the text and the point disagree, both memberships are kept and
``zonemap check`` lists the case.
"""

from __future__ import annotations

import sqlalchemy as sa

from geo.db import predicate_sql, spatial_candidates

# The bases a ``basis=`` filter admits: ``both`` counts for either side.
BASIS_FILTER = {
    "spatial": ("spatial", "both"),
    "text": ("text", "both"),
    "any": ("spatial", "text", "both"),
}


def compute_project_zones(conn: sa.Connection) -> int:
    """Fill ``project_zones`` with every (project, zone, basis[, mention]); returns the number of pairs.

    One INSERT … SELECT over a union of the spatial join (candidate zones from the spatial index:
    GiST on PostGIS, the R*Tree on SpatiaLite) and the zones the mentions state; grouping the union
    by pair merges the two sides into the basis, and keeps the first stating mention for text.
    """
    conn.execute(sa.text("DELETE FROM project_zones"))
    candidates = spatial_candidates(conn, "zones", "geom", "projects.geom")
    inside = predicate_sql(conn, "ST_Intersects(zones.geom, projects.geom)")
    conn.execute(sa.text(f"""
        INSERT INTO project_zones (project_id, zone_id, basis, mention_id)
        SELECT project_id, zone_id,
               CASE WHEN max(by_point) = 1 AND max(by_text) = 1 THEN 'both'
                    WHEN max(by_point) = 1 THEN 'spatial' ELSE 'text' END,
               min(mention_id)
        FROM (
            SELECT projects.id AS project_id, zones.id AS zone_id, 1 AS by_point, 0 AS by_text,
                   CAST(NULL AS INTEGER) AS mention_id
            FROM projects JOIN zones ON {candidates}
            WHERE projects.geom IS NOT NULL AND zones.geom IS NOT NULL AND {inside}
            UNION ALL
            SELECT project_id, zone_id, 0, 1, id
            FROM mentions WHERE zone_id IS NOT NULL
        ) AS stated_or_joined
        GROUP BY project_id, zone_id
    """))
    return conn.execute(sa.text("SELECT count(*) FROM project_zones")).scalar_one()


def spatial_pairs(conn: sa.Connection) -> set[tuple[str, str]]:
    """The (project, zone) pairs the geometry confirms (basis ``spatial`` or ``both``)."""
    rows = conn.execute(sa.text("SELECT project_id, zone_id FROM project_zones WHERE basis IN ('spatial', 'both')"))
    return {tuple(r) for r in rows}

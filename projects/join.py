"""The project↔zone relation, computed by the database with its spatial index."""

from __future__ import annotations

import sqlalchemy as sa

from geo.db import predicate_sql, spatial_candidates


def compute_project_zones(conn: sa.Connection) -> int:
    """Fill ``project_zones`` with every (project, zone) where the project's point lies in the zone.

    Runs in SQL on either backend; the candidate zones come from the spatial index (GiST on
    PostGIS, the R*Tree on SpatiaLite). Returns the number of pairs.
    """
    conn.execute(sa.text("DELETE FROM project_zones"))
    candidates = spatial_candidates(conn, "zones", "geom", "projects.geom")
    inside = predicate_sql(conn, "ST_Intersects(zones.geom, projects.geom)")
    conn.execute(sa.text(f"""
        INSERT INTO project_zones (project_id, zone_id)
        SELECT projects.id, zones.id
        FROM projects JOIN zones ON {candidates}
        WHERE projects.geom IS NOT NULL AND zones.geom IS NOT NULL AND {inside}
    """))
    return conn.execute(sa.text("SELECT count(*) FROM project_zones")).scalar_one()

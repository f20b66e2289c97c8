"""Mentions as data: every mention of a project in a document, one row each, with its project's point.

The whole status history in one table, for a spreadsheet or QGIS's temporal controller: each row
carries the year its statement holds (``year``) and a date (``date``) a GIS can use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from geo.geometry import to_geojson
from projects.models import Mention, Project
from projects.queries import PLACED_SQL, ProjectFilter, membership_sql
from projects.status import STATUS_LABELS, Status
from zones.models import Plan
from zones.queries import shape_or_none


@dataclass
class MentionFilter:
    """Filters of ``GET /api/mentions``; every field is optional."""

    project: str | None = None
    plan: str | None = None  # the document that makes the mention
    status: str | None = None  # the status the mention attests
    statement: str | None = None  # fact | target
    year: int | None = None  # the year the mention's statement holds (see mention_year)
    zone: str | None = None  # mentions of the projects that belong to this zone …
    basis: str | None = None  # … (or layout) by spatial | text | any (default) membership
    layout: str | None = None  # mentions of the projects that belong to a zone of this layout


def _plan_date(plan) -> dt.date | None:
    if plan.date:
        return plan.date
    if plan.year:
        return dt.date(int(plan.year), 1, 1)
    period = str(plan.period or "")
    return dt.date(int(period[:4]), 1, 1) if period[:4].isdigit() else None


def mention_year(m: dict, plan) -> int | None:
    """The year a mention's statement holds: as the catalog dates it (``status_year``, when the
    status timeline provides it), else the year the text gives, else the document's year."""
    if m.get("status_year"):
        return m["status_year"]
    if m.get("year"):
        return m["year"]
    d = _plan_date(plan)
    return d.year if d else None


def mention_date(year: int | None, plan) -> str | None:
    """An ISO date for GIS clients: the document's date when it speaks of its own year, else the
    last day of the year the statement holds (a 2016 report's review of 2015 → 2015-12-31)."""
    d = _plan_date(plan)
    if year is None:
        return d.isoformat() if d else None
    if d is not None and d.year == year:
        return d.isoformat()
    return dt.date(year, 12, 31).isoformat()


# Columns served under another name: the API speaks of documents and zones, not of foreign keys.
_RENAMED = {"plan_id": "plan", "zone_id": "zone", "project_id": "project", "year": "year_as_written"}


def mention_features(conn: sa.Connection, f: MentionFilter) -> list[dict]:
    """Every mention matching ``f`` as a GeoJSON Feature with its project's point (or null geometry),
    ordered by year, plan date, project and mention id."""
    t = Mention.__table__
    q = sa.select(t).order_by(t.c.id)
    if f.project:
        q = q.where(t.c.project_id == f.project)
    if f.plan:
        q = q.where(t.c.plan_id == f.plan)
    if f.status:
        q = q.where(t.c.status == f.status)
    if f.statement:
        q = q.where(t.c.statement == f.statement)
    for by, value in (("zone", f.zone), ("layout", f.layout)):  # the membership rule of /api/projects
        if value:
            members = membership_sql(conn, by, ProjectFilter(basis=f.basis), f":{by}")
            inside = [r[0] for r in conn.execute(sa.text(f"SELECT project_id FROM ({members}) AS in_{by}"), {by: value})]
            q = q.where(t.c.project_id.in_(inside))
    rows = [dict(r._mapping) for r in conn.execute(q)]
    plans = {p.id: p for p in conn.execute(sa.select(Plan.__table__))}
    ids = sorted({r["project_id"] for r in rows})
    projects = {p.id: p for p in conn.execute(sa.select(
        Project.id, Project.name_zh, Project.name_en, Project.geom, Project.location_accuracy_m,
        sa.literal_column(PLACED_SQL).label("placed")).where(Project.id.in_(ids)))} if ids else {}
    out = []
    for m in rows:
        plan, project = plans[m["plan_id"]], projects[m["project_id"]]
        year = mention_year(m, plan)
        if f.year is not None and year != f.year:
            continue
        d = _plan_date(plan)
        label_zh, label_en = STATUS_LABELS.get(Status(m["status"]), (None, None))
        props = {"id": m["id"], "project": m["project_id"], "project_name_zh": project.name_zh, "project_name_en": project.name_en}
        for k, v in m.items():
            if k not in ("id", "project_id"):
                props[_RENAMED.get(k, k)] = list(v) if isinstance(v, (list, tuple)) else v
        props.update({
            "status_zh": label_zh, "status_en": label_en, "source_file": plan.source_file, "plan_title_zh": plan.title_zh,
            "plan_date": d.isoformat() if d else None, "year": year, "date": mention_date(year, plan),
            "placed": project.placed, "location_accuracy_m": project.location_accuracy_m,
        })
        geom = shape_or_none(project.geom)
        out.append({"type": "Feature", "id": m["id"], "geometry": to_geojson(geom), "properties": props})
    out.sort(key=lambda x: (x["properties"]["year"] or 0, x["properties"]["plan_date"] or "", x["properties"]["project"], x["id"]))
    return out

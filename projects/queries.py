"""Read queries for projects, their mentions and industries, as plain dicts / GeoJSON."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import shapely
import sqlalchemy as sa
from shapely.geometry.base import BaseGeometry

from geo.db import (
    circle_bbox, envelope_sql, geom_from_wkb_sql, like_contains, near_box_sql, predicate_sql, spatial_candidates, text_order_sql,
    within_distance_sql,
)
from geo.geometry import to_geojson
from projects import features, timeline
from projects.join import BASIS_FILTER
from projects.models import (
    Industry, IndustryGroup, Mention, Project, industry_group_members, project_industries,
    project_status_seen_by, project_status_years, project_streets, project_zones,
)
from projects.timeline import in_date_order, plan_date
from projects.status import STATUS_LABELS, Status
from zones.models import Plan, Zone
from zones.queries import shape_or_none

# A project counts as "on" a street when its catalog entry names the street or its point lies
# within this distance of the street's centreline.
STREET_NEAR_M = 150


@dataclass
class ProjectFilter:
    """Filters of ``GET /api/projects``; every field is optional."""

    zone: str | None = None  # belongs to this zone (see basis)
    layout: str | None = None  # belongs to some zone of this layout (see basis)
    basis: str | None = None  # how zone/layout membership is known: spatial | text | any (default)
    plan: str | None = None  # mentioned in this document (plan id or source file name)
    status: str | None = None  # the status now, or as of / as seen by when those are given
    industry: str | None = None
    street: str | None = None
    district: str | None = None  # as written, e.g. 西岗区
    kind: str | None = None
    located: bool | None = None
    placed: str | None = None  # located | text_only | unplaced (see PLACED)
    bbox: tuple[float, float, float, float] | None = None
    near: tuple[float, float, float] | None = None  # lon, lat, radius in metres
    q: str | None = None  # text search in names and aliases
    # The status view (projects.timeline): at the end of a year — projects not yet mentioned by
    # then are left out — or as one document states it — only the projects it mentions.
    as_of: int | None = None
    as_seen_by: str | None = None  # plan id
    # Any area: projects whose point lies within area_m metres of ``area`` (WGS84; intersecting it
    # when area_m is 0) — a drawn polygon, a corridor along a street, a circle round a point.
    area: BaseGeometry | None = None
    area_m: float = 0.0


# The dimensions a project can be grouped by (``/api/stats?by=``), each with the ProjectFilter field
# that selects one group of it (``/api/projects?zone=`` …): one membership rule serves both.
GROUPINGS = {"zone": "zone", "layout": "layout", "district": "district", "street": "street",
             "industry": "industry", "document": "plan"}

# Where a project is placed: ``located`` = it has a point; ``text_only`` = no point, but a document
# states a zone for it; ``unplaced`` = neither. Every project is exactly one of the three.
PLACED = ("located", "text_only", "unplaced")
PLACED_SQL = ("CASE WHEN projects.geom IS NOT NULL THEN 'located'"
              " WHEN EXISTS (SELECT 1 FROM project_zones WHERE project_zones.project_id = projects.id) THEN 'text_only'"
              " ELSE 'unplaced' END")


def status_sql(conn: sa.Connection, f: ProjectFilter) -> str:
    """SQL for a project's status in ``f``'s status view, correlated with ``projects``: what the
    statistics count. The text form of ``view_columns(f)["status"]``; its parameters (``:as_of``,
    ``:as_seen_by``) are bound by ``status_where``, which selects the same projects."""
    if f.as_of is not None:
        return ("(SELECT psy.status FROM project_status_years AS psy WHERE psy.project_id = projects.id"
                " AND psy.from_year <= :as_of AND (psy.to_year IS NULL OR psy.to_year >= :as_of))")
    if f.as_seen_by is not None:
        return ("(SELECT pss.status FROM project_status_seen_by AS pss WHERE pss.project_id = projects.id"
                " AND pss.plan_id = :as_seen_by)")
    return "projects.status"


def status_year_sql(conn: sa.Connection, f: ProjectFilter) -> str:
    """SQL for the year a project's status in ``f``'s status view holds from (the text form of
    ``view_columns(f)["status_year"]``), like :func:`status_sql`: what ``sort=status_year`` orders by."""
    if f.as_of is not None:
        return ("(SELECT psy.from_year FROM project_status_years AS psy WHERE psy.project_id = projects.id"
                " AND psy.from_year <= :as_of AND (psy.to_year IS NULL OR psy.to_year >= :as_of))")
    if f.as_seen_by is not None:
        return ("(SELECT pss.status_year FROM project_status_seen_by AS pss WHERE pss.project_id = projects.id"
                " AND pss.plan_id = :as_seen_by)")
    return "projects.status_year"


def membership_sql(conn: sa.Connection, by: str, f: ProjectFilter, group_param: str | None = None) -> str:
    """SQL rows ``(project_id, group_id)``, without duplicates: which projects belong to which group of
    the dimension ``by`` (a key of :data:`GROUPINGS`). With ``group_param`` (a bound parameter name such
    as ``":zone"``) only that group's rows.

    The one definition of "a project of group G" for the filters of ``/api/projects`` and the
    statistics grouped by ``by``: their counts agree by construction. Zone and layout membership
    follow ``f.basis`` (spatial, text or any).
    """
    only = (lambda col: f" AND {col} = {group_param}") if group_param else (lambda col: "")
    if by == "zone":
        bases = ", ".join(f"'{b}'" for b in BASIS_FILTER[f.basis or "any"])
        return f"SELECT project_id, zone_id AS group_id FROM project_zones WHERE basis IN ({bases}){only('zone_id')}"
    if by == "layout":
        bases = ", ".join(f"'{b}'" for b in BASIS_FILTER[f.basis or "any"])
        return ("SELECT DISTINCT project_zones.project_id, zones.layout_id AS group_id FROM project_zones"
                f" JOIN zones ON zones.id = project_zones.zone_id WHERE project_zones.basis IN ({bases}){only('zones.layout_id')}")
    if by == "document":
        return f"SELECT DISTINCT project_id, plan_id AS group_id FROM mentions WHERE 1=1{only('plan_id')}"
    if by == "industry":
        return f"SELECT project_id, industry_id AS group_id FROM project_industries WHERE 1=1{only('industry_id')}"
    if by == "district":
        return f"SELECT id AS project_id, district AS group_id FROM projects WHERE district IS NOT NULL{only('district')}"
    if by == "street":
        # named on the street by the catalog, or its point within STREET_NEAR_M of the centreline (a box
        # test first spares the exact metric distance for the pairs far apart)
        near = within_distance_sql(conn, "projects.geom", "streets.geom", f"{STREET_NEAR_M}")
        box = near_box_sql(conn, "projects.geom", "streets.geom", STREET_NEAR_M)
        return (f"SELECT project_id, street_id AS group_id FROM project_streets WHERE 1=1{only('street_id')}"
                " UNION SELECT projects.id, streets.id FROM projects JOIN streets"
                f" ON streets.geom IS NOT NULL AND projects.geom IS NOT NULL{only('streets.id')} WHERE {box} AND {near}")
    raise ValueError(f"unknown grouping {by!r}; expected one of {', '.join(GROUPINGS)}")


def _where(conn: sa.Connection, f: ProjectFilter) -> tuple[list[str], dict]:
    clauses, params = [], {}
    for by, field in GROUPINGS.items():
        value = getattr(f, field)
        if value:
            clauses.append(f"projects.id IN (SELECT project_id FROM ({membership_sql(conn, by, f, ':' + field)}) AS in_{by})")
            params[field] = value
    clauses_, params_ = status_where(f)
    clauses += clauses_
    params.update(params_)
    if f.kind:
        clauses.append("projects.kind = :kind")
        params["kind"] = f.kind
    if f.located is not None:
        clauses.append("projects.geom IS NOT NULL" if f.located else "projects.geom IS NULL")
    if f.placed:
        clauses.append(f"{PLACED_SQL} = :placed")
        params["placed"] = f.placed
    if f.bbox:
        env = envelope_sql(conn, ":minx", ":miny", ":maxx", ":maxy")
        clauses.append(spatial_candidates(conn, "projects", "geom", env))
        clauses.append(predicate_sql(conn, f"ST_Intersects(projects.geom, {env})"))
        params.update(minx=f.bbox[0], miny=f.bbox[1], maxx=f.bbox[2], maxy=f.bbox[3])
    if f.near:
        lon, lat, radius = f.near
        point = "MakePoint(:lon, :lat, 4326)" if conn.dialect.name == "sqlite" else "ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)"
        clauses.append("projects.geom IS NOT NULL")
        if (box := circle_bbox(lon, lat, radius)) is not None:  # the spatial index first: the exact distance is a scan
            clauses.append(spatial_candidates(conn, "projects", "geom", envelope_sql(conn, ":near_minx", ":near_miny", ":near_maxx", ":near_maxy")))
            params.update(near_minx=box[0], near_miny=box[1], near_maxx=box[2], near_maxy=box[3])
        clauses.append(within_distance_sql(conn, "projects.geom", point, ":radius"))
        params.update(lon=lon, lat=lat, radius=radius)
    if f.area is not None:
        clauses.append("projects.geom IS NOT NULL")
        clauses.append(_area_sql(conn, f.area, f.area_m, params))
    if f.q:
        # The text is matched literally: its % and _ are not wildcards.
        clauses.append("lower(projects.names) LIKE :q ESCAPE '\\'")
        params["q"] = like_contains(f.q.lower())
    return clauses, params


def matched_sql(conn: sa.Connection, f: ProjectFilter) -> tuple[str, dict]:
    """SQL rows ``(id, status, placed)`` of the projects matching ``f``, with its parameters: the set
    ``/api/projects`` pages through and the statistics count."""
    clauses, params = _where(conn, f)
    where = " AND ".join(clauses) or "1=1"
    return f"SELECT projects.id AS id, {status_sql(conn, f)} AS status, {PLACED_SQL} AS placed FROM projects WHERE {where}", params


def status_where(f: ProjectFilter) -> tuple[list[str], dict]:
    """The SQL for ``status``, ``as_of`` and ``as_seen_by`` (plain SQL on both backends): the
    status periods (project_status_years) cover the year, or the document's statuses
    (project_status_seen_by) name the project; ``status`` then filters that status."""
    status = " AND status = :status" if f.status else ""
    params = {"status": f.status} if f.status else {}
    if f.as_of is not None:
        params["as_of"] = f.as_of
        return [("projects.id IN (SELECT project_id FROM project_status_years WHERE from_year <= :as_of"
                 f" AND (to_year IS NULL OR to_year >= :as_of){status})")], params
    if f.as_seen_by is not None:
        params["as_seen_by"] = f.as_seen_by
        return [f"projects.id IN (SELECT project_id FROM project_status_seen_by WHERE plan_id = :as_seen_by{status})"], params
    return (["projects.status = :status"], params) if f.status else ([], {})


def view_columns(f: ProjectFilter) -> dict[str, object]:
    """SQL expressions of a project's ``status``, ``status_year``, ``status_words`` and
    ``status_plan`` (the document the status rests on) in ``f``'s status view (as of a year, as
    seen by a document; the stored columns otherwise), correlated with ``projects``, for callers
    that select or filter columns themselves (vector tiles, CQL2 queryables, ``sortby``)."""
    if f.as_of is not None:
        t = project_status_years
        cover = [t.c.project_id == Project.id, t.c.from_year <= f.as_of, sa.or_(t.c.to_year.is_(None), t.c.to_year >= f.as_of)]
        return {"status": sa.select(t.c.status).where(*cover).scalar_subquery(),
                "status_year": sa.select(t.c.from_year).where(*cover).scalar_subquery(),
                "status_words": sa.select(t.c.words).where(*cover).scalar_subquery(),
                "status_plan": sa.select(t.c.plan_id).where(*cover).scalar_subquery()}
    if f.as_seen_by is not None:
        t = project_status_seen_by
        mine = [t.c.project_id == Project.id, t.c.plan_id == f.as_seen_by]
        return {"status": sa.select(t.c.status).where(*mine).scalar_subquery(),
                "status_year": sa.select(t.c.status_year).where(*mine).scalar_subquery(),
                "status_words": sa.select(t.c.words).where(*mine).scalar_subquery(),
                "status_plan": sa.select(t.c.plan_id).where(*mine).scalar_subquery()}
    return {"status": Project.status, "status_year": Project.status_year, "status_words": Project.status_words,
            "status_plan": Project.status_plan_id}


ALL_PROJECTS = "1=1"  # project_condition without any filter (project_page_texts reads the stored count)


def project_condition(conn: sa.Connection, f: ProjectFilter):
    """``f`` as one SQL condition on ``projects`` (bound parameters), for callers that compose it
    with conditions of their own (the OGC API's CQL2 filters, vector tiles)."""
    clauses, params = _where(conn, f)
    return sa.text(" AND ".join(clauses) or ALL_PROJECTS).bindparams(**params)


def _area_sql(conn: sa.Connection, area: BaseGeometry, metres: float, params: dict) -> str:
    """Condition: the project's point within ``metres`` of ``area`` (or in it), sent as WKB."""
    geom = geom_from_wkb_sql(conn, ":area_wkb")
    params["area_wkb"] = shapely.to_wkb(area, output_dimension=2)
    # The index narrows to the area's box grown by the distance (a degree of latitude ≥ 110.5 km;
    # of longitude, that times cos(latitude)); the exact test follows.
    minx, miny, maxx, maxy = area.bounds
    dlat = metres / 110_500 + 1e-9
    dlon = dlat / max(0.1, math.cos(math.radians(max(abs(miny), abs(maxy)))))
    params.update(area_minx=minx - dlon, area_miny=miny - dlat, area_maxx=maxx + dlon, area_maxy=maxy + dlat)
    frame = spatial_candidates(conn, "projects", "geom", envelope_sql(conn, ":area_minx", ":area_miny", ":area_maxx", ":area_maxy"))
    if metres > 0:
        params["area_m"] = metres
        return f"{frame} AND {within_distance_sql(conn, 'projects.geom', geom, ':area_m')}"
    return f"{frame} AND {predicate_sql(conn, f'ST_Intersects(projects.geom, {geom})')}"


# Orders ``find_project_ids`` offers (the API's ``sort``): name → SQL expression. ``status`` and
# ``status_year`` are those of the filter's status view (as_of / as_seen_by), as the features show.
def _sort_expressions(conn: sa.Connection, f: ProjectFilter | None = None) -> dict[str, str]:
    ranks = " ".join(f"WHEN '{s.value}' THEN {i}" for i, s in enumerate(Status))
    f = f or ProjectFilter()
    return {
        "id": text_order_sql(conn, "projects.id"),
        "name_zh": text_order_sql(conn, "projects.name_zh"),
        "name_en": text_order_sql(conn, "lower(projects.name_en)"),
        "status": f"CASE {status_sql(conn, f)} {ranks} END",  # the vocabulary's order
        "status_year": status_year_sql(conn, f),
        "kind": text_order_sql(conn, "projects.kind"),
        "district": text_order_sql(conn, "projects.district"),
    }


SORT_KEYS = ("id", "name_zh", "name_en", "status", "status_year", "kind", "district")


def count_projects(conn: sa.Connection, f: ProjectFilter) -> int:
    """How many projects match ``f``."""
    clauses, params = _where(conn, f)
    where = " AND ".join(clauses) or "1=1"
    return conn.execute(sa.text(f"SELECT count(*) FROM projects WHERE {where}"), params).scalar_one()


def find_project_ids(conn: sa.Connection, f: ProjectFilter, limit: int, offset: int,
                     order: list[tuple[str, bool]] | None = None) -> list[str]:
    """The ids of matching projects, one page, in ``order`` — ``[(key, descending), …]`` with keys
    from ``SORT_KEYS`` — then by id. Empty values sort last either way, on both backends."""
    clauses, params = _where(conn, f)
    where = " AND ".join(clauses) or "1=1"
    params.update(limit=limit, offset=offset)
    sql = f"SELECT id FROM projects WHERE {where} ORDER BY {', '.join(order_terms(conn, f, order))} LIMIT :limit OFFSET :offset"
    return list(conn.execute(sa.text(sql), params).scalars())


def order_terms(conn: sa.Connection, f: ProjectFilter, order: list[tuple[str, bool]] | None = None) -> list[str]:
    """The SQL ORDER BY terms of :func:`find_project_ids` (on ``projects``; ``:as_of`` /
    ``:as_seen_by`` bound as :func:`project_condition` binds them), ending with the id."""
    exprs = _sort_expressions(conn, f)
    terms = []
    for key, descending in order or []:
        expr = exprs[key]
        terms.append(f"({expr}) IS NULL")  # false (0) before true: nulls last in both dialects
        terms.append(f"{expr} DESC" if descending else expr)
    terms.append(exprs["id"])
    return terms


def _links(conn, table, key, value, ids):
    out: dict[str, list[str]] = defaultdict(list)
    if not ids:
        return out
    rows = conn.execute(sa.select(table.c[key], table.c[value]).where(table.c[key].in_(ids)).order_by(table.c[value]))
    for k, v in rows:
        out[k].append(v)
    return out


def _zone_links(conn, ids: list[str]) -> dict[str, list[dict]]:
    """Per project: ``[{"id", "basis"}]`` of its zones, by zone id."""
    out: dict[str, list[dict]] = defaultdict(list)
    t = project_zones
    rows = conn.execute(sa.select(t.c.project_id, t.c.zone_id, t.c.basis).where(t.c.project_id.in_(ids)).order_by(t.c.zone_id))
    for pid, zid, basis in rows:
        out[pid].append({"id": zid, "basis": basis})
    return out


def _plan_dicts(conn: sa.Connection) -> dict[str, dict]:
    return {r.id: {"date": r.date, "year": r.year, "period": r.period} for r in conn.execute(sa.select(Plan.id, Plan.date, Plan.year, Plan.period))}


def _mentions_of(conn: sa.Connection, ids: list[str]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for r in conn.execute(sa.select(Mention.__table__).where(Mention.project_id.in_(ids)).order_by(Mention.id)):
        out[r.project_id].append(dict(r._mapping))
    return out


def _basis(plan: str | None, year: int | None, words: str | None) -> dict | None:
    return {"plan": plan, "year": year, "words": words} if plan else None


def status_timelines(conn: sa.Connection, ids: list[str]) -> dict[str, list[dict]]:
    """The compact timeline of each project: ``[{"year", "status"}]`` where its status changes."""
    out: dict[str, list[dict]] = defaultdict(list)
    t = project_status_years
    for r in conn.execute(sa.select(t.c.project_id, t.c.from_year, t.c.status).where(t.c.project_id.in_(ids)).order_by(t.c.project_id, t.c.from_year)):
        out[r.project_id].append({"year": r.from_year, "status": r.status})
    return out


def project_features(conn: sa.Connection, ids: list[str], as_of: int | None = None, as_seen_by: str | None = None) -> list[dict]:
    """GeoJSON features of the given projects, in the given order.

    The status properties are those now, or — with ``as_of`` / ``as_seen_by`` — at the end of that
    year / as that document states them (projects.timeline, from the project's mentions). Without a
    status view the features come from one statement (:mod:`projects.features`, the hot path);
    with one, from :func:`project_features_by_rows`.
    """
    if as_of is None and as_seen_by is None:
        return features.project_features(conn, ids)
    return project_features_by_rows(conn, ids, as_of, as_seen_by)


def project_features_by_rows(conn: sa.Connection, ids: list[str], as_of: int | None = None,
                             as_seen_by: str | None = None) -> list[dict]:
    """:func:`project_features` built row by row from the tables (a statement per related table,
    the status view computed in Python): the reference the one-statement path is tested against."""
    if not ids:
        return []
    rows = {r.id: r for r in conn.execute(sa.select(Project.__table__, sa.literal_column(PLACED_SQL).label("placed")).where(Project.id.in_(ids)))}
    zones = _zone_links(conn, ids)
    industries = _links(conn, project_industries, "project_id", "industry_id", ids)
    streets = _links(conn, project_streets, "project_id", "street_id", ids)
    plans = {r.id: r for r in conn.execute(sa.select(Plan.id, Plan.source_file, Plan.title_zh))}
    counts = dict(conn.execute(sa.select(Mention.project_id, sa.func.count()).where(Mention.project_id.in_(ids)).group_by(Mention.project_id)).all())
    timelines = status_timelines(conn, ids)
    plan_dicts = _plan_dicts(conn)
    views: dict[str, timeline.Standing | None] = {}
    if as_of is not None or as_seen_by is not None:
        for pid, ms in _mentions_of(conn, ids).items():
            views[pid] = (timeline.status_at(ms, plan_dicts, as_of) if as_of is not None
                          else timeline.as_seen_by(ms, as_seen_by, plan_dicts))
    out = []
    for pid in ids:
        r = rows.get(pid)
        if r is None:
            continue
        if as_of is not None or as_seen_by is not None:
            v = views.get(pid)
            status = v.status if v else Status.unknown.value
            status_year = v.status_year if v else None
            basis = _basis(v.basis.plan, v.basis.year, v.basis.words) if v else None
            target = (v.target_status, v.target_year) if v else (None, None)
            target_basis = _basis(v.target_basis.plan, v.target_basis.year, v.target_basis.words) if v and v.target_basis else None
        else:
            status, status_year = r.status, r.status_year
            basis = _basis(r.status_plan_id, r.status_year, r.status_words)
            target = (r.target_status, r.target_year)
            # a target is dated by its document: the year it was said
            said = plan_date(plan_dicts[r.target_plan_id]).year if r.target_plan_id else None
            target_basis = _basis(r.target_plan_id, said, r.target_words)
        label_zh, label_en = STATUS_LABELS[Status(status)]
        plan = plans.get(basis["plan"]) if basis else None
        props = {
            "id": r.id, "name_zh": r.name_zh, "name_en": r.name_en, "aliases": list(r.aliases or []),
            "kind": r.kind, "district": r.district,
            "status": status, "status_zh": label_zh, "status_en": label_en,
            "status_year": status_year, "status_basis": basis,
            "status_words": basis["words"] if basis else None,
            "status_document": basis["plan"] if basis else None, "status_source_file": plan.source_file if plan else None,
            "target_status": target[0], "target_year": target[1], "target_basis": target_basis,
            "status_timeline": timelines.get(pid, []),
            "zones": zones.get(pid, []), "zone_ids": [z["id"] for z in zones.get(pid, [])],
            "industries": industries.get(pid, []), "streets": streets.get(pid, []),
            "mentions": counts.get(pid, 0),
            "placed": r.placed,
            "location_accuracy_m": r.location_accuracy_m, "placement": r.placement, "confidence": r.confidence,
        }
        if as_of is not None:
            props["as_of"] = as_of
        if as_seen_by is not None:
            props["as_seen_by"] = as_seen_by
        geom = shape_or_none(r.geom)
        feature = {"type": "Feature", "id": r.id, "geometry": to_geojson(geom), "properties": props}
        if r.site is not None:
            props["site"] = to_geojson(shape_or_none(r.site))
        out.append(feature)
    return out


def project_detail(conn: sa.Connection, project_id: str) -> dict | None:
    """One project as a Feature, with its mentions in date order (the status history) and zones."""
    feats = project_features(conn, [project_id])
    if not feats:
        return None
    feature = feats[0]
    plans = {r.id: r for r in conn.execute(sa.select(Plan.__table__))}
    plan_dicts = {pid: {"date": p.date, "year": p.year, "period": p.period} for pid, p in plans.items()}
    mentions = _mentions_of(conn, [project_id]).get(project_id, [])
    history = []
    for m in in_date_order(mentions, plan_dicts):
        p = plans[m["plan_id"]]
        history.append({
            "document": m["plan_id"], "source_file": p.source_file, "document_title_zh": p.title_zh,
            "document_date": p.date.isoformat() if p.date else None,
            "document_year": plan_date(plan_dicts[m["plan_id"]]).year,
            "section": m["section"], "status_words": m["status_words"], "status": m["status"],
            "status_note": m["status_note"], "statement": m["statement"], "statement_note": m["statement_note"],
            "status_year": m["status_year"], "target_status": m["target_status"], "target_year": m["target_year"],
            "status_change_reason": m["status_change_reason"],
            "year": m["year"], "zone_as_written": m["zone_as_written"],
            "zone": m["zone_id"], "zone_note": m["zone_note"], "industries": list(m["industries"] or []),
            "investment": m["investment"], "quote": m["quote"],
        })
    feature["properties"]["mention_history"] = history
    feature["properties"]["zone_details"] = _zone_details(conn, project_id, feature["properties"]["zones"], plans)
    return feature


def _zone_details(conn, project_id: str, zones: list[dict], plans: dict) -> list[dict]:
    """The project's zones with names, layout, basis and, where a document states it, the mentions that do."""
    if not zones:
        return []
    basis = {z["id"]: z["basis"] for z in zones}
    stated: dict[str, list[dict]] = defaultdict(list)
    for m in conn.execute(sa.select(Mention.id, Mention.zone_id, Mention.plan_id, Mention.section, Mention.zone_as_written, Mention.zone_note, Mention.quote)
                          .where(Mention.project_id == project_id, Mention.zone_id.is_not(None)).order_by(Mention.id)):
        stated[m.zone_id].append({"mention": m.id, "document": m.plan_id, "source_file": plans[m.plan_id].source_file,
                                  "section": m.section, "zone_as_written": m.zone_as_written, "zone_note": m.zone_note, "quote": m.quote})
    return [
        {"id": z.id, "name_zh": z.name_zh, "name_en": z.name_en, "layout": z.layout_id, "plan": z.plan_id,
         "basis": basis[z.id], "stated_by": stated.get(z.id, [])}
        for z in conn.execute(sa.select(Zone.id, Zone.name_zh, Zone.name_en, Zone.layout_id, Zone.plan_id).where(Zone.id.in_(list(basis))).order_by(Zone.id))
    ]


def list_industries(conn: sa.Connection) -> list[dict]:
    """Every industry with its groups and how many projects it is linked to."""
    groups = {r.id: r for r in conn.execute(sa.select(IndustryGroup.__table__))}
    members = _links(conn, industry_group_members, "industry_id", "group_id", [r[0] for r in conn.execute(sa.select(Industry.id))])
    counts = dict(conn.execute(sa.select(project_industries.c.industry_id, sa.func.count()).group_by(project_industries.c.industry_id)).all())
    out = []
    for r in conn.execute(sa.select(Industry.__table__).order_by(Industry.id)):
        out.append({
            "id": r.id, "name_zh": r.name_zh, "name_en": r.name_en,
            "groups": [{"id": g, "name_zh": groups[g].name_zh, "name_en": groups[g].name_en} for g in members.get(r.id, [])],
            "projects": counts.get(r.id, 0), "document": r.plan_id, "section": r.section, "quote": r.quote,
        })
    return out


def exists(conn: sa.Connection, table: str, id_: str) -> bool:
    """Whether a row with this id exists in ``table`` (plans, zones, streets, industries …)."""
    return conn.execute(sa.text(f"SELECT 1 FROM {table} WHERE id = :id"), {"id": id_}).first() is not None


def known_districts(conn: sa.Connection) -> list[str]:
    """The district names a query may give: those the projects carry, and those of the admin
    outlines (a real district with no project is an empty answer, a typo is not)."""
    rows = conn.execute(sa.text("SELECT district FROM projects WHERE district IS NOT NULL "
                                "UNION SELECT name_zh FROM districts"))
    return sorted(r[0] for r in rows)

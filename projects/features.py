"""Project features for the hot paths: a page of GeoJSON features from one statement.

:func:`projects.queries.project_features` builds the same features (it remains the reference, and
answers the status views ``as_of`` / ``as_seen_by``). Here the database does the joins: the
project's row, its status and target documents, its zones, industries, streets, mention count and
status timeline come back as one row per project (the lists as ordered JSON arrays, see
:func:`geo.db.json_array_sql`), for a list of ids bound as one parameter; Python only assembles
dicts. Points are written from ``ST_X``/``ST_Y`` with the API's rounding (no shapely per row);
project sites, which are rare, go through :func:`geo.geometry.to_geojson` as before.
"""

from __future__ import annotations

import datetime as dt

import shapely
import sqlalchemy as sa

from geo.db import in_list_sql, json_array_sql, json_object_sql, json_value, list_param
from geo.geometry import to_geojson
from projects.status import STATUS_LABELS, Status
from projects.timeline import plan_date

_LABELS = {s.value: STATUS_LABELS[s] for s in Status}
PRECISION = 6  # as geo.geometry.to_geojson


def _statement(conn: sa.Connection) -> str:
    def links(table: str, column: str) -> str:
        return json_array_sql(conn, f"l.{column}", f"{table} AS l WHERE l.project_id = projects.id", f"l.{column}")

    zones = json_array_sql(conn, json_object_sql(conn, id="l.zone_id", basis="l.basis"),
                           "project_zones AS l WHERE l.project_id = projects.id", "l.zone_id")
    timeline = json_array_sql(conn, json_object_sql(conn, year="y.from_year", status="y.status"),
                              "project_status_years AS y WHERE y.project_id = projects.id", "y.from_year")
    return f"""
        SELECT projects.id, projects.name_zh, projects.name_en, projects.aliases, projects.kind, projects.district,
               projects.status, projects.status_year, projects.status_plan_id, projects.status_words,
               projects.target_status, projects.target_year, projects.target_plan_id, projects.target_words,
               projects.location_accuracy_m, projects.placement, projects.confidence,
               ST_X(projects.geom), ST_Y(projects.geom),
               CASE WHEN projects.site IS NOT NULL THEN ST_AsBinary(projects.site) END,
               status_plan.source_file, target_plan.date, target_plan.year, target_plan.period,
               {zones}, {links('project_industries', 'industry_id')}, {links('project_streets', 'street_id')},
               (SELECT count(*) FROM mentions AS m WHERE m.project_id = projects.id), {timeline}, {{placed}}
        FROM projects
        LEFT JOIN plans AS status_plan ON status_plan.id = projects.status_plan_id
        LEFT JOIN plans AS target_plan ON target_plan.id = projects.target_plan_id
        WHERE {in_list_sql(conn, 'projects.id', ':ids')}"""


def project_features(conn: sa.Connection, ids: list[str]) -> list[dict]:
    """GeoJSON features of the given projects, in the given order: the same features as
    :func:`projects.queries.project_features` (without a status view), from one statement."""
    if not ids:
        return []
    from projects.queries import PLACED_SQL

    sql = _statement(conn).replace("{placed}", PLACED_SQL)
    rows = {r[0]: r for r in conn.execute(sa.text(sql), {"ids": list_param(conn, ids)}).all()}
    out = []
    for pid in ids:
        r = rows.get(pid)
        if r is None:
            continue
        (id_, name_zh, name_en, aliases, kind, district, status, status_year, status_plan, status_words,
         target_status, target_year, target_plan, target_words, accuracy, placement, confidence, x, y, site,
         source_file, t_date, t_year, t_period, zones, industries, streets, mentions, timeline, placed) = r
        basis = {"plan": status_plan, "year": status_year, "words": status_words} if status_plan else None
        if target_plan:
            if isinstance(t_date, str):  # SQLite gives dates as text
                t_date = dt.date.fromisoformat(t_date)
            # a target is dated by its document: the year it was said
            said = plan_date({"date": t_date, "year": t_year, "period": t_period}).year
            target_basis = {"plan": target_plan, "year": said, "words": target_words}
        else:
            target_basis = None
        label_zh, label_en = _LABELS[status]
        zones = json_value(zones)
        props = {
            "id": id_, "name_zh": name_zh, "name_en": name_en, "aliases": list(json_value(aliases) or []),
            "kind": kind, "district": district,
            "status": status, "status_zh": label_zh, "status_en": label_en,
            "status_year": status_year, "status_basis": basis,
            "status_words": status_words if basis else None,
            "status_document": status_plan if basis else None, "status_source_file": source_file if basis else None,
            "target_status": target_status, "target_year": target_year, "target_basis": target_basis,
            "status_timeline": json_value(timeline),
            "zones": zones, "zone_ids": [z["id"] for z in zones],
            "industries": json_value(industries), "streets": json_value(streets),
            "mentions": mentions, "placed": placed,
            "location_accuracy_m": accuracy, "placement": placement, "confidence": confidence,
        }
        geometry = {"type": "Point", "coordinates": [round(x, PRECISION), round(y, PRECISION)]} if x is not None else None
        feature = {"type": "Feature", "id": id_, "geometry": geometry, "properties": props}
        if site is not None:
            props["site"] = to_geojson(shapely.from_wkb(bytes(site)))
        out.append(feature)
    return out


# --- the page text written by the database -----------------------------------------------------
# The same features again, as JSON text built by the database, one text per feature, written once
# at load into ``project_texts`` (:func:`write_feature_texts`): a page joins them into its answer
# (orjson fragments), with no dict, no parsing and no encoding per feature — at 1,000 features per
# page those were four fifths of the request's time — and, since the texts are stored, no
# composing either (on PostgreSQL that was ~85 µs a feature per request). Properties in the order
# and with the values of :func:`project_features` followed by the API's one name for a plan
# (``status_plan``, as ``webmap.routes.api.vocabulary`` adds it); ``flat``: as the OGC items
# flatten them (lists and objects as JSON text, no site). Numbers are the same numbers (a whole
# coordinate or accuracy may read ``121`` where Python writes ``121.0``).

def _label_sql(column: str, index: int) -> str:
    import orjson

    whens = " ".join(f"WHEN '{s}' THEN '{orjson.dumps(labels[index]).decode().replace(chr(39), chr(39) * 2)}'"
                     for s, labels in _LABELS.items())
    return f"(CASE {column} {whens} ELSE 'null' END)"


def _feature_text_sql(conn: sa.Connection, flat: bool) -> str:
    from geo import db
    from projects.queries import PLACED_SQL

    def s(expr: str) -> str:
        return db.json_string_sql(conn, expr)

    def n(expr: str) -> str:
        return db.json_int_sql(conn, expr)

    # Lists and objects: written as orjson writes them, or — flat — as json.dumps does, in a string.
    sep, colon = (", ", ": ") if flat else (",", ":")

    def nested(text: str) -> str:
        return s(text) if flat else text

    def obj(**fields: str) -> str:
        return "'{' || " + f" || '{sep}' || ".join(f"'\"{k}\"{colon}' || {v}" for k, v in fields.items()) + " || '}'"

    def listed(item: str, from_where: str, order: str) -> str:
        return db.json_text_list_sql(conn, item, from_where, order, sep)

    def links(table: str, column: str) -> str:
        return listed(s(f"l.{column}"), f"{table} AS l WHERE l.project_id = projects.id", f"l.{column}")

    zones_from = "project_zones AS l WHERE l.project_id = projects.id"
    said = (f"(CASE WHEN target_plan.date IS NOT NULL THEN {db.date_year_sql(conn, 'target_plan.date')}"
            f" WHEN target_plan.year IS NOT NULL AND target_plan.year <> 0 THEN target_plan.year"
            f" WHEN {db.all_digits_sql(conn, 'substr(target_plan.period, 1, 4)')} THEN CAST(substr(target_plan.period, 1, 4) AS INTEGER)"
            " ELSE 1 END)")  # projects.timeline.plan_date(plan).year
    has_basis = "projects.status_plan_id IS NOT NULL"
    props = {
        "id": s("projects.id"), "name_zh": s("projects.name_zh"), "name_en": s("projects.name_en"),
        "aliases": nested(db.json_string_array_sql(conn, "projects.aliases", sep)),
        "kind": s("projects.kind"), "district": s("projects.district"),
        "status": s("projects.status"), "status_zh": _label_sql("projects.status", 0), "status_en": _label_sql("projects.status", 1),
        "status_year": n("projects.status_year"),
        "status_basis": f"(CASE WHEN {has_basis} THEN {nested(obj(plan=s('projects.status_plan_id'), year=n('projects.status_year'), words=s('projects.status_words')))} ELSE 'null' END)",
        "status_words": f"(CASE WHEN {has_basis} THEN {s('projects.status_words')} ELSE 'null' END)",
        "status_document": s("projects.status_plan_id"),
        "status_source_file": f"(CASE WHEN {has_basis} THEN {s('status_plan.source_file')} ELSE 'null' END)",
        "target_status": s("projects.target_status"), "target_year": n("projects.target_year"),
        "target_basis": f"(CASE WHEN projects.target_plan_id IS NOT NULL THEN {nested(obj(plan=s('projects.target_plan_id'), year=n(said), words=s('projects.target_words')))} ELSE 'null' END)",
        "status_timeline": nested(listed(obj(year=n("y.from_year"), status=s("y.status")),
                                         "project_status_years AS y WHERE y.project_id = projects.id", "y.from_year")),
        "zones": nested(listed(obj(id=s("l.zone_id"), basis=s("l.basis")), zones_from, "l.zone_id")),
        "zone_ids": nested(listed(s("l.zone_id"), zones_from, "l.zone_id")),
        "industries": nested(links("project_industries", "industry_id")), "streets": nested(links("project_streets", "street_id")),
        "mentions": n("(SELECT count(*) FROM mentions AS m WHERE m.project_id = projects.id)"),
        "placed": s(f"({PLACED_SQL})"),
        "location_accuracy_m": db.json_float_sql(conn, "projects.location_accuracy_m"), "placement": s("projects.placement"),
        "confidence": s("projects.confidence"),
        "status_plan": s("projects.status_plan_id"),  # webmap.routes.api.vocabulary: one name for a plan
    }
    body = " || ',' || ".join(f"'\"{k}\":' || {v}" for k, v in props.items())
    return (f"'{{\"type\":\"Feature\",\"id\":' || {s('projects.id')} || ',\"geometry\":' || "
            f"{db.geojson_geometry_sql(conn, 'projects.geom', PRECISION)} || ',\"properties\":{{' || {body} || '}}}}'")


_PLAN_JOINS = ("LEFT JOIN plans AS status_plan ON status_plan.id = projects.status_plan_id"
               " LEFT JOIN plans AS target_plan ON target_plan.id = projects.target_plan_id")


def write_feature_texts(conn: sa.Connection) -> int:
    """Fill ``project_texts`` (a load's last derived table, after the join: the features list each
    project's zones): every project's feature as the OGC items write it (``ogc``, flat) and as
    /api/projects does (``api``; NULL for a project with a site, whose polygon's RFC 7946
    orientation is ``geo.geometry``'s rule, built in Python per request). Returns the rows written.
    The data change only at a load, so a page reads these texts instead of composing them anew
    (PostgreSQL: 0.6 s at load for 10,000 projects; a page of 100 then costs ~1 ms, not 8)."""
    from geo.db import foreign_keys_checked_after

    conn.execute(sa.text("DELETE FROM project_texts"))
    with foreign_keys_checked_after(conn, "project_texts", by_construction=True):  # ids from projects itself
        conn.execute(sa.text(
            f"INSERT INTO project_texts (project_id, ogc, api) SELECT projects.id, {_feature_text_sql(conn, True)},"
            f" CASE WHEN projects.site IS NULL THEN {_feature_text_sql(conn, False)} END"
            f" FROM projects {_PLAN_JOINS} ORDER BY projects.id"))
    return conn.execute(sa.text("SELECT count(*) FROM project_texts")).scalar_one()


def _text_column(flat: bool) -> sa.Column:
    from projects.models import project_texts

    return project_texts.c.ogc if flat else project_texts.c.api


def project_feature_texts(conn: sa.Connection, ids: list[str], flat: bool = False) -> list[tuple[str, str | None]]:
    """``(id, text)``: the features of :func:`project_features` (and ``status_plan``) as JSON text
    written by the database at load (:func:`write_feature_texts`), in the order of ``ids``
    (unknown ids left out). ``flat``: the OGC items' flat properties. The text is ``None`` for a
    project with a site when not ``flat`` (the caller builds that rare feature in Python)."""
    from projects.models import project_texts

    if not ids:
        return []
    column = _text_column(flat)
    rows = dict(conn.execute(sa.select(project_texts.c.project_id, column)
                             .where(sa.text(in_list_sql(conn, "project_texts.project_id", ":ids")))
                             .params(ids=list_param(conn, ids))).all())
    return [(i, rows[i]) for i in ids if i in rows]


def project_page_texts(conn: sa.Connection, where, order: list, limit: int, offset: int,
                       flat: bool = False) -> tuple[int, list[tuple[str, str | None]], str | None]:
    """One page of projects in one statement: ``(matched, [(id, text)], fingerprint)`` — the count
    of the projects matching ``where`` (a SQL condition on ``projects``), the page's features as
    :func:`project_feature_texts` gives them, in ``order`` (SQL order terms on ``projects``,
    ending with a unique one), and the loaded data's fingerprint read in the same statement (for
    the ETag). On PostgreSQL every statement is a round trip to another process; this page costs
    one instead of three (count, ids, features) and the fingerprint's. An empty page still counts.

    When the condition and the order are SQL text (the API's filters and orders, the OGC items'
    without a CQL2 filter), the statement is text too, kept per shape (:func:`_page_statement`):
    building it with SQLAlchemy's constructs cost ~0.2 ms of the server's CPU per request, as much
    as the rest of the page's work in Python."""
    from projects.models import Project, project_texts

    plain = _page_statement(conn, where, order, flat)
    if plain is not None:
        statement, params = plain
        rows = conn.execute(statement, {**params, "zm_page_limit": limit, "zm_page_offset": offset}).all()
    else:
        projects = Project.__table__
        page = sa.select(projects.c.id).where(where).order_by(*order).limit(limit).offset(offset).cte("page")
        matched = sa.select(sa.func.count()).select_from(projects).where(where).scalar_subquery()
        rows = conn.execute(
            sa.select(matched, sa.literal_column("(SELECT dataset_info.fingerprint FROM dataset_info)"), projects.c.id, _text_column(flat))
            .select_from(page.join(projects, projects.c.id == page.c.id)
                         .join(project_texts, project_texts.c.project_id == page.c.id))
            .order_by(*order)).all()
    if not rows:  # nothing on this page: the count alone (the fingerprint is read elsewhere)
        return conn.execute(sa.select(sa.func.count()).select_from(Project.__table__).where(where)).scalar_one(), [], None
    return rows[0][0], [(r[2], r[3]) for r in rows], rows[0][1]


_PAGE_STATEMENTS: dict[tuple, sa.TextClause] = {}
_PAGE_STATEMENTS_KEPT = 256  # shapes of condition and order; the oldest goes first


def _plain_sql(clause) -> tuple[str, dict] | None:
    """``clause`` as SQL text and its bound values, when it is text or a column of ``projects``."""
    from projects.models import Project

    if isinstance(clause, sa.TextClause):  # (_bindparams: SQLAlchemy keeps a text's bound values there)
        return clause.text, {k: b.value for k, b in clause._bindparams.items()}
    if isinstance(clause, sa.Column) and clause.table is Project.__table__:
        return f"projects.{clause.name}", {}
    return None


def _page_statement(conn: sa.Connection, where, order: list, flat: bool) -> tuple[sa.TextClause, dict] | None:
    """The statement of :func:`project_page_texts` as text (limit and offset bound as
    ``zm_page_limit`` / ``zm_page_offset``) and the condition's values; None when ``where`` or an
    order term is not plain SQL text."""
    from projects.queries import ALL_PROJECTS

    parts = [_plain_sql(where), *(_plain_sql(t) for t in order)]
    if any(p is None for p in parts):
        return None
    params: dict = {}
    for _, values in parts:
        params.update(values)
    condition, terms = parts[0][0], ", ".join(p[0] for p in parts[1:])
    key = (conn.dialect.name, flat, condition, terms)
    statement = _PAGE_STATEMENTS.get(key)
    if statement is None:
        # all projects: the number counted at load (10,000 rows counted per request: 0.35 ms of
        # PostgreSQL's CPU, 100,000: 3.5 ms), else counted. Qualified: a bare ``projects`` would be
        # the outer query's row where the column is missing (an older load), not an error.
        matched = ("(SELECT dataset_info.projects FROM dataset_info)" if condition == ALL_PROJECTS
                   else f"(SELECT count(*) FROM projects WHERE {condition})")
        statement = sa.text(
            f"WITH page AS (SELECT projects.id AS id FROM projects WHERE {condition} ORDER BY {terms}"
            " LIMIT :zm_page_limit OFFSET :zm_page_offset)"
            f" SELECT {matched}, (SELECT dataset_info.fingerprint FROM dataset_info),"
            f" projects.id, project_texts.{_text_column(flat).name}"
            " FROM page JOIN projects ON projects.id = page.id JOIN project_texts ON project_texts.project_id = page.id"
            f" ORDER BY {terms}")
        if len(_PAGE_STATEMENTS) >= _PAGE_STATEMENTS_KEPT:
            _PAGE_STATEMENTS.pop(next(iter(_PAGE_STATEMENTS)))
        _PAGE_STATEMENTS[key] = statement
    return statement, params

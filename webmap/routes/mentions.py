"""Mentions as data: `GET /api/mentions` (paged; GeoJSON, JSON or CSV) and the exports
`mentions.csv` / `mentions.geojson`.

Each mention is a Feature at its project's point (null geometry when the project is unlocated), with
`year` (the year its statement holds) and `date` (ISO) for QGIS's temporal controller.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from geo.export import flat_properties
from projects import mentions as pm
from projects.status import Statement, Status
from webmap import schemas
from webmap.crs_out import CrsParam, api_crs, members, reproject
from webmap.deps import ConnDep
from webmap.errors import ERROR_RESPONSES, BadParameter
from webmap.media import Format, FormatParam, GeoJSONResponse, content_type, negotiate, respond
from webmap.params import MAX_TEXT, Limit, Offset
from webmap.routes.api import FEATURES, Basis, _formats_doc, _plan_id, _require

router = APIRouter(prefix="/api", tags=["mentions"], responses=ERROR_RESPONSES)


def mention_filter(
    conn: ConnDep,
    project: Annotated[str | None, Query(max_length=MAX_TEXT, description="project id: its mentions (its status history)", examples=["ikea-dalian"])] = None,
    plan: Annotated[str | None, Query(max_length=MAX_TEXT, description="plan id (or its source file name): the mentions it makes", examples=["xigang-13th-fyp"])] = None,
    document: Annotated[str | None, Query(max_length=MAX_TEXT, deprecated=True, description="deprecated alias of plan", examples=["xigang-13th-fyp"])] = None,
    status: Annotated[Status | None, Query(description="the status the mention attests", examples=["completed"])] = None,
    statement: Annotated[Statement | None, Query(description="fact (something that happened) or target (what is wanted)", examples=["fact"])] = None,
    year: Annotated[int | None, Query(ge=1900, le=2100, description="the year the mention's statement holds (the `year` property)", examples=[2015])] = None,
    zone: Annotated[str | None, Query(max_length=MAX_TEXT, description="zone id: the mentions of the projects that belong to it (see basis)", examples=["xg13-axis"])] = None,
    layout: Annotated[str | None, Query(max_length=MAX_TEXT, description="layout id: the mentions of the projects that belong to any of its zones (see basis)",
                                        examples=["xg13-one-axis-six-zones"])] = None,
    basis: Annotated[Basis | None, Query(description="with zone or layout: membership by spatial, text or any (default)", examples=["text"])] = None,
) -> pm.MentionFilter:
    """The mention filters, checked: unknown ids are a 422 naming the parameter."""
    _require(conn, "projects", "project", project, "project")
    _require(conn, "zones", "zone", zone, "zone")
    _require(conn, "layouts", "layout", layout, "layout")
    if basis is not None and zone is None and layout is None:
        raise BadParameter("basis", "applies to zone membership: give zone or layout with it")
    return pm.MentionFilter(project=project, plan=_plan_id(conn, plan, document), status=status.value if status else None,
                            statement=statement.value if statement else None, year=year, zone=zone, layout=layout,
                            basis=basis.value if basis else None)


MentionFilterDep = Annotated[pm.MentionFilter, Depends(mention_filter)]


def _in_crs(conn, feats: list[dict], out) -> list[dict]:
    """Mentions at their project's point in ``out`` (from the project's full-precision geometry)."""
    return reproject(conn, "projects", feats, out, key=lambda x: x["properties"]["project"])


@router.get("/mentions", summary="Every mention of a project in a plan, at its project's point (GeoJSON, JSON or CSV)",
            response_model=schemas.MentionCollection, response_class=GeoJSONResponse, responses=_formats_doc(FEATURES, Format.geojson))
def mentions(request: Request, conn: ConnDep, flt: MentionFilterDep, limit: Limit = 1000, offset: Offset = 0,
             crs: CrsParam = None, f: FormatParam = None):
    """A FeatureCollection with `numberMatched` and `next`/`prev` links, ordered by `year`, plan
    date, project and id. Properties: the mention as the catalog holds it (`plan`, `section`,
    `status_words`, `statement` fact/target, `status` it attests, `status_year`, `target_status`,
    `target_year`, `zone_as_written`, `zone`, `investment`, `quote` …), its project's
    names and `placed`, `year` (the year its statement holds), `date` (ISO: the plan's date, or the
    last day of an earlier year the text speaks of) and `year_as_written` (the year the text gives)."""
    fmt = negotiate(request, f, FEATURES)
    out = api_crs(crs)
    feats = pm.mention_features(conn, flt)
    page = _in_crs(conn, feats[offset:offset + limit], out)
    url = request.url
    links = [{"rel": "self", "type": content_type(fmt), "href": str(url)}]
    if offset + len(page) < len(feats):
        links.append({"rel": "next", "type": content_type(fmt), "href": str(url.include_query_params(offset=offset + limit))})
    if offset > 0:
        links.append({"rel": "prev", "type": content_type(fmt), "href": str(url.include_query_params(offset=max(0, offset - limit)))})
    body = {"type": "FeatureCollection", "numberMatched": len(feats), "numberReturned": len(page), "links": links,
            **members(out), "features": page}
    return respond(fmt, body, features=page, filename="zonemap-mentions", headers={"X-Number-Matched": str(len(feats))}, crs=out)


@router.get("/export/mentions.csv", summary="Every mention as CSV (UTF-8 with BOM; its project's lon/lat)",
            responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "CSV"}})
def export_mentions_csv(conn: ConnDep, flt: MentionFilterDep, crs: CrsParam = None):
    """The status history for a spreadsheet: one row per mention, lists as JSON text, `lon`/`lat`
    of its project (empty when unlocated; with `crs`: `x`/`y` and a `crs` column). Takes the
    filters of `/api/mentions`."""
    out = api_crs(crs)
    return respond(Format.csv, {}, features=_in_crs(conn, pm.mention_features(conn, flt), out), crs=out,
                   headers={"Content-Disposition": 'attachment; filename="zonemap-mentions.csv"'})


@router.get("/export/mentions.geojson", summary="Every mention as a flat RFC 7946 GeoJSON file (QGIS's temporal controller)",
            response_class=GeoJSONResponse, responses={200: {"description": "a GeoJSON FeatureCollection with flat properties"}})
def export_mentions_geojson(conn: ConnDep, flt: MentionFilterDep, crs: CrsParam = None) -> Response:
    """One Point feature per mention at its project's point (null geometry when unlocated), flat
    properties; `date` (ISO) or `year` drive QGIS's temporal controller. Takes the filters of `/api/mentions`."""
    out = api_crs(crs)
    feats = [{**x, "properties": flat_properties(x["properties"])} for x in _in_crs(conn, pm.mention_features(conn, flt), out)]
    return GeoJSONResponse({"type": "FeatureCollection", **members(out), "features": feats},
                           headers={"Content-Disposition": 'attachment; filename="zonemap-mentions.geojson"'})

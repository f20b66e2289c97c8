"""Mentions as data: `GET /api/mentions` (paged GeoJSON) and the exports `mentions.csv` / `mentions.geojson`.

Each mention is a Feature at its project's point (null geometry when the project is unlocated), with
`year` (the year its statement holds) and `date` (ISO) for QGIS's temporal controller.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response

from geo.export import csv_text, flat_properties
from projects import mentions as pm
from projects.status import Status
from webmap.api_limits import MAX_LIMIT
from webmap.deps import ConnDep
from webmap.errors import BadParameter
from webmap.routes.api import GEOJSON, Basis, _plan_id, _require, collection, geojson

router = APIRouter(prefix="/api", tags=["mentions"])


def mention_filter(
    conn: ConnDep,
    project: Annotated[str | None, Query(description="project id: its mentions (its status history)")] = None,
    plan: Annotated[str | None, Query(description="plan id: the mentions that document makes")] = None,
    document: Annotated[str | None, Query(description="plan id or source file name (alias of plan)")] = None,
    status: Annotated[Status | None, Query(description="the status the mention attests")] = None,
    year: Annotated[int | None, Query(ge=1900, le=2100, description="the year the mention's statement holds (the `year` property)")] = None,
    zone: Annotated[str | None, Query(description="zone id: mentions of the projects that belong to it (see basis)")] = None,
    basis: Annotated[Basis | None, Query(description="with zone: membership by `spatial`, `text` or `any` (default)")] = None,
) -> pm.MentionFilter:
    """The mention filters, checked: unknown ids are a 422 naming the parameter."""
    _require(conn, "projects", "project", project, "project")
    _require(conn, "zones", "zone", zone, "zone")
    if basis is not None and zone is None:
        raise BadParameter("basis", "applies to zone membership: give zone with it")
    return pm.MentionFilter(project=project, plan=_plan_id(conn, plan, document), status=status.value if status else None,
                            year=year, zone=zone, basis=basis.value if basis else None)


MentionFilterDep = Annotated[pm.MentionFilter, Depends(mention_filter)]


@router.get("/mentions", summary="Every mention of a project in a document, at its project's point", response_class=JSONResponse)
def mentions(
    request: Request,
    conn: ConnDep,
    f: MentionFilterDep,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 1000,
    offset: Annotated[int, Query(ge=0)] = 0,
):
    """A FeatureCollection with `numberMatched` and `next`/`prev` links, ordered by `year`, document
    date, project and id. Properties: the mention as the catalog holds it (`document`, `section`,
    `status_words`, `status`, `zone_as_written`, `zone`, `investment`, `quote` …), its project's
    names, `year` (the year its statement holds), `date` (ISO: the document's date, or the last day
    of an earlier year the text speaks of) and `year_as_written` (the year the text gives, or null)."""
    feats = pm.mention_features(conn, f)
    page = feats[offset:offset + limit]
    links = [{"rel": "self", "type": GEOJSON, "href": str(request.url)}]
    if offset + len(page) < len(feats):
        links.append({"rel": "next", "type": GEOJSON, "href": str(request.url.include_query_params(offset=offset + limit))})
    if offset > 0:
        links.append({"rel": "prev", "type": GEOJSON, "href": str(request.url.include_query_params(offset=max(0, offset - limit)))})
    return geojson(collection(page, numberMatched=len(feats), numberReturned=len(page), links=links))


@router.get("/export/mentions.csv", summary="Every mention as CSV (UTF-8 with BOM; its project's lon/lat)")
def export_mentions_csv(conn: ConnDep, f: MentionFilterDep):
    """The status history for a spreadsheet: one row per mention, lists as JSON text, `lon`/`lat`
    of its project (empty when unlocated). Takes the filters of `/api/mentions`."""
    return Response(csv_text(pm.mention_features(conn, f)).encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="zonemap-mentions.csv"'})


@router.get("/export/mentions.geojson", summary="Every mention as a flat RFC 7946 GeoJSON file (for QGIS's temporal controller)")
def export_mentions_geojson(conn: ConnDep, f: MentionFilterDep):
    """One Point feature per mention at its project's point (null geometry when unlocated), flat
    properties; `date` (ISO) or `year` drive QGIS's temporal controller. Takes the filters of `/api/mentions`."""
    feats = [{**x, "properties": flat_properties(x["properties"])} for x in pm.mention_features(conn, f)]
    body = geojson(collection(feats))
    body.headers["Content-Disposition"] = 'attachment; filename="zonemap-mentions.geojson"'
    return body


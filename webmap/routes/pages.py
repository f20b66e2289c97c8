"""HTML pages for people — the map at ``/``, ``/projects/{id}``, ``/zones/{id}`` — and the two
feeds only the map uses (``/map/projects.json``, ``/map/districts.json``, and the project tiles
``/map/tiles/{z}/{x}/{y}.json`` it draws from when there are too many projects for markers)."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from geo import tiles as gt
from projects import queries as pq
from projects.status import Status
from webmap.basemaps import settings_basemaps
from webmap.deps import ConnDep, note_fingerprint, run_with_connection
from webmap.errors import BadParameter, NotFound
from webmap.exports import cached_export
from webmap.mapdata import page_config, project_feed, simplified_districts, zone_facts
from webmap.mapview import build_map_page
from webmap.memo import per_load
from webmap.project_page import render_project_page
from webmap.routes.ogc import collections as oc
from webmap.routes.ogc.common import cached, request_fingerprint
from webmap.routes.ogc.tiles import MAX_AGE as TILE_MAX_AGE
from webmap.routes.ogc.tiles import tile_key, tile_layer
from webmap.zone_page import render_zone_page
from zones import queries as zq

router = APIRouter(tags=["pages"])
STATUS_IDS = tuple(s.value for s in Status)


def _check_ids(conn, table: str, parameter: str, value: str | None) -> None:
    for id_ in (value or "").split(","):
        if id_ and not pq.exists(conn, table, id_):
            raise BadParameter(parameter, f"no {table[:-1]} with id {id_!r}")


@router.get("/", response_class=HTMLResponse, summary="The map")
def map_page(
    request: Request,
    conn: ConnDep,
    layout: Annotated[str | None, Query(description="layout id(s) shown, comma-separated, e.g. xg14-subdistricts", examples=["xg13-one-axis-six-zones"])] = None,
    compare: Annotated[str | None, Query(description="a second layout shown beside the first, each with its document's statuses", examples=["xg14-axis-bays-streets-areas"])] = None,
    project: Annotated[str | None, Query(description="the selected project", examples=["hanglung-plaza"])] = None,
    zone: Annotated[str | None, Query(description="the selected zone", examples=["xg13-zhanbei"])] = None,
    # Read by the page's modules (static/js/state.js), declared here so that a link's parameters
    # are known to the server, documented, and a bad year or language is answered, not ignored.
    year: Annotated[int | None, Query(ge=1990, le=2100, description="statuses at the end of that year", examples=[2016])] = None,
    status: Annotated[str | None, Query(description="statuses shown, comma-separated", examples=["completed,under_construction"])] = None,
    industry: Annotated[str | None, Query(description="industry id", examples=["modern-commerce"])] = None,
    plan: Annotated[str | None, Query(description="plan id: projects it mentions (as on /api/projects)", examples=["xigang-13th-fyp"])] = None,
    document: Annotated[str | None, Query(deprecated=True, description="deprecated alias of plan (links shared before still open)", examples=["xigang-13th-fyp"])] = None,
    kind: Annotated[str | None, Query(description="project kind", examples=["building"])] = None,
    district: Annotated[str | None, Query(description="district as written, e.g. 西岗区", examples=["西岗区"])] = None,
    lang: Annotated[str | None, Query(pattern="^(zh|en)$", description="interface language: zh (default) or en", examples=["en"])] = None,
    basemap: Annotated[str | None, Query(description="basemap id from the configured menu", examples=["osm"])] = None,
    choropleth: Annotated[str | None, Query(description="shade zones by: all, a status id, or density", examples=["under_construction"])] = None,
    at: Annotated[str | None, Query(description="map position zoom/lat/lon", examples=["14/38.91550/121.61700"])] = None,
) -> HTMLResponse:
    """Zones, the axis, streets and projects coloured by status; layers, filters, time and comparison
    in the side panel. The view lives in the URL (README: "The map" lists its parameters); the
    page is the same for every view, the modules in /static/js read the URL."""
    _check_ids(conn, "layouts", "layout", layout)
    _check_ids(conn, "layouts", "compare", compare)
    _check_ids(conn, "projects", "project", project)
    _check_ids(conn, "zones", "zone", zone)
    _check_ids(conn, "industries", "industry", industry)
    _check_ids(conn, "plans", "plan", plan)
    _check_ids(conn, "plans", "document", document)
    for value in (status or "").split(","):
        if value and value not in STATUS_IDS:
            raise BadParameter("status", f"expected statuses among {', '.join(STATUS_IDS)}, found {value!r}")
    if choropleth and choropleth not in (*STATUS_IDS, "all", "density"):
        raise BadParameter("choropleth", f"expected all, density or a status, found {choropleth!r}")
    basemaps = settings_basemaps(request.app.state.settings)
    tiles_above = request.app.state.settings.map_tiles_above

    def build() -> str:
        return build_map_page(page_config(conn, basemaps, "", tiles_above))

    return HTMLResponse(per_load(request, conn, ("map-page", repr(basemaps), tiles_above), build))


@router.get("/map/projects.json", summary="The map's project feed (compact; the API has the full records)")
def map_projects(
    request: Request,
    conn: ConnDep,
    as_seen_by: Annotated[str | None, Query(description="plan id: the projects it mentions, with the statuses it states", examples=["xigang-13th-fyp"])] = None,
) -> Response:
    """Every project, dictionary-encoded (see `webmap/mapdata.py`): point, status and timeline,
    kind, district, industries, documents, zones with basis. Built once per data load."""
    _check_ids(conn, "plans", "as_seen_by", as_seen_by)
    return Response(map_feed(request, as_seen_by), media_type="application/json")


def map_feed(request, as_seen_by: str | None = None) -> bytes:
    """The encoded feed, built once per data version for every worker: at 100,000 projects it takes
    seconds, so it is kept in the cache folder too (like the GeoPackage) and warmed at start."""
    return cached_export(request, ("map-projects", as_seen_by), lambda conn: project_feed(conn, seen_by_filter(as_seen_by)),
                         _json_bytes, suffix=".json")


def _json_bytes(value) -> bytes:
    """Encoded once per data load: re-encoding 10,000 projects per request would cost more than serving them."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def seen_by_filter(plan: str | None) -> pq.ProjectFilter | None:
    """The API's filter for "as ``plan`` states it": the projects it mentions, with its statuses."""
    return None if plan is None else pq.ProjectFilter(as_seen_by=plan)


@router.get("/map/zones.json", summary="Every zone, as /api/zones answers, built once per data load")
def map_zones(request: Request, conn: ConnDep) -> Response:
    """The same FeatureCollection as `/api/zones` (the map's first paint waits for it, so it is
    encoded once per data load rather than per request)."""
    return Response(per_load(request, conn, ("map-zones",), lambda: _json_bytes({"type": "FeatureCollection", "features": zq.list_zones(conn)})),
                    media_type="application/geo+json")


@router.get("/map/districts.json", summary="District outlines simplified for drawing, with label points")
def map_districts(request: Request, conn: ConnDep) -> Response:
    return Response(per_load(request, conn, ("map-districts",), lambda: _json_bytes(simplified_districts(conn))),
                    media_type="application/geo+json")


# The map's project tiles. The map draws a tile one zoom above its own (512 × 512 screen pixels:
# a quarter of the requests of 256-px tiles), so cells are given at that scale: 64 px when zoomed
# out, 40 px from map zoom 15; every project from map zoom 17 (tile zoom POINTS_FROM). The OGC
# tiles (QGIS) use the same builder with their own thresholds.
POINTS_FROM = 16
TILE_PX = 256


def map_cell(z: int) -> int:
    """The cluster cell of a tile at zoom z, in tile units (EXTENT per TILE_PX of its own pixels)."""
    px = 32 if z < 14 else 20  # 64 / 40 px drawn at zoom z + 1
    return px * gt.EXTENT // TILE_PX


@router.get("/map/tiles/{z}/{x}/{y}.json", summary="The map's project tile: clusters and points as compact JSON")
async def map_tile(
    request: Request,
    z: Annotated[int, Path(description="zoom (WebMercatorQuad)")],
    x: Annotated[int, Path(description="tile column")],
    y: Annotated[int, Path(description="tile row (from the north)")],
    status: Annotated[str | None, Query(description="statuses drawn, comma-separated (in the as_of / as_seen_by view)",
                                        examples=["completed,under_construction"])] = None,
    industry: Annotated[str | None, Query(description="industry id", examples=["modern-commerce"])] = None,
    plan: Annotated[str | None, Query(description="plan id: projects it mentions", examples=["xigang-13th-fyp"])] = None,
    kind: Annotated[str | None, Query(description="project kind", examples=["building"])] = None,
    district: Annotated[str | None, Query(description="district as written", examples=["西岗区"])] = None,
    as_of: Annotated[int | None, Query(ge=1990, le=2100, description="statuses at the end of that year (projects not yet mentioned are left out)",
                                       examples=[2016])] = None,
    as_seen_by: Annotated[str | None, Query(description="plan id: its projects with the statuses it states", examples=["xigang-13th-fyp"])] = None,
) -> Response:
    """The located projects in one WebMercatorQuad tile, with the map's filters (the API's rules):
    below zoom 16 grouped into clusters (position = the members' mean; ``n`` members and how many
    have each status), from zoom 16 every project (see POINTS_FROM). Rows: ``[x, y, n, id, status, counts]`` with x, y
    in tile units (0–``extent``, y down); ``id``/``status`` only for a single project, ``counts``
    (one number per entry of ``statuses``) only for clusters. Built from the same tile builder as
    the OGC vector tiles, once per data fingerprint and query (ETag and 304 from the HTTP layer)."""
    # One worker thread per tile for the connection, the checks and the rendering (webmap.deps).
    return await run_with_connection(request, lambda conn: _map_tile(
        request, conn, z, x, y, status, industry=industry, plan=plan, kind=kind, district=district, as_of=as_of, as_seen_by=as_seen_by))


def _map_tile(request: Request, conn, z: int, x: int, y: int, status: str | None, **plain_filters) -> Response:
    c = oc.get("projects")
    try:
        tile = gt.Tile(z, x, y)
    except gt.NoSuchTile as exc:
        raise NotFound("tile", f"{z}/{x}/{y}") from exc
    statuses = [v for v in (status or "").split(",") if v]
    for value in statuses:
        if value not in STATUS_IDS:
            raise BadParameter("status", f"expected statuses among {', '.join(STATUS_IDS)}, found {value!r}")
    filters = c.parse_filters(conn, {k: str(v) for k, v in plain_filters.items() if v is not None})
    fp = request_fingerprint(request, conn)
    note_fingerprint(request, fp)  # the ETag and If-None-Match → 304 are the HTTP layer's (webmap.middleware)

    def build() -> bytes:
        extra = c.queryables_in(filters)["status"].column.in_(statuses) if statuses else None
        layer = tile_layer(conn, c, filters, extra, z, cluster_below=POINTS_FROM, cell=map_cell(z))
        return _json_bytes({"z": z, "x": x, "y": y, "extent": gt.EXTENT, "statuses": list(STATUS_IDS),
                            "features": tile_rows(gt.decode(gt.render(conn, layer, tile)).get("projects", {}).get("features", []))})

    return Response(cached(request, conn, ("map", *tile_key(request)), build, fp=fp), media_type="application/json",
                    headers={"Cache-Control": f"public, max-age={TILE_MAX_AGE}"})


def tile_rows(features: list[dict]) -> list[list]:
    """Decoded tile features as the map's compact rows (see :func:`map_tile`); a point in the
    tile's buffer belongs to the neighbouring tile (each project is drawn once)."""
    rows = []
    for f in features:
        fx, fy = f["geometry"]["coordinates"]
        if not (0 <= fx < gt.EXTENT and 0 <= fy < gt.EXTENT):
            continue
        p = f["properties"]
        n = int(p.get("count", 1))
        if n == 1:
            rows.append([fx, fy, 1, p.get("id"), p.get("status")])
        else:
            rows.append([fx, fy, n, None, None, [int(p.get(f"n_{s}", 0)) for s in STATUS_IDS]])
    return rows


@router.get("/projects/{project_id}", response_class=HTMLResponse, summary="One project and its status history")
def project_page(conn: ConnDep, project_id: str) -> HTMLResponse:
    """What the project is, where it is, and every mention of it, in date order, with quotes."""
    feature = pq.project_detail(conn, project_id)
    if feature is None:
        raise NotFound("project", project_id)
    zone_names = {z["id"]: z["properties"]["name_zh"] for z in zq.list_zones(conn)}
    industry_names = {i["id"]: i["name_zh"] for i in pq.list_industries(conn)}
    return HTMLResponse(render_project_page(feature, zone_names, industry_names))


@router.get("/zones/{zone_id}", response_class=HTMLResponse, summary="One zone: the plan's words, its projects, counts")
def zone_page(conn: ConnDep, zone_id: str) -> HTMLResponse:
    """The zone's plan text (with the quote), its projects by geometry and by text, counts by
    status, and industries."""
    zone = next((z for z in zq.list_zones(conn) if z["id"] == zone_id), None)
    if zone is None:
        raise NotFound("zone", zone_id)
    p = zone["properties"]
    layout = next((lay for lay in zq.list_layouts(conn) if lay["id"] == p["layout"]), None)
    plan = next((x for x in zq.list_plans(conn) if x["id"] == p["plan"]), None)
    # The API's membership (projects.queries): by geometry, by a document's words, or both.
    ids = pq.find_project_ids(conn, pq.ProjectFilter(zone=zone_id), 1_000_000, 0)
    members = [(f, next(z["basis"] for z in f["properties"]["zones"] if z["id"] == zone_id))
               for f in pq.project_features(conn, sorted(ids))]
    industry_names = {i["id"]: (i["name_zh"], i["name_en"]) for i in pq.list_industries(conn)}
    area = zone_facts([zone]).get(zone_id, {}).get("area_km2")
    return HTMLResponse(render_zone_page(zone, layout, plan, members, industry_names, area))

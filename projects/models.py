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
    # The latest mention (projects.history.latest), kept here so that status filters are plain SQL.
    status: Mapped[str] = mapped_column(sa.String(32), index=True)
    status_words: Mapped[str | None] = mapped_column(sa.Text)
    status_year: Mapped[int | None] = mapped_column(sa.Integer)
    status_plan_id: Mapped[str | None] = mapped_column(sa.ForeignKey("plans.id"))


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
    status: Mapped[str] = mapped_column(sa.String(32), index=True)
    status_note: Mapped[str | None] = mapped_column(sa.Text)
    year: Mapped[int | None] = mapped_column(sa.Integer)
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

"""Tables of plans, layouts, zones, streets and the district outlines (admin layer)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from geoalchemy2 import Geometry
from sqlalchemy.orm import Mapped, mapped_column

from geo.db import SRID, Base


class Plan(Base):
    """One plan document: a five-year plan, a sector plan or a work report."""

    __tablename__ = "plans"
    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    title_zh: Mapped[str] = mapped_column(sa.Text)
    title_en: Mapped[str] = mapped_column(sa.Text)
    district: Mapped[str] = mapped_column(sa.String(32))  # as written: 西岗区, 沙河口区, 大连市
    date: Mapped[dt.date | None] = mapped_column(sa.Date, nullable=True)
    year: Mapped[int | None] = mapped_column(sa.Integer, nullable=True)
    period: Mapped[str | None] = mapped_column(sa.String(32), nullable=True)
    kind: Mapped[str] = mapped_column(sa.String(32))
    source_file: Mapped[str] = mapped_column(sa.String(128))


class Layout(Base):
    """A plan's spatial layout, e.g. 一轴六区."""

    __tablename__ = "layouts"
    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    plan_id: Mapped[str] = mapped_column(sa.ForeignKey("plans.id"), index=True)
    name_zh: Mapped[str] = mapped_column(sa.Text)
    name_en: Mapped[str] = mapped_column(sa.Text)
    section: Mapped[str | None] = mapped_column(sa.Text)
    quote: Mapped[str | None] = mapped_column(sa.Text)


class Zone(Base):
    """A member of a layout: a functional zone, bay, street, 片区, 街道, axis, city area …"""

    __tablename__ = "zones"
    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    layout_id: Mapped[str] = mapped_column(sa.ForeignKey("layouts.id"), index=True)
    plan_id: Mapped[str] = mapped_column(sa.ForeignKey("plans.id"), index=True)
    name_zh: Mapped[str] = mapped_column(sa.Text)
    name_en: Mapped[str] = mapped_column(sa.Text)
    kind: Mapped[str] = mapped_column(sa.String(32))
    roles: Mapped[str | None] = mapped_column(sa.Text)
    unmapped_reason: Mapped[str | None] = mapped_column(sa.Text)
    section: Mapped[str | None] = mapped_column(sa.Text)
    quote: Mapped[str | None] = mapped_column(sa.Text)
    geom = mapped_column(Geometry("MULTIPOLYGON", srid=SRID, spatial_index=True), nullable=True)
    # For corridor zones (the axis, a bay line): the centreline the polygon was buffered from.
    centreline = mapped_column(Geometry("MULTILINESTRING", srid=SRID, spatial_index=False), nullable=True)
    corridor_m: Mapped[float | None] = mapped_column(sa.Float, nullable=True)
    placement: Mapped[str | None] = mapped_column(sa.Text)
    accuracy_m: Mapped[float | None] = mapped_column(sa.Float)
    confidence: Mapped[str | None] = mapped_column(sa.String(16))


zone_industries = sa.Table(
    "zone_industries",
    Base.metadata,
    sa.Column("zone_id", sa.ForeignKey("zones.id"), primary_key=True),
    # industries are defined by projects.models; the key is resolved by table name at create time
    sa.Column("industry_id", sa.ForeignKey("industries.id"), primary_key=True),
)
"""The industries a plan assigns to a zone."""


class Street(Base):
    """A named street with its centreline."""

    __tablename__ = "streets"
    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    name_zh: Mapped[str] = mapped_column(sa.Text)
    name_en: Mapped[str] = mapped_column(sa.Text)
    district: Mapped[str | None] = mapped_column(sa.String(32))
    plan_id: Mapped[str | None] = mapped_column(sa.ForeignKey("plans.id"))
    section: Mapped[str | None] = mapped_column(sa.Text)
    quote: Mapped[str | None] = mapped_column(sa.Text)
    geom = mapped_column(Geometry("MULTILINESTRING", srid=SRID, spatial_index=True), nullable=True)
    placement: Mapped[str | None] = mapped_column(sa.Text)
    accuracy_m: Mapped[float | None] = mapped_column(sa.Float)
    confidence: Mapped[str | None] = mapped_column(sa.String(16))


class District(Base):
    """An administrative outline from the reference layer (大连市 and its county-level units)."""

    __tablename__ = "districts"
    id: Mapped[str] = mapped_column(sa.String(16), primary_key=True)  # adcode
    name_zh: Mapped[str] = mapped_column(sa.Text)
    pinyin: Mapped[str] = mapped_column(sa.Text)
    level: Mapped[str] = mapped_column(sa.String(16))
    geom = mapped_column(Geometry("MULTIPOLYGON", srid=SRID, spatial_index=True))


class DatasetInfo(Base):
    """One row: a fingerprint of the loaded data, so caches know when a reload changed it."""

    __tablename__ = "dataset_info"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    fingerprint: Mapped[str] = mapped_column(sa.String(64))
    # The number of projects, counted at load: a page of all projects states it without counting
    # them again per request (projects.features.project_page_texts).
    projects: Mapped[int | None] = mapped_column(sa.Integer, nullable=True)

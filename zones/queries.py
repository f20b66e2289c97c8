"""Read queries for plans, layouts, zones, streets and district outlines, as plain dicts."""

from __future__ import annotations

import sqlalchemy as sa
from geoalchemy2.shape import to_shape

from geo.geometry import to_geojson
from zones.models import District, Layout, Plan, Street, Zone, zone_industries


def shape_or_none(value):
    """A shapely geometry from a database geometry value (or None)."""
    return to_shape(value) if value is not None else None


def plan_dict(p) -> dict:
    """A plan row as the API shows it."""
    return {
        "id": p.id, "title_zh": p.title_zh, "title_en": p.title_en, "district": p.district,
        "date": p.date.isoformat() if p.date else None, "year": p.year, "period": p.period,
        "kind": p.kind, "source_file": p.source_file,
    }


def list_plans(conn: sa.Connection) -> list[dict]:
    """Every plan, ordered by source file."""
    return [plan_dict(r) for r in conn.execute(sa.select(Plan.__table__).order_by(Plan.source_file))]


def list_layouts(conn: sa.Connection) -> list[dict]:
    """Every layout with its plan and zone ids."""
    zones = conn.execute(sa.select(Zone.id, Zone.layout_id).order_by(Zone.id)).all()
    by_layout: dict[str, list[str]] = {}
    for zid, lid in zones:
        by_layout.setdefault(lid, []).append(zid)
    return [
        {"id": r.id, "plan": r.plan_id, "name_zh": r.name_zh, "name_en": r.name_en,
         "section": r.section, "quote": r.quote, "zones": by_layout.get(r.id, [])}
        for r in conn.execute(sa.select(Layout.__table__).order_by(Layout.id))
    ]


def zone_feature(r, industries: list[str]) -> dict:
    props = {
        "id": r.id, "plan": r.plan_id, "layout": r.layout_id, "name_zh": r.name_zh,
        "name_en": r.name_en, "kind": r.kind, "roles": r.roles, "unmapped_reason": r.unmapped_reason, "industries": industries,
        "section": r.section, "quote": r.quote, "placement": r.placement,
        "accuracy_m": r.accuracy_m, "confidence": r.confidence, "corridor_m": r.corridor_m,
        "centreline": to_geojson(shape_or_none(r.centreline)),
    }
    return {"type": "Feature", "id": r.id, "geometry": to_geojson(shape_or_none(r.geom)), "properties": props}


def list_zones(conn: sa.Connection, plan: str | None = None, kind: str | None = None, layout: str | None = None) -> list[dict]:
    """Zones as GeoJSON features, optionally of one plan, kind or layout."""
    q = sa.select(Zone.__table__).order_by(Zone.layout_id, Zone.id)
    if plan:
        q = q.where(Zone.plan_id == plan)
    if kind:
        q = q.where(Zone.kind == kind)
    if layout:
        q = q.where(Zone.layout_id == layout)
    links: dict[str, list[str]] = {}
    for zid, iid in conn.execute(sa.select(zone_industries.c.zone_id, zone_industries.c.industry_id).order_by(zone_industries.c.industry_id)):
        links.setdefault(zid, []).append(iid)
    return [zone_feature(r, links.get(r.id, [])) for r in conn.execute(q)]


def list_streets(conn: sa.Connection) -> list[dict]:
    """Streets as GeoJSON features (MultiLineString, or null geometry when not digitised)."""
    return [
        {"type": "Feature", "id": r.id, "geometry": to_geojson(shape_or_none(r.geom)), "properties": {
            "id": r.id, "name_zh": r.name_zh, "name_en": r.name_en, "district": r.district,
            "plan": r.plan_id, "section": r.section, "quote": r.quote, "placement": r.placement,
            "accuracy_m": r.accuracy_m, "confidence": r.confidence}}
        for r in conn.execute(sa.select(Street.__table__).order_by(Street.id))
    ]


def list_districts(conn: sa.Connection) -> list[dict]:
    """The district outlines (admin layer), simplified output precision."""
    return [
        {"type": "Feature", "id": r.id, "geometry": to_geojson(shape_or_none(r.geom), 5), "properties": {
            "id": r.id, "name_zh": r.name_zh, "pinyin": r.pinyin, "level": r.level}}
        for r in conn.execute(sa.select(District.__table__).order_by(District.id))
    ]


"""What the map's JavaScript loads besides the API: a compact project feed and the page config.

The feed carries, for every project, only what the map draws and filters on (point, status and
its timeline, kind, district, industries, documents, zones with their basis); a popup asks the API
for the rest (``/api/projects/{id}``). It is built from the same queries as ``/api/projects``,
so the map's counts are the API's counts, and it is dictionary-encoded (repeated strings become
small integers) so that 10,000 projects stay ~1 MB before compression.
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from shapely.geometry import shape

from geo.crs import area_m2
from geo.geometry import to_geojson
from projects import queries as pq
from webmap.labels import vocabularies
from zones import queries as zq
from zones.models import Plan

# Feed rows: one list per project, in this order (JavaScript decodes them by these names).
FIELDS = ["id", "name_zh", "name_en", "lon", "lat", "accuracy_m", "status", "status_year",
          "timeline", "target_status", "target_year", "kind", "district", "industries", "plans", "zones"]
BASIS = ["spatial", "text", "both"]
CHUNK = 5000  # ids per query: SQLite caps bound parameters

# Zones of two layouts that cover the same ground (this share of the smaller one's area) count
# as "the same place" when the comparison asks whether a project moved zone between editions.
SAME_PLACE_SHARE = 0.5
# District outlines are context, not data to measure (the full outlines: /api/districts): the
# districts around the plans' centre are simplified to ~10 m, the rest of the municipality (seen
# only when zoomed out) to ~100 m, which draws the same at the zooms it is seen and keeps the
# layer at ~35 KB compressed instead of ~400 KB.
PLANS_CENTRE = (121.617, 38.9155)
NEAR_DEG = 0.08
OUTLINE_TOLERANCE_DEG = {"near": (0.0001, 5), "far": (0.001, 4)}


class Codes:
    """A dictionary encoder: each distinct value gets the next small integer."""

    def __init__(self, values: list | None = None):
        self.values: list = []
        self.index: dict = {}
        for v in values or []:
            self(v)

    def __call__(self, value):
        if value is None:
            return None
        if value not in self.index:
            self.index[value] = len(self.values)
            self.values.append(value)
        return self.index[value]


def project_feed(conn: sa.Connection, filters: pq.ProjectFilter | None = None) -> dict:
    """Every project matching ``filters`` (default: all) as dictionary-encoded rows (see FIELDS)."""
    f = filters or pq.ProjectFilter()
    total = pq.count_projects(conn, f)
    ids = pq.find_project_ids(conn, f, max(total, 1), 0)
    plans = [r.id for r in conn.execute(sa.select(Plan.id))]
    mentioned_by: dict[str, set[str]] = defaultdict(set)
    for pid, plan_id in conn.execute(sa.text("SELECT DISTINCT project_id, plan_id FROM mentions")):
        mentioned_by[pid].add(plan_id)
    status, kind, district = Codes(list(vocabularies()["status"])), Codes(), Codes()
    industry, plan, zone = Codes(), Codes(sorted(plans)), Codes()
    # As one document states it: the statuses that document gives (the API's own view).
    view = {"as_seen_by": f.as_seen_by} if f.as_seen_by else {}
    rows = []
    for start in range(0, len(ids), CHUNK):
        for feat in pq.project_features(conn, ids[start:start + CHUNK], **view):
            p = feat["properties"]
            lon = lat = None
            if feat["geometry"]:
                lon, lat = (round(c, 6) for c in feat["geometry"]["coordinates"])
            timeline = []
            for step in p.get("status_timeline") or []:
                timeline += [step["year"], status(step["status"])]
            rows.append([
                feat["id"], p["name_zh"], p.get("name_en") or "", lon, lat, p.get("location_accuracy_m"),
                status(p["status"]), p.get("status_year"), timeline,
                status(p.get("target_status")), p.get("target_year"),
                kind(p["kind"]), district(p.get("district")),
                [industry(i) for i in p.get("industries") or []],
                sorted(plan(x) for x in mentioned_by.get(feat["id"], ())),
                # The API's membership: by geometry, by a document's words, or both.
                [[zone(z["id"]), BASIS.index(z["basis"])] for z in p["zones"]],
            ])
    return {
        "fields": FIELDS, "basis": BASIS,
        "codes": {"status": status.values, "kind": kind.values, "district": district.values,
                  "industry": industry.values, "plan": plan.values, "zone": zone.values},
        "total": len(rows), "projects": rows,
    }


def simplified_districts(conn: sa.Connection) -> dict:
    """The district outlines, simplified for drawing, with a point to put each name at."""
    from shapely.geometry import Point

    centre, feats = Point(*PLANS_CENTRE), []
    for f in zq.list_districts(conn):
        geom = shape(f["geometry"])
        at = geom.representative_point()
        near = f["properties"]["level"] == "district" and geom.distance(centre) < NEAR_DEG
        tolerance, decimals = OUTLINE_TOLERANCE_DEG["near" if near else "far"]
        feats.append({**f, "geometry": to_geojson(geom.simplify(tolerance), decimals),
                      "properties": {**f["properties"], "label_at": [round(at.y, 5), round(at.x, 5)]}})
    return {"type": "FeatureCollection", "features": feats}


def zone_facts(zones: list[dict]) -> dict[str, dict]:
    """Per drawn zone: area (km²), a point inside it for its label, and the zones of other layouts
    that cover the same place (for "moved zone" in the edition comparison)."""
    shapes = {z["id"]: shape(z["geometry"]) for z in zones if z["geometry"]}
    layout = {z["id"]: z["properties"]["layout"] for z in zones}
    out = {}
    for zid, geom in shapes.items():
        at = geom.representative_point()
        out[zid] = {"area_km2": round(area_m2(geom) / 1e6, 3), "label_at": [round(at.y, 5), round(at.x, 5)], "same_place": []}
    ids = list(shapes)
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            if layout[a] == layout[b] or not shapes[a].intersects(shapes[b]):
                continue
            smaller = min(shapes[a].area, shapes[b].area)
            if smaller > 0 and shapes[a].intersection(shapes[b]).area / smaller >= SAME_PLACE_SHARE:
                out[a]["same_place"].append(b)
                out[b]["same_place"].append(a)
    return out


def page_config(conn: sa.Connection, basemaps: list[dict], map_name: str, tiles_above: int = 2000) -> dict:
    """Everything the map's modules need before their first fetch: small (a few KB). With more
    than ``tiles_above`` located projects the map draws them from tiles, not markers."""
    zones = zq.list_zones(conn)
    drawn = defaultdict(int)
    for z in zones:
        if z["geometry"]:
            drawn[z["properties"]["layout"]] += 1
    layouts = [{**lay, "drawn": drawn.get(lay["id"], 0)} for lay in zq.list_layouts(conn)]
    for lay in layouts:
        lay.pop("section", None)
        lay.pop("quote", None)
    years = [p["year"] for p in zq.list_plans(conn) if p.get("year")]
    return {
        "map": map_name,
        "plans": [{k: p[k] for k in ("id", "title_zh", "title_en", "district", "date", "year", "period", "kind")}
                  for p in zq.list_plans(conn)],
        "layouts": layouts,
        "industries": [{"id": i["id"], "zh": i["name_zh"], "en": i["name_en"]} for i in pq.list_industries(conn)],
        "vocab": vocabularies(),
        "zones": zone_facts(zones),
        "years": [min(years + [2015]), max(years + [2025])],
        "default_layout": DEFAULT_LAYOUT if any(lay["id"] == DEFAULT_LAYOUT for lay in layouts) else (layouts[0]["id"] if layouts else None),
        "basemaps": basemaps,
        "tiles_above": tiles_above,
        "fingerprint": conn.execute(sa.text("SELECT fingerprint FROM dataset_info")).scalar(),
    }


DEFAULT_LAYOUT = "xg13-one-axis-six-zones"

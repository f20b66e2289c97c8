"""Validating the catalog's plans, layouts, zones and streets (the YAML in ``data/catalog``)."""

from __future__ import annotations

from geo.errors import DataProblem
from geo.records import RecordChecker

# Every field each kind of record may carry (anything else is reported as unknown). A new field
# is one more name here, read by the check function below.
PLAN_FIELDS = ("id", "title_zh", "title_en", "district", "date", "year", "period", "kind", "source_file",
               "parts")  # parts: how to read each part of the document (projects.timeline.check_parts)
LAYOUT_FIELDS = ("id", "plan", "name_zh", "name_en", "cite", "zones")
ZONE_FIELDS = ("id", "name_zh", "name_en", "kind", "industries", "roles", "unmapped_reason", "cite")
STREET_FIELDS = ("id", "name_zh", "name_en", "district", "cite")

PLAN_KINDS = ("five_year_plan", "sector_plan", "work_report")
ZONE_KINDS = (
    "axis", "functional_zone", "business_circle", "bay", "street_zone", "area", "subdistrict",
    "core_zone", "bay_line", "city_area", "admin",
)


def check_plan(raw, file: str, problems: list[DataProblem]) -> dict:
    """One plan record → a row for ``plans``."""
    c = RecordChecker(problems, file, raw, fields=PLAN_FIELDS)
    period = c.record.get("period")
    if period is not None and (isinstance(period, bool) or not isinstance(period, (str, int))):
        c.fail("period", f"expected text such as 2021-2025, found {type(period).__name__}")
        period = None
    row = {
        "id": c.slug(),
        "title_zh": c.text("title_zh"),
        "title_en": c.text("title_en"),
        "district": c.text("district"),
        "date": c.date("date"),
        "year": c.integer("year", 1949, 2100),
        "period": str(period) if period is not None else None,
        "kind": c.choice("kind", PLAN_KINDS),
        "source_file": c.text("source_file"),
    }
    return row


def check_layout(raw, file: str, problems: list[DataProblem]) -> tuple[dict, list[dict]]:
    """One layout record with its member zones → rows for ``layouts`` and ``zones``."""
    c = RecordChecker(problems, file, raw, fields=LAYOUT_FIELDS)
    cite = c.cite() or {}
    layout = {
        "id": c.slug(),
        "plan_id": c.slug("plan"),
        "name_zh": c.text("name_zh"),
        "name_en": c.text("name_en"),
        "section": cite.get("section"),
        "quote": cite.get("quote"),
        "_cite_plan": cite.get("plan"),
    }
    zones = []
    members = c.record.get("zones") or []
    if not isinstance(members, list):
        c.fail("zones", "expected a list of zones")
        members = []
    for z in members:
        zc = RecordChecker(problems, file, z, fields=ZONE_FIELDS)
        zcite = zc.cite() or {}
        zones.append({
            "id": zc.slug(),
            "layout_id": layout["id"],
            "plan_id": layout["plan_id"],
            "name_zh": zc.text("name_zh"),
            "name_en": zc.text("name_en"),
            "kind": zc.choice("kind", ZONE_KINDS),
            "roles": zc.text("roles", required=False),
            # Why the zone has no polygon (e.g. a designation covering the whole city); a zone
            # without geometry and without a reason is reported by `zonemap check`.
            "unmapped_reason": zc.text("unmapped_reason", required=False),
            "section": zcite.get("section"),
            "quote": zcite.get("quote"),
            "_cite_plan": zcite.get("plan"),
            "_industries": zc.id_list("industries"),
        })
    return layout, zones


def check_street(raw, file: str, problems: list[DataProblem]) -> dict:
    """One street record → a row for ``streets``."""
    c = RecordChecker(problems, file, raw, fields=STREET_FIELDS)
    cite = c.cite() or {}
    return {
        "id": c.slug(),
        "name_zh": c.text("name_zh"),
        "name_en": c.text("name_en"),
        "district": c.text("district", required=False),
        "plan_id": cite.get("plan"),
        "section": cite.get("section"),
        "quote": cite.get("quote"),
    }

"""Names for the vocabularies the pages show: project kinds, zone kinds, plan kinds (zh, en).

The catalog stores these as ids (``plot_redevelopment``, ``functional_zone`` …); a person reads
names. One table, used by the server-rendered pages and sent to the map's JavaScript.
"""

from __future__ import annotations

from projects.palette import STATUS_COLOURS  # the one table of status colours (also the GeoPackage's styles)
from projects.status import STATUS_LABELS, Status

PROJECT_KIND_LABELS: dict[str, tuple[str, str]] = {
    "plot_redevelopment": ("地块改造", "Plot redevelopment"),
    "old_town_renewal": ("老城区改造", "Old-town renewal"),
    "building": ("楼宇", "Building"),
    "complex": ("综合体", "Complex"),
    "market": ("市场", "Market"),
    "park": ("公园", "Park"),
    "square": ("广场", "Square"),
    "road": ("道路", "Road"),
    "tunnel": ("隧道", "Tunnel"),
    "bridge": ("桥梁", "Bridge"),
    "metro": ("地铁", "Metro"),
    "rail": ("铁路", "Railway"),
    "port": ("港口", "Port"),
    "airport": ("机场", "Airport"),
    "school": ("学校", "School"),
    "hospital": ("医院", "Hospital"),
    "museum": ("博物馆", "Museum"),
    "culture_venue": ("文化场馆", "Cultural venue"),
    "sports_venue": ("体育场馆", "Sports venue"),
    "industrial_park": ("产业园区", "Industrial park"),
    "innovation_park": ("创新园区", "Innovation park"),
    "hotel": ("酒店", "Hotel"),
    "tourism": ("旅游", "Tourism"),
    "utility": ("市政设施", "Utility"),
    "housing": ("住宅", "Housing"),
    "elderly_care": ("养老", "Elderly care"),
    "other": ("其他", "Other"),
}

ZONE_KIND_LABELS: dict[str, tuple[str, str]] = {
    "axis": ("发展轴", "Axis"),
    "functional_zone": ("功能区", "Functional zone"),
    "business_circle": ("商圈", "Business circle"),
    "bay": ("海湾", "Bay"),
    "street_zone": ("特色街", "Street"),
    "area": ("片区", "Area"),
    "subdistrict": ("街道", "Subdistrict"),
    "core_zone": ("核心区", "Core zone"),
    "bay_line": ("湾线", "Bay line"),
    "city_area": ("城市区域", "City area"),
    "admin": ("行政区", "Administrative area"),
}

PLAN_KIND_LABELS: dict[str, tuple[str, str]] = {
    "five_year_plan": ("五年规划", "Five-year plan"),
    "sector_plan": ("专项规划", "Sector plan"),
    "work_report": ("政府工作报告", "Work report"),
}



def label(table: dict[str, tuple[str, str]], key: str | None, lang: str = "zh") -> str:
    """The name of ``key`` in ``table`` in ``lang`` (``zh`` or ``en``); the id itself when unknown."""
    if key is None:
        return ""
    names = table.get(key)
    if names is None:
        return key
    return names[0] if lang == "zh" else names[1]


def status_label(value: str, lang: str = "zh") -> str:
    """A status id's name (已建成 / Completed …)."""
    zh, en = STATUS_LABELS[Status(value)]
    return zh if lang == "zh" else en


def vocabularies() -> dict:
    """Every vocabulary as ``{id: {zh, en}}`` (+ colour for statuses), for the map's JavaScript."""
    def table(t):
        return {k: {"zh": zh, "en": en} for k, (zh, en) in t.items()}

    return {
        "status": {s.value: {"zh": STATUS_LABELS[s][0], "en": STATUS_LABELS[s][1], "colour": STATUS_COLOURS[s.value]}
                   for s in Status},
        "project_kind": table(PROJECT_KIND_LABELS),
        "zone_kind": table(ZONE_KIND_LABELS),
        "plan_kind": table(PLAN_KIND_LABELS),
    }

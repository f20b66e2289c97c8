// Basemaps: none by default (the page then requests nothing from elsewhere); the menu offers what
// the operator configured (ZONEMAP_BASEMAPS). Over GCJ-02 tiles (高德) the maps switch to a CRS
// that shifts the WGS84 overlays to GCJ-02 as they are drawn. A basemap that fails to load only
// says so: the overlays do not depend on it.

import {gcj02Crs} from "./gcj02.js";
import {t} from "./i18n.js";

const KEY_STORE = "zonemap.basemap-key.";

export function storedKey(id) {
  try { return localStorage.getItem(KEY_STORE + id) || ""; } catch (_) { return ""; }
}

export function storeKey(id, key) {
  try { localStorage.setItem(KEY_STORE + id, key); } catch (_) { /* private mode: keep for this page only */ }
}

export class Basemaps {
  constructor(app) {
    this.app = app;
    this.entries = app.config.basemaps || [];
    this.layers = [];
    this.active = null;
    this.gcj = gcj02Crs(L);
    this.failed = false;
  }

  entry(id) { return this.entries.find((b) => b.id === id) || null; }

  needsKey(b) { return b && b.needs_key && !b.key && !storedKey(b.id); }

  /** Show basemap `id` (or none) on every map of the page; returns true when the CRS changed. */
  apply(id, maps) {
    for (const layer of this.layers) layer.remove();
    this.layers = [];
    this.failed = false;
    const b = this.entry(id);
    const crs = b && b.crs === "gcj02" ? this.gcj : L.CRS.EPSG3857;
    let crsChanged = false;
    for (const map of maps) {
      if (map.options.crs !== crs) {
        const centre = map.getCenter(), zoom = map.getZoom();
        map.options.crs = crs;
        map._resetView(centre, zoom, true); // re-projects every layer (fires viewreset)
        crsChanged = true;
      }
    }
    this.active = b && !this.needsKey(b) ? b : null;
    if (this.active) {
      const key = b.key || storedKey(b.id);
      for (const map of maps) {
        for (const url of [b.url, ...(b.overlays || [])]) {
          const layer = L.tileLayer(url, {subdomains: b.subdomains || "abc", maxZoom: b.max_zoom || 18, attribution: b.attribution || "",
                                          key, pane: "tilePane", className: "zm-basemap"});
          layer.on("tileerror", () => this.tileFailed());
          layer.addTo(map);
          this.layers.push(layer);
        }
      }
    }
    return crsChanged;
  }

  tileFailed() {
    if (this.failed) return;
    this.failed = true;
    this.app.notice(t("basemap_failed"));
  }
}

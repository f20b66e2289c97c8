// Zones of the shown layouts: outlines in each layout's own palette (or shaded by a count, the
// choropleth), their names at suitable zooms, and a popup with the zone's counts by status.

import {classOf, classes, palette, paletteIndex} from "./palette.js";
import {esc, nm, t, vocab} from "./i18n.js";
import {declutter} from "./labels.js";

export const ZONE_LABEL_ZOOM = 13;
const DECLUTTER_DELAY_MS = 120;

/** Per zone: how many of `projects` belong to it, by status and by basis. */
export function zoneCounts(projects, statusOf) {
  const out = new Map();
  for (const p of projects) {
    for (const z of p.zones) {
      let c = out.get(z.id);
      if (!c) out.set(z.id, (c = {n: 0, spatial: 0, text: 0, byStatus: {}}));
      c.n += 1;
      if (z.basis !== "text") c.spatial += 1;
      if (z.basis !== "spatial") c.text += 1;
      const s = statusOf(p) || "none";
      c.byStatus[s] = (c.byStatus[s] || 0) + 1;
    }
  }
  return out;
}

/** The value the choropleth shows for a zone: all projects, one status, or projects per km². */
export function metricValue(metric, c, facts) {
  if (!c) return 0;
  if (metric === "density") return facts && facts.area_km2 ? c.n / facts.area_km2 : 0;
  if (metric === "all") return c.n;
  return c.byStatus[metric] || 0;
}

export class ZoneLayers {
  /** `bearings`: the map's district labels, which give way to zone names where they meet. */
  constructor(app, map, bearings = null) {
    this.app = app;
    this.map = map;
    this.bearings = bearings;
    this.tips = []; // zone labels, smallest zone first (a small zone has no other room for its name)
    this.group = L.featureGroup().addTo(map);
    this.labels = L.layerGroup();
    this.layers = new Map(); // zone id → its L.GeoJSON
    this.colours = new Map();
    this.cls = null;
    map.on("zoomend", () => this.toggleLabels());
    // After every settled move (a synchronised map is moved and zoomed by its twin, whose events
    // may come first): once, shortly after the last one, when Leaflet has placed the labels.
    map.on("zoomend moveend", () => {
      clearTimeout(this.declutterTimer);
      this.declutterTimer = setTimeout(() => this.declutter(), DECLUTTER_DELAY_MS);
    });
  }

  /** Draw the zones of `layoutIds`; `counts` from zoneCounts; `metric` shades them (or null). */
  show(layoutIds, counts, metric) {
    const cfg = this.app.config, data = this.app.data;
    this.group.clearLayers();
    this.labels.clearLayers();
    this.tips = [];
    this.layers.clear();
    this.colours.clear();
    this.counts = counts;
    this.metric = metric;
    const pal = paletteIndex(cfg.layouts.map((l) => l.id), layoutIds);
    const zones = data.zones.filter((z) => z.geometry && layoutIds.includes(z.properties.layout));
    this.cls = metric ? classes(zones.map((z) => metricValue(metric, counts.get(z.id), cfg.zones[z.id])), metric !== "density") : null;
    const order = new Map();
    for (const z of zones) {
      const lay = z.properties.layout;
      const i = order.get(lay) || 0;
      order.set(lay, i + 1);
      const colours = palette(pal.get(lay));
      const colour = colours[i % colours.length];
      this.colours.set(z.id, colour);
      const fill = this.cls ? classOf(metricValue(metric, counts.get(z.id), cfg.zones[z.id]), this.cls).colour : colour;
      const layer = L.geoJSON(z, {
        style: () => (this.cls ? {color: "#555", weight: 1, fillColor: fill, fillOpacity: 0.72}
                               : {color: colour, weight: 2, fillColor: colour, fillOpacity: 0.16}),
      });
      layer.bindTooltip(() => esc(nm(z.properties)), {sticky: true});
      layer.bindPopup(() => this.popupHtml(z), {maxWidth: Math.min(320, window.innerWidth - 70), className: "zm-popup"});
      layer.on("popupopen", () => this.app.store.set({zone: z.id}));
      layer.on("popupclose", () => { if (this.app.store.get().zone === z.id) this.app.store.set({zone: null}); });
      this.group.addLayer(layer);
      if (z.properties.centreline) {
        this.group.addLayer(L.geoJSON(z.properties.centreline, {interactive: false, style: {color: this.cls ? "#555" : colour, weight: 5, opacity: 0.85}}));
      }
      this.layers.set(z.id, layer);
      const at = cfg.zones[z.id]?.label_at;
      if (at) {
        const tip = L.tooltip({permanent: true, direction: "center", className: "zm-label zm-label-zone", interactive: false})
          .setLatLng(at).setContent(esc(nm(z.properties)));
        this.tips.push([cfg.zones[z.id]?.area_km2 ?? 0, tip]);
        this.labels.addLayer(tip);
      }
    }
    this.tips = this.tips.sort((a, b) => a[0] - b[0]).map(([, tip]) => tip);
    this.toggleLabels();
    this.declutter();
  }

  /** Zone names first, smallest zone first, then district names where there is room. */
  declutter() {
    declutter([...(this.map.hasLayer(this.labels) ? this.tips : []), ...(this.bearings?.districtTips() ?? [])]);
  }

  toggleLabels() {
    const on = this.map.getZoom() >= ZONE_LABEL_ZOOM && this.app.store.get().labels !== "off";
    if (on && !this.map.hasLayer(this.labels)) this.labels.addTo(this.map);
    if (!on && this.map.hasLayer(this.labels)) this.labels.remove();
  }

  popupHtml(z) {
    const cfg = this.app.config, p = z.properties, c = this.counts?.get(z.id) || {n: 0, spatial: 0, text: 0, byStatus: {}};
    const layout = cfg.layouts.find((l) => l.id === p.layout), facts = cfg.zones[z.id] || {};
    const rows = Object.keys(cfg.vocab.status).map((s) => `<tr><td><span class="zm-dot" style="background:${cfg.vocab.status[s].colour}"></span>`
      + `${esc(vocab(cfg, "status", s))}</td><td class="zm-num">${c.byStatus[s] || 0}</td></tr>`).join("")
      + (c.byStatus.none ? `<tr><td>${esc(t("not_yet"))}</td><td class="zm-num">${c.byStatus.none}</td></tr>` : "");
    return `<div class="zm-pop"><b>${esc(nm(p))}</b><br><small>${esc(nm(layout))} · ${esc(vocab(cfg, "zone_kind", p.kind))}`
      + `${facts.area_km2 ? ` · ${facts.area_km2.toFixed(2)} km²` : ""}</small>`
      + (p.roles ? `<div><small>${esc(t("role"))}: ${esc(p.roles)}</small></div>` : "")
      + `<div>${esc(t("zone_counts", {spatial: c.spatial, text: c.text}))}: <b>${c.n}</b></div>`
      + `<table class="zm-mini">${rows}</table>`
      + `<div><a href="/zones/${encodeURIComponent(z.id)}" target="_blank">${esc(t("zone_page"))}</a></div></div>`;
  }

  open(id) {
    const layer = this.layers.get(id);
    if (!layer) return false;
    this.map.fitBounds(layer.getBounds(), {maxZoom: 16, padding: [20, 20]});
    layer.openPopup(layer.getBounds().getCenter());
    return true;
  }

  bounds() { return this.group.getLayers().length ? this.group.getBounds() : null; }
}

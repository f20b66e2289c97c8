// Plan editions side by side: two synchronised maps (Leaflet.Sync), each with one layout, its own
// legend and colours, and the statuses as that layout's document states them (as_seen_by); and
// the projects that moved zone or changed status between the two.

import {Bearings} from "./labels.js";
import {loadSeenBy} from "./data.js";
import {matches} from "./filters.js";
import {byName, esc, nm, t, vocab} from "./i18n.js";
import {legendHtml, renderLegend} from "./legend.js";
import {ProjectMarkers} from "./markers.js";
import {ProjectTiles} from "./tiles.js";
import {ZoneLayers, zoneCounts} from "./zones.js";

export class Comparison {
  constructor(app) {
    this.app = app;
    this.active = false;
    this.seen = new Map(); // plan id → Map(project id → project as that plan states it)
  }

  planOf(layoutId) { return this.app.config.layouts.find((l) => l.id === layoutId)?.plan; }

  async seenBy(plan) {
    if (!this.seen.has(plan)) this.seen.set(plan, await loadSeenBy(plan));
    return this.seen.get(plan);
  }

  /** Status of p as layout A's (side "a") or B's document states it; null when it does not mention p. */
  statusOf(side, p) {
    const m = side === "a" ? this.seenA : this.seenB;
    return m?.get(p.id)?.status ?? null;
  }

  async start(a, b) {
    const app = this.app;
    this.a = a;
    this.b = b;
    [this.seenA, this.seenB] = await Promise.all([this.seenBy(this.planOf(a)), this.seenBy(this.planOf(b))]);
    if (!this.active) {
      document.body.classList.add("zm-comparing");
      const el = document.getElementById("zm-map-b");
      el.hidden = false;
      app.map.invalidateSize();
      this.map = L.map(el, {crs: app.map.options.crs, zoomControl: false, attributionControl: false, maxZoom: 18})
        .setView(app.map.getCenter(), app.map.getZoom());
      L.control.scale().addTo(this.map);
      this.bearings = new Bearings(app, this.map);
      this.zones = new ZoneLayers(app, this.map, this.bearings);
      const draw = {statusOf: (p) => this.statusOf("b", p), query: () => app.tileQuery(this.planOf(this.b))};
      this.markers = app.useTiles ? new ProjectTiles(app, this.map, draw) : new ProjectMarkers(app, this.map, draw);
      app.map.sync(this.map);
      this.map.sync(app.map);
      this.active = true;
    }
    this.refresh();
  }

  stop() {
    if (!this.active) return;
    this.app.map.unsync(this.map);
    this.map.remove();
    this.map = null;
    this.active = false;
    document.body.classList.remove("zm-comparing");
    document.getElementById("zm-map-b").hidden = true;
    document.getElementById("zm-legend-b").hidden = true;
    this.app.map.invalidateSize();
  }

  refresh() {
    if (!this.active) return;
    const app = this.app, state = app.store.get();
    const kept = app.data.projects.filter((p) => matches(p, state));
    this.markers.show(kept);
    this.zones.show([this.b], zoneCounts(kept.filter((p) => this.seenB.has(p.id)), (p) => this.statusOf("b", p)), state.choropleth);
    const plan = app.config.plans.find((p) => p.id === this.planOf(this.b));
    renderLegend(document.getElementById("zm-legend-b"), legendHtml(app, {
      layoutIds: [this.b], zoneLayers: this.zones, faded: true, heading: t("seen_by", {plan: nm(plan)}),
    }));
  }

  /** Projects both documents mention whose zone (by place) or status differs between A and B. */
  changes() {
    const app = this.app, state = app.store.get(), cfg = app.config;
    const zonesOf = (layoutId) => new Set(cfg.layouts.find((l) => l.id === layoutId)?.zones || []);
    const inA = zonesOf(this.a), inB = zonesOf(this.b);
    const rows = [];
    for (const p of app.data.projects) {
      const sa = this.statusOf("a", p), sb = this.statusOf("b", p);
      if (!sa || !sb || !matches(p, state)) continue;
      const za = p.zones.find((z) => inA.has(z.id))?.id || null;
      const zb = p.zones.find((z) => inB.has(z.id))?.id || null;
      const samePlace = za && zb && (cfg.zones[za]?.same_place || []).includes(zb);
      const moved = (za || zb) && !samePlace;
      const changed = sa !== sb;
      if (moved || changed) rows.push({p, za, zb, sa, sb, moved, changed});
    }
    return rows.sort((x, y) => (y.changed - x.changed) || (y.moved - x.moved) || byName(x.p.name_zh, y.p.name_zh));
  }

  tableHtml() {
    if (!this.active) return "";
    const app = this.app, cfg = app.config;
    const zname = (id) => (id ? esc(nm(app.data.zoneById.get(id)?.properties)) : "—");
    const chip = (s) => `<span class="zm-chip" style="background:${cfg.vocab.status[s].colour}">${esc(vocab(cfg, "status", s))}</span>`;
    const la = cfg.layouts.find((l) => l.id === this.a), lb = cfg.layouts.find((l) => l.id === this.b);
    const rows = this.changes();
    const body = rows.map((r) => `<tr data-project="${esc(r.p.id)}"><td>${esc(nm(r.p))}<br><small>${[r.moved ? t("moved") : "", r.changed ? t("changed") : ""].filter(Boolean).join(" · ")}</small></td>`
      + `<td>${zname(r.za)}<br>${chip(r.sa)}</td><td>${zname(r.zb)}<br>${chip(r.sb)}</td></tr>`).join("");
    return `<table class="zm-compare-table"><thead><tr><th>${esc(t("projects"))} (${rows.length})</th><th>${esc(nm(la))}</th><th>${esc(nm(lb))}</th></tr></thead>`
      + `<tbody>${body || `<tr><td colspan="3">${esc(t("no_changes"))}</td></tr>`}</tbody></table>`;
  }
}

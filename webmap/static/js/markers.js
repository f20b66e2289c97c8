// Project markers: one circle per located project, drawn on a canvas and clustered
// (Leaflet.markercluster), so that 10,000 stay smooth and coincident points stay clickable (a
// cluster of points at one place spiders out). The colour is the status the caller asks for
// (now, at the end of a year, or as one document states it); "not yet mentioned" is faded.

import {loadProject} from "./data.js";
import {esc, nm, t, vocab} from "./i18n.js";

const FADED = "#b8b8b8";
export const ACCURACY_CIRCLE_M = 500; // a selected point this uncertain shows its accuracy circle
const LOAD_WAIT_MS = 5000;
const OPEN_ZOOM = 16; // a project opened from a link, the search or a list is shown at street zoom
const DENSE = 2000; // more markers than this: wider clusters

/** A project's popup: name, status chip (as `s`, null = not mentioned yet), zones, accuracy, link. */
export function popupHtml(app, p, s) {
  const cfg = app.config;
  const zones = p.zones.map((z) => {
    const zone = app.data.zoneById.get(z.id);
    return `${esc(nm(zone?.properties) || z.id)} <small>(${esc(z.basis === "text" ? t("by_text") : t("by_geometry"))})</small>`;
  }).join("; ") || esc(t("outside_zones"));
  const status = s ? `<span class="zm-chip" style="background:${cfg.vocab.status[s].colour}">${esc(vocab(cfg, "status", s))}</span>`
                   : `<span class="zm-chip zm-chip-faded">${esc(t("not_yet"))}</span>`;
  const when = app.store.get().year ? ` <small>${esc(t("year_label", {year: app.store.get().year}))}</small>` : "";
  const acc = p.accuracy_m ? `<div><small>${esc(t("accuracy"))} ±${p.accuracy_m} m</small></div>` : "";
  return `<div class="zm-pop" data-project="${esc(p.id)}"><b>${esc(p.name_zh)}</b><br><small>${esc(p.name_en)}</small>
    <div>${status}${when}</div><div class="zm-pop-detail"></div>
    <div><small>${esc(t("zones"))}:</small> ${zones}</div>${acc}
    <div><a href="/projects/${encodeURIComponent(p.id)}" target="_blank">${esc(t("status_history"))} →</a></div></div>`;
}

/** The dashed circle of a point this uncertain (≥ ACCURACY_CIRCLE_M), or null. */
export function accuracyCircle(map, p) {
  if (!(p.accuracy_m >= ACCURACY_CIRCLE_M)) return null;
  return L.circle([p.lat, p.lon], {radius: p.accuracy_m, color: "#333", weight: 1, dashArray: "4 4",
                                   fillOpacity: 0.06, interactive: false, className: "zm-accuracy"}).addTo(map);
}

/** The popup's line on the status's words and document, from the API's full record. */
export async function fillDetail(app, popupEl, id) {
  try {
    const f = await loadProject(id), q = f.properties;
    const el = popupEl?.querySelector(".zm-pop-detail");
    const plan = app.config.plans.find((x) => x.id === (q.status_basis?.plan || q.status_document));
    if (el) {
      el.innerHTML = `<small>“${esc(q.status_basis?.words ?? q.status_words ?? "—")}” · ${esc(nm(plan) || "")}`
        + `${q.status_year ? ` (${esc(q.status_year)})` : ""}</small>`;
    }
  } catch (_) { /* the popup stays useful without the detail */ }
}

export class ProjectMarkers {
  /** `statusOf(p)` → status id, or null for "not mentioned (yet)"; `onSelect(id|null)` hears selection. */
  constructor(app, map, {statusOf, onSelect}) {
    this.app = app;
    this.map = map;
    this.statusOf = statusOf;
    this.onSelect = onSelect || (() => {});
    // Their own pane above the zones and districts (SVG in the overlay pane), below labels and popups.
    if (!map.getPane("zm-projects")) map.createPane("zm-projects").style.zIndex = 450;
    this.renderer = L.canvas({padding: 0.2, tolerance: 3, pane: "zm-projects"});
    this.cluster = L.markerClusterGroup({
      chunkedLoading: true, showCoverageOnHover: false, spiderfyOnMaxZoom: true,
      // Wide clusters only when zoomed out; at street zooms only (nearly) coincident points group.
      // Thousands of projects get wider clusters (fewer icons to draw on every pan).
      maxClusterRadius: (z) => (this.dense ? (z >= 17 ? 8 : z >= 15 ? 60 : 80) : (z >= 15 ? 8 : z >= 13 ? 20 : 50)),
      iconCreateFunction: (c) => this.clusterIcon(c),
      // Chunked loading adds markers over several frames: a popup opened before the last chunk
      // would close when its marker joins a cluster (whenLoaded waits for it).
      chunkProgress: (done, total) => { if (done >= total) setTimeout(() => this.loadedOne(), 0); },
    });
    this.cluster.addTo(map);
    // One handler for all markers (via the cluster group): binds a marker's popup on first use.
    this.cluster.on("click", (e) => {
      const m = e.propagatedFrom || e.layer;
      if (m && m.project && !m.getPopup()) { this.bind(m); m.openPopup(); }
    });
    this.cluster.on("mouseover", (e) => {
      const m = e.propagatedFrom || e.layer;
      if (m && m.project && !m.getTooltip()) { this.bind(m); m.openTooltip(); }
    });
    this.markers = new Map();
    this.pending = 0;
    this.waiters = [];
    this.shown = [];
    this.dense = false;
    this.circle = null;
  }

  add(list) {
    if (!list.length) return;
    this.pending++;
    this.cluster.addLayers(list);
  }

  loadedOne() {
    this.pending = Math.max(0, this.pending - 1);
    if (this.pending) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Resolves once every marker handed to the clusters is in place (or after LOAD_WAIT_MS: a
   * batch cleared while loading never reports its end). */
  whenLoaded() {
    if (!this.pending) return Promise.resolve();
    return new Promise((resolve) => { this.waiters.push(resolve); setTimeout(resolve, LOAD_WAIT_MS); });
  }

  marker(p) {
    let m = this.markers.get(p.id);
    if (!m) {
      m = L.circleMarker([p.lat, p.lon], {renderer: this.renderer, radius: 7, weight: 1.5, color: "#fff", fillOpacity: 0.92});
      m.project = p;
      this.markers.set(p.id, m);
    }
    return m;
  }

  /** Tooltip and popup are bound on first use: binding 10,000 up front costs a second. */
  bind(m) {
    if (m.getPopup()) return;
    m.bindTooltip(() => esc(nm(m.project)), {direction: "top", offset: [0, -6]});
    m.bindPopup(() => this.popupHtml(m), {maxWidth: Math.min(320, window.innerWidth - 70), className: "zm-popup", autoPanPadding: [20, 60]});
    m.on("popupopen", () => this.opened(m));
    m.on("popupclose", () => this.closed(m));
  }

  style(m) {
    const s = this.statusOf(m.project);
    if (m.zmStyled && m.zmStatus === s) return false;
    m.zmStatus = s;
    m.zmStyled = true;
    const colour = s ? this.app.config.vocab.status[s].colour : FADED;
    m.setStyle(s ? {fillColor: colour, fillOpacity: 0.92, color: "#fff", weight: 1.5, radius: 7}
                 : {fillColor: FADED, fillOpacity: 0.45, color: "#fff", weight: 1, radius: 5});
    return true;
  }

  /** Draw exactly these projects (located ones), coloured by statusOf; only the difference with
   * what is drawn is added or removed, so a filter change does not rebuild every cluster. */
  show(projects) {
    const next = [];
    let restyled = false;
    for (const p of projects) {
      if (!p.located) continue;
      const m = this.marker(p);
      restyled = this.style(m) || restyled;
      next.push(m);
    }
    const keep = new Set(next), had = new Set(this.shown);
    const gone = this.shown.filter((m) => !keep.has(m)), added = next.filter((m) => !had.has(m));
    const dense = next.length > DENSE;
    if (gone.length > next.length || dense !== this.dense) {
      this.dense = dense; // the clusters' radius changes: regroup from scratch
      this.cluster.clearLayers();
      this.add(next);
    } else {
      if (gone.length) this.cluster.removeLayers(gone);
      this.add(added);
      if (restyled) this.cluster.refreshClusters();
    }
    this.shown = next;
  }

  /** Recolour what is drawn (the time slider) without re-adding anything. */
  recolour() {
    let restyled = false;
    for (const m of this.shown) restyled = this.style(m) || restyled;
    if (restyled) this.cluster.refreshClusters();
  }

  count() { return this.shown.length; }

  clusterIcon(cluster) {
    const children = cluster.getAllChildMarkers();
    const counts = new Map();
    for (const m of children) counts.set(m.zmStatus || null, (counts.get(m.zmStatus || null) || 0) + 1);
    let at = 0;
    const stops = [];
    for (const [s, n] of [...counts].sort((a, b) => b[1] - a[1])) {
      const colour = s ? this.app.config.vocab.status[s].colour : FADED;
      const end = at + (360 * n) / children.length;
      stops.push(`${colour} ${at}deg ${end}deg`);
      at = end;
    }
    const size = children.length < 10 ? 28 : children.length < 100 ? 34 : 42;
    return L.divIcon({
      html: `<div style="background:conic-gradient(${stops.join(",")})"><span>${children.length}</span></div>`,
      className: "zm-cluster", iconSize: L.point(size, size),
    });
  }

  popupHtml(m) { return popupHtml(this.app, m.project, this.statusOf(m.project)); }

  async opened(m) {
    if (!m || !m.project) return;
    const p = m.project;
    this.onSelect(p.id);
    if (this.circle) this.circle.remove();
    this.circle = accuracyCircle(this.map, p);
    await fillDetail(this.app, m.getPopup()?.getElement(), p.id);
  }

  closed(m) {
    if (this.circle) this.circle.remove();
    this.circle = null;
    if (m && m.project) this.onSelect(null, m.project.id);
  }

  isDrawn(id) {
    const m = this.markers.get(id);
    return Boolean(m && this.cluster.hasLayer(m));
  }

  /** Open a drawn project's popup without moving the map. */
  popup(id) {
    const m = this.markers.get(id);
    if (!m) return false;
    this.bind(m);
    m.openPopup();
    return true;
  }

  /** Zoom to a drawn project and open its popup; false when it is not drawn. */
  open(id) {
    const m = this.markers.get(id);
    if (!m || !this.cluster.hasLayer(m)) return false;
    this.bind(m);
    // Street zoom first: from a city view the cluster would spider out dozens of points around it.
    if (this.map.getZoom() < OPEN_ZOOM) this.map.setView(m.getLatLng(), OPEN_ZOOM, {animate: false});
    // Drawn on its own and in view: open (zoomToShowLayer would pan to where the map already is
    // and wait for a moveend that never comes).
    if (this.map.hasLayer(m) && this.map.getBounds().contains(m.getLatLng())) m.openPopup();
    else this.cluster.zoomToShowLayer(m, () => m.openPopup());
    return true;
  }

  /** Rebuild the clusters (after the map's CRS changed: they cache projected positions). */
  rebuild() {
    const all = this.shown;
    this.cluster.clearLayers();
    this.add(all);
  }
}

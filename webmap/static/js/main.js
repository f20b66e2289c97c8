// The map's entry point: reads the config and the URL, loads the data, builds the layers and
// wires the modules together. `window.zonemap` exposes the app for the browser tests and for
// anyone poking at the page in the console.

import {Basemaps} from "./basemaps.js";
import {Comparison} from "./compare.js";
import {loadAll, statusAt} from "./data.js";
import {partition} from "./filters.js";
import {nm, setLang, t} from "./i18n.js";
import {Bearings} from "./labels.js";
import {legendHtml, renderLegend} from "./legend.js";
import {ProjectMarkers} from "./markers.js";
import {ProjectTiles} from "./tiles.js";
import {Panel} from "./panel.js";
import {SearchBox} from "./search.js";
import {Store, parse, parseView, viewText} from "./state.js";
import {TimeSlider} from "./time.js";
import {ZoneLayers, zoneCounts} from "./zones.js";

const PHONE = window.matchMedia("(max-width: 700px)");
const DEFAULT_BOUNDS = [[38.895, 121.585], [38.945, 121.650]];
const SETTLE_MS = 250;

class App {
  constructor(config) {
    this.config = config;
    this.map = window[config.map];
    const state = parse(location.search);
    this.explicitLayout = state.layout.length > 0;
    if (!state.layout.length && config.default_layout) state.layout = [config.default_layout];
    this.store = new Store(state);
    setLang(state.lang);
    this.panelEl = document.getElementById("zm-panel");
    this.streetsOn = true;
  }

  async boot() {
    performance.mark("zm-boot");
    this.notice(t("loading"));
    try {
      this.data = await loadAll();
    } catch (err) {
      this.notice(t("load_failed") + err.message, true);
      throw err;
    }
    performance.mark("zm-data");
    const map = this.map;
    this.bearings = new Bearings(this, map);
    this.zones = new ZoneLayers(this, map, this.bearings);
    // Up to the config's tiles_above located projects, markers built in the browser (clusters that
    // spider out, instant recolouring); beyond, the server's tiles (only what is in view travels).
    this.useTiles = this.data.projects.filter((p) => p.located).length > this.config.tiles_above;
    const draw = {statusOf: (p) => this.statusOf(p), onSelect: (id, was) => this.selected(id, was), query: () => this.tileQuery()};
    this.markers = this.useTiles ? new ProjectTiles(this, map, draw) : new ProjectMarkers(this, map, draw);
    document.body.dataset.projectsFrom = this.useTiles ? "tiles" : "markers";
    this.basemaps = new Basemaps(this);
    this.comparison = new Comparison(this);
    this.panel = new Panel(this, this.panelEl);
    this.time = new TimeSlider(this, this.panel.s.time);
    this.search = new SearchBox(this);
    this.wireChrome();
    this.store.subscribe((s, changed) => this.changed(s, changed));
    this.applyBasemap();
    this.refresh();
    this.time.render();
    performance.mark("zm-drawn");
    await this.initialView();
    // After the map settles: the URL and the list of projects in view follow (not on every step of a
    // drag or a zoom, where rewriting them would cost frames).
    map.on("moveend", () => {
      clearTimeout(this.settleTimer);
      this.settleTimer = setTimeout(() => {
        this.store.set({at: viewText(map)});
        this.panel.lists();
      }, SETTLE_MS);
    });
    this.notice(null);
    performance.mark("zm-ready");
    document.body.dataset.ready = "1";
  }

  /** The status a project shows: as its document states it (comparison), at the end of the
   * slider's year, or now. */
  statusOf(p) {
    if (this.comparison?.active) return this.comparison.statusOf("a", p);
    return statusAt(p, this.store.get().year);
  }

  /** The tiles' query for the view: the filters, and the status view (the comparison's side A
   * document, else the slider's year); `seenBy` for the comparison's side B. */
  tileQuery(seenBy = null) {
    const s = this.store.get(), q = new URLSearchParams();
    if (s.status.length) q.set("status", s.status.join(","));
    for (const k of ["industry", "plan", "kind", "district"]) if (s[k]) q.set(k, s[k]);
    const c = this.comparison;
    const plan = seenBy || (c?.active ? c.planOf(c.a) : null);
    if (plan) q.set("as_seen_by", plan);
    else if (s.year) q.set("as_of", s.year);
    const text = q.toString();
    return text ? `?${text}` : "";
  }

  refresh() {
    const s = this.store.get();
    this.part = partition(this.data.projects, s);
    const layouts = this.comparison.active ? [s.layout[0]] : s.layout;
    const drawn = this.comparison.active ? this.part.kept : this.part.drawn.concat(this.part.faded);
    this.markers.show(drawn);
    this.refreshZones(layouts);
    this.panel.render();
    this.comparison.refresh();
  }

  refreshZones(layouts) {
    const s = this.store.get();
    const members = this.comparison.active ? this.part.kept.filter((p) => this.statusOf(p)) : this.part.kept;
    this.zones.show(layouts, zoneCounts(members, (p) => this.statusOf(p)), s.choropleth);
    this.renderLegend(layouts);
    this.printTitle(layouts);
  }

  renderLegend(layouts) {
    const s = this.store.get(), c = this.comparison;
    const plan = c.active ? this.config.plans.find((p) => p.id === c.planOf(layouts[0])) : null;
    renderLegend(document.getElementById("zm-legend"), legendHtml(this, {
      layoutIds: layouts, zoneLayers: this.zones, faded: Boolean(s.year) || c.active,
      heading: plan ? t("seen_by", {plan: nm(plan)}) : (s.year ? t("year_label", {year: s.year}) : null),
    }));
  }

  printTitle(layouts) {
    const names = layouts.map((id) => nm(this.config.layouts.find((l) => l.id === id))).join(" · ");
    const s = this.store.get();
    const compare = this.comparison.active ? ` ⇄ ${nm(this.config.layouts.find((l) => l.id === s.compare))}` : "";
    const year = s.year ? ` — ${t("year_label", {year: s.year})}` : "";
    document.getElementById("zm-print-title").textContent = `zonemap · ${t("title")}: ${names}${compare}${year}`;
  }

  async changed(s, changed) {
    const only = (...keys) => [...changed].every((k) => keys.includes(k));
    if (only("at", "project", "zone")) return;
    if (changed.has("lang")) {
      setLang(s.lang);
      this.search.relabel();
      this.bearings.relabel();
      this.time.render();
    }
    if (changed.has("basemap")) this.applyBasemap();
    if (changed.has("compare") || (changed.has("layout") && s.compare)) {
      if (s.compare && s.layout[0] && s.compare !== s.layout[0]) await this.comparison.start(s.layout[0], s.compare);
      else this.comparison.stop();
      this.time.render();
    }
    if (only("year", "at") && !s.status.length && !this.comparison.active) {
      // The same projects are drawn: recolour them rather than rebuild the clusters (smooth play).
      this.part = partition(this.data.projects, s);
      this.markers.recolour();
      this.refreshZones(s.layout);
      this.panel.summary();
      this.panel.filters();
      this.panel.lists();
      return;
    }
    this.refresh();
  }

  applyBasemap() {
    const maps = [this.map, ...(this.comparison.active ? [this.comparison.map] : [])];
    if (this.basemaps.apply(this.store.get().basemap, maps)) {
      this.markers.rebuild();
      if (this.comparison.active) this.comparison.markers.rebuild();
    }
  }

  async initialView() {
    const s = this.store.get(), view = parseView(s.at);
    if (s.compare && s.layout[0] && s.compare !== s.layout[0]) {
      await this.comparison.start(s.layout[0], s.compare);
      this.refresh();
      this.time.render();
    }
    const pad = {padding: [10, 10], animate: false}; // an animation still running would undo a selection's zoom
    if (view) this.map.setView(view.center, view.zoom, {animate: false});
    else if (this.explicitLayout && this.zones.bounds()) this.map.fitBounds(this.zones.bounds(), pad);
    else this.map.fitBounds(DEFAULT_BOUNDS, pad);
    performance.mark("zm-view");
    await this.markers.whenLoaded();
    if (s.project) this.selectProject(s.project, Boolean(view));
    else if (s.zone) this.selectZone(s.zone, Boolean(view));
  }

  /** Show a project: its marker's popup, or its card when it is not drawn. */
  selectProject(id, keepView = false) {
    const p = this.data.byId.get(id);
    if (!p) return;
    if (p.located && this.markers.isDrawn(id)) {
      if (keepView) this.markers.popup(id); else this.markers.open(id);
    } else {
      this.togglePanel(true);
      this.panel.tab = "notdrawn";
      this.panel.lists();
      this.panel.detail(id);
      this.store.set({project: id});
    }
  }

  /** Show a zone: switch its layout on, fit it and open its popup. */
  selectZone(id, keepView = false) {
    const z = this.data.zoneById.get(id);
    if (!z) return;
    const s = this.store.get();
    if (!s.layout.includes(z.properties.layout)) this.store.set({layout: [...s.layout, z.properties.layout]});
    if (!z.geometry) { this.togglePanel(true); return; }
    const layer = this.zones.layers.get(id);
    if (keepView && layer) layer.openPopup(layer.getBounds().getCenter());
    else this.zones.open(id);
  }

  selected(id, was) {
    if (id) this.store.set({project: id});
    else if (this.store.get().project === was) this.store.set({project: null});
  }

  toggleStreets(on) {
    this.streetsOn = on;
    if (on) this.bearings.streets.addTo(this.map); else this.bearings.streets.remove();
  }

  wireChrome() {
    const button = document.getElementById("zm-panel-toggle");
    button.addEventListener("click", () => this.togglePanel(!document.body.classList.contains("zm-panel-open")));
    this.togglePanel(!PHONE.matches);
    // Printing hides the panel and widens the maps: they must know their new size.
    window.matchMedia("print").addEventListener("change", () => this.resized());
    window.addEventListener("beforeprint", () => this.resized());
    L.DomEvent.disableClickPropagation(this.panelEl);
    L.DomEvent.disableScrollPropagation(this.panelEl);
  }

  togglePanel(open) {
    document.body.classList.toggle("zm-panel-open", open);
    document.getElementById("zm-panel-toggle").setAttribute("aria-expanded", String(open));
    // On wide screens the panel docks beside the map: the maps' size changed.
    this.resized();
  }

  resized() {
    this.map.invalidateSize({pan: false});
    this.comparison?.map?.invalidateSize({pan: false});
  }

  closePanelOnPhone() { if (PHONE.matches) this.togglePanel(false); }

  notice(text, sticky = false) {
    const el = document.getElementById("zm-notice");
    if (!text) { el.hidden = true; return; }
    el.textContent = text;
    el.hidden = false;
    clearTimeout(this.noticeTimer);
    if (!sticky && text !== t("loading")) this.noticeTimer = setTimeout(() => { el.hidden = true; }, 6000);
  }
}

const config = JSON.parse(document.getElementById("zm-config").textContent);
const app = new App(config);
window.zonemap = app;
app.boot();

// The side panel (a drawer on phones): layers by plan edition then layout, the comparison, time,
// filters with counts, zone shading, basemap, and the lists of projects in view and not drawn.

import {FACETS, facetCounts} from "./filters.js";
import {byName, esc, nm, t, vocab} from "./i18n.js";
import {storeKey, storedKey} from "./basemaps.js";

const SECTIONS = ["head", "summary", "layers", "compare", "time", "filters", "choropleth", "basemap", "lists", "table", "foot"];
export const LIST_LIMIT = 150;

/** The first `n` projects by name, without sorting them all (a city view may hold 100,000). */
export function firstByName(projects, n) {
  const top = [];
  for (const p of projects) {
    const name = nm(p);
    if (top.length === n && byName(name, top[n - 1][0]) >= 0) continue;
    let lo = 0, hi = top.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (byName(top[mid][0], name) <= 0) lo = mid + 1; else hi = mid; }
    top.splice(lo, 0, [name, p]);
    if (top.length > n) top.pop();
  }
  return top.map((x) => x[1]);
}

export class Panel {
  constructor(app, el) {
    this.app = app;
    this.el = el;
    this.tab = "view";
    this.s = {};
    for (const name of SECTIONS) {
      const div = document.createElement("section");
      div.className = `zm-section zm-section-${name}`;
      el.appendChild(div);
      this.s[name] = div;
    }
    el.addEventListener("change", (e) => this.changed(e));
    el.addEventListener("click", (e) => this.clicked(e));
  }

  get state() { return this.app.store.get(); }

  render() {
    this.head();
    this.summary();
    this.layers();
    this.compare();
    this.filters();
    this.choropleth();
    this.basemap();
    this.lists();
    this.table();
    this.foot();
  }

  head() {
    this.s.head.innerHTML = `<h2>zonemap · ${esc(t("title"))}</h2>
      <button type="button" class="zm-button zm-lang" data-action="lang">${esc(t("lang_switch"))}</button>
      <button type="button" class="zm-button zm-close" data-action="close" aria-label="${esc(t("close"))}">×</button>`;
  }

  summary() {
    const part = this.app.part, all = this.app.data.projects;
    const located = all.filter((p) => p.located).length;
    const byText = all.filter((p) => !p.located && p.zones.length).length;
    const lines = [`<b>${esc(t("projects"))} ${all.length}</b>: ${esc(t("drawn"))} ${located} · ${esc(t("not_drawn"))} ${all.length - located}`
      + ` <small>(${esc(t("text_only", {n: byText}))} · ${esc(t("unplaced", {n: all.length - located - byText}))})</small>`];
    lines.push(`<span class="zm-shown">${esc(t("shown_of", {n: part.kept.length, total: all.length}))}: `
      + `${esc(t("drawn"))} <b class="zm-count-drawn">${part.drawn.length}</b> · ${esc(t("not_drawn"))} <b class="zm-count-not-drawn">${part.notDrawn.length}</b></span>`);
    if (part.faded.length) lines.push(`<span class="zm-faded-note">${esc(t("faded", {n: part.faded.length}))}</span>`);
    this.s.summary.innerHTML = lines.join("<br>");
    Object.assign(this.s.summary.dataset, {located, textOnly: byText, unplaced: all.length - located - byText});
  }

  layers() {
    const cfg = this.app.config, shown = this.state.layout;
    const plans = [...cfg.plans].sort((a, b) => (a.date || a.period || "").localeCompare(b.date || b.period || ""));
    const groups = plans.map((plan) => {
      const layouts = cfg.layouts.filter((l) => l.plan === plan.id);
      if (!layouts.length) return "";
      const items = layouts.map((l) => `<label class="zm-check"><input type="checkbox" data-layout="${esc(l.id)}"${shown.includes(l.id) ? " checked" : ""}>`
        + ` ${esc(nm(l))} <small>${l.drawn ? `${l.drawn}/${l.zones.length}` : `(${esc(t("no_drawn_zones"))})`}</small></label>`).join("");
      return `<div class="zm-plan"><div class="zm-plan-title">${esc(nm(plan))} <small>${esc(plan.year || plan.period || "")}</small></div>${items}</div>`;
    }).join("");
    this.s.layers.innerHTML = `<h3>${esc(t("layers"))}</h3>${groups}
      <label class="zm-check"><input type="checkbox" data-toggle="streets"${this.app.streetsOn !== false ? " checked" : ""}> ${esc(t("streets"))}</label>`;
  }

  compare() {
    const cfg = this.app.config, s = this.state;
    const options = cfg.layouts.filter((l) => l.id !== s.layout[0]).map((l) =>
      `<option value="${esc(l.id)}"${s.compare === l.id ? " selected" : ""}>${esc(nm(l))} · ${esc(nm(cfg.plans.find((p) => p.id === l.plan)))}</option>`);
    this.s.compare.innerHTML = `<h3>${esc(t("compare"))}</h3><label>${esc(t("compare_with"))}
      <select data-state="compare"><option value="">${esc(t("compare_none"))}</option>${options.join("")}</select></label>`;
  }

  filters() {
    const cfg = this.app.config, s = this.state, data = this.app.data;
    const counts = facetCounts(data.projects, s);
    const statusRows = Object.keys(cfg.vocab.status).map((id) => `<label class="zm-check"><input type="checkbox" data-status="${id}"`
      + `${s.status.includes(id) ? " checked" : ""}><span class="zm-dot" style="background:${cfg.vocab.status[id].colour}"></span>`
      + `${esc(vocab(cfg, "status", id))} <span class="zm-count" data-facet="status" data-value="${id}">${counts.status.get(id) || 0}</span></label>`).join("");
    const names = {
      industry: new Map(cfg.industries.map((i) => [i.id, nm(i)])),
      plan: new Map(cfg.plans.map((p) => [p.id, nm(p)])),
      kind: new Map(Object.keys(cfg.vocab.project_kind).map((k) => [k, vocab(cfg, "project_kind", k)])),
      district: new Map([...new Set(data.projects.map((p) => p.district).filter(Boolean))].map((d) => [d, d])),
    };
    const select = (facet) => {
      const c = counts[facet];
      const values = [...names[facet].keys()].filter((v) => c.get(v) || s[facet] === v)
        .sort((a, b) => (c.get(b) || 0) - (c.get(a) || 0) || byName(names[facet].get(a), names[facet].get(b)));
      const opts = values.map((v) => `<option value="${esc(v)}"${s[facet] === v ? " selected" : ""}>${esc(names[facet].get(v))} (${c.get(v) || 0})</option>`);
      return `<label class="zm-select">${esc(t(facet))}<select data-state="${facet}"><option value="">${esc(t("any"))}</option>${opts.join("")}</select></label>`;
    };
    this.s.filters.innerHTML = `<h3>${esc(t("filters"))}</h3><div class="zm-status-filter">${statusRows}</div>`
      + FACETS.filter((f) => f !== "status").map(select).join("")
      + `<button type="button" class="zm-button zm-clear" data-action="clear">${esc(t("clear"))}</button>`;
  }

  choropleth() {
    const cfg = this.app.config, s = this.state;
    const metrics = [["", t("choropleth_none")], ["all", t("metric_all")],
      ...Object.keys(cfg.vocab.status).map((id) => [id, vocab(cfg, "status", id)]), ["density", t("per_km2")]];
    this.s.choropleth.innerHTML = `<h3>${esc(t("choropleth"))}</h3><select data-state="choropleth">`
      + metrics.map(([v, label]) => `<option value="${v}"${(s.choropleth || "") === v ? " selected" : ""}>${esc(label)}</option>`).join("") + "</select>";
  }

  basemap() {
    const entries = this.app.config.basemaps || [], s = this.state;
    if (!entries.length) { this.s.basemap.innerHTML = ""; return; }
    const radio = (id, label) => `<label class="zm-check"><input type="radio" name="zm-basemap" data-basemap="${esc(id)}"${(s.basemap || "") === id ? " checked" : ""}> ${esc(label)}</label>`;
    const needKey = entries.find((b) => b.id === s.basemap && b.needs_key && !b.key && !storedKey(b.id));
    this.s.basemap.innerHTML = `<h3>${esc(t("basemap"))}</h3>${radio("", t("no_basemap"))}${entries.map((b) => radio(b.id, nm(b))).join("")}`
      + (needKey ? `<div class="zm-key"><small>${esc(t("key_needed"))}</small><input type="password" class="zm-key-input" placeholder="${esc(t("key_placeholder"))}">`
        + `<button type="button" class="zm-button" data-action="key" data-basemap="${esc(needKey.id)}">${esc(t("apply_key"))}</button></div>` : "");
  }

  lists() {
    const part = this.app.part, map = this.app.map;
    const bounds = map.getBounds();
    const inView = part.drawn.concat(part.faded).filter((p) => bounds.contains([p.lat, p.lon]));
    const item = (p) => `<li data-project="${esc(p.id)}"><span class="zm-dot" style="background:${this.colourOf(p)}"></span>${esc(nm(p))}</li>`;
    const more = (n) => (n > LIST_LIMIT ? `<li class="zm-more">${esc(t("list_more", {n: n - LIST_LIMIT}))}</li>` : "");
    let body;
    if (this.tab === "view") {
      body = `<ul class="zm-list zm-list-view">${firstByName(inView, LIST_LIMIT).map(item).join("")}${more(inView.length)}</ul>`;
    } else {
      const groups = new Map();
      for (const p of part.notDrawn) {
        const stated = p.zones.filter((z) => z.basis !== "spatial").map((z) => z.id);
        for (const z of stated.length ? stated : [""]) {
          if (!groups.has(z)) groups.set(z, []);
          groups.get(z).push(p);
        }
      }
      const zname = (z) => (z ? nm(this.app.data.zoneById.get(z)?.properties) || z : t("none_stated"));
      const ordered = [...groups].sort((a, b) => (a[0] === "") - (b[0] === "") || byName(zname(a[0]), zname(b[0])));
      body = `<div class="zm-list zm-list-not-drawn">${ordered.map(([z, ps]) => `<details${ordered.length < 6 ? " open" : ""}><summary>${esc(zname(z))} (${ps.length})</summary>`
        + `<ul>${ps.sort((a, b) => byName(a.name_zh, b.name_zh)).map(item).join("")}</ul></details>`).join("")}</div>`;
    }
    this.s.lists.innerHTML = `<h3>${esc(t("lists"))}</h3><div class="zm-tabs" role="tablist">`
      + `<button type="button" role="tab" data-tab="view" aria-selected="${this.tab === "view"}">${esc(t("in_view"))} (${inView.length})</button>`
      + `<button type="button" role="tab" data-tab="notdrawn" aria-selected="${this.tab !== "view"}">${esc(t("not_drawn"))} (${part.notDrawn.length})</button></div>`
      + body + `<div class="zm-detail" hidden></div>`;
  }

  colourOf(p) {
    const s = this.app.statusOf(p);
    return s ? this.app.config.vocab.status[s].colour : "#b8b8b8";
  }

  table() {
    const c = this.app.comparison;
    this.s.table.innerHTML = c && c.active ? `<h3>${esc(t("compare_table"))}</h3>${c.tableHtml()}` : "";
  }

  foot() {
    this.s.foot.innerHTML = `<small>${esc(t("data_note"))}<br><a href="/docs">API</a> · <a href="/ogc">OGC API</a>`
      + ` · <a href="/api/export/zonemap.gpkg">GeoPackage</a> · <a href="/api/export/projects.csv">CSV</a></small>`;
  }

  /** A project's card (for one not drawn): its facts, with a link to its page. */
  async detail(id) {
    const el = this.s.lists.querySelector(".zm-detail");
    const p = this.app.data.byId.get(id);
    if (!el || !p) return;
    const cfg = this.app.config, s = this.app.statusOf(p);
    const zones = p.zones.map((z) => nm(this.app.data.zoneById.get(z.id)?.properties) || z.id).join("、") || "—";
    el.hidden = false;
    el.innerHTML = `<b>${esc(p.name_zh)}</b><br><small>${esc(p.name_en)}</small><br>`
      + (s ? `<span class="zm-chip" style="background:${cfg.vocab.status[s].colour}">${esc(vocab(cfg, "status", s))}</span>` : "")
      + ` <small>${esc(vocab(cfg, "project_kind", p.kind))} · ${esc(p.district || "")}</small><br><small>${esc(t("zones"))}: ${esc(zones)}</small>`
      + `<br><small>${esc(t("not_located"))}</small><br><a href="/projects/${encodeURIComponent(id)}" target="_blank">${esc(t("open_page"))}</a>`;
    el.scrollIntoView({block: "nearest"});
  }

  changed(e) {
    const el = e.target, store = this.app.store, s = this.state;
    if (el.dataset.layout) {
      const on = el.checked, id = el.dataset.layout;
      const layout = on ? [...s.layout.filter((x) => x !== id), id] : s.layout.filter((x) => x !== id);
      store.set({layout});
    } else if (el.dataset.status) {
      const id = el.dataset.status;
      store.set({status: el.checked ? [...s.status, id] : s.status.filter((x) => x !== id)});
    } else if (el.dataset.state) {
      store.set({[el.dataset.state]: el.value || null});
    } else if (el.dataset.basemap !== undefined && el.type === "radio") {
      store.set({basemap: el.dataset.basemap || null});
    } else if (el.dataset.toggle === "streets") {
      this.app.toggleStreets(el.checked);
    }
  }

  clicked(e) {
    const el = e.target.closest("[data-action],[data-tab],li[data-project],tr[data-project]");
    if (!el) return;
    const app = this.app;
    if (el.dataset.action === "lang") app.store.set({lang: this.state.lang === "en" ? "zh" : "en"});
    else if (el.dataset.action === "close") app.togglePanel(false);
    else if (el.dataset.action === "clear") app.store.set({status: [], industry: null, plan: null, kind: null, district: null});
    else if (el.dataset.action === "key") {
      const key = this.el.querySelector(".zm-key-input")?.value.trim();
      if (key) { storeKey(el.dataset.basemap, key); app.applyBasemap(); this.basemap(); }
    } else if (el.dataset.tab) { this.tab = el.dataset.tab; this.lists(); }
    else if (el.dataset.project) {
      const p = app.data.byId.get(el.dataset.project);
      if (p && p.located) { app.selectProject(p.id); app.closePanelOnPhone(); } else this.detail(el.dataset.project);
    }
  }
}

// The search box: projects, zones and streets by 汉字, English, alias or pinyin (full or initials),
// answered by the server (/api/search, pypinyin). Picking a result shows it on the map.

import {search} from "./data.js";
import {esc, nm, t} from "./i18n.js";

export class SearchBox {
  constructor(app) {
    this.app = app;
    this.input = document.getElementById("zm-search-input");
    this.list = document.getElementById("zm-search-results");
    this.seq = 0;
    this.timer = null;
    this.input.addEventListener("input", () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.run(), 150);
    });
    this.input.addEventListener("keydown", (e) => {
      if (e.key === "Escape") this.clear();
      if (e.key === "Enter") this.list.querySelector("li[data-type]")?.click();
    });
    this.list.addEventListener("click", (e) => {
      const li = e.target.closest("li[data-type]");
      if (li) this.pick(li.dataset.type, li.dataset.id);
    });
    this.relabel();
  }

  relabel() { this.input.placeholder = t("search_placeholder"); }

  clear() { this.list.innerHTML = ""; }

  async run() {
    const q = this.input.value.trim();
    const seq = ++this.seq;
    if (!q) { this.clear(); return; }
    let r;
    try { r = await search(q); } catch (_) { return; }
    if (seq !== this.seq) return; // a later keystroke already asked again
    this.results = r;
    const item = (type, x, extra) => `<li data-type="${type}" data-id="${esc(x.id)}" role="option">${esc(nm(x))}`
      + ` <small>${esc(extra)}</small></li>`;
    const groups = [
      ["projects", t("projects"), (x) => item("project", x, x.at ? (this.app.store.get().lang === "en" ? x.name_zh : x.name_en) : `(${t("not_located")})`)],
      ["zones", t("zones"), (x) => item("zone", x, nm({name_zh: x.layout_zh, name_en: x.layout_en}) + (x.bounds ? "" : ` (${t("unmapped")})`))],
      ["streets", t("streets"), (x) => item("street", x, x.bounds ? "" : `(${t("unmapped")})`)],
    ];
    const html = groups.filter(([k]) => r[k].length).map(([k, title, fn]) => `<li class="zm-search-group">${esc(title)}</li>${r[k].map(fn).join("")}`);
    this.list.innerHTML = html.join("") || `<li class="zm-search-none">${esc(t("search_none"))}</li>`;
  }

  pick(type, id) {
    const app = this.app;
    this.clear();
    if (type === "project") app.selectProject(id);
    else if (type === "zone") app.selectZone(id);
    else if (type === "street") {
      const s = this.results.streets.find((x) => x.id === id);
      if (s?.bounds) app.map.fitBounds(s.bounds, {maxZoom: 16, padding: [30, 30]});
      app.bearings.highlightStreet(id);
    }
    app.closePanelOnPhone();
  }
}

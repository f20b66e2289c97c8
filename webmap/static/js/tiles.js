// Projects drawn from the server's tiles (/map/tiles/{z}/{x}/{y}.json) when there are more than
// the page config's `tiles_above`: markers for every project would cost seconds to build and a
// frame budget on every pan. Below map zoom POINTS_FROM a tile holds clusters (a pie of the
// members' statuses and their number), from it every project. The server applies the view's
// filters and status (as_of / as_seen_by), so only the tiles in view travel and are drawn. A tile
// is drawn one zoom above its own (512 × 512 px): a view needs a quarter of the requests; those in
// view are asked for first, then a margin around it.
//
// Drawing: one canvas in the projects' pane, redrawn when the map settles; while a drag or a zoom
// runs it moves and scales with the map (as Leaflet's own renderers do), so no work per frame.
// Hover and click hit-test what was last drawn. Same interface as ProjectMarkers (show, recolour,
// count, whenLoaded, open, popup, isDrawn, rebuild).

import {accuracyCircle, fillDetail, popupHtml} from "./markers.js";
import {esc, nm, t} from "./i18n.js";

const TILE_PX = 256;
const POINTS_FROM = 17; // map zoom (tile zoom webmap.routes.pages.POINTS_FROM + 1)
const PAD = 0.2; // the canvas, and the tiles asked for, reach this share of the view beyond each edge
const CACHE_TILES = 600;
const FADED = "#b8b8b8";

/** WGS84 of a pixel of the Web Mercator world at zoom z (the tiles' own grid, whatever the map's CRS). */
function unproject(px, py, z) {
  const world = TILE_PX * 2 ** z;
  const lon = (px / world) * 360 - 180;
  const lat = (Math.atan(Math.sinh(Math.PI * (1 - (2 * py) / world))) * 180) / Math.PI;
  return L.latLng(lat, lon);
}

function tileOf(latlng, z) {
  const n = 2 ** z, lat = (Math.max(-85.05, Math.min(85.05, latlng.lat)) * Math.PI) / 180;
  const x = Math.floor(((latlng.lng + 180) / 360) * n);
  const y = Math.floor(((1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2) * n);
  return [Math.max(0, Math.min(n - 1, x)), Math.max(0, Math.min(n - 1, y))];
}

export function clusterRadius(n) { return n < 10 ? 13 : n < 100 ? 16 : n < 1000 ? 19 : 22; }

export class ProjectTiles {
  /** `query()` → the tiles' query string for the view's filters and status view; `statusOf(p)`
   * the status the popup shows; `onSelect(id|null, was)` hears selection. */
  constructor(app, map, {query, statusOf, onSelect}) {
    this.app = app;
    this.map = map;
    this.query = query;
    this.statusOf = statusOf;
    this.onSelect = onSelect || (() => {});
    this.cache = new Map(); // "query|z/x/y" → {rows, points} (insertion order = LRU)
    this.pending = new Map(); // key → promise
    this.drawnIds = new Set();
    this.widths = new Map(); // cluster label → its width in the canvas font
    this.items = []; // what was last drawn: {pt (layer point), r, row, ll}
    this.q = null;
    this.circle = null;
    if (!map.getPane("zm-projects")) map.createPane("zm-projects").style.zIndex = 450;
    this.canvas = L.DomUtil.create("canvas", "zm-project-tiles leaflet-zoom-animated", map.getPane("zm-projects"));
    this.ctx = this.canvas.getContext("2d");
    this.tip = L.tooltip({direction: "top", offset: [0, -8], className: "zm-tile-tip"});
    this.handlers = {
      moveend: () => this.update(), resize: () => this.update(),
      viewreset: () => { this.drawnRect = null; this.update(); },
      zoomanim: (e) => this.animate(e.center, e.zoom), zoom: () => this.animate(this.map.getCenter(), this.map.getZoom()),
      mouseout: () => this.unhover(),
    };
    map.on(this.handlers);
    // The canvas lets the pointer through (zones below keep their hover and popups); the map's
    // container hears it first (capture) and keeps a click that lands on a project or a cluster.
    const box = map.getContainer();
    this.dom = {
      pointerdown: (e) => { this.down = [e.clientX, e.clientY]; },
      click: (e) => this.clicked(e),
      mousemove: (e) => this.hover(e),
    };
    for (const [type, fn] of Object.entries(this.dom)) box.addEventListener(type, fn, true);
  }

  remove() {
    this.map.off(this.handlers);
    const box = this.map.getContainer();
    for (const [type, fn] of Object.entries(this.dom)) box.removeEventListener(type, fn, true);
    this.canvas.remove();
  }

  /** A DOM event's layer point, when it happened over the map itself (not a control or a popup). */
  at(e) {
    if (e.target.closest?.(".leaflet-control, .leaflet-popup, .leaflet-tooltip:not(.zm-tile-tip)")) return null;
    return this.map.mouseEventToLayerPoint(e);
  }

  /** The projects the view draws (the list the markers would get): counts and selection follow
   * it; the tiles follow the view's query. */
  show(projects) {
    this.drawnIds = new Set(projects.filter((p) => p.located && this.statusOf(p)).map((p) => p.id));
    const q = this.query();
    if (q !== this.q) {
      this.q = q;
      this.update();
    }
  }

  recolour() { this.show(this.app.part.drawn); }

  count() { return this.drawnIds.size; }

  isDrawn(id) { return this.drawnIds.has(id); }

  rebuild() { this.drawnRect = null; this.update(); }

  zoom() { return Math.max(0, Math.min(18, Math.round(this.map.getZoom()))); }

  /** The tiles covering the view (`pad` = 0) or the view and its margin, at the tiles' zoom. */
  tilesInView(pad = PAD) {
    const z = Math.max(0, this.zoom() - 1), b = this.map.getBounds().pad(pad);
    const [x0, y0] = tileOf(b.getNorthWest(), z), [x1, y1] = tileOf(b.getSouthEast(), z);
    const out = [];
    for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) out.push([z, x, y]);
    return out;
  }

  key(z, x, y) { return `${this.q}|${z}/${x}/${y}`; }

  /** Fetch what the view lacks, then draw (once now with what is there, again as tiles arrive). */
  update() {
    if (this.q === null) return;
    const inView = this.tilesInView(0), seen = new Set(inView.map((t) => t.join("/")));
    const wanted = inView.concat(this.tilesInView().filter((t) => !seen.has(t.join("/"))));
    for (const [z, x, y] of wanted) {
      const k = this.key(z, x, y);
      if (this.cache.has(k) || this.pending.has(k)) continue;
      const p = fetch(`/map/tiles/${z}/${x}/${y}.json${this.q}`)
        .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`${r.status}`))))
        .then((tile) => { this.store(k, tile); this.scheduleDraw(); })
        .catch(() => { /* a tile that failed stays empty; the next move asks again */ })
        .finally(() => { this.pending.delete(k); });
      this.pending.set(k, p);
    }
    this.viewLoaded = Promise.all(inView.map(([z, x, y]) => this.pending.get(this.key(z, x, y))).filter(Boolean));
    if (!this.stillDrawn()) this.draw();
  }

  /** Whether the canvas drawn last still covers the view with what it shows (a short pan moves it
   * with the map; redrawing would only repaint the same picture). */
  stillDrawn() {
    const map = this.map;
    if (!this.drawnRect || this.drawnFor !== `${this.q}|${map.getZoom()}` || this.drawnCrs !== map.options.crs) return false;
    const topLeft = map.containerPointToLayerPoint([0, 0]);
    return this.drawnRect.contains(L.bounds(topLeft, topLeft.add(map.getSize())));
  }

  store(k, tile) {
    const {z, x, y, extent} = tile, f = TILE_PX / extent;
    const points = tile.features.map((row) => unproject(x * TILE_PX + row[0] * f, y * TILE_PX + row[1] * f, z));
    this.cache.set(k, {rows: tile.features, points, statuses: tile.statuses});
    while (this.cache.size > CACHE_TILES) this.cache.delete(this.cache.keys().next().value);
  }

  /** Resolves when the tiles in view have arrived (the margin may still be on its way). */
  whenLoaded() { return this.viewLoaded || Promise.resolve(); }

  scheduleDraw() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = null; this.draw(); });
  }

  /** While Leaflet animates a zoom, scale the canvas as drawn (its renderers do the same). */
  animate(center, zoom) {
    if (this.drawnZoom === undefined) return;
    const map = this.map, scale = map.getZoomScale(zoom, this.drawnZoom);
    const offset = map.project(this.drawnCenter, zoom).subtract(map._getNewPixelOrigin(center, zoom))
      .subtract(this.half.multiplyBy(scale));
    L.DomUtil.setTransform(this.canvas, offset, scale);
  }

  draw() {
    const map = this.map, size = map.getSize(), pad = size.multiplyBy(PAD).round();
    const full = size.add(pad.multiplyBy(2)), ratio = window.devicePixelRatio || 1;
    const topLeft = map.containerPointToLayerPoint([0, 0]).subtract(pad);
    this.drawnZoom = map.getZoom();
    this.drawnCenter = map.getCenter();
    this.half = full.divideBy(2);
    if (this.canvas.width !== full.x * ratio || this.canvas.height !== full.y * ratio) {
      this.canvas.width = full.x * ratio;
      this.canvas.height = full.y * ratio;
      this.canvas.style.width = `${full.x}px`;
      this.canvas.style.height = `${full.y}px`;
    }
    L.DomUtil.setPosition(this.canvas, topLeft);
    this.drawnRect = L.bounds(topLeft, topLeft.add(full));
    this.drawnFor = `${this.q}|${this.drawnZoom}`;
    this.drawnCrs = map.options.crs;
    const ctx = this.ctx, colours = this.app.config.vocab.status;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, full.x, full.y);
    const items = [], clusters = [];
    for (const [z, x, y] of this.tilesInView()) {
      const tile = this.cache.get(this.key(z, x, y));
      if (!tile) continue;
      tile.rows.forEach((row, i) => {
        const pt = map.latLngToLayerPoint(tile.points[i]);
        const at = pt.subtract(topLeft);
        if (at.x < -30 || at.y < -30 || at.x > full.x + 30 || at.y > full.y + 30) return;
        const item = {pt, at, row, ll: tile.points[i], statuses: tile.statuses, r: row[2] > 1 ? clusterRadius(row[2]) : 7};
        items.push(item);
        if (row[2] > 1) clusters.push(item);
        else {
          ctx.beginPath();
          ctx.arc(at.x, at.y, 7, 0, 2 * Math.PI);
          ctx.fillStyle = row[4] ? colours[row[4]].colour : FADED;
          ctx.globalAlpha = 0.92;
          ctx.fill();
          ctx.globalAlpha = 1;
          ctx.lineWidth = 1.5;
          ctx.strokeStyle = "#fff";
          ctx.stroke();
        }
      });
    }
    // Clusters above the single points, each a pie of its members' statuses with their number.
    ctx.font = "bold 11px sans-serif";
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    for (const {at, row, r, statuses} of clusters) {
      let angle = -Math.PI / 2;
      statuses.forEach((s, i) => {
        const n = row[5][i];
        if (!n) return;
        const end = angle + (2 * Math.PI * n) / row[2];
        ctx.beginPath();
        ctx.moveTo(at.x, at.y);
        ctx.arc(at.x, at.y, r, angle, end);
        ctx.closePath();
        ctx.fillStyle = colours[s].colour;
        ctx.fill();
        angle = end;
      });
      ctx.beginPath();
      ctx.arc(at.x, at.y, r, 0, 2 * Math.PI);
      ctx.lineWidth = 2;
      ctx.strokeStyle = "#fff";
      ctx.stroke();
      const label = row[2] > 999 ? `${Math.round(row[2] / 1000)}k` : String(row[2]);
      ctx.beginPath();
      ctx.arc(at.x, at.y, Math.min(r - 3, Math.max(9, this.labelWidth(label) / 2 + 3)), 0, 2 * Math.PI);
      ctx.fillStyle = "rgba(255,255,255,.92)";
      ctx.fill();
      ctx.fillStyle = "#222";
      ctx.fillText(label, at.x, at.y + 0.5);
    }
    this.items = items;
    this.canvas.dataset.drawn = String(items.reduce((s, it) => s + it.row[2], 0));
  }

  /** A cluster label's width in the canvas font, measured once per text ("7", "120", "3k"; a
   * city view draws hundreds of clusters and measuring each was a tenth of a zoom's frame). */
  labelWidth(label) {
    let w = this.widths.get(label);
    if (w === undefined) this.widths.set(label, (w = this.ctx.measureText(label).width));
    return w;
  }

  /** What lies under a layer point: the clusters first, then every single point there. */
  hit(pt) {
    let best = null;
    const here = [];
    for (const it of this.items) {
      const d = it.pt.distanceTo(pt);
      if (d > it.r + 3) continue;
      if (it.row[2] > 1) { if (!best || d < best.d) best = {d, it}; } else here.push(it);
    }
    if (best) return {cluster: best.it};
    return here.length ? {points: here} : null;
  }

  hover(e) {
    const pt = this.at(e);
    const h = pt && this.hit(pt);
    this.map.getContainer().style.cursor = h ? "pointer" : "";
    if (!h) { this.unhover(); return; }
    const first = h.cluster || h.points[0];
    const p = h.points && this.app.data.byId.get(first.row[3]);
    const text = h.cluster ? t("cluster_n", {n: first.row[2]})
      : h.points.length > 1 ? t("here_n", {n: h.points.length}) : nm(p) || first.row[3];
    this.tip.setContent(esc(text));
    this.map.openTooltip(this.tip, first.ll);
  }

  unhover() {
    this.map.closeTooltip(this.tip);
    this.map.getContainer().style.cursor = "";
  }

  clicked(e) {
    const moved = this.down && Math.hypot(e.clientX - this.down[0], e.clientY - this.down[1]) > 4; // the end of a drag
    const pt = !moved && this.at(e);
    const h = pt && this.hit(pt);
    if (!h) return;
    e.stopPropagation(); // the project's, not the zone's below it
    e.preventDefault();
    if (h.cluster) {
      this.map.setView(h.cluster.ll, Math.min(this.zoom() + 2, POINTS_FROM));
      return;
    }
    if (h.points.length === 1) { this.popup(h.points[0].row[3]); return; }
    // Several projects on one spot (a shared point): a list to choose from.
    const items = h.points.map((it) => this.app.data.byId.get(it.row[3])).filter(Boolean)
      .map((p) => `<li><a href="#" data-project="${esc(p.id)}">${esc(nm(p))}</a></li>`).join("");
    const pop = L.popup({className: "zm-popup", maxWidth: Math.min(320, window.innerWidth - 70)})
      .setLatLng(h.points[0].ll).setContent(`<div class="zm-pop"><b>${esc(t("here_n", {n: h.points.length}))}</b><ul class="zm-here">${items}</ul></div>`)
      .openOn(this.map);
    pop.getElement()?.addEventListener("click", (ev) => {
      const a = ev.target.closest("a[data-project]");
      if (a) { ev.preventDefault(); this.popup(a.dataset.project); }
    });
  }

  /** Open a drawn project's popup where it is. */
  popup(id) {
    const p = this.app.data.byId.get(id);
    if (!p || !p.located) return false;
    this.unhover();
    const pop = L.popup({maxWidth: Math.min(320, window.innerWidth - 70), className: "zm-popup", autoPanPadding: [20, 60]})
      .setLatLng([p.lat, p.lon]).setContent(popupHtml(this.app, p, this.statusOf(p)));
    pop.on("add", () => {
      this.onSelect(p.id);
      if (this.circle) this.circle.remove();
      this.circle = accuracyCircle(this.map, p);
      fillDetail(this.app, pop.getElement(), p.id);
    });
    pop.on("remove", () => {
      if (this.circle) this.circle.remove();
      this.circle = null;
      this.onSelect(null, p.id);
    });
    pop.openOn(this.map);
    return true;
  }

  /** Zoom to a drawn project (where tiles show every project) and open its popup. */
  open(id) {
    const p = this.app.data.byId.get(id);
    if (!p || !p.located || !this.isDrawn(id)) return false;
    this.map.setView([p.lat, p.lon], Math.max(this.map.getZoom(), POINTS_FROM), {animate: false});
    return this.popup(id);
  }
}

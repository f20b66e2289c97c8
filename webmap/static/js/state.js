// The view's state and the URL: every shareable choice (layouts, filters, year, comparison,
// selected project, language, basemap, shading, map position) lives in the query string, so a
// reload or a copied link restores the same view. One store; modules subscribe to changes.

const LISTS = ["layout", "status"];
const NUMBERS = ["year"];
const KEYS = ["layout", "compare", "year", "status", "industry", "plan", "kind", "district",
              "project", "zone", "lang", "basemap", "choropleth", "at"];

export function emptyState() {
  return {layout: [], compare: null, year: null, status: [], industry: null, plan: null, kind: null,
          district: null, project: null, zone: null, lang: "zh", basemap: null, choropleth: null, at: null};
}

/** The state a query string describes (unknown keys are ignored; bad values fall back to defaults). */
export function parse(search) {
  const q = new URLSearchParams(search), s = emptyState();
  for (const key of KEYS) {
    const raw = q.get(key);
    if (raw === null || raw === "") continue;
    if (LISTS.includes(key)) s[key] = raw.split(",").filter(Boolean);
    else if (NUMBERS.includes(key)) s[key] = Number.isInteger(+raw) ? +raw : null;
    else s[key] = raw;
  }
  // `document=` is the older name of `plan=` (the API's word): links shared before still open.
  if (s.plan === null && q.get("document")) s.plan = q.get("document");
  if (s.lang !== "en") s.lang = "zh";
  return s;
}

/** The query string of a state (defaults left out; commas kept readable). */
export function serialise(s) {
  const parts = [];
  for (const key of KEYS) {
    const v = s[key];
    if (v === null || v === undefined || (Array.isArray(v) && !v.length)) continue;
    if (key === "lang" && v === "zh") continue;
    const text = Array.isArray(v) ? v.join(",") : String(v);
    parts.push(`${key}=${encodeURIComponent(text).replace(/%2C/g, ",").replace(/%2F/g, "/")}`);
  }
  return parts.length ? `?${parts.join("&")}` : "";
}

/** "zoom/lat/lon" of a map view, precise to about a metre. */
export function viewText(map) {
  const c = map.getCenter();
  return `${map.getZoom()}/${c.lat.toFixed(5)}/${c.lng.toFixed(5)}`;
}

export function parseView(text) {
  const m = /^(\d+(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)$/.exec(text || "");
  return m ? {zoom: +m[1], center: [+m[2], +m[3]]} : null;
}

export class Store {
  constructor(initial) {
    this.state = initial;
    this.listeners = [];
  }

  get() { return this.state; }

  /** Change some keys; listeners hear which ones changed; the URL follows. */
  set(patch) {
    const changed = Object.keys(patch).filter((k) => JSON.stringify(this.state[k]) !== JSON.stringify(patch[k]));
    if (!changed.length) return;
    this.state = {...this.state, ...patch};
    const url = `${location.pathname}${serialise(this.state)}${location.hash}`;
    history.replaceState(null, "", url);
    for (const fn of this.listeners) fn(this.state, new Set(changed));
  }

  subscribe(fn) { this.listeners.push(fn); }
}

// Data loading: what the map draws comes from the API (/api/streets, /api/projects/{id},
// /api/search) and from the map's feeds built once per data load (/map/projects.json: compact
// projects; /map/zones.json: /api/zones as is; /map/districts.json: simplified outlines).

async function getJSON(url) {
  const r = await fetch(url); // plain, so that the page's <link rel=preload> answers it
  if (!r.ok) {
    let reason = `${r.status}`;
    try { reason += ` ${(await r.json()).detail}`; } catch (_) { /* not JSON */ }
    throw new Error(`${url}: ${reason}`);
  }
  return r.json();
}

/** The feed's dictionary-encoded rows as plain project objects. */
export function decodeFeed(feed) {
  const f = Object.fromEntries(feed.fields.map((name, i) => [name, i]));
  const c = feed.codes;
  return feed.projects.map((row) => {
    const timeline = [];
    for (let i = 0; i < row[f.timeline].length; i += 2) timeline.push([row[f.timeline][i], c.status[row[f.timeline][i + 1]]]);
    return {
      id: row[f.id], name_zh: row[f.name_zh], name_en: row[f.name_en],
      lon: row[f.lon], lat: row[f.lat], located: row[f.lat] !== null, accuracy_m: row[f.accuracy_m],
      status: c.status[row[f.status]], status_year: row[f.status_year], timeline,
      target_status: row[f.target_status] === null ? null : c.status[row[f.target_status]], target_year: row[f.target_year],
      kind: c.kind[row[f.kind]], district: row[f.district] === null ? null : c.district[row[f.district]],
      industries: row[f.industries].map((i) => c.industry[i]),
      plans: row[f.plans].map((i) => c.plan[i]),
      zones: row[f.zones].map(([z, b]) => ({id: c.zone[z], basis: feed.basis[b]})),
    };
  });
}

/** A project's status at the end of `year` (its timeline's last step at or before it), or null
 * when no document had mentioned it yet; without a year, its current status. */
export function statusAt(p, year) {
  if (year === null || year === undefined) return p.status;
  let s = null;
  for (const [y, status] of p.timeline) {
    if (y <= year) s = status; else break;
  }
  return s;
}

/** A project feed, decoded. (Not in a worker: handing 100,000 decoded projects back to the page
 * costs more than parsing them here — 1.6 s against 0.6 s, measured.) */
export async function loadFeed(url) {
  const t0 = performance.now();
  const projects = decodeFeed(await getJSON(url));
  performance.measure("zm-feed", {start: t0, end: performance.now()});
  return projects;
}

/** Projects as one document states them (`as_seen_by`): a Map id → status. */
export async function loadSeenBy(plan) {
  const projects = await loadFeed(`/map/projects.json?as_seen_by=${encodeURIComponent(plan)}`);
  return new Map(projects.map((p) => [p.id, p]));
}

export async function loadAll() {
  const [projects, zones, streets, districts] = await Promise.all([
    loadFeed("/map/projects.json"), getJSON("/map/zones.json"), getJSON("/api/streets"), getJSON("/map/districts.json"),
  ]);
  return {projects, byId: new Map(projects.map((p) => [p.id, p])), zones: zones.features,
          zoneById: new Map(zones.features.map((z) => [z.id, z])), streets: streets.features, districts: districts.features};
}

/** One project's full record (popups and the detail card). */
export function loadProject(id) {
  return getJSON(`/api/projects/${encodeURIComponent(id)}`);
}

export function search(q) {
  return getJSON(`/api/search?q=${encodeURIComponent(q)}`);
}

// Which projects the filters keep, and the counts beside each filter's options. Pure functions:
// the same rule as the API's (status at the end of the year with `as_of`, `plan` = mentioned by
// the document), so the browser tests can compare the map with /api/projects.

import {statusAt} from "./data.js";

export const FACETS = ["status", "industry", "plan", "kind", "district"];

function facetValues(p, facet, year) {
  switch (facet) {
    case "status": { const s = statusAt(p, year); return s ? [s] : []; }
    case "industry": return p.industries;
    case "plan": return p.plans;
    case "kind": return [p.kind];
    case "district": return p.district ? [p.district] : [];
    default: return [];
  }
}

function selected(state, facet) {
  const v = state[facet];
  if (Array.isArray(v)) return v;
  return v ? [v] : [];
}

/** Whether p passes every filter of `state` (but `except`, for that facet's own counts). With a
 * year set, a project no document had mentioned yet passes only when no status is chosen. */
export function matches(p, state, except = null) {
  for (const facet of FACETS) {
    if (facet === except) continue;
    const want = selected(state, facet);
    if (!want.length) continue;
    const have = facetValues(p, facet, state.year);
    if (!have.some((v) => want.includes(v))) return false;
  }
  return true;
}

/** For each facet, how many projects each option would keep given the other filters. One pass:
 * a project failing no filter counts for every facet, one failing exactly one counts for that one. */
export function facetCounts(projects, state) {
  const counts = Object.fromEntries(FACETS.map((f) => [f, new Map()]));
  const active = FACETS.filter((f) => selected(state, f).length);
  for (const p of projects) {
    let failed = null, fails = 0;
    for (const facet of active) {
      const want = selected(state, facet);
      if (!facetValues(p, facet, state.year).some((v) => want.includes(v))) {
        failed = facet;
        if (++fails > 1) break;
      }
    }
    if (fails > 1) continue;
    for (const facet of fails ? [failed] : FACETS) {
      const c = counts[facet];
      for (const v of facetValues(p, facet, state.year)) c.set(v, (c.get(v) || 0) + 1);
    }
  }
  return counts;
}

/** The projects the filters keep, split as the map shows them. */
export function partition(projects, state) {
  const out = {kept: [], drawn: [], faded: [], notDrawn: []};
  for (const p of projects) {
    if (!matches(p, state)) continue;
    out.kept.push(p);
    if (!p.located) out.notDrawn.push(p);
    else if (statusAt(p, state.year) === null) out.faded.push(p);
    else out.drawn.push(p);
  }
  return out;
}

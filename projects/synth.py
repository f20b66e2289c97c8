"""Synthetic datasets for benchmarks: the real data plus N generated projects (``zonemap synth``).

The real plans, layouts, zones, streets and district outlines are kept as they are; N projects are
added, each modelled on a real project of its district (a *template*):

- a point drawn uniformly inside the district's real outline (西岗区, 沙河口区, 中山区, 甘井子区),
  or no point for a share of them (unlocated projects are counted and listed like real ones);
- the template's kind and industries, and a copy of its mentions: the same documents, sections,
  status words, years and verbatim quotes, so every status rule sees real words and every derived
  row (the project's status now, its status periods, its status per document) is the template's,
  which the real reader derived from those same mentions;
- for a share of the mentions, a stated zone of that mention's plan: the zone the point lies in
  (the text agrees with the geometry) or, less often, another zone of the plan (they disagree);
  so memberships by text, by geometry and by both all occur.

The result is an ordinary :class:`~projects.dataset.Dataset` written by the normal writer
(:func:`projects.store.write_dataset`), so the project↔zone join and every derived table are
computed by the database exactly as for real data. Deterministic for a given seed.
"""

from __future__ import annotations

import dataclasses
import gc
from collections import defaultdict

import numpy as np
import shapely

from projects.dataset import Dataset

# Where synthetic projects are placed, and how often (share of the projects), by district outline.
DISTRICT_WEIGHTS = {"西岗区": 0.5, "沙河口区": 0.3, "中山区": 0.1, "甘井子区": 0.1}
LOCATED_SHARE = 0.9
STATED_SHARE = 0.3  # of mentions whose plan has zones: the text names a zone
AGREES_SHARE = 0.75  # of stated zones: the zone the point lies in, when there is one
ACCURACY_M = (50.0, 150.0, 300.0, 800.0)
PLACEMENT = "synthetic: a uniform random point inside the district outline (benchmark data)"
ID_PREFIX = "synth-"

# Rows that belong to one project and are copied from its template (by the Dataset's fields):
# everything keyed by project_id except the mentions (copied with their stated zones changed)
# and the streets a project lies on (a random point lies on none of the template's).
_NOT_CLONED = {"mentions", "project_streets"}


def _points_in(polygon, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` points uniformly inside ``polygon`` (rejection sampling over its bounding box)."""
    minx, miny, maxx, maxy = polygon.bounds
    shapely.prepare(polygon)
    out, have = [], 0
    while have < n:
        batch = max(1024, int((n - have) * 1.5))
        xy = np.column_stack([rng.uniform(minx, maxx, batch), rng.uniform(miny, maxy, batch)])
        keep = xy[shapely.contains_xy(polygon, xy[:, 0], xy[:, 1])]
        out.append(keep)
        have += len(keep)
    return np.round(np.concatenate(out)[:n], 6)


def synthesize(real: Dataset, n: int, seed: int = 1) -> Dataset:
    """The real dataset plus ``n`` synthetic projects (ids ``synth-0000001`` …) and their mentions.

    ``real`` is not modified. The synthetic rows have every column the real ones have, taken from
    their templates, so the result is written and served like real data.
    """
    # Millions of small dicts, none of them cyclic: the cyclic collector would rescan all of them
    # again and again as they accumulate (quadratic); it is paused while they are built.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _synthesize(real, n, seed)
    finally:
        if enabled:
            gc.enable()


def _synthesize(real: Dataset, n: int, seed: int) -> Dataset:
    rng = np.random.default_rng(seed)
    out = Dataset(**{f.name: list(getattr(real, f.name)) for f in dataclasses.fields(Dataset)})
    if n <= 0:
        return out
    outlines = {d["name_zh"]: d["geom"] for d in real.districts if d["name_zh"] in DISTRICT_WEIGHTS}
    names = [d for d in DISTRICT_WEIGHTS if d in outlines]
    if not names:
        raise ValueError("none of the district outlines the generator places projects in is loaded")
    mentions_of: dict[str, list[dict]] = defaultdict(list)
    for m in real.mentions:
        mentions_of[m["project_id"]].append(m)
    cloned_fields = [f.name for f in dataclasses.fields(Dataset) if f.name not in _NOT_CLONED
                     and any("project_id" in row for row in getattr(real, f.name)[:1])]
    rows_of = {name: defaultdict(list) for name in cloned_fields}
    for name in cloned_fields:
        for row in getattr(real, name):
            rows_of[name][row["project_id"]].append(row)
    with_mentions = [p for p in real.projects if mentions_of[p["id"]]]
    templates = {d: [p for p in with_mentions if p.get("district") == d] or with_mentions for d in names}

    # Which district each project falls in, whether it is placed, and where.
    weights = np.array([DISTRICT_WEIGHTS[d] for d in names])
    district_of = rng.choice(len(names), size=n, p=weights / weights.sum())
    located = rng.random(n) < LOCATED_SHARE
    xy = np.full((n, 2), np.nan)
    for k, d in enumerate(names):
        idx = np.flatnonzero((district_of == k) & located)
        if len(idx):
            xy[idx] = _points_in(outlines[d], len(idx), rng)

    # The zones each point lies in: per zone, the points in its box, then a prepared polygon test.
    zones_at: dict[int, list[dict]] = defaultdict(list)
    for z in real.zones:
        if z.get("geom") is None:
            continue
        minx, miny, maxx, maxy = z["geom"].bounds
        box = np.flatnonzero((xy[:, 0] >= minx) & (xy[:, 0] <= maxx) & (xy[:, 1] >= miny) & (xy[:, 1] <= maxy))
        shapely.prepare(z["geom"])
        for i in box[shapely.intersects_xy(z["geom"], xy[box, 0], xy[box, 1])].tolist():
            zones_at[i].append(z)
    plan_zones: dict[str, list[dict]] = defaultdict(list)
    for z in real.zones:
        plan_zones[z["plan_id"]].append(z)

    # Plain Python values for the loop (numpy scalars are slow to index one by one).
    district_of, located, coords = district_of.tolist(), located.tolist(), xy.tolist()
    pick, accuracy = rng.random(n).tolist(), rng.choice(ACCURACY_M, size=n).tolist()
    chosen = [templates[names[d]][int(u * len(templates[names[d]]))] for d, u in zip(district_of, pick)]
    draws = iter(rng.random((sum(len(mentions_of[t["id"]]) for t in chosen), 3)).tolist())
    width = len(str(n))
    for i, template in enumerate(chosen):
        district = names[district_of[i]]
        pid = f"{ID_PREFIX}{i + 1:0{width}d}"
        project = dict(template)
        project.update(id=pid, name_zh=f"合成项目{i + 1}", name_en=f"Synthetic project {i + 1}", aliases=[],
                       alias_note=None, district=district, site=None,
                       names=f"{pid} | 合成项目{i + 1} | Synthetic project {i + 1}")
        if located[i]:
            project.update(geom=shapely.Point(coords[i]), placement=PLACEMENT, location_accuracy_m=accuracy[i], confidence="low")
        else:
            project.update(geom=None, placement=None, location_accuracy_m=None, confidence=None)
        out.projects.append(project)
        for name in cloned_fields:
            getattr(out, name).extend({**row, "project_id": pid} for row in rows_of[name][template["id"]])
        for m in mentions_of[template["id"]]:
            stated, agrees, which = next(draws)
            mention = {**m, "project_id": pid, "zone_id": None, "zone_as_written": None, "zone_note": None,
                       "industries": list(m.get("industries") or [])}
            mention.pop("id", None)
            candidates = plan_zones.get(m["plan_id"])
            if candidates and stated < STATED_SHARE:
                inside = [z for z in zones_at.get(i, ()) if z["plan_id"] == m["plan_id"]]
                zone = inside[0] if inside and agrees < AGREES_SHARE else candidates[int(which * len(candidates))]
                mention.update(zone_id=zone["id"], zone_as_written=zone["name_zh"])
            out.mentions.append(mention)
    return out

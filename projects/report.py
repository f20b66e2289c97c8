"""The consistency report of ``zonemap check``: what the catalog holds and what does not add up."""

from __future__ import annotations

import tempfile
from collections import Counter, defaultdict
from pathlib import Path

from geo.crs import area_m2, to_metric
from geo.db import make_engine
from projects.dataset import Dataset
from projects.join import spatial_pairs
from projects.status import Status
from projects.store import write_dataset

# A zone of a district's plan must lie within that district's outline, give or take this.
DISTRICT_TOLERANCE_M = 50
# The subdistricts (街道) of a plan must tile the district: gaps and overlaps under this share.
TILING_TOLERANCE = 0.01


def join_pairs(ds: Dataset) -> set[tuple[str, str]]:
    """(project, zone) pairs the database's spatial join confirms, computed in a throwaway SpatiaLite file."""
    return _in_database(ds)[0]


def _in_database(ds: Dataset) -> tuple[set[tuple[str, str]], dict[str, int]]:
    """Load ``ds`` into a throwaway SpatiaLite file: the spatial pairs and the honest placement counts."""
    from projects.stats import honest_counts

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'check.sqlite'}"
        write_dataset(url, ds)
        engine = make_engine(url)
        with engine.connect() as conn:
            pairs, placed = spatial_pairs(conn), honest_counts(conn)
        engine.dispose()
    return pairs, placed


def geometry_findings(ds: Dataset) -> tuple[list[str], list[str]]:
    """Errors and notes about zone geometry: district containment and subdistrict tiling."""
    errors: list[str] = []
    notes: list[str] = []
    districts = {d["name_zh"]: d["geom"] for d in ds.districts}
    plans = ds.plans_by_id()
    layouts = {lay["id"]: lay for lay in ds.layouts}
    for z in ds.zones:
        outline = districts.get(plans[z["plan_id"]]["district"])
        if z["geom"] is None or outline is None or plans[z["plan_id"]]["district"] == "大连市":
            continue
        outside = to_metric(z["geom"]).difference(to_metric(outline).buffer(DISTRICT_TOLERANCE_M))
        if outside.area > 1.0:
            errors.append(
                f"zone {z['id']} ({z['name_zh']}) reaches {outside.area:,.0f} m² beyond the "
                f"{plans[z['plan_id']]['district']} outline (+{DISTRICT_TOLERANCE_M} m)")
    by_layout = defaultdict(list)
    for z in ds.zones:
        if z["kind"] == "subdistrict":
            by_layout[z["layout_id"]].append(z)
    for layout_id, members in by_layout.items():
        outline = districts.get(plans[layouts[layout_id]["plan_id"]]["district"])
        if outline is None:
            continue
        if any(z["geom"] is None for z in members):
            errors.append(f"layout {layout_id}: not every subdistrict has a polygon, so they cannot tile the district")
            continue
        gap, overlap = tiling(outline, [z["geom"] for z in members])
        line = f"layout {layout_id}: subdistricts tile the district with gaps {gap:.2%} and overlaps {overlap:.2%} of its area"
        (errors if gap > TILING_TOLERANCE or overlap > TILING_TOLERANCE else notes).append(line)
    return errors, notes


def tiling(outline, parts) -> tuple[float, float]:
    """Gap and overlap of ``parts`` against ``outline``, as shares of the outline's area."""
    from shapely.ops import unary_union

    total = area_m2(outline)
    metric = [to_metric(p) for p in parts]
    union = unary_union(metric)
    gap = to_metric(outline).difference(union).area / total
    overlap = (sum(p.area for p in metric) - union.area) / total
    return gap, overlap


def consistency_report(ds: Dataset, seeds_checked: bool = True) -> tuple[str, int]:
    """The report as text, and the number of errors in it."""
    plans = ds.plans_by_id()
    zones = {z["id"]: z for z in ds.zones}
    out: list[str] = []
    errors: list[str] = []
    out.append("zonemap check: the data files are valid"
               + ("" if seeds_checked else " (quotes NOT checked: plan documents not found)"))
    out.append(f"  {len(ds.plans)} plans, {len(ds.layouts)} layouts, {len(ds.zones)} zones, "
               f"{len(ds.streets)} streets, {len(ds.industries)} industries, "
               f"{len(ds.projects)} projects, {len(ds.mentions)} mentions")

    out.append("\nPer document: projects mentioned, mentions as facts/targets, and by the status they attest")
    statuses = [s.value for s in Status]
    out.append(f"  {'document':28} {'projects':>8} {'mentions':>8} {'facts':>6} {'targets':>7}  " + " ".join(f"{s[:12]:>12}" for s in statuses))
    for pid in sorted(plans, key=lambda p: plans[p]["source_file"]):
        ms = [m for m in ds.mentions if m["plan_id"] == pid]
        counts = Counter(m["status"] for m in ms)
        kinds = Counter(m["statement"] for m in ms)
        out.append(f"  {pid:28} {len({m['project_id'] for m in ms}):>8} {len(ms):>8} {kinds['fact']:>6} {kinds['target']:>7}  "
                   + " ".join(f"{counts.get(s, 0):>12}" for s in statuses))

    unresolved = [m for m in ds.mentions if m["zone_as_written"] and not m["zone_id"]]
    out.append(f"\nMentions whose stated zone is not a zone of the catalog: {len(unresolved)}")
    for m in unresolved:
        out.append(f"  - {m['project_id']} in {m['plan_id']}: {m['zone_as_written']}")

    pairs, placed = _in_database(ds)
    out.append(f"\nProjects placed: {placed['located']} located (a point), {placed['text_only']} by text only "
               f"(no point, a document states their zone), {placed['unplaced']} not placed at all; {placed['projects']} in all")

    unlocated = [p for p in ds.projects if p["geom"] is None]
    out.append(f"\nProjects without a location (unlocated): {len(unlocated)} of {len(ds.projects)}")
    for p in unlocated:
        out.append(f"  - {p['id']} ({p['name_zh']})")

    missing = [z for z in ds.zones if z["geom"] is None]
    out.append(f"\nZones without geometry: {len(missing)} of {len(ds.zones)}")
    for z in missing:
        why = z["unmapped_reason"] or "no reason given"
        out.append(f"  - {z['id']} ({z['name_zh']}): {why}")
        if not z["unmapped_reason"]:
            errors.append(f"zone {z['id']} has neither geometry nor an unmapped_reason")
    no_line = [s for s in ds.streets if s["geom"] is None]
    out.append(f"Streets without a centreline: {len(no_line)} of {len(ds.streets)}")
    for s in no_line:
        out.append(f"  - {s['id']} ({s['name_zh']})")

    geo_errors, geo_notes = geometry_findings(ds)
    errors += geo_errors
    out.append("\nZone geometry")
    out += [f"  {n}" for n in geo_notes]
    out += [f"  ERROR {e}" for e in geo_errors]

    located = {p["id"] for p in ds.projects if p["geom"] is not None}
    disagree, explained = [], []
    for m in ds.mentions:
        if not m["zone_id"] or m["project_id"] not in located or zones[m["zone_id"]]["geom"] is None:
            continue
        if (m["project_id"], m["zone_id"]) not in pairs:
            (explained if m.get("zone_note") else disagree).append(m)
    out.append(f"\nMentions whose stated zone the database join does not confirm: {len(disagree)} unexplained, {len(explained)} explained")
    for m in disagree:
        out.append(f"  ERROR {m['project_id']} is listed under {m['zone_id']} by {m['plan_id']}, but its point lies outside that zone")
        errors.append(m["project_id"])
    for m in explained:
        out.append(f"  - {m['project_id']} / {m['zone_id']}: {m['zone_note']}")

    out.append(f"\n{len(errors)} error(s)")
    return "\n".join(out), len(errors)

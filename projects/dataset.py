"""The whole ``data/`` folder, read and validated as one: catalog YAML plus geometry layers.

Nothing is written anywhere until everything has been checked: :func:`read_dataset` either
returns a complete, consistent :class:`Dataset` or raises :class:`DataError` listing every
problem with its file, entry id, field and what was expected.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo.crs import buffer_metres
from geo.errors import DataError, DataProblem
from geo.geojson import read_layer
from geo.geometry import normalise
from projects.extract.fields import reviewed
from projects.catalog import check_industry, check_industry_group, check_mention, check_project
from projects import timeline
from zones.catalog import check_layout, check_plan, check_street

SECTIONS = ("plans", "layouts", "industry_groups", "industries", "streets", "projects", "mentions")


@dataclass
class Dataset:
    """Validated rows, ready to be written; geometries are shapely objects in WGS84."""

    plans: list[dict] = field(default_factory=list)
    layouts: list[dict] = field(default_factory=list)
    zones: list[dict] = field(default_factory=list)
    streets: list[dict] = field(default_factory=list)
    districts: list[dict] = field(default_factory=list)
    industry_groups: list[dict] = field(default_factory=list)
    industries: list[dict] = field(default_factory=list)
    industry_group_members: list[dict] = field(default_factory=list)
    zone_industries: list[dict] = field(default_factory=list)
    projects: list[dict] = field(default_factory=list)
    project_industries: list[dict] = field(default_factory=list)
    project_streets: list[dict] = field(default_factory=list)
    mentions: list[dict] = field(default_factory=list)
    # Derived by projects.timeline: each project's status periods, and its status as each
    # document that mentions it states it (the rows behind ``as_of`` and ``as_seen_by``).
    project_status_years: list[dict] = field(default_factory=list)
    project_status_seen_by: list[dict] = field(default_factory=list)

    def plans_by_id(self) -> dict[str, dict]:
        return {p["id"]: p for p in self.plans}


def read_catalog_files(catalog_dir: Path, problems: list[DataProblem]) -> dict[str, list[tuple[str, object]]]:
    """Every top-level section of every ``*.yaml`` file, as (file label, raw record) pairs."""
    sections: dict[str, list[tuple[str, object]]] = {s: [] for s in SECTIONS}
    files = sorted(catalog_dir.glob("*.yaml"))
    if not files:
        problems.append(DataProblem(str(catalog_dir), None, None, "no catalog files (*.yaml) found"))
    for path in files:
        label = f"catalog/{path.name}"
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (UnicodeDecodeError, yaml.YAMLError) as exc:
            problems.append(DataProblem(label, None, None, f"not valid UTF-8 YAML: {exc}"))
            continue
        if not isinstance(doc, dict):
            problems.append(DataProblem(label, None, None, "expected a mapping of sections (plans, layouts, projects …)"))
            continue
        for key, records in doc.items():
            if key not in sections:
                problems.append(DataProblem(label, None, key, f"unknown section; expected one of {', '.join(SECTIONS)}"))
                continue
            if not isinstance(records, list):
                problems.append(DataProblem(label, None, key, "expected a list of entries"))
                continue
            # Draft entries (zonemap extract): pending ones are errors, rejected ones are skipped.
            sections[key].extend((label, r) for r in reviewed(key, label, records, problems))
    return sections


def _unique(rows: list[dict], kind: str, problems: list[DataProblem]) -> dict[str, dict]:
    seen: dict[str, dict] = {}
    for row in rows:
        rid = row.get("id")
        if rid is None:
            continue
        if rid in seen:
            problems.append(DataProblem(row["_file"], rid, "id", f"duplicate {kind} id; first defined in {seen[rid]['_file']}"))
        else:
            seen[rid] = row
    return seen


def read_dataset(data_dir: Path, seeds_dir: Path | None = None) -> Dataset:
    """Read and validate everything under ``data_dir``; raise :class:`DataError` on any problem.

    When ``seeds_dir`` (the plan documents) is given, every quote must be a verbatim substring
    of its document (whitespace normalised).
    """
    problems: list[DataProblem] = []
    sections = read_catalog_files(data_dir / "catalog", problems)
    ds = Dataset()

    def rows(section, check):
        out = []
        for file, raw in sections[section]:
            row = check(raw, file, problems)
            if isinstance(row, tuple):
                row[0]["_file"] = file
                for sub in row[1]:
                    sub["_file"] = file
            else:
                row["_file"] = file
            out.append(row)
        return out

    ds.plans = rows("plans", _check_plan)
    for layout, zones in rows("layouts", check_layout):
        ds.layouts.append(layout)
        ds.zones.extend(zones)
    ds.industry_groups = rows("industry_groups", check_industry_group)
    ds.industries = rows("industries", check_industry)
    ds.streets = rows("streets", check_street)
    for project, mentions in rows("projects", check_project):
        ds.projects.append(project)
        ds.mentions.extend(mentions)
    for file, raw in sections["mentions"]:
        m = check_mention(raw, file, problems)
        m["_file"] = file
        ds.mentions.append(m)

    plans = _unique(ds.plans, "plan", problems)
    _unique(ds.layouts, "layout", problems)
    zones = _unique(ds.zones, "zone", problems)
    groups = _unique(ds.industry_groups, "industry group", problems)
    industries = _unique(ds.industries, "industry", problems)
    streets = _unique(ds.streets, "street", problems)
    projects = _unique(ds.projects, "project", problems)

    def resolve(row, field, value, table, kind):
        if value is not None and value not in table:
            problems.append(DataProblem(row["_file"], row.get("id") or f"mention of {row.get('project_id')}", field, f"unknown {kind} {value!r}"))
            return False
        return True

    for row in ds.layouts:
        resolve(row, "plan", row["plan_id"], plans, "plan")
    for row in [*ds.layouts, *ds.zones, *ds.industry_groups, *ds.industries, *ds.streets]:
        if "_cite_plan" in row:
            resolve(row, "cite.plan", row.pop("_cite_plan"), plans, "plan")
        elif row.get("plan_id") is not None:
            resolve(row, "cite.plan", row["plan_id"], plans, "plan")
    for z in ds.zones:
        for ind in z.pop("_industries"):
            if resolve(z, "industries", ind, industries, "industry"):
                ds.zone_industries.append({"zone_id": z["id"], "industry_id": ind})
    for ind in ds.industries:
        for g in ind.pop("_groups"):
            if resolve(ind, "groups", g, groups, "industry group"):
                ds.industry_group_members.append({"industry_id": ind["id"], "group_id": g})
    for p in ds.projects:
        for ind in p.pop("_industries"):
            if resolve(p, "industries", ind, industries, "industry"):
                ds.project_industries.append({"project_id": p["id"], "industry_id": ind})
        for s in p.pop("_streets"):
            if resolve(p, "streets", s, streets, "street"):
                ds.project_streets.append({"project_id": p["id"], "street_id": s})
    for m in ds.mentions:
        resolve(m, "project", m["project_id"], projects, "project")
        resolve(m, "plan", m["plan_id"], plans, "plan")
        resolve(m, "zone", m["zone_id"], zones, "zone")
        for ind in m["industries"]:
            resolve(m, "industries", ind, industries, "industry")
    _dedupe_links(ds)

    if seeds_dir is not None:
        check_quotes(ds, plans, seeds_dir, problems)

    _attach_geometry(ds, data_dir, zones, streets, projects, problems)
    for z in ds.zones:
        if z["geom"] is not None and z["unmapped_reason"]:
            problems.append(DataProblem(z["_file"], z["id"], "unmapped_reason", "the zone has geometry now: remove the reason it had none"))
    _read_districts(ds, data_dir, problems)

    if problems:
        raise DataError(problems)

    derive_statuses(ds, plans)
    # A project's industries: those given on it and those its mentions give.
    for m in ds.mentions:
        for ind in m["industries"]:
            ds.project_industries.append({"project_id": m["project_id"], "industry_id": ind})
    _dedupe_links(ds)
    for row in [*ds.plans, *ds.layouts, *ds.zones, *ds.industry_groups, *ds.industries, *ds.streets, *ds.projects, *ds.mentions]:
        row.pop("_file", None)
    return ds


def _check_plan(raw, file: str, problems: list[DataProblem]) -> dict:
    """A plan record, with its ``parts`` (how to read each part of the document: projects.timeline)."""
    row = check_plan(raw, file, problems)
    parts, part_problems = timeline.check_parts(raw.get("parts") if isinstance(raw, dict) else None)
    for fld, message in part_problems:
        problems.append(DataProblem(file, row.get("id"), fld, message))
    row["parts"] = parts
    return row


def derive_statuses(ds: Dataset, plans: dict[str, dict]) -> None:
    """Classify and date every mention, then derive each project's status now, its status
    periods and its status as each document states it (projects.timeline: one rule for all)."""
    problems: list[DataProblem] = []
    for m in ds.mentions:
        plan = plans[m["plan_id"]]
        if plan.get("parts") and timeline.part_of(plan, m["section"]) is None:
            problems.append(DataProblem(m["_file"], f"mention of {m['project_id']} in {m['plan_id']}", "section",
                                        f"no part of the plan covers section {m['section']!r}: extend the plan's parts"))
        m.update(timeline.read_mention(m, plan))
        if m["statement"] == "target" and m["status"] in ("under_construction", "completed"):
            problems.append(DataProblem(m["_file"], f"mention of {m['project_id']} in {m['plan_id']}", "status",
                                        "a target attests at most planned or preparation: set statement: fact (with a note) if the sentence reports it"))
        m.pop("_overrides", None)
    if problems:
        raise DataError(problems)
    by_project: dict[str, list[dict]] = defaultdict(list)
    for m in ds.mentions:
        by_project[m["project_id"]].append(m)
    for p in ds.projects:
        p["names"] = " | ".join(n for n in [p["id"], p["name_zh"], p["name_en"], *p["aliases"]] if n)
        ms = by_project[p["id"]]
        now = timeline.status_at(ms, plans)
        p["status"] = now.status if now else "unknown"
        p["status_year"] = now.status_year if now else None
        p["status_words"] = now.basis.words if now else None
        p["status_plan_id"] = now.basis.plan if now else None
        p["target_status"] = now.target_status if now else None
        p["target_year"] = now.target_year if now else None
        p["target_words"] = now.target_basis.words if now and now.target_basis else None
        p["target_plan_id"] = now.target_basis.plan if now and now.target_basis else None
        for period in timeline.periods(ms, plans):
            ds.project_status_years.append({"project_id": p["id"], **{k: period[k] for k in ("from_year", "to_year", "status", "plan_id", "words")}})
        for plan_id in sorted({m["plan_id"] for m in ms}):
            seen = timeline.as_seen_by(ms, plan_id, plans)
            ds.project_status_seen_by.append({"project_id": p["id"], "plan_id": plan_id, "status": seen.status,
                                              "status_year": seen.status_year, "words": seen.basis.words})


def _dedupe_links(ds: Dataset) -> None:
    for name in ("zone_industries", "industry_group_members", "project_industries", "project_streets"):
        seen, out = set(), []
        for link in getattr(ds, name):
            key = tuple(sorted(link.items()))
            if key not in seen:
                seen.add(key)
                out.append(link)
        setattr(ds, name, out)


_WS = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Whitespace-insensitive form used to match quotes against their documents."""
    return _WS.sub("", text)


def check_quotes(ds: Dataset, plans: dict[str, dict], seeds_dir: Path, problems: list[DataProblem]) -> None:
    """Every quote must be a verbatim substring of the document its citation names."""
    texts: dict[str, str | None] = {}
    for pid, plan in plans.items():
        path = seeds_dir / (plan.get("source_file") or "")
        if path.is_file():
            texts[pid] = normalise_text(path.read_text(encoding="utf-8"))
        else:
            texts[pid] = None
            problems.append(DataProblem(plan["_file"], pid, "source_file", f"document not found in {seeds_dir}"))

    def check(row, plan_id, field, item):
        quote, text = row.get("quote"), texts.get(plan_id)
        if quote and text is not None and normalise_text(quote) not in text:
            problems.append(DataProblem(row["_file"], item, field, f"quote is not a verbatim substring of {plans[plan_id]['source_file']}: {quote!r}"))

    for row in [*ds.layouts, *ds.zones]:
        check(row, row["plan_id"], "cite.quote", row["id"])
    for row in [*ds.industry_groups, *ds.industries, *ds.streets]:
        check(row, row["plan_id"], "cite.quote", row["id"])
    for m in ds.mentions:
        check(m, m["plan_id"], "quote", f"mention of {m['project_id']} in {m['plan_id']}")


def _attach_geometry(ds, data_dir: Path, zones, streets, projects, problems) -> None:
    gdir = data_dir / "geometry"

    def layer(name, expected, id_prop, table, kind):
        # A layer may be split over several files of one geometry type: zones.geojson,
        # zones_shahekou.geojson … (name stem + optional _suffix).
        stem = name.removesuffix(".geojson")
        out, where = {}, {}
        for path in sorted(gdir.glob(f"{stem}*.geojson")):
            if path.stem != stem and not path.stem.startswith(stem + "_"):
                continue
            label = f"geometry/{path.name}"
            for f in read_layer(path, expected, id_prop, problems, label=label):
                if f.id not in table:
                    problems.append(DataProblem(label, f.id, id_prop, f"unknown {kind} id: not in the catalog"))
                elif f.id in out:
                    problems.append(DataProblem(label, f.id, id_prop, f"more than one feature for this {kind} (also in {where[f.id]})"))
                else:
                    out[f.id], where[f.id] = f, label
        return out

    def provenance(row, f, accuracy_field="accuracy_m"):
        row["placement"], row[accuracy_field], row["confidence"] = f.placement, f.accuracy_m, f.confidence

    for row in [*ds.zones, *ds.streets]:
        row.update(geom=None, placement=None, accuracy_m=None, confidence=None)
    for z in ds.zones:
        z.update(centreline=None, corridor_m=None)
    for p in ds.projects:
        p.update(geom=None, site=None, placement=None, location_accuracy_m=None, confidence=None)

    polys = layer("zones.geojson", "MultiPolygon", "zone", zones, "zone")
    lines = layer("zone_lines.geojson", "MultiLineString", "zone", zones, "zone")
    for zid, f in polys.items():
        zones[zid]["geom"] = f.geom
        provenance(zones[zid], f)
    for zid, f in lines.items():
        width = f.properties.get("corridor_m")
        if isinstance(width, bool) or not isinstance(width, (int, float)) or not 0 < width <= 5000:
            problems.append(DataProblem("geometry/zone_lines.geojson", zid, "corridor_m", f"expected the corridor half-width in metres (0–5000), found {width!r}"))
            continue
        if zid in polys:
            problems.append(DataProblem("geometry/zone_lines.geojson", zid, "zone", "zone has both a polygon and a corridor line; keep one"))
            continue
        z = zones[zid]
        z["centreline"], z["corridor_m"] = f.geom, float(width)
        z["geom"] = corridor(f.geom, float(width))
        provenance(z, f)
        z["placement"] = f"{f.placement}; polygon = centreline buffered {width:g} m in EPSG:32651"

    for sid, f in layer("streets.geojson", "MultiLineString", "street", streets, "street").items():
        streets[sid]["geom"] = f.geom
        provenance(streets[sid], f)

    points = layer("project_points.geojson", "Point", "project", projects, "project")
    sites = layer("project_sites.geojson", "MultiPolygon", "project", projects, "project")
    for pid, f in points.items():
        projects[pid]["geom"] = f.geom
        provenance(projects[pid], f, "location_accuracy_m")
    for pid, f in sites.items():
        p = projects[pid]
        p["site"] = f.geom
        if p["geom"] is None:  # a site without a point: its representative point stands for it
            p["geom"] = f.geom.representative_point()
            provenance(p, f, "location_accuracy_m")


def corridor(line: BaseGeometry, half_width_m: float) -> BaseGeometry:
    """The corridor polygon of a zone's centreline: a buffer of ``half_width_m`` in metres."""
    return normalise(buffer_metres(line, half_width_m), "MultiPolygon")


def _read_districts(ds: Dataset, data_dir: Path, problems: list[DataProblem]) -> None:
    path = data_dir / "reference" / "dalian_districts.geojson"
    if not path.exists():
        return
    label = "reference/dalian_districts.geojson"
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        problems.append(DataProblem(label, None, None, f"not valid UTF-8 JSON: {exc}"))
        return
    for f in doc.get("features", []):
        props = f.get("properties") or {}
        geom = normalise(shape(f["geometry"]), "MultiPolygon")
        ds.districts.append({
            "id": props.get("adcode"), "name_zh": props.get("name_zh"), "pinyin": props.get("pinyin"),
            "level": props.get("level"), "geom": geom,
        })


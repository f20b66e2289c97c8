"""The whole ``data/`` folder, read and validated as one: catalog YAML plus geometry layers.

Nothing is written anywhere until everything has been checked: :func:`read_dataset` either
returns a complete, consistent :class:`Dataset` or raises :class:`DataError` listing every
problem with its file, entry id, field and what was expected.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from shapely.geometry.base import BaseGeometry

from geo.crs import buffer_metres
from geo.errors import DataError, DataProblem, excerpt
from geo.geojson import MAX_VERTICES, LayerSpec, read_layer
from geo.geometry import normalise
from geo.records import MAX_YAML_BYTES, RecordChecker, check_row, load_yaml, read_file_text
from projects import models as pm
from projects import timeline
from projects.catalog import check_industry, check_industry_group, check_mention, check_project
from projects.extract.fields import reviewed
from zones import models as zm
from zones.catalog import check_layout, check_plan, check_street

SECTIONS = ("plans", "layouts", "industry_groups", "industries", "streets", "projects", "mentions")

# The layers of the data folder, one line each: files, geometry type, the property naming the
# catalog id, and every further property a feature may carry. A required layer must have at least
# one file with features; every *.geojson under geometry/ must belong to a layer.
LAYERS = {
    "zones": LayerSpec("geometry", "zones", "MultiPolygon", "zone", ("name_zh",)),
    "zone_lines": LayerSpec("geometry", "zone_lines", "MultiLineString", "zone", ("name_zh", "corridor_m"), required=False),
    "streets": LayerSpec("geometry", "streets", "MultiLineString", "street", ("name_zh",)),
    "project_points": LayerSpec("geometry", "project_points", "Point", "project", ("name_zh",)),
    "project_sites": LayerSpec("geometry", "project_sites", "MultiPolygon", "project", ("name_zh",), required=False),
    "districts": LayerSpec("reference", "dalian_districts", "MultiPolygon", "adcode", ("name_zh", "pinyin", "level"),
                           provenance=False, split=False),
}
DISTRICT_LEVELS = ("city", "district", "county_city", "county")


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
    try:
        files = sorted(catalog_dir.glob("*.yaml"))
        strays = sorted(catalog_dir.glob("*.yml"))
    except OSError as exc:
        problems.append(DataProblem(str(catalog_dir), None, None, f"cannot read the folder: {exc.strerror or exc}"))
        return sections
    for path in strays:
        problems.append(DataProblem(f"catalog/{path.name}", None, None, "catalog files end in .yaml (this one would be ignored)"))
    if not files:
        problems.append(DataProblem(str(catalog_dir), None, None, "no catalog files (*.yaml) found"))
    for path in files:
        label = f"catalog/{path.name}"
        text = read_file_text(path, label, problems, MAX_YAML_BYTES, "YAML")
        if text is None:
            continue
        before = len(problems)
        doc = load_yaml(text, label, problems)
        if len(problems) > before:
            continue
        if doc is None:  # nothing but comments, or nothing at all
            doc = {}
        if not isinstance(doc, dict):
            problems.append(DataProblem(label, None, None, f"expected a mapping of sections (plans, layouts, projects …), found {excerpt(doc)}"))
            continue
        if not doc:
            problems.append(DataProblem(label, None, None, "the file is empty: delete it or add entries"))
        for key, records in doc.items():
            if key not in sections:
                problems.append(DataProblem(label, None, excerpt(key, 40).strip("'"), f"unknown section; expected one of {', '.join(SECTIONS)}"))
                continue
            if not isinstance(records, list):
                problems.append(DataProblem(label, None, key, f"expected a list of entries, found {excerpt(records)}"))
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


def read_dataset(data_dir: Path, seeds_dir: Path | None = None, max_vertices: int = MAX_VERTICES) -> Dataset:
    """Read and validate everything under ``data_dir``; raise :class:`DataError` on any problem.

    When ``seeds_dir`` (the plan documents) is given, every quote must be a verbatim substring
    of its document (whitespace normalised). A feature may have at most ``max_vertices`` vertices.
    """
    problems: list[DataProblem] = []
    if not data_dir.is_dir():
        raise DataError([DataProblem(str(data_dir), None, None, "the data folder does not exist (or is not a folder)")])
    sections = read_catalog_files(data_dir / "catalog", problems)
    # A catalog file that cannot be read leaves ids undefined: "unknown id" reports would only
    # repeat that problem, so references are checked only against a complete catalog.
    complete = not problems
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
            if complete:
                problems.append(DataProblem(row["_file"], row.get("id") or f"mention of {row.get('project_id')}", field, f"unknown {kind} {excerpt(value)}"))
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
    _check_columns(ds, problems)

    if seeds_dir is not None:
        check_quotes(ds, plans, seeds_dir, problems)

    _attach_geometry(ds, data_dir, zones, streets, projects, problems, max_vertices, complete)
    for z in ds.zones:
        if z["geom"] is not None and z["unmapped_reason"]:
            problems.append(DataProblem(z["_file"], z["id"], "unmapped_reason", "the zone has geometry now: remove the reason it had none"))
        elif z["geom"] is None and not z["unmapped_reason"] and z["id"] is not None and complete:
            # A zone file gone missing must not silently cut the project↔zone join.
            problems.append(DataProblem(z["_file"], z["id"], "geometry", "the zone has no polygon in geometry/zones*.geojson (nor a "
                                        "line in geometry/zone_lines*.geojson) and no unmapped_reason saying why"))
    _read_districts(ds, data_dir, problems, max_vertices)

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
            try:
                texts[pid] = normalise_text(path.read_text(encoding="utf-8"))
            except UnicodeDecodeError as exc:  # e.g. a GBK document put there unconverted
                texts[pid] = None
                problems.append(DataProblem(plan["_file"], pid, "source_file",
                                            f"{path.name} is not UTF-8 text ({exc.reason} at byte {exc.start}): save it as "
                                            "UTF-8 (`zonemap extract --write-utf8 FILE` converts GBK)"))
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


def _check_columns(ds: Dataset, problems: list[DataProblem]) -> None:
    """Every value must fit its database column (lengths and types come from the tables)."""
    tables = [(ds.plans, zm.Plan.__table__, {}), (ds.layouts, zm.Layout.__table__, {"plan_id": "plan"}),
              (ds.zones, zm.Zone.__table__, {"plan_id": "plan", "layout_id": "layout"}),
              (ds.streets, zm.Street.__table__, {"plan_id": "cite.plan"}),
              (ds.industry_groups, pm.IndustryGroup.__table__, {"plan_id": "cite.plan"}),
              (ds.industries, pm.Industry.__table__, {"plan_id": "cite.plan"}),
              (ds.projects, pm.Project.__table__, {}),
              (ds.mentions, pm.Mention.__table__, {"plan_id": "plan", "zone_id": "zone", "project_id": "project"})]
    for rows, table, fields in tables:
        for row in rows:
            item = row.get("id") or (f"mention of {row.get('project_id')}" if "project_id" in row else None)
            check_row(row, table, problems, row["_file"], excerpt(item, 60).strip("'") if item else None, fields)


def _layer_features(spec: LayerSpec, data_dir: Path, problems: list[DataProblem], max_vertices: int):
    files = spec.files(data_dir)
    if spec.required and not files:
        name = f"{spec.folder}/{spec.stem}.geojson" + (f" (or {spec.stem}_*.geojson)" if spec.split else "")
        problems.append(DataProblem(name, None, None, "missing: this layer is required"))
    for path in files:
        yield from read_layer(path, spec, problems, label=f"{spec.folder}/{path.name}", max_vertices=max_vertices)


def _attach_geometry(ds, data_dir: Path, zones, streets, projects, problems, max_vertices: int = MAX_VERTICES,
                     complete: bool = True) -> None:
    gdir = data_dir / "geometry"
    try:
        strays = [p for p in sorted(gdir.glob("*.geojson")) if not any(s.folder == "geometry" and s.owns(p) for s in LAYERS.values())]
    except OSError:
        strays = []
    for path in strays:
        known = ", ".join(f"{s.stem}[_*].geojson" for s in LAYERS.values() if s.folder == "geometry")
        problems.append(DataProblem(f"geometry/{path.name}", None, None, f"belongs to no layer (it would be ignored); layer files are {known}"))

    def layer(name, table, kind):
        spec = LAYERS[name]
        out, where = {}, {}
        for f in _layer_features(spec, data_dir, problems, max_vertices):
            if f.id not in table:
                if complete:
                    problems.append(DataProblem(f.label, f.id, spec.id_property, f"unknown {kind} id: not in the catalog"))
            elif f.id in out:
                problems.append(DataProblem(f.label, f.id, spec.id_property, f"more than one feature for this {kind} (also in {where[f.id]})"))
            else:
                out[f.id], where[f.id] = f, f.label
        return out

    def provenance(row, f, accuracy_field="accuracy_m"):
        row["placement"], row[accuracy_field], row["confidence"] = f.placement, f.accuracy_m, f.confidence

    for row in [*ds.zones, *ds.streets]:
        row.update(geom=None, placement=None, accuracy_m=None, confidence=None)
    for z in ds.zones:
        z.update(centreline=None, corridor_m=None)
    for p in ds.projects:
        p.update(geom=None, site=None, placement=None, location_accuracy_m=None, confidence=None)

    polys = layer("zones", zones, "zone")
    lines = layer("zone_lines", zones, "zone")
    for zid, f in polys.items():
        zones[zid]["geom"] = f.geom
        provenance(zones[zid], f)
    for zid, f in lines.items():
        width = f.properties.get("corridor_m")
        if isinstance(width, bool) or not isinstance(width, (int, float)) or not 0 < width <= 5000:
            problems.append(DataProblem(f.label, zid, "corridor_m", f"expected the corridor half-width in metres (0–5000), found {excerpt(width)}"))
            continue
        if zid in polys:
            problems.append(DataProblem(f.label, zid, "zone", f"zone has both a polygon (in {polys[zid].label}) and a corridor line; keep one"))
            continue
        z = zones[zid]
        z["centreline"], z["corridor_m"] = f.geom, float(width)
        z["geom"] = corridor(f.geom, float(width))
        provenance(z, f)
        z["placement"] = f"{f.placement}; polygon = centreline buffered {width:g} m in EPSG:32651"

    for sid, f in layer("streets", streets, "street").items():
        streets[sid]["geom"] = f.geom
        provenance(streets[sid], f)

    points = layer("project_points", projects, "project")
    sites = layer("project_sites", projects, "project")
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


def _read_districts(ds: Dataset, data_dir: Path, problems: list[DataProblem], max_vertices: int = MAX_VERTICES) -> None:
    """The district outlines: validated like every other layer (geometry in WGS84 near Dalian,
    no unknown property), each with its adcode, names and level."""
    spec = LAYERS["districts"]
    seen: dict[str, str] = {}
    for f in _layer_features(spec, data_dir, problems, max_vertices):
        c = RecordChecker(problems, f.label, f.properties, item=f.id)
        row = {"id": f.id, "name_zh": c.text("name_zh"), "pinyin": c.text("pinyin"),
               "level": c.choice("level", DISTRICT_LEVELS), "geom": f.geom}
        if not re.fullmatch(r"\d{6}", f.id):
            c.fail("adcode", f"expected a six-digit administrative code, found {excerpt(f.id)}")
        elif f.id in seen:
            c.fail("adcode", f"more than one outline with this adcode (also in {seen[f.id]})")
        else:
            seen[f.id] = f.label
            check_row(row, zm.District.__table__, problems, f.label, f.id, {"id": "adcode"})
            ds.districts.append(row)

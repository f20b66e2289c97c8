"""What the catalog already knows, read for matching: projects, zones, streets, industries, ids."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from geo.errors import DataProblem
from projects.extract.fields import reviewed
from projects.extract.errors import ExtractError
from projects.extract.match import NameIndex


@dataclass
class Known:
    """Names and ids of the catalog's entries (only accepted, or hand-written, entries count)."""

    plans: dict[str, dict] = field(default_factory=dict)
    projects: NameIndex = field(default_factory=NameIndex)
    project_names: dict[str, str] = field(default_factory=dict)  # id → name_zh
    project_texts: list[tuple[str, str, str]] = field(default_factory=list)  # (as written, name, why) to find again
    zones: dict[str, list[dict]] = field(default_factory=dict)  # name_zh → zones (id, plan, kind, layout)
    layouts: dict[str, list[dict]] = field(default_factory=dict)  # name_zh → layouts
    streets: dict[str, str] = field(default_factory=dict)  # name_zh → id
    industries: dict[str, str] = field(default_factory=dict)  # name_zh → id
    ids: dict[str, set[str]] = field(default_factory=dict)  # section → ids in use
    prefixes: tuple[str, ...] = ()

    def taken(self, section: str, ident: str) -> bool:
        return ident in self.ids.get(section, set())


def district_prefixes(districts: list[str]) -> tuple[str, ...]:
    """Prefixes a name may carry or drop: the districts (西岗区, 西岗), the city (大连市, 大连), 区/市."""
    out = {"大连市", "大连", "区", "市"}
    for d in districts:
        if d:
            out.add(d)
            if len(d) > 2 and d[-1] in "区市县":
                out.add(d[:-1])
    return tuple(sorted(out, key=len, reverse=True))


def _read_sections(catalog_dir: Path, problems: list[DataProblem], skip: Path | None = None) -> dict[str, list[tuple[str, object]]]:
    """The catalog's records per section, as the loader would see them (pending drafts left out).

    Reads with libyaml when available (the catalog is read once per extraction).
    """
    from projects.dataset import SECTIONS

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    sections: dict[str, list[tuple[str, object]]] = {s: [] for s in SECTIONS}
    for path in sorted(catalog_dir.glob("*.yaml")):
        if skip is not None and path.resolve() == skip:
            continue
        label = f"catalog/{path.name}"
        try:
            doc = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}
        except (UnicodeDecodeError, yaml.YAMLError) as exc:
            raise ExtractError(f"{label}: not valid UTF-8 YAML ({exc}); fix it before extracting") from None
        if not isinstance(doc, dict):
            continue
        for key, records in doc.items():
            if key in sections and isinstance(records, list):
                # Only what the loader would load counts as known: pending and rejected drafts do not.
                pending: list[DataProblem] = []
                sections[key].extend((label, r) for r in reviewed(key, label, records, pending))
    return sections


def read_known(catalog_dir: Path, extra_districts: list[str] | None = None, replacing: Path | None = None) -> Known:
    """Read the catalog's YAML (no geometry, no quote check) into a :class:`Known`.

    ``replacing``: the draft file this extraction replaces (``--force``): its entries, accepted or
    not, are not the catalog's (else a re-extraction would find its own plan already there).
    """
    if not Path(catalog_dir).is_dir():
        raise ExtractError(f"{catalog_dir}: no catalog folder")
    problems: list[DataProblem] = []
    sections = _read_sections(Path(catalog_dir), problems, Path(replacing).resolve() if replacing else None)
    known = Known()
    for file, plan in sections["plans"]:
        if isinstance(plan, dict) and plan.get("id"):
            known.plans[plan["id"]] = plan
    districts = [p.get("district") for p in known.plans.values()] + list(extra_districts or [])
    known.prefixes = district_prefixes([d for d in districts if isinstance(d, str)])
    known.projects = NameIndex(known.prefixes)
    ids: dict[str, set[str]] = {s: set() for s in sections}
    ids["zones"] = set()
    for section, records in sections.items():
        for _file, r in records:
            if isinstance(r, dict) and isinstance(r.get("id"), str):
                ids[section].add(r["id"])
    for _file, p in sections["projects"]:
        if not isinstance(p, dict) or not p.get("id"):
            continue
        known.project_names[p["id"]] = p.get("name_zh") or p["id"]
        district = p.get("district") if isinstance(p.get("district"), str) else None
        if p.get("name_zh"):
            known.projects.add(p["id"], p["name_zh"], "name", district)
            known.project_texts.append((p["name_zh"], p["name_zh"], "catalog name"))
        for alias in p.get("aliases") or []:
            if isinstance(alias, str):
                known.projects.add(p["id"], alias, "alias", district)
                known.project_texts.append((alias, alias, "catalog name"))
    for _file, layout in sections["layouts"]:
        if not isinstance(layout, dict):
            continue
        if layout.get("name_zh"):
            known.layouts.setdefault(layout["name_zh"], []).append({"id": layout.get("id"), "plan": layout.get("plan")})
        for z in layout.get("zones") or []:
            if isinstance(z, dict) and z.get("name_zh"):
                ids["zones"].add(z.get("id"))
                known.zones.setdefault(z["name_zh"].strip("“”"), []).append(
                    {"id": z.get("id"), "plan": layout.get("plan"), "kind": z.get("kind"), "layout": layout.get("id")})
    for _file, s in sections["streets"]:
        if isinstance(s, dict) and s.get("name_zh"):
            known.streets[s["name_zh"]] = s.get("id")
    for _file, ind in sections["industries"]:
        if isinstance(ind, dict) and ind.get("name_zh"):
            known.industries[ind["name_zh"]] = ind.get("id")
    known.ids = ids
    return known

"""A copy of the data folder as if one plan document had never been read (the hold-out).

Used by the benchmark and the hold-out test: everything the held-out plan contributed is taken
out — its plan entry, layouts and zones, its mentions, projects only it mentions, vocabulary
entries it cites — and every geometry feature of a removed entry; references to removed ids are
dropped. A project the other documents also mention stays, but the names a reviewer took from the
held-out document go: an alias written only there is dropped, and a Chinese name written only there
gives way to an alias the other documents write, else to a placeholder (〔id〕) that matches no text
(the 2018 city report's 冰山老厂房 is the catalog's 冰山慧谷, a name only Shahekou's plan writes).
The rest of the catalog is unchanged, so what it holds is what the other documents say.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from projects.dataset import normalise_text


def _cited_by(record, plan: str) -> bool:
    cite = record.get("cite") if isinstance(record, dict) else None
    return isinstance(cite, dict) and cite.get("plan") == plan


def without_plan(data_dir: Path, out_dir: Path, plan: str, seeds_dir: Path) -> dict[str, int]:
    """Write ``out_dir`` (catalog, geometry, reference) without plan ``plan``; returns removal counts.

    ``seeds_dir`` holds the plan documents: a name counts as the held-out document's own when its
    text writes it and no other document does.
    """
    data_dir, out_dir = Path(data_dir), Path(out_dir)
    files = {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) or {} for p in sorted((data_dir / "catalog").glob("*.yaml"))}
    sources = {r.get("id"): r.get("source_file") for doc in files.values() for r in doc.get("plans") or []}
    if plan not in sources:
        raise ValueError(f"plan {plan!r} is not in {data_dir / 'catalog'}")
    texts = {pid: normalise_text((Path(seeds_dir) / src).read_text(encoding="utf-8")) for pid, src in sources.items()}
    held, others = texts.pop(plan), "\n".join(texts.values())
    removed = {"plans": 0, "layouts": 0, "zones": 0, "projects": 0, "mentions": 0, "vocabulary": 0, "names": 0}
    gone: dict[str, set[str]] = {"projects": set(), "zones": set(), "streets": set(), "industries": set(), "industry_groups": set()}

    for doc in files.values():
        removed["plans"] += sum(1 for p in doc.get("plans") or [] if p.get("id") == plan)
        doc["plans"] = [p for p in doc.get("plans") or [] if p.get("id") != plan]
        kept = []
        for layout in doc.get("layouts") or []:
            if layout.get("plan") == plan:
                removed["layouts"] += 1
                removed["zones"] += len(layout.get("zones") or [])
                gone["zones"].update(z["id"] for z in layout.get("zones") or [])
            else:
                kept.append(layout)
        doc["layouts"] = kept
        for section in ("streets", "industries", "industry_groups"):
            for r in doc.get(section) or []:
                if _cited_by(r, plan):
                    gone[section].add(r["id"])
                    removed["vocabulary"] += 1
            doc[section] = [r for r in doc.get(section) or [] if not _cited_by(r, plan)]
        top = [m for m in doc.get("mentions") or [] if m.get("plan") != plan]
        removed["mentions"] += len(doc.get("mentions") or []) - len(top)
        doc["mentions"] = top

    # Projects: drop the held-out mentions; a project left with only top-level mentions elsewhere
    # takes them inline; a project left with none is gone.
    top_level = {}
    for name, doc in files.items():
        for m in doc.get("mentions") or []:
            top_level.setdefault(m["project"], []).append((name, m))
    for doc in files.values():
        kept = []
        for p in doc.get("projects") or []:
            inline = [m for m in p.get("mentions") or [] if m.get("plan") != plan]
            removed["mentions"] += len(p.get("mentions") or []) - len(inline)
            if not inline and top_level.get(p["id"]):
                for fname, m in top_level.pop(p["id"]):
                    files[fname]["mentions"].remove(m)
                    inline.append({k: v for k, v in m.items() if k != "project"})
            if not inline:
                gone["projects"].add(p["id"])
                removed["projects"] += 1
                continue
            p["mentions"] = inline
            removed["names"] += _forget_names(p, held, others)
            kept.append(p)
        doc["projects"] = kept

    def prune(ids, section):
        return [i for i in ids or [] if i not in gone[section]]

    for doc in files.values():
        for layout in doc.get("layouts") or []:
            for z in layout.get("zones") or []:
                z["industries"] = prune(z.get("industries"), "industries")
        for ind in doc.get("industries") or []:
            if "groups" in ind:
                ind["groups"] = prune(ind.get("groups"), "industry_groups")
        for p in doc.get("projects") or []:
            p["industries"] = prune(p.get("industries"), "industries")
            p["streets"] = prune(p.get("streets"), "streets")
            for m in p["mentions"]:
                _prune_mention(m, gone, prune)
        for m in doc.get("mentions") or []:
            _prune_mention(m, gone, prune)

    out_cat = out_dir / "catalog"
    out_cat.mkdir(parents=True, exist_ok=True)
    for name, doc in files.items():
        doc = {k: v for k, v in doc.items() if v}
        if doc:
            (out_cat / name).write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")

    keys = {"project": "projects", "zone": "zones", "street": "streets"}
    (out_dir / "geometry").mkdir(parents=True, exist_ok=True)
    for path in sorted((data_dir / "geometry").glob("*.geojson")):
        layer = json.loads(path.read_text(encoding="utf-8"))
        feats = []
        for f in layer.get("features", []):
            props = f.get("properties") or {}
            if any(props.get(k) in gone[section] for k, section in keys.items()):
                continue
            feats.append(f)
        layer["features"] = feats
        (out_dir / "geometry" / path.name).write_text(json.dumps(layer, ensure_ascii=False), encoding="utf-8")
    if (data_dir / "reference").is_dir():
        shutil.copytree(data_dir / "reference", out_dir / "reference", dirs_exist_ok=True)
    return removed


def _forget_names(project: dict, held: str, others: str) -> int:
    """Drop the names only the held-out text writes (``held``, ``others``: normalised texts)."""
    def own(name) -> bool:
        n = normalise_text(str(name))
        return n in held and n not in others

    aliases = [a for a in project.get("aliases") or [] if not own(a)]
    count = len(project.get("aliases") or []) - len(aliases)
    if own(project.get("name_zh") or ""):
        count += 1
        written = [a for a in aliases if normalise_text(str(a)) in others]
        if written:
            project["name_zh"] = written[0]
            aliases.remove(written[0])
        else:
            project["name_zh"] = f"〔{project['id']}〕"
    if "aliases" in project:
        project["aliases"] = aliases
    return count


def _prune_mention(m: dict, gone, prune) -> None:
    if m.get("zone") in gone["zones"]:
        m["zone"] = None
        m["zone_note"] = None
    m["industries"] = prune(m.get("industries"), "industries")

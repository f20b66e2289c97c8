"""Every quote in data/ is a verbatim substring of the document it cites (whitespace normalised).

Reads the plan documents from shared/seeds beside the repository (or ZONEMAP_SEEDS_DIR); if they
are missing the test fails: provenance that cannot be checked is not checked provenance.
"""

from __future__ import annotations

import yaml

from zmtest import DATA_DIR, seeds_dir
from geo.records import MAX_QUOTE
from projects.dataset import normalise_text


def _quotes():
    """(file, where, plan id, quote) for every citation in the catalog files."""
    for path in sorted((DATA_DIR / "catalog").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for section, records in doc.items():
            for rec in records or []:
                yield from _walk(path.name, f"{section}/{rec.get('id', rec.get('project'))}", rec)


def _walk(file, where, obj):
    if isinstance(obj, dict):
        if "quote" in obj and isinstance(obj.get("quote"), str):
            plan = obj.get("plan")
            yield file, where, plan, obj["quote"]
        for k, v in obj.items():
            if k != "quote":
                yield from _walk(file, f"{where}/{k}", v)
    elif isinstance(obj, list):
        for n, v in enumerate(obj):
            yield from _walk(file, f"{where}[{n}]", v)


def test_every_quote_is_verbatim():
    seeds = seeds_dir()
    plans = {}
    for path in (DATA_DIR / "catalog").glob("*.yaml"):
        for p in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("plans", []):
            plans[p["id"]] = normalise_text((seeds / p["source_file"]).read_text(encoding="utf-8"))
    quotes = list(_quotes())
    assert len(quotes) > 500
    bad = [(f, w, q) for f, w, plan, q in quotes if plan not in plans or normalise_text(q) not in plans[plan]]
    assert not bad, f"{len(bad)} quotes not found verbatim, e.g. {bad[:5]}"
    too_long = [(f, w, q) for f, w, _, q in quotes if len(q) > MAX_QUOTE]
    assert not too_long


def test_every_plan_names_its_source_file():
    seeds = seeds_dir()
    files = {p.name for p in seeds.glob("*.txt")}
    cited = set()
    for path in (DATA_DIR / "catalog").glob("*.yaml"):
        for p in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("plans", []):
            cited.add(p["source_file"])
    assert cited == files

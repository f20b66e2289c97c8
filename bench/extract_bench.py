"""How well ``zonemap extract`` drafts the reviewed catalog: each document held out in turn.

    .venv/bin/python bench/extract_bench.py            # the table
    .venv/bin/python bench/extract_bench.py -v PLAN    # plus the misses and extras of one plan

For each of the catalog's plans: build the catalog without it (projects.extract.holdout), run the
extraction on its document against that catalog, and compare the draft with the reviewed entries:

- mentions: a draft mention and a catalog mention agree when their quotes lie in the same
  sentence and they name the same project (the catalog project the draft matched, or a name
  similar to the project's name or aliases); pairs are one-to-one;
- projects: a catalog project is found when one of its mentions is; a draft project is right when
  one of its mentions agrees;
- status: the normalised status of paired mentions (projects.status on both sides);
- zone: paired mentions where either side states a zone, and they state the same one;
- quotes: draft quotes that are verbatim (the loader's rule) and at most 80 characters;
- seconds: reading, matching and drafting, per document (jieba's start-up counted once, in total).

The numbers go into the issue's closing note, not into tests.
"""

from __future__ import annotations

import argparse
import bisect
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml  # noqa: E402

from projects.dataset import normalise_text  # noqa: E402
from projects.extract.draft import build_draft  # noqa: E402
from projects.extract.holdout import without_plan  # noqa: E402
from projects.extract.known import read_known  # noqa: E402
from projects.extract.match import similar  # noqa: E402
from projects.extract.segment import tokenizer  # noqa: E402
from projects.extract.statuses import read_status  # noqa: E402
from projects.extract.text import MAX_QUOTE, read_document  # noqa: E402
from webmap.settings import REPO_ROOT, get_settings  # noqa: E402

NAME_AGREEMENT = 75.0


def gold(data_dir: Path) -> tuple[dict, dict, list[dict]]:
    """Plans, projects and every mention (with its project id) of the reviewed catalog."""
    plans, projects, mentions = {}, {}, []
    for path in sorted((data_dir / "catalog").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for p in doc.get("plans") or []:
            plans[p["id"]] = p
        for p in doc.get("projects") or []:
            projects[p["id"]] = p
            mentions.extend({**m, "project": p["id"]} for m in p.get("mentions") or [])
        mentions.extend(doc.get("mentions") or [])
    return plans, projects, mentions


class SentenceMap:
    """Sentences of a document in whitespace-free coordinates, to place a quote in its sentence(s)."""

    def __init__(self, doc):
        self.norm = doc.normalised
        raw_to_norm, n = [], 0
        for ch in doc.raw:
            raw_to_norm.append(n)
            if not ch.isspace():
                n += 1
        raw_to_norm.append(n)
        self.starts, self.ends = [], []
        for s in doc.sentences:
            self.starts.append(raw_to_norm[doc.offsets[s.start]])
            self.ends.append(raw_to_norm[doc.offsets[s.end - 1] + 1])

    def sentences(self, quote: str) -> set[int]:
        q = normalise_text(quote or "")
        out: set[int] = set()
        if not q:
            return out
        for m in re.finditer(re.escape(q), self.norm):
            i = bisect.bisect_right(self.starts, m.start()) - 1
            while 0 <= i < len(self.starts) and self.starts[i] < m.end():
                if self.ends[i] > m.start():
                    out.add(i)
                i += 1
        return out


def gold_status(m: dict) -> str:
    return m.get("status") or read_status(m.get("status_words")).status


def zone_of(m: dict) -> str | None:
    z = m.get("zone_as_written")
    return z.strip("“”\"— ") if z else None


def run_plan(plan_id: str, plans: dict, projects: dict, mentions: list[dict], data_dir: Path, seeds: Path, verbose: bool) -> dict:
    plan = plans[plan_id]
    with tempfile.TemporaryDirectory() as tmp:
        without_plan(data_dir, Path(tmp), plan_id)
        t0, c0 = time.perf_counter(), time.process_time()
        doc = read_document(seeds / plan["source_file"])
        known = read_known(Path(tmp) / "catalog")
        result = build_draft(doc, plan_id, known)
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    smap = SentenceMap(doc)

    golds = [m for m in mentions if m["plan"] == plan_id]
    for g in golds:
        p = projects[g["project"]]
        g["_names"] = [p["name_zh"], *(p.get("aliases") or [])]
        g["_sents"] = smap.sentences(g["quote"])
    drafts = []
    for p in result.draft.get("projects") or []:
        for m in p["mentions"]:
            drafts.append({**m, "_project": f"new:{p['id']}", "_names": [p["name_zh"], *p["aliases"], m["proposed"]["name_as_written"]], "_catalog": None})
    for m in result.draft.get("mentions") or []:
        drafts.append({**m, "_project": f"catalog:{m['project']}", "_names": [m["proposed"]["name_as_written"], m["match"]["name"]], "_catalog": m["project"]})
    for d in drafts:
        d["_sents"] = smap.sentences(d["quote"])

    pairs = []
    for di, d in enumerate(drafts):
        for gi, g in enumerate(golds):
            if not d["_sents"] & g["_sents"]:
                continue
            if d["_catalog"] == g["project"]:
                score = 101.0
            else:
                score = max(similar(a, b) for a in d["_names"] for b in g["_names"])
            if score >= NAME_AGREEMENT:
                pairs.append((score, di, gi))
    pairs.sort(reverse=True)
    used_d, used_g, matched = set(), set(), []
    for score, di, gi in pairs:
        if di in used_d or gi in used_g:
            continue
        used_d.add(di)
        used_g.add(gi)
        matched.append((drafts[di], golds[gi]))

    gold_projects = {g["project"] for g in golds}
    found_projects = {g["project"] for _, g in matched}
    draft_projects = {d["_project"] for d in drafts}
    right_projects = {d["_project"] for d, _ in matched}
    status_ok = sum(1 for d, g in matched if d["proposed"]["status"] == gold_status(g))
    zoned = [(d, g) for d, g in matched if zone_of(d) or zone_of(g)]
    zone_ok = sum(1 for d, g in zoned if zone_of(d) == zone_of(g))
    quotes_ok = sum(1 for d in drafts if len(d["quote"]) <= MAX_QUOTE and normalise_text(d["quote"]) in doc.normalised)
    catalog_pairs = [(d, g) for d, g in matched if d["_catalog"]]
    if verbose:
        print(f"\n== {plan_id}: missed catalog mentions")
        for gi, g in enumerate(golds):
            if gi not in used_g:
                print(f"  MISS {g['_names'][0]} | {g['quote']}")
        print(f"== {plan_id}: draft mentions the catalog does not have")
        for di, d in enumerate(drafts):
            if di not in used_d:
                print(f"  EXTRA {d['_names'][0]} ({d['proposed']['name_as_written']}) | {d['quote']} | {d['proposed']['rules']}")
        print(f"== {plan_id}: status disagreements")
        for d, g in matched:
            if d["proposed"]["status"] != gold_status(g):
                print(f"  {g['_names'][0]}: draft {d['status_words']!r}→{d['proposed']['status']}, catalog {g.get('status_words')!r}→{gold_status(g)}")
        print(f"== {plan_id}: zone disagreements")
        for d, g in zoned:
            if zone_of(d) != zone_of(g):
                print(f"  {g['_names'][0]}: draft {zone_of(d)!r}, catalog {zone_of(g)!r}")
    return {
        "plan": plan_id, "gold_projects": len(gold_projects), "draft_projects": len(draft_projects),
        "project_recall": len(found_projects) / max(1, len(gold_projects)),
        "project_precision": len(right_projects) / max(1, len(draft_projects)),
        "gold_mentions": len(golds), "draft_mentions": len(drafts),
        "mention_recall": len(matched) / max(1, len(golds)), "mention_precision": len(matched) / max(1, len(drafts)),
        "status": status_ok / max(1, len(matched)), "zone": zone_ok / max(1, len(zoned)), "zoned": len(zoned),
        "quotes_valid": quotes_ok, "quotes": len(drafts),
        "catalog_matches": len(catalog_pairs),
        "catalog_match_right": sum(1 for d, g in catalog_pairs if d["_catalog"] == g["project"]),
        "seconds": seconds, "cpu": cpu,
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-v", "--verbose", metavar="PLAN", action="append", default=[], help="print misses and extras of PLAN ('all' for every plan)")
    ap.add_argument("--data-dir", default=str(REPO_ROOT / "data"))
    ap.add_argument("--seeds-dir", default=None)
    args = ap.parse_args(argv)
    data_dir = Path(args.data_dir)
    seeds = Path(args.seeds_dir) if args.seeds_dir else get_settings().seeds_dir
    if seeds is None:
        print("plan documents not found: pass --seeds-dir", file=sys.stderr)
        return 2
    t0, c0 = time.perf_counter(), time.process_time()
    tokenizer()  # jieba's dictionary, loaded once
    startup, startup_cpu = time.perf_counter() - t0, time.process_time() - c0
    plans, projects, mentions = gold(data_dir)
    rows = [run_plan(pid, plans, projects, mentions, data_dir, seeds, pid in args.verbose or "all" in args.verbose) for pid in plans]
    print("| document | projects R / P (catalog / draft) | mentions R / P (catalog / draft) | status agree | zone agree (pairs) | quotes valid | catalog matches right | s wall / CPU |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    tot = {k: 0 for k in ("gp", "fp", "dp", "rp", "gm", "dm", "mm", "st", "zo", "zn", "qv", "q", "cm", "cr", "s", "c")}
    for r in rows:
        fp, rp = round(r["project_recall"] * r["gold_projects"]), round(r["project_precision"] * r["draft_projects"])
        mm = round(r["mention_recall"] * r["gold_mentions"])
        print(f"| {r['plan']} | {r['project_recall']:.0%} / {r['project_precision']:.0%} ({r['gold_projects']} / {r['draft_projects']}) "
              f"| {r['mention_recall']:.0%} / {r['mention_precision']:.0%} ({r['gold_mentions']} / {r['draft_mentions']}) "
              f"| {r['status']:.0%} | {r['zone']:.0%} ({r['zoned']}) | {r['quotes_valid']}/{r['quotes']} "
              f"| {r['catalog_match_right']}/{r['catalog_matches']} | {r['seconds']:.2f} / {r['cpu']:.2f} |")
        for k, v in (("gp", r["gold_projects"]), ("fp", fp), ("dp", r["draft_projects"]), ("rp", rp), ("gm", r["gold_mentions"]),
                     ("dm", r["draft_mentions"]), ("mm", mm), ("st", round(r["status"] * mm)), ("zo", round(r["zone"] * r["zoned"])),
                     ("zn", r["zoned"]), ("qv", r["quotes_valid"]), ("q", r["quotes"]), ("cm", r["catalog_matches"]),
                     ("cr", r["catalog_match_right"]), ("s", r["seconds"]), ("c", r["cpu"])):
            tot[k] += v
    print(f"| **all five** | {tot['fp'] / tot['gp']:.0%} / {tot['rp'] / tot['dp']:.0%} ({tot['gp']} / {tot['dp']}) "
          f"| {tot['mm'] / tot['gm']:.0%} / {tot['mm'] / tot['dm']:.0%} ({tot['gm']} / {tot['dm']}) "
          f"| {tot['st'] / max(1, tot['mm']):.0%} | {tot['zo'] / max(1, tot['zn']):.0%} ({tot['zn']}) | {tot['qv']}/{tot['q']} "
          f"| {tot['cr']}/{tot['cm']} | {tot['s'] + startup:.2f} / {tot['c'] + startup_cpu:.2f} (incl. jieba start-up {startup:.2f}) |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

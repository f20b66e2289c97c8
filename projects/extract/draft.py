"""From a document to a draft catalog file: entries with verified quotes, each ``review: pending``.

The draft is a catalog file (data/README.md) with a few draft fields the loader knows
(:mod:`projects.extract.fields`): ``review`` (pending → accepted | rejected), ``confidence``
(0–1, how sure the rules are), ``match`` (how a mention found its catalog project) and
``proposed`` (what the rules read: normalised status, fact/target, the rules that fired).
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pypinyin import lazy_pinyin

from geo.records import SLUG
from projects.extract import rules
from projects.extract.errors import ExtractError
from projects.extract.known import Known, read_known
from projects.extract.match import NameIndex, name_key, similar
from projects.extract.names import Candidate, Gazetteer, find_again, find_projects
from projects.extract.segment import add_places
from projects.extract.places import _verbal, find_layouts, find_streets, strip_numbering, zone_kind
from projects.extract.statuses import read_status
from projects.extract.text import Document, Sentence, read_document

HEADER = """\
# Draft catalog entries drafted by `zonemap extract` from {source} for plan {plan}.
# Every entry waits for a person: `zonemap review {name}` (accept / edit / reject).
# `zonemap load` refuses the file while any entry is `review: pending`; rejected entries are not loaded.
# Draft fields: review, confidence (0-1: how sure the rules are), match (how a mention found its
# catalog project), proposed (what the rules read; projects.status decides the status).
"""


@dataclass
class Mention:
    """One project mention found in the text (before grouping into projects)."""

    cand: Candidate
    sentence: Sentence
    quote: str
    fields: dict


@dataclass
class ExtractResult:
    draft: dict
    notes: list[str] = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    seconds: float = 0.0
    document: Document | None = None


def slugify(text: str, limit: int = 48) -> str:
    """An ASCII id from a Chinese name (pinyin syllables joined by '-')."""
    parts = []
    for syl in lazy_pinyin(text, errors=lambda s: [s]):
        syl = re.sub(r"[^a-z0-9]+", "-", syl.lower()).strip("-")
        if syl:
            parts.append(syl)
    slug, out = "", []
    for p in parts:
        if len("-".join([*out, p])) > limit:
            break
        out.append(p)
    slug = "-".join(out).strip("-")
    return slug or "entry"


def english(text: str) -> str:
    """A transliteration for a required English name the reviewer should improve: one word per jieba word."""
    from projects.extract.segment import tokens

    words = []
    for t in tokens(text):
        syl = "".join(lazy_pinyin(t.word, errors=lambda s: [s]))
        syl = re.sub(r"[^A-Za-z0-9·-]+", "", syl)
        if syl:
            words.append(syl[:1].upper() + syl[1:])
    return " ".join(words) or text


class Ids:
    """Unique ids per section: not in the catalog, not used twice in the draft."""

    def __init__(self, known: Known):
        self.known = known
        self.used: dict[str, set[str]] = {}

    def new(self, section: str, base: str) -> str:
        base = base if SLUG.match(base) else slugify(base)
        used = self.used.setdefault(section, set())
        ident, n = base, 2
        while ident in used or self.known.taken(section, ident):
            ident, n = f"{base}-{n}", n + 1
        used.add(ident)
        return ident


def guess_plan(doc: Document, plan_id: str, district: str | None = None) -> dict:
    """The plan entry: title, district, date, year and kind, as far as the text gives them."""
    head = [l.strip() for l in doc.text.split("\n")[:25] if l.strip()]
    joined = "".join(head)
    quoted = re.search(r"《([^《》]{4,60}(?:规划|纲要|报告|计划|方案)[^《》]{0,10})》", joined)
    if quoted:
        title = quoted.group(1)
    else:
        title = None
        for i, line in enumerate(head):
            if re.search(r"规划|纲要|报告|计划|方案", line) and len(line) <= 40 and not re.search(r"[，,。；]", line):
                prev = head[i - 1] if i else ""
                title = prev + line if prev and len(prev) <= 24 and not re.search(r"[，,。；：:]", prev) and not re.search(r"\d{4}年", prev) else line
                break
        title = title or (head[0] if head else doc.path.stem)
    m = re.search(r"(大连市)?([\u4e00-\u9fff]{2,4}区)", " ".join(head[:5]))
    if district is None:
        district = m.group(2) if m and m.group(2) not in ("城区", "市区", "社区") else ("大连市" if "大连市" in title else None)
    date = None
    dm = re.search(r"((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日", "\n".join(head))
    if dm:
        date = f"{int(dm.group(1)):04d}-{int(dm.group(2)):02d}-{int(dm.group(3)):02d}"
    ym = re.search(r"((?:19|20)\d{2})年", title)
    year = int(dm.group(1)) if dm else (int(ym.group(1)) if ym else None)
    if "工作报告" in title or "政府工作报告" in doc.text[:200]:
        kind = "work_report"
    elif re.search(r"国民经济和社会发展|五年规划纲要", title):
        kind = "five_year_plan"
    else:
        kind = "sector_plan"
    period = None
    pm = re.search(r"((?:19|20)\d{2})\s*[-—–至]\s*((?:19|20)\d{2})", doc.text[:3000])
    if pm and kind != "work_report":
        period = f"{pm.group(1)}-{pm.group(2)}"
    kind_en = {"work_report": "Government Work Report", "five_year_plan": "Five-Year Plan", "sector_plan": "Sector Plan"}[kind]
    place = "Dalian" if district in (None, "大连市") else f"{english(district[:-1]).replace(' ', '')} District"
    return {
        "id": plan_id, "title_zh": title, "title_en": f"{place} {kind_en}" + (f" ({year})" if year else ""),
        "district": district or "大连市", "date": date, "year": year, "period": period, "kind": kind,
        "source_file": doc.path.name,
    }


def sentence_year(s: Sentence) -> int | None:
    """The year a sentence's status holds: from the nearest heading naming a year; a period heading gives none."""
    for heading in reversed(s.headings):
        m = rules.YEAR.search(heading)
        if m:
            return int(m.group(1))
        if rules.PERIOD.search(heading):
            return None
    return None


def _clause_bounds(text: str, pos: int) -> tuple[int, int]:
    a = max(text.rfind(c, 0, pos) for c in "，,；：:") + 1
    ends = [i for i in (text.find(c, pos) for c in "，,；：:") if i >= 0]
    b = min(ends) if ends else len(text)
    return a, b


def _quote(doc: Document, s: Sentence, cand: Candidate) -> str | None:
    lo, hi = cand.start, cand.end
    if cand.status_span:
        lo, hi = min(lo, cand.status_span[0]), max(hi, cand.status_span[1])
    a, _ = _clause_bounds(s.text, lo)
    _, b = _clause_bounds(s.text, max(hi - 1, lo))
    body = s.text.rstrip("。！？；;!? ")
    b = min(max(b, hi), len(body))
    for qa, qb in ((a, b), (lo, hi), (cand.start, cand.end)):
        q = doc.quote(s.start + qa, s.start + qb, keep=(s.start + cand.start, s.start + cand.end))
        if q:
            return q
    return None


def _zone_for(s: Sentence, zone_names: dict[str, str | None], prefixes: tuple[str, ...] = ()) -> tuple[str | None, str | None]:
    """(zone as written, zone id) from the sentence's subject or its nearest zone heading.

    A heading that reads like a zone ("长春路-八一路经济发展轴：…") is the zone as written even
    when no zone of that exact name is known; the id is filled when a known zone's name matches.
    """
    for name in sorted(zone_names, key=len, reverse=True):
        if s.text.startswith((name, "——" + name)):
            return name, zone_names[name]
    for heading in reversed(s.headings):
        h = strip_numbering(heading)
        if h in zone_names:
            return h, zone_names[h]
        if zone_kind(h) and not _verbal(h) and len(h) <= 20:
            best = max(zone_names, key=lambda z: similar(z, h, prefixes), default=None)
            zid = zone_names[best] if best is not None and similar(best, h, prefixes) >= 86 else None
            return h, zid
    return None, None


def _industries(text: str, known: Known) -> list[str]:
    found = []
    for name, ind in sorted(known.industries.items(), key=lambda kv: -len(kv[0])):
        if len(name) >= 3 and name in text and ind not in found and not any(name in f for f in found):
            found.append(ind)
    return found


def build_draft(doc: Document, plan_id: str, known: Known, district: str | None = None) -> ExtractResult:
    """Every draft entry for ``doc`` as plan ``plan_id``; raises :class:`ExtractError` when there is nothing."""
    if not SLUG.match(plan_id):
        raise ExtractError(f"--plan {plan_id!r}: expected an ASCII slug like 'xigang-work-report-2017' ([a-z0-9-])")
    if plan_id in known.plans:
        raise ExtractError(f"--plan {plan_id}: the catalog already has this plan ({known.plans[plan_id].get('source_file')}): choose a new id")
    ids = Ids(known)
    ids.used["plans"] = {plan_id}
    plan = guess_plan(doc, plan_id, district)
    notes = list(doc.notes)

    # Layouts and zones first: mentions name their zone.
    layouts_out, zone_names = [], {}
    for layout in find_layouts(doc):
        lq = doc.quote(*layout.span, keep=layout.span) if layout.zones or layout.name else None
        if lq is None:
            continue
        entry = {
            "id": ids.new("layouts", f"{plan_id}-{slugify(layout.name, 24)}"), "plan": plan_id,
            "name_zh": layout.name, "name_en": english(layout.name),
            "cite": {"plan": plan_id, "section": layout.sentence.section, "quote": _sentence_quote(doc, layout.sentence, layout.span)},
            "review": "pending", "confidence": 0.6 if layout.zones else 0.4, "zones": [],
        }
        for z in layout.zones:
            zq = _sentence_quote(doc, z.sentence, z.span)
            if zq is None:
                continue
            zid = ids.new("zones", f"{plan_id}-{slugify(z.name, 24)}")
            entry["zones"].append({
                "id": zid, "name_zh": z.name, "name_en": english(z.name), "kind": z.kind,
                "industries": _industries(z.roles or "", known), "roles": z.roles,
                # The loader wants every zone drawn or a reason it is not (a zone file gone missing
                # must not pass silently): a new zone is not drawn yet.
                "unmapped_reason": "new in this document: not digitised yet",
                "cite": {"plan": plan_id, "section": z.sentence.section, "quote": zq},
                "proposed": {"rule": z.rule},
            })
            zone_names[z.name] = zid
        layouts_out.append(entry)
    for name, zones in known.zones.items():
        zone_names.setdefault(name, zones[-1]["id"])

    # Mentions, sentence by sentence: the rules first, then every sentence again for the names
    # the catalog and this document's own lists gave (a name once listed is found again).
    add_places([*known.streets, *known.zones, *(p.get("district") for p in known.plans.values()), plan["district"]])
    gazetteer = Gazetteer()
    for names_ in known.project_texts:
        gazetteer.add(*names_)
    first = {s.index: find_projects(s.text) for s in doc.sentences}
    for cands in first.values():
        for c in cands:
            if c.confidence >= 0.6 and c.rules and c.rules[0] != "shared head noun":
                gazetteer.add(c.name, c.name, "named elsewhere in the document")
                key = name_key(c.name, known.prefixes)
                if key != c.name and c.name.endswith(key):
                    gazetteer.add(key, c.name, "named elsewhere in the document")
    mentions: list[Mention] = []
    for s in doc.sentences:
        cands = find_again(s.text, first[s.index], gazetteer)
        for cand in cands:
            quote = _quote(doc, s, cand)
            if quote is None:
                notes.append(f"line {s.line}: {cand.name}: no verifiable quote ≤ 80 characters; left out")
                continue
            reading = read_status(cand.status_words, quote=quote, plan_kind=plan["kind"])
            zw, zid = _zone_for(s, zone_names, known.prefixes)
            ca, cb = _clause_bounds(s.text, cand.start)
            inv = rules.INVESTMENT.search(s.text, ca, cb) or (rules.INVESTMENT.search(s.text) if len(cands) == 1 else None)
            fields = {
                "plan": plan_id, "section": s.section, "status_words": cand.status_words,
                "year": sentence_year(s), "zone_as_written": zw, "zone": zid,
                "industries": _industries(quote, known), "investment": inv.group(0) if inv else None, "quote": quote,
                "confidence": round(cand.confidence, 2),
                "proposed": {
                    "name_as_written": cand.name, "status": reading.status,
                    **({"statement": reading.statement} if reading.statement else {}),
                    **({"target_status": reading.target_status} if reading.target_status else {}),
                    "rules": cand.rules, "line": s.line,
                },
            }
            mentions.append(Mention(cand, s, quote, fields))
    if not mentions:
        raise ExtractError(f"{doc.path}: no project found in {len(doc.sentences)} sentences: nothing written")

    # Group: catalog matches become mentions of catalog projects; the rest become new projects.
    projects_out, catalog_mentions, streets_out = [], [], {}
    groups: dict[str, list[Mention]] = {}
    matches = {}
    local = NameIndex(known.prefixes)
    for m in mentions:
        hit = known.projects.match(m.cand.name) or (known.projects.match(m.cand.alias) if m.cand.alias else None)
        if hit:
            matches[id(m)] = hit
            groups.setdefault(f"catalog:{hit.id}", []).append(m)
            continue
        own = local.match(m.cand.name)
        key = own.id if own else f"new:{name_key(m.cand.name, known.prefixes)}"
        local.add(key, m.cand.name)
        groups.setdefault(key, []).append(m)

    for key, ms in groups.items():
        if key.startswith("catalog:"):
            pid = key.split(":", 1)[1]
            for m in ms:
                hit = matches[id(m)]
                catalog_mentions.append({
                    "project": pid, "review": "pending",
                    "match": {"by": hit.by, "name": hit.name, "score": hit.score, "catalog_name": known.project_names.get(pid)},
                    **m.fields,
                    "confidence": round(min(m.fields["confidence"], hit.score / 100) if hit.by == "fuzzy" else m.fields["confidence"], 2),
                })
            continue
        names = [m.cand.name for m in ms]
        name = max(set(names), key=lambda n: (names.count(n), len(n)))
        aliases = sorted({n for n in names if n != name} | {m.cand.alias for m in ms if m.cand.alias})
        street_ids = []
        for street in dict.fromkeys(st for n in [name, *aliases] for st in find_streets(n)):
            sid = known.streets.get(street)
            if sid is None:
                if street not in streets_out:
                    src = next(m for m in ms if street in m.cand.name or street in (m.cand.alias or ""))
                    streets_out[street] = {
                        "id": ids.new("streets", slugify(street)), "name_zh": street, "name_en": _street_en(street),
                        "district": plan["district"],
                        "cite": {"plan": plan_id, "section": src.sentence.section, "quote": src.quote if street in src.quote else street},
                        "review": "pending", "confidence": 0.5,
                    }
                sid = streets_out[street]["id"]
            street_ids.append(sid)
        kinds = [m.cand.kind for m in ms if m.cand.kind != "other"]
        projects_out.append({
            "id": ids.new("projects", slugify(re.sub(r"(项目|工程)$", "", name))),
            "name_zh": name, "name_en": None, "aliases": aliases,
            "alias_note": ("names as written in this document; judged the same site by their normal form" if aliases else None),
            "kind": max(set(kinds), key=kinds.count) if kinds else "other",
            "district": plan["district"], "industries": [], "streets": street_ids,
            "review": "pending",
            "confidence": round(max(m.fields["confidence"] for m in ms), 2),
            "mentions": [m.fields for m in ms],
        })

    plan_entry = {**plan, "review": "pending", "confidence": 0.5}
    draft = {"plans": [plan_entry]}
    if layouts_out:
        draft["layouts"] = layouts_out
    if streets_out:
        draft["streets"] = list(streets_out.values())
    if projects_out:
        draft["projects"] = projects_out
    if catalog_mentions:
        draft["mentions"] = catalog_mentions
    counts = {
        "sentences": len(doc.sentences), "mentions": len(mentions), "new projects": len(projects_out),
        "mentions of catalog projects": len(catalog_mentions), "layouts": len(layouts_out),
        "zones": sum(len(l["zones"]) for l in layouts_out), "new streets": len(streets_out),
    }
    return ExtractResult(draft, notes, counts, document=doc)


def _sentence_quote(doc: Document, s: Sentence, span: tuple[int, int]) -> str | None:
    return doc.quote(s.start, s.end if s.text[-1:] not in "。；;！？" else s.end - 1, keep=span)


def _street_en(name: str) -> str:
    for zh, en in (("大街", "Street"), ("大道", "Avenue"), ("路", "Road"), ("街", "Street"), ("巷", "Lane")):
        if name.endswith(zh):
            return f"{english(name[: -len(zh)]).replace(' ', '')} {en}"
    return english(name)


def extract(document: Path, plan_id: str, catalog_dir: Path, district: str | None = None) -> ExtractResult:
    """Read ``document`` and draft its catalog entries against the catalog in ``catalog_dir``."""
    t0 = time.perf_counter()
    doc = read_document(Path(document))
    known = read_known(catalog_dir)
    result = build_draft(doc, plan_id, known, district)
    result.seconds = time.perf_counter() - t0
    return result


def dump_draft(draft: dict, header: str = "") -> str:
    """The draft as YAML text (UTF-8, keys in catalog order)."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    body = yaml.dump(draft, Dumper=dumper, allow_unicode=True, sort_keys=False, width=140, default_flow_style=False)
    return header + body


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that the file is either the old one or the whole new one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_draft(path: Path, result: ExtractResult, plan_id: str) -> None:
    """Write the draft file atomically, with its header comment."""
    header = HEADER.format(source=result.draft["plans"][0]["source_file"], plan=plan_id, name=Path(path).name)
    write_atomic(path, dump_draft(result.draft, header))

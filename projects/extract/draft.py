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
from pypinyin.constants import PHRASES_DICT
from pypinyin.seg.mmseg import seg as _pinyin_seg

from geo.records import SLUG
from projects.dataset import normalise_text
from projects.extract import rules
from projects.extract.errors import ExtractError
from projects.extract.known import Known, read_known
from projects.extract.match import NameIndex, name_key, similar
from projects.extract.names import Candidate, Gazetteer, find_again, find_projects, is_local_name
from projects.extract.segment import add_places
from projects.extract.places import find_layouts, find_streets, strip_numbering, zone_in_heading, zone_kind, zone_subject
from projects.extract.statuses import read_status
from projects.extract.text import MAX_QUOTE, Document, Sentence, read_document

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
    linked_zones: list[str] = field(default_factory=list)  # zones found in the text that the catalog has


def syllables(text: str) -> list[str]:
    """Pinyin syllables of a name: pypinyin's phrase dictionary where a phrase covers a character,
    else the reading the character has in place names (rules.PLACE_READINGS: 黑咀子 → hei zui zi,
    长白街 → chang bai jie; pypinyin alone reads ju, zhang)."""
    out: list[str] = []
    for part in _pinyin_seg.cut(text):
        if len(part) == 1 and part in rules.PLACE_READINGS and part not in PHRASES_DICT:
            out.append(rules.PLACE_READINGS[part])
        else:
            out.extend(lazy_pinyin(part, errors=lambda s: [s]))
    return out


def slugify(text: str, limit: int = 48) -> str:
    """An ASCII id from a Chinese name (pinyin syllables joined by '-')."""
    parts = []
    for syl in syllables(text):
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
    """A placeholder for a required English name, for the reviewer to improve: the common words
    translated (rules.ENGLISH_WORDS; kinds of place only at the end: 星海湾 stays Xinghaiwan), the
    rest in pinyin, one word per run of untranslated words ("黑咀子码头" → "Heizuizi Wharf")."""
    from projects.extract.segment import tokens

    if re.search(r"[-—－]", text):
        return "-".join(english(part) for part in re.split(r"[-—－]+", text) if part)
    toks = [t.word for t in tokens(text)]
    words: list[str] = []
    run = ""
    i = 0
    while i < len(toks):
        for j in range(min(len(toks), i + 3), i, -1):
            word = "".join(toks[i:j])
            if word in rules.ENGLISH_WORDS and (j == len(toks) or word not in rules.ENGLISH_KINDS_AT_END):
                if run:
                    words.append(run[:1].upper() + run[1:])
                    run = ""
                words.append(rules.ENGLISH_WORDS[word])
                i = j
                break
        else:
            tok = toks[i]
            kind = next((k for k in sorted(rules.ENGLISH_KINDS_AT_END, key=len, reverse=True)
                         if i == len(toks) - 1 and tok.endswith(k) and len(tok) > len(k)), None)
            if kind:  # "金普新区" is one word for jieba: Jinpu New Area
                toks[i:i + 1] = [tok[: -len(kind)], kind]
                continue
            run += re.sub(r"[^A-Za-z0-9·]+", "", "".join(syllables(tok)))
            i += 1
    if run:
        words.append(run[:1].upper() + run[1:])
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
    # The title is a short line above the text ("2018年大连市政府工作报告（全文）"); a title in 《》
    # further down names another document more often than this one.
    first = doc.sentences[0].start if doc.sentences else len(doc.text)
    top = [l.strip() for l in doc.text[:first].split("\n") if l.strip()]
    title = None
    for i, line in enumerate(top):
        line = re.sub(r"[（(]全文[）)]$", "", line)
        if re.search(r"规划|纲要|报告|计划|方案", line) and len(line) <= 60 and not re.search(r"[，,。；>]", line):
            prev = top[i - 1] if i else ""
            joins = prev and len(prev) <= 24 and not re.search(r"[，,。；：:>]", prev) and not re.search(r"\d{4}年|日期", prev)
            title = prev + line if joins and not re.search(r"规划|纲要|报告", prev) else line
            inner = re.search(r"《([^《》]{4,60})》", title)
            title = inner.group(1) if inner else title  # 关于印发《…规划纲要》的通知
            break
    if title is None:
        quoted = re.search(r"《([^《》]{4,60}(?:规划|纲要|报告|计划|方案)[^《》]{0,10})》", joined)
        title = quoted.group(1) if quoted else (head[0] if head else doc.path.stem)
    m = re.search(r"(大连市)?([\u4e00-\u9fff]{2,4}区)", " ".join(head[:5]))
    if district is None:
        district = m.group(2) if m and m.group(2) not in ("城区", "市区", "社区") else ("大连市" if "大连市" in title else None)
    date = None
    # The date above the text, or a date standing on a line of its own (a notice's signature).
    date_re = r"((?:19|20)\d{2})(?:年|-)(\d{1,2})(?:月|-)(\d{1,2})日?"
    dm = re.search(date_re, "\n".join(top)) or next(
        (m for line in head if (m := re.fullmatch(rf"(?:发布日期[:：])?{date_re}", line))), None)
    if dm:
        date = f"{int(dm.group(1)):04d}-{int(dm.group(2)):02d}-{int(dm.group(3)):02d}"
    ym = re.search(r"((?:19|20)\d{2})年", title)
    year = int(ym.group(1)) if ym else (int(dm.group(1)) if dm else None)
    if "工作报告" in title or "政府工作报告" in doc.text[:200]:
        kind = "work_report"
    elif re.search(r"国民经济和社会发展|五年规划纲要", title):
        kind = "five_year_plan"
    else:
        kind = "sector_plan"
    period = None
    pm = re.search(r"((?:19|20)\d{2})\s*[-—–至]\s*((?:19|20)\d{2})", doc.text[:3000])
    if kind != "work_report" and _fyp_period(title):
        period = _fyp_period(title)
    elif pm and kind != "work_report":
        period = f"{pm.group(1)}-{pm.group(2)}"
    if year is not None and date is not None:
        period = None  # data/README.md: a period only for a plan that gives no date
    kind_en = {"work_report": "Government Work Report", "five_year_plan": "Five-Year Plan", "sector_plan": "Sector Plan"}[kind]
    place = "Dalian" if district in (None, "大连市") else f"{english(district[:-1]).replace(' ', '')} District"
    return {
        "id": plan_id, "title_zh": title, "title_en": f"{place} {kind_en}" + (f" ({year})" if year else ""),
        "district": district or "大连市", "date": date, "year": year, "period": period, "kind": kind,
        "source_file": doc.path.name,
    }


_FYP = re.compile(r"第?([一二三四五六七八九十]{1,3})(?:个五年|五)")
_REVIEW_HEADING = re.compile(r"回顾|成效|成就|成果|发展基础|过去|完成情况|荣誉|情况$")


def _fyp_period(title: str) -> str | None:
    """The years of the n-th five-year plan a title names: 1951+5n … 1955+5n (十三五: 2016-2020)."""
    m = _FYP.search(title or "")
    n = _cn_number(m.group(1)) if m else None
    return f"{1951 + 5 * n}-{1955 + 5 * n}" if n else None


def _cn_number(text: str) -> int | None:
    """十三 → 13, 十四 → 14, 九 → 9."""
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")}
    if text.startswith("十"):
        return 10 + (digits.get(text[1:], 0) if text[1:] else 0)
    if "十" in text:
        a, b = text.split("十", 1)
        return digits.get(a, 0) * 10 + (digits.get(b, 0) if b else 0)
    return digits.get(text)


def propose_parts(doc: Document, plan: dict) -> list[dict]:
    """The parts of the document, one per top-level section: ``review`` (a look back: 回顾, 成效,
    发展基础, 完成情况 …) or ``plan`` (tasks), with the year a review's facts hold by and a plan's
    targets aim at. ``projects.status.classify`` reads a mention as a fact or a target by its part."""
    year = plan.get("year")
    period = plan.get("period") or (_fyp_period(plan.get("title_zh")) if plan.get("kind") != "work_report" else None)
    start, end = (int(y) for y in period.split("-")) if period else (None, None)
    parts, seen = [], set()
    for s in doc.sentences:
        # Sentences above the first heading are cited under the document's title (section_of).
        top = s.headings[0] if s.headings else plan.get("title_zh")
        if not top or top in seen:
            continue
        seen.add(top)
        stated = rules.YEAR.search(top)
        if _REVIEW_HEADING.search(top):
            kind = "review"
            when = int(stated.group(1)) if stated else (start - 1 if start else (year - 1 if year else None))
        else:
            kind = "plan"
            if stated:
                when = int(stated.group(1))
            elif end:
                when = end
            elif re.search(r"今后五年|五年", top) and year:
                when = year + 4
            else:
                when = year
        parts.append({"section": top, "part": kind, "year": when})
    return parts


def part_of(parts: list[dict], section: str | None) -> str | None:
    """The part (review | plan) a section belongs to: the first part its name starts with."""
    return next((p["part"] for p in parts if (section or "").startswith(p["section"])), None)


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


def _zone_for(s: Sentence, zone_names: dict[str, str | None], prefixes: tuple[str, ...] = (),
              paragraph_zone: tuple[str, str | None] | None = None, project: str | None = None) -> tuple[str | None, str | None]:
    """(zone as written, zone id), in this order: the sentence's subject ("马栏片区要…"), the subject
    of its paragraph (a later sentence of "星海湾金融商务区要…。推动保华金融中心…"), its nearest zone
    heading, a zone's name the project's name starts with (长兴岛石化产业基地 → 长兴岛).

    A subject or heading that reads like a zone ("长春路-八一路经济发展轴：…") is the zone as written
    even when no zone of that name is known; the id is filled when a known zone's name matches.
    """
    for name in sorted(zone_names, key=len, reverse=True):
        if s.text.startswith((name, "——" + name)):
            return name, zone_names[name]
    subject = zone_subject(s.text)
    if subject and subject[0] != project:
        return subject[0], _zone_id(subject[0], zone_names, prefixes)
    if paragraph_zone:
        return paragraph_zone
    for heading in reversed(s.headings):
        h = strip_numbering(heading)
        if h in zone_names:
            return h, zone_names[h]
        h = zone_in_heading(heading)
        if h:
            return h, _zone_id(h, zone_names, prefixes)
    if project:
        for name in sorted(zone_names, key=len, reverse=True):
            if len(name) >= 2 and project.startswith(name) and len(project) > len(name) + 1:
                return name, zone_names[name]
    return None, None


def _zone_id(name: str, zone_names: dict[str, str | None], prefixes: tuple[str, ...]) -> str | None:
    """The id of the known or drafted zone a zone's name (as written) matches, or None."""
    if name in zone_names:
        return zone_names[name]
    best = max(zone_names, key=lambda z: similar(z, name, prefixes), default=None)
    return zone_names[best] if best is not None and similar(best, name, prefixes) >= 86 else None


def _known_here(known: Known, district: str | None) -> dict[str, dict]:
    """The catalog's zones (name → entries) and layouts (name → entries) of ``district`` and of
    the whole city: the ones a document of that district may name."""
    def here(entry) -> bool:
        d = (known.plans.get(entry.get("plan")) or {}).get("district")
        return d in (district, "大连市") or district in (None, "大连市")

    zones = {n: [z for z in zs if here(z)] for n, zs in known.zones.items()}
    layouts = {n: [la for la in ls if here(la)] for n, ls in known.layouts.items()}
    return {"zones": {n: zs for n, zs in zones.items() if zs}, "layouts": {n: ls for n, ls in layouts.items() if ls}}


def _is_zone(name: str, zone_names: dict[str, str | None]) -> bool:
    """A name that is a zone of a layout (this document's or the catalog's) and reads like one
    (…商业区, …片区, …街道); a street zone (…文化街) may be a project as well."""
    plain = name.strip("“”\"")
    return plain in zone_names and zone_kind(plain) not in (None, "street_zone")


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
    parts = propose_parts(doc, plan)
    plan["parts"] = parts
    notes = list(doc.notes)

    # Layouts and zones first: mentions name their zone. Zones and layouts the catalog already has
    # for this district (or the whole city) are not proposed again: mentions name the known ones.
    here = _known_here(known, plan["district"])
    zone_names: dict[str, str | None] = {name: zones[-1]["id"] for name, zones in here["zones"].items()}
    layouts_out, linked = [], []
    for layout in find_layouts(doc):
        lq = doc.quote(*layout.span, keep=layout.span) if layout.zones or layout.name else None
        if lq is None:
            continue
        new_zones = [z for z in layout.zones if z.name not in here["zones"]]
        linked.extend(z.name for z in layout.zones if z.name in here["zones"])
        if layout.name in here["layouts"] or (layout.zones and not new_zones):
            continue  # the catalog has this layout (the 2016 report's 一轴六区 is the 13th plan's)
        entry = {
            "id": ids.new("layouts", f"{plan_id}-{slugify(layout.name, 24)}"), "plan": plan_id,
            "name_zh": layout.name, "name_en": english(layout.name),
            "cite": {"plan": plan_id, "section": layout.sentence.section, "quote": _sentence_quote(doc, layout.sentence, layout.span)},
            "review": "pending", "confidence": 0.6 if layout.zones else 0.4, "proposed": {"rule": layout.rule}, "zones": [],
        }
        for z in new_zones:
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
                if c.alias:  # "…激光科学研究装置——“大连光源”": found again by its other name
                    gazetteer.add(f"“{c.alias}”", c.name, "named elsewhere in the document")
                key = name_key(c.name, known.prefixes)
                if key != c.name and c.name.endswith(key):
                    gazetteer.add(key, c.name, "named elsewhere in the document")
    mentions: list[Mention] = []
    paragraph: dict[int, tuple[str, str | None]] = {}  # line → the zone its paragraph is about
    for s in doc.sentences:
        subject = zone_subject(s.text)
        if subject:  # a new subject ends the last one's paragraph topic
            paragraph.pop(s.line, None)
        if subject and subject[1]:
            paragraph[s.line] = (subject[0], _zone_id(subject[0], zone_names, known.prefixes))
        cands = find_again(s.text, first[s.index], gazetteer)
        for cand in cands:
            if _is_zone(cand.name, zone_names):
                continue  # "新开路金融商业区" is one of the layout's zones: it is drafted as a zone
            quote = _quote(doc, s, cand)
            if quote is None:
                notes.append(f"line {s.line}: {cand.name}: no verifiable quote ≤ 80 characters; left out")
                continue
            reading = read_status(cand.status_words, quote=quote, plan_kind=plan["kind"], part=part_of(parts, s.section))
            zw, zid = _zone_for(s, zone_names, known.prefixes, paragraph.get(s.line), cand.name)
            ca, cb = _clause_bounds(s.text, cand.start)
            inv = rules.INVESTMENT.search(s.text, ca, cb) or (rules.INVESTMENT.search(s.text) if len(cands) == 1 else None)
            fields = {
                "plan": plan_id, "section": s.section or plan["title_zh"], "status_words": cand.status_words,
                "year": sentence_year(s), "zone_as_written": zw, "zone": zid,
                "industries": _industries(quote, known), "investment": inv.group(0) if inv else None, "quote": quote,
                "confidence": round(cand.confidence, 2),
                "proposed": {
                    "name_as_written": cand.name, "status": reading.status,
                    **({"statement": reading.statement} if reading.statement else {}),
                    **({"target_status": reading.target_status} if reading.target_status else {}),
                    **({"status_rule": reading.reason} if reading.reason else {}),
                    "rules": cand.rules, "line": s.line,
                    # The whole sentence, for the reviewer, when the quote is only part of it.
                    **({"sentence": s.text} if normalise_text(s.text) != normalise_text(quote) else {}),
                },
            }
            mentions.append(Mention(cand, s, quote, fields))
    if not mentions:
        raise ExtractError(f"{doc.path}: no project found in {len(doc.sentences)} sentences (is it a plan document?)")

    # Group: catalog matches become mentions of catalog projects; the rest become new projects.
    projects_out, catalog_mentions, streets_out = [], [], {}
    groups: dict[str, list[Mention]] = {}
    matches = {}
    local = NameIndex(known.prefixes)
    for m in mentions:
        hit = (known.projects.match(m.cand.name, plan["district"], is_local_name(m.cand.name))
               or (known.projects.match(m.cand.alias, plan["district"], is_local_name(m.cand.alias)) if m.cand.alias else None))
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
        near = next(filter(None, (known.projects.near(n, plan["district"]) for n in [name, *aliases])), None)
        projects_out.append({
            "id": ids.new("projects", slugify(re.sub(r"(项目|工程)$", "", name))),
            "name_zh": name, "name_en": None, "aliases": aliases,
            "alias_note": ("names as written in this document; judged the same site by their normal form" if aliases else None),
            "kind": max(set(kinds), key=kinds.count) if kinds else "other",
            "district": plan["district"], "industries": [], "streets": street_ids,
            "review": "pending",
            "confidence": round(max(m.fields["confidence"] for m in ms), 2),
            # The closest catalog project below the match threshold: the reviewer may know better.
            **({"proposed": {"near": {"project": near.id, "name": near.name, "score": near.score}}} if near else {}),
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
    return ExtractResult(draft, notes, counts, document=doc, linked_zones=sorted(set(linked)))


def _sentence_quote(doc: Document, s: Sentence, span: tuple[int, int]) -> str | None:
    """The sentence, or when it is too long the clauses around ``span`` (cleaned-text offsets)."""
    end = s.end if s.text[-1:] not in "。；;！？" else s.end - 1
    q = doc.quote(s.start, end, keep=span) if end - s.start <= MAX_QUOTE else None
    if q is None:
        a, _ = _clause_bounds(s.text, max(0, span[0] - s.start))
        _, b = _clause_bounds(s.text, max(0, span[1] - s.start - 1))
        q = doc.quote(s.start + a, min(s.start + b, end), keep=span)
    return q or doc.quote(s.start, end, keep=span)


def _street_en(name: str) -> str:
    for zh, en in (("大街", "Street"), ("大道", "Avenue"), ("路", "Road"), ("街", "Street"), ("巷", "Lane")):
        if name.endswith(zh):
            return f"{english(name[: -len(zh)])} {en}"
    return english(name)


def extract(document: Path, plan_id: str, catalog_dir: Path, district: str | None = None,
            replacing: Path | None = None) -> ExtractResult:
    """Read ``document`` and draft its catalog entries against the catalog in ``catalog_dir``.

    ``replacing``: the draft file the result will replace, left out of the catalog read.
    """
    t0 = time.perf_counter()
    doc = read_document(Path(document))
    known = read_known(catalog_dir, replacing=replacing)
    result = build_draft(doc, plan_id, known, district)
    result.seconds = time.perf_counter() - t0
    return result


def dump_draft(draft: dict, header: str = "") -> str:
    """The draft as YAML text (UTF-8, keys in catalog order)."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    body = yaml.dump(draft, Dumper=dumper, allow_unicode=True, sort_keys=False, width=140, default_flow_style=False)
    return header + body


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that the file is either the old one or the whole new one.

    The new file keeps the old one's permissions (else the usual ones for a new file, not the
    temporary file's 0600); a folder that cannot be written raises ExtractError naming it.
    """
    path = Path(path)
    check_writable(path)
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        raise ExtractError(f"{path}: cannot write it ({exc.strerror or exc})") from None
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)


def check_writable(path: Path) -> None:
    """Raise ExtractError unless ``path`` can be written: not a folder, in a folder one may write."""
    path = Path(path)
    if path.is_dir():
        raise ExtractError(f"{path} is a folder: expected a file name such as {path / 'draft.yaml'}")
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent  # the first folder that exists is the one a new one is made in
    if not folder.is_dir():
        raise ExtractError(f"{path}: {folder} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExtractError(f"{path}: the folder {folder} is not writable (permission denied)")
    if path.exists() and not os.access(path, os.W_OK) and not os.access(path.parent, os.W_OK):
        raise ExtractError(f"{path}: not writable (permission denied)")


def write_draft(path: Path, result: ExtractResult, plan_id: str) -> None:
    """Write the draft file atomically, with its header comment."""
    header = HEADER.format(source=result.draft["plans"][0]["source_file"], plan=plan_id, name=Path(path).name)
    write_atomic(path, dump_draft(result.draft, header))

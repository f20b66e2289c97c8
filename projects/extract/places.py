"""Spatial layouts, zones and streets a document names ("一轴六区", "X区：重点发展…", …路/街).

Zones are found by several rules (each one a pattern plan documents use), then given to a layout
once the whole document has been read — a part ("六区") may be defined before the layout's name
("一轴六区") is given, and two layouts may share a part ("一轴八区", "一轴六区"):

- a part's definition: "“六区”是指A、B、C", "“一轴”是以长春路为核心轴线";
- a run-in heading that is a zone's name: "站北商贸商务文化区：突出发展…", "——香炉礁国际商贸物流区。";
- a subject under a heading that names a part: "1.推动两区连通" … "星海湾金融商务区和西安路商务商贸区是…";
- "马栏、南沙、李家、春柳和中山公园五个片区";
- clause subjects in the paragraph that names a layout: "在“一湾两域五区”功能布局基础上…。一二九街国际商务区列入…";
- a list of areas ("金普新区、高新区、长兴岛、花园口、旅顺开发区等…"): a layout the reviewer names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from projects.extract import rules
from projects.extract.text import Document, Sentence

_NUMBERING = re.compile(
    r"^(?:——|第[一二三四五六七八九十百\d]+[章节篇部]\s*|[（(][一二三四五六七八九十\d]{1,3}[）)]\s*|[一二三四五六七八九十\d]{1,3}[、.．]\s*)+")
_PART = re.compile(rf"([{rules._NUM}\d]+)({rules.LAYOUT_PART_NOUNS})")
_SUBJECT = re.compile(r"^(?:——)?(?:[一二三四五六七八九十]是)?(?P<names>[\u4e00-\u9fff“”\-—、和]{2,40}?)(?:要|将|应|是|：|:|，|,|。|列入|迈进|进入)")
_BIG_N = re.compile(r"(?P<items>(?:[\u4e00-\u9fff]{2,5}[、和])+[\u4e00-\u9fff]{2,5})[“\"](?P<layout>[一二三四五六七八九十两]大(?P<noun>商圈|片区|功能区|板块|园区|组团))[”\"]")


@dataclass
class ZoneProposal:
    name: str
    kind: str
    layout: str | None  # the layout name it belongs to, as written
    sentence: Sentence
    span: tuple[int, int]  # of the name, in the cleaned text
    roles: str | None = None
    rule: str = ""
    part: str | None = None  # the layout part it belongs to ("六区"), when the text says
    group: str | None = None  # the top heading it stands under (parts of one layout share it)


@dataclass
class LayoutProposal:
    name: str
    sentence: Sentence
    span: tuple[int, int]
    zones: list[ZoneProposal] = field(default_factory=list)
    rule: str = "named layout"


def zone_kind(name: str) -> str | None:
    """The zone kind a name's ending suggests, or None when it does not end like a zone."""
    for suffix, kind in rules.ZONE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return kind
    return None


def strip_numbering(heading: str) -> str:
    """A heading without its number: "二、重点建设六区" → "重点建设六区", "第五章 …" → "…"."""
    return _NUMBERING.sub("", heading).strip("。：: ")


def layout_parts(name: str) -> list[str]:
    """The parts of a layout's name: "两区五片一湾线" → ["两区", "五片", "一湾线"]."""
    return [m.group(0) for m in _PART.finditer(name)]


def _part_in(text: str, parts: list[str]) -> str | None:
    """The layout part a heading names: "推动两区连通" → "两区", "提升湾线功能" → "一湾线"."""
    for part in parts:
        noun = _PART.match(part).group(2)
        if part in text or (len(noun) >= 2 and noun in text):
            return part
    return None


def _zone_name(text: str) -> str | None:
    """The longest start of ``text`` that ends like a zone ("新机场商务区基础设施" → 新机场商务区)."""
    text = text.strip("“”\" ")
    for end in range(len(text), 2, -1):
        head = text[:end]
        if zone_kind(head) and not _verbal(head):
            return head
    return None


def _area_like(item: str) -> str | None:
    """A list item that names an area: a zone-like name, a district or island, a bay."""
    name = _zone_name(item)
    if name:
        return name
    item = item.strip("“”\" ")
    if item in rules.ADMIN_PLACES or (2 <= len(item) <= 4 and item.endswith(("湾", "岛", "港"))):
        return item
    return None


def find_layouts(doc: Document) -> list[LayoutProposal]:
    """Layouts and their zones, in document order (first mention of each name wins)."""
    layouts: dict[str, LayoutProposal] = {}
    mentioned: dict[str, list[int]] = {}  # layout → sentence indexes that name it
    layout_lines: dict[int, tuple[str, int]] = {}  # paragraph line → (layout named there, sentence index)
    zones: dict[tuple, ZoneProposal] = {}  # (name, layout, part) → zone: one name may be in two layouts
    current: LayoutProposal | None = None
    current_seen = -1

    defined_parts: list[str] = []  # parts defined before their layout is named ("“六区”是指…")

    def add_zone(name, s, a, b, rule, layout=None, part=None, roles=None, weak=False):
        if name.startswith("“") and name.endswith("”") or name.count("“") != name.count("”"):
            name = name.strip("“”")
        name = name.strip("\"")
        kind = zone_kind(name) or ("city_area" if rule == "list of areas" else None)
        key = (name, layout, part)
        if kind is None or key in zones or len(name) > 20 or len(name) < 2 or _verbal(name):
            return
        if (weak or (layout is None and part is None)) and any(k[0] == name for k in zones):
            return  # a zone already placed by a rule that says more
        group = s.headings[0] if s.headings else None
        zones[key] = ZoneProposal(name, kind, layout, s, (a, b), roles, rule, part, group)

    def find(name, s, start=0):
        a = doc.text.find(name, s.start + start, s.end)
        return (a, a + len(name)) if a >= 0 else (s.start, s.start)

    for s in doc.sentences:
        for m in rules.LAYOUT_NAME.finditer(s.text):
            name = m.group(1).rstrip("、，,")
            if name not in layouts:
                layouts[name] = LayoutProposal(name, s, (s.start + m.start(1), s.start + m.start(1) + len(name)))
            mentioned.setdefault(name, []).append(s.index)
            layout_lines.setdefault(s.line, (name, s.index))
            current, current_seen = layouts[name], s.index
        all_parts = [*defined_parts, *(p for n in layouts for p in layout_parts(n))]

        # "“六区”是指A、B、C", "“一轴”是以长春路为核心轴线"
        m = rules.LAYOUT_PART.search(s.text)
        if m:
            part = m.group(1)
            defined_parts.append(part)
            for member in re.split(r"[、，,]|和", m.group("members").split("。")[0]):
                member = re.sub(r"^以(.+?)为(.+)$", r"\1\2", member.strip())  # 以长春路为核心轴线 → 长春路核心轴线
                member = re.sub(r"^(.+?)为(.{2,6}(?:轴线|轴))$", r"\1\2", member)
                if member:
                    a, b = find(member.split("为")[0], s, m.start("members"))
                    add_zone(member, s, a, b, f"“{part}”是…", part=part)

        heading_part = next((p for h in reversed(s.headings[-2:]) if (p := _part_in(strip_numbering(h), all_parts))), None)

        # A run-in heading that is a zone's name
        if s.runin and s.text.startswith((s.runin, "——" + s.runin)):
            m = rules.ZONE_DEFINITION.match(s.text)
            role = m.group("role") if m and m.group("name") == s.runin else None
            parent = strip_numbering(s.headings[-2]) if len(s.headings) >= 2 else None
            a = s.start + s.text.find(s.runin)
            owner, weak = None, False
            if heading_part is None:
                near = current is not None and 0 <= s.index - current_seen <= 25
                if parent and _layout_like(parent) and not (near and _part_in(parent, layout_parts(current.name))):
                    owner = parent  # "2、承载街道" → 八一路街道：…
                elif near and zone_kind(s.runin):
                    owner, weak = current.name, True
                elif current and role:  # a zone defined by its role belongs to the last layout named
                    owner, weak = current.name, True
            add_zone(s.runin, s, a, a + len(s.runin), "run-in heading", owner, heading_part,
                     roles=role.split("，")[0] if role else None, weak=weak)

        # "星海湾金融商务区和西安路商务商贸区是…" under "1.推动两区连通"
        if heading_part:
            m = _SUBJECT.match(s.text)
            if m and not _verbal(m.group("names")):
                for name in re.split(r"[、和]", m.group("names")):
                    zn = _zone_name(name)
                    if zn and zn == name.strip("“”"):
                        a, b = find(zn, s)
                        add_zone(zn, s, a, b, "subject under a part's heading", part=heading_part)

        # "马栏、南沙、李家、春柳和中山公园五个片区"
        m = re.search(r"((?:[\u4e00-\u9fff]{2,6}[、和])+[\u4e00-\u9fff]{2,6})([一二三四五六七八九十两\d]+)个(片区|街道|商圈|功能区)", s.text)
        if m:
            for item in re.split(r"[、和]", m.group(1)):
                a, b = find(item, s)
                add_zone(item + m.group(3), s, a, b, f"…{m.group(2)}个{m.group(3)}",
                         layout=None if heading_part else (current.name if current else None), part=heading_part)

        # Clause subjects in the paragraph that names a layout (after the name)
        named_here = layout_lines.get(s.line)
        if named_here and s.index >= named_here[1]:
            for clause in re.split(r"[，,；;]", s.text):
                name = _zone_name(clause[:24])
                if name and not rules.LAYOUT_NAME.search(name) and not re.search(r"[、和与及]", name):
                    a, b = find(name, s)
                    add_zone(name, s, a, b, "subject in the layout's paragraph", layout=named_here[0])

        # "香炉礁、站北和奥林匹克“三大商圈”": a layout of its own, its members named before it
        for m in _BIG_N.finditer(s.text):
            noun = m.group("noun")
            layouts.setdefault(m.group("layout"), LayoutProposal(m.group("layout"), s, (s.start + m.start("layout"), s.start + m.end("layout"))))
            mentioned.setdefault(m.group("layout"), []).append(s.index)
            for item in re.split(r"[、和]", m.group("items")):
                item = item.strip()
                a, b = find(item, s)
                add_zone(item + noun, s, a, b, f"…“{m.group('layout')}”", layout=m.group("layout"))

        # "金普新区、高新区、长兴岛、花园口、旅顺开发区等…": a list of areas
        for clause in re.split(r"[，,；;：:]", s.text):
            items = [re.sub(r"^(?:完善|推进|加快|深化|支持|依托|推动|建设|以|在)", "", it) for it in re.split(r"[、]", clause)]
            if len(items) < 3:
                continue
            items[-1] = re.split(r"等", items[-1])[0]
            names = [_area_like(it) for it in items]
            if sum(1 for n in names if n) * 3 >= len(items) * 2:
                for it, n in zip(items, names):
                    name = n or it.strip()
                    if 2 <= len(name) <= 12 and not re.search(r"[的了着]", name):
                        a, b = find(name, s)
                        add_zone(name, s, a, b, "list of areas", layout=rules.AREA_LIST_LAYOUT, weak=True)

    # Each zone to its layout, now that every layout is known.
    parts_by_group: dict[str | None, set[str]] = {}
    for z in zones.values():
        if z.part:
            parts_by_group.setdefault(z.group, set()).add(z.part)
    for z in zones.values():
        if z.layout is None and z.part:
            z.layout = _owner_of_part(z, layouts, mentioned, parts_by_group.get(z.group, set()))
        if z.layout is None:
            continue
        if z.layout not in layouts:
            rule = "a list of areas the reviewer names" if z.layout == rules.AREA_LIST_LAYOUT else "heading of zones"
            layouts[z.layout] = LayoutProposal(z.layout, z.sentence, z.span, rule=rule)
        if all(other.name != z.name for other in layouts[z.layout].zones):
            layouts[z.layout].zones.append(z)
    return list(layouts.values())


def _owner_of_part(z: ZoneProposal, layouts: dict[str, LayoutProposal], mentioned: dict[str, list[int]],
                   group_parts: set[str]) -> str | None:
    """The layout a part belongs to: the one naming most of the parts read under the same top
    heading ("一轴" and "六区" → 一轴六区, not 一轴八区), the nearest one on a tie."""
    candidates = [n for n in layouts if z.part in layout_parts(n) or z.part in n]
    if not candidates:
        return None

    def key(name):
        shared = sum(1 for p in group_parts if p in layout_parts(name))
        distance = min((abs(i - z.sentence.index) for i in mentioned.get(name, [])), default=10**6)
        return (-shared, distance)

    return min(candidates, key=key)


_PART_END = re.compile(rf"[{rules._NUM}]+(?:{rules.LAYOUT_PART_NOUNS})$")


def zone_subject(text: str) -> tuple[str, bool] | None:
    """The zone a sentence is about, when it opens with one: (name, whether it sets the topic of
    the sentences after it). "马栏片区要…" does (the paragraph then lists the zone's tasks);
    "一二九街国际商务区列入…" speaks of itself only; "A片区、B商业区进入…" lists things, no topic.
    """
    m = _SUBJECT.match(text)
    if not m or _verbal(m.group("names")) or "、" in m.group("names"):
        return None
    first = re.split(r"和", m.group("names"))[0]
    name = _zone_name(first)
    if not name or name != first.strip("“”"):
        return None
    return name, text[m.end() - 1:m.end()] in "要将应：:"


def zone_in_heading(heading: str) -> str | None:
    """The zone a heading names, its number and its verbs left out ("一、联动发展长春路及八一路经济
    发展轴" → 长春路及八一路经济发展轴); None for a task ("全力建设六个功能区")."""
    from projects.extract.segment import tokens

    h = strip_numbering(heading)
    toks = tokens(h)
    start = 0
    for t in toks:
        if t.flag[:1] in ("v", "d") or t.word in rules.LEAD_WORDS:
            start = t.end
            continue
        break
    h = h[start:] if start < len(h) else h
    return h if zone_kind(h) and not _verbal(h) and len(h) <= 20 else None


def _layout_like(heading: str) -> bool:
    """A heading that names a set of zones (承载街道, 空间布局), not a task."""
    return bool(re.search(r"布局|街道|片区|功能区|分区|格局|组团|[一二三四五六七八九十两]+(?:区|轴|片|街|湾|圈)", heading)) and len(heading) <= 12


def _verbal(name: str) -> bool:
    """A phrase that starts with a verb or a number ("全力建设六个功能区") is a task, not a zone's name."""
    if re.search(r"[一二三四五六七八九十两\d]+个|的", name) or _PART_END.search(name):
        return True  # "六个功能区", "简称“一轴": a count or a layout's part, not a zone's name
    return any(name.startswith(w) for w in rules.LEAD_WORDS if len(w) > 1)


def find_streets(name: str) -> list[str]:
    """Street names (…路/街/巷/大道) inside a project name, starting at a word boundary."""
    from projects.extract.segment import boundaries

    starts = boundaries(name)
    out: list[str] = []
    covered = -1
    # Generic phrases (背街小巷: back streets and alleys) name no street: blanked, offsets kept.
    masked = re.sub("|".join(rules.STREET_PHRASES), lambda m: "\u3000" * len(m.group()), name)
    for m in rules.STREET.finditer(masked):
        street = m.group(1)
        if m.start() < covered or m.start() not in starts:
            continue
        if street in rules.STREET_STOP or street.endswith(rules.STREET_NOT_ENDINGS):
            continue
        out.append(street)
        covered = m.start() + len(street)
    return out

"""Spatial layouts, zones and streets a document names ("一轴六区", "X区：重点发展…", …路/街)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from projects.extract import rules
from projects.extract.text import Document, Sentence

_NUMBERING = re.compile(r"^(?:——|[（(]?[一二三四五六七八九十\d]{1,3}[）)、.．]?\s*)")


@dataclass
class ZoneProposal:
    name: str
    kind: str
    layout: str | None  # the layout name it belongs to, as written
    sentence: Sentence
    span: tuple[int, int]  # of the name, in the cleaned text
    roles: str | None = None
    rule: str = ""


@dataclass
class LayoutProposal:
    name: str
    sentence: Sentence
    span: tuple[int, int]
    zones: list[ZoneProposal] = field(default_factory=list)


def zone_kind(name: str) -> str | None:
    """The zone kind a name's ending suggests, or None when it does not end like a zone."""
    for suffix, kind in rules.ZONE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return kind
    return None


def strip_numbering(heading: str) -> str:
    """A heading without its number: "二、重点建设六区" → "重点建设六区"."""
    return _NUMBERING.sub("", heading).strip("。：: ")


def find_layouts(doc: Document) -> list[LayoutProposal]:
    """Layouts and their zones, in document order (first mention of each name wins)."""
    layouts: dict[str, LayoutProposal] = {}
    zones: dict[str, ZoneProposal] = {}
    current: LayoutProposal | None = None
    current_seen = -1  # the sentence where the current layout was last named

    def add_zone(name, s, a, b, layout, rule, roles=None):
        name = name.strip("“”\"")
        kind = zone_kind(name)
        if kind is None or name in zones or len(name) > 20 or len(name) < 3 or _verbal(name):
            return
        zones[name] = ZoneProposal(name, kind, layout, s, (a, b), roles, rule)

    for s in doc.sentences:
        for m in rules.LAYOUT_NAME.finditer(s.text):
            name = m.group(1).rstrip("、，,")
            if name not in layouts:
                layouts[name] = LayoutProposal(name, s, (s.start + m.start(1), s.start + m.start(1) + len(name)))
            current, current_seen = layouts[name], s.index
        m = rules.LAYOUT_PART.search(s.text)
        if m:
            part = m.group(1)
            owner = current if current and part in current.name else next((l for n, l in reversed(list(layouts.items())) if part in n), current)
            members = re.split(r"[、，,]|和", m.group("members").split("。")[0])
            pos = s.start + m.start("members")
            for member in members:
                member = member.strip()
                a = doc.text.find(member, pos)
                if member and a >= 0:
                    add_zone(member, s, a, a + len(member), owner.name if owner else None, f"“{part}”是…")
        if s.runin and s.text.startswith((s.runin, "——" + s.runin)):
            m = rules.ZONE_DEFINITION.match(s.text)
            role = m.group("role") if m and m.group("name") == s.runin else None
            parent = strip_numbering(s.headings[-2]) if len(s.headings) >= 2 else None
            a = s.start + s.text.find(s.runin)
            near = current is not None and 0 <= s.index - current_seen <= 25
            if near and zone_kind(s.runin):
                owner = current.name
            elif parent and _layout_like(parent):
                owner = parent
            else:  # a zone defined by its role ("X区：重点发展…") belongs to the last layout named
                owner = current.name if current and role else None
            add_zone(s.runin, s, a, a + len(s.runin), owner, "run-in heading", roles=role.split("，")[0] if role else None)
        m = re.search(r"((?:[\u4e00-\u9fff]{2,6}[、和])+[\u4e00-\u9fff]{2,6})([一二三四五六七八九十两\d]+)个(片区|街道|商圈|功能区)", s.text)
        if m:
            for item in re.split(r"[、和]", m.group(1)):
                a = s.start + s.text.find(item)
                add_zone(item + m.group(3), s, a, a + len(item), current.name if current else None, f"…{m.group(2)}个{m.group(3)}")
    for z in zones.values():
        if z.layout is None:
            continue
        if z.layout not in layouts:
            layouts[z.layout] = LayoutProposal(z.layout, z.sentence, z.span)
        layouts[z.layout].zones.append(z)
    return list(layouts.values())


def _layout_like(heading: str) -> bool:
    """A heading that names a set of zones (承载街道, 空间布局), not a task."""
    return bool(re.search(r"布局|街道|片区|功能区|分区|格局|组团|[一二三四五六七八九十两]+(?:区|轴|片|街|湾|圈)", heading)) and len(heading) <= 12


def _verbal(name: str) -> bool:
    """A phrase that starts with a verb or a number ("全力建设六个功能区") is a task, not a zone's name."""
    if re.search(r"[一二三四五六七八九十两\d]+个", name):
        return True
    return any(name.startswith(w) for w in rules.LEAD_WORDS if len(w) > 1)


def find_streets(name: str) -> list[str]:
    """Street names (…路/街/巷/大道) inside a project name, starting at a word boundary."""
    from projects.extract.segment import boundaries

    starts = boundaries(name)
    out: list[str] = []
    covered = -1
    for m in rules.STREET.finditer(name):
        street = m.group(1)
        if m.start() < covered or m.start() not in starts:
            continue
        if street in rules.STREET_STOP or street.endswith(rules.STREET_NOT_ENDINGS):
            continue
        out.append(street)
        covered = m.start() + len(street)
    return out

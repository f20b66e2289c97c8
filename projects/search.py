"""Find projects, zones and streets by any of their names: Chinese, English, aliases and pinyin.

A planning officer types 恒隆, ``henglong`` or ``hlgc`` (the initials) and expects 恒隆广场; the
index keeps, for every name, its lower-case text, its full pinyin without spaces and its pinyin
initials (pypinyin, with its phrase dictionary for polyphones such as 长春 → changchun).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from pypinyin import Style, lazy_pinyin

from projects.models import Project
from zones.models import Layout, Street, Zone
from zones.queries import shape_or_none

_SEPARATORS = re.compile(r"[\s'’\-·•_,，、()（）“”\"]+")


def _plain(text: str) -> str:
    return _SEPARATORS.sub("", text.lower())


def name_keys(name: str) -> tuple[str, str, str]:
    """(text, full pinyin, initials) of a name, lower-case without separators."""
    syllables = lazy_pinyin(name)
    initials = lazy_pinyin(name, style=Style.FIRST_LETTER)
    return _plain(name), _plain("".join(syllables)), _plain("".join(initials))


@dataclass
class Entry:
    """One searchable thing and the keys of all its names."""

    type: str  # project | zone | street
    id: str
    name_zh: str
    name_en: str
    info: dict
    keys: list[tuple[str, str, str]] = field(default_factory=list)

    def score(self, q: str) -> int | None:
        """Lower is better; None when no name matches. ``q`` is already ``_plain``."""
        best = None
        ascii_q = q.isascii() and q.isalnum()
        for text, pinyin, initials in self.keys:
            for s, hit in (
                (0, text == q), (1, text.startswith(q)), (2, q in text),
                (3, ascii_q and pinyin.startswith(q)), (4, ascii_q and len(q) >= 2 and initials.startswith(q)),
                (5, ascii_q and len(q) >= 3 and q in pinyin), (6, ascii_q and len(q) >= 2 and q in initials),
            ):
                if hit and (best is None or s < best):
                    best = s
        return best


def _bounds(geom) -> list[list[float]] | None:
    if geom is None:
        return None
    minx, miny, maxx, maxy = geom.bounds
    return [[round(miny, 5), round(minx, 5)], [round(maxy, 5), round(maxx, 5)]]


def build_index(conn: sa.Connection) -> list[Entry]:
    """Every project, zone and street with the keys of its names (built once per data load)."""
    entries = []
    for r in conn.execute(sa.select(Project.id, Project.name_zh, Project.name_en, Project.aliases, Project.status, Project.geom)):
        point = shape_or_none(r.geom)
        info = {"status": r.status, "at": [round(point.y, 6), round(point.x, 6)] if point is not None else None}
        names = [r.name_zh, r.name_en or "", *(r.aliases or [])]
        entries.append(Entry("project", r.id, r.name_zh, r.name_en or "", info, [name_keys(n) for n in names if n]))
    layouts = {r.id: (r.name_zh, r.name_en) for r in conn.execute(sa.select(Layout.id, Layout.name_zh, Layout.name_en))}
    for r in conn.execute(sa.select(Zone.id, Zone.name_zh, Zone.name_en, Zone.layout_id, Zone.geom)):
        lay = layouts.get(r.layout_id, ("", ""))
        info = {"layout": r.layout_id, "layout_zh": lay[0], "layout_en": lay[1], "bounds": _bounds(shape_or_none(r.geom))}
        entries.append(Entry("zone", r.id, r.name_zh, r.name_en, info, [name_keys(n) for n in (r.name_zh, r.name_en) if n]))
    for r in conn.execute(sa.select(Street.id, Street.name_zh, Street.name_en, Street.geom)):
        info = {"bounds": _bounds(shape_or_none(r.geom))}
        entries.append(Entry("street", r.id, r.name_zh, r.name_en, info, [name_keys(n) for n in (r.name_zh, r.name_en) if n]))
    return entries


def search(index: list[Entry], query: str, limit: int = 10) -> dict[str, list[dict]]:
    """The best ``limit`` matches of each type for ``query``, best first (ties: shorter name, id)."""
    q = _plain(query)
    found: dict[str, list[tuple]] = {"projects": [], "zones": [], "streets": []}
    if not q:
        return {k: [] for k in found}
    for e in index:
        s = e.score(q)
        if s is not None:
            found[e.type + "s"].append((s, len(e.name_zh), e.id, e))
    return {
        kind: [{"id": e.id, "name_zh": e.name_zh, "name_en": e.name_en, **e.info}
               for *_, e in sorted(hits, key=lambda h: h[:3])[:limit]]
        for kind, hits in found.items()
    }

"""Matching a proposed name with the catalog: by name, by alias, or fuzzily on the Chinese name.

Names are compared in a normal form (:func:`name_key`): quotes, spaces and bracket styles
unified, a leading 原 ("former") or the district/city prefix and a trailing 项目/工程 dropped.
A fuzzy match (rapidfuzz) must also agree on every number and phase in the name: 悦泰·福里
（一、二期） is not 悦泰·福里（三期）, 地铁1号线 is not 地铁2号线.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

FUZZY_THRESHOLD = 86.0
_NUMERALS = re.compile(r"[0-9一二三四五六七八九十两壹贰叁]+")
_TRAILING = re.compile(r"(?:建设)?(?:项目|工程)$")
_PUNCT = str.maketrans({"“": "", "”": "", "\"": "", "《": "", "》": "", "「": "", "」": "", "（": "(", "）": ")",
                        "—": "-", "－": "-", "–": "-", "・": "·", "•": "·", " ": "", "\u3000": ""})


@dataclass(frozen=True)
class Match:
    """How a proposed name matched a catalog entry."""

    id: str
    by: str  # name | alias | fuzzy
    name: str  # the catalog name or alias it matched
    score: float  # 100 for name/alias; the rapidfuzz ratio (0–100) for fuzzy


def name_key(name: str, prefixes: tuple[str, ...] = ()) -> str:
    """The normal form names are compared in."""
    key = name.translate(_PUNCT)
    key = key.removeprefix("原")
    for p in sorted(prefixes, key=len, reverse=True):
        if key.startswith(p) and len(key) > len(p) + 1:
            key = key[len(p):]
            break
    key = _TRAILING.sub("", key) if len(key) > 4 else key
    return key


# A one-character prefix that makes another site of the same name.
_OTHER_SITE = {"小", "大", "新", "老", "东", "西", "南", "北", "中", "上", "下", "前", "后"}


def numerals(key: str) -> tuple[str, ...]:
    return tuple(_NUMERALS.findall(key))


class NameIndex:
    """Names and aliases of catalog entries (projects, zones, streets …), for matching."""

    def __init__(self, prefixes: tuple[str, ...] = ()):
        self.prefixes = prefixes
        self.keys: dict[str, list[tuple[str, str, str]]] = {}  # key → [(id, by, name)]
        self.districts: dict[str, str | None] = {}  # id → district
        self._choices: list[str] = []

    def add(self, entry_id: str, name: str, by: str = "name", district: str | None = None) -> None:
        key = name_key(name, self.prefixes)
        if not key:
            return
        if district is not None:
            self.districts[entry_id] = district
        if key not in self.keys:
            self.keys[key] = []
            self._choices.append(key)
        if (entry_id, by, name) not in self.keys[key]:
            self.keys[key].append((entry_id, by, name))

    def _named_district(self, name: str) -> str | None:
        """The district a name starts with (西岗区档案馆 → 西岗区), among the catalog's districts."""
        for d in sorted({d for d in self.districts.values() if d and d.endswith(("区", "县"))}, key=len, reverse=True):
            if name.startswith((d, d[:-1])) and len(d) > 2:
                return d
        return None

    def _in_district(self, hits: list[tuple[str, str, str]], district: str | None, local: bool) -> list[tuple[str, str, str]]:
        """The hits of the same district first; for a local name (区图书馆, 体育中心) only those."""
        if district is None:
            return hits
        same = [h for h in hits if self.districts.get(h[0]) == district]
        if same or local:
            return same
        return hits

    def __len__(self) -> int:
        return len(self.keys)

    def match(self, name: str, district: str | None = None, local: bool = False) -> Match | None:
        """The best catalog entry for ``name``, or None.

        ``district``: the document's district; an entry of the same district is preferred.
        ``local``: the name means a different site in each district ("区图书馆", "体育中心"): only an
        entry of the same district matches it.
        """
        key = name_key(name, self.prefixes)
        if not key:
            return None
        named = self._named_district(name)
        if named:  # "西岗区档案馆" names its district: only that district's entries match
            district, local = named, True
        hits = self._in_district(self.keys.get(key) or [], district, local)
        if hits:
            entry_id, by, matched = sorted(hits, key=lambda h: h[1] != "name")[0]
            return Match(entry_id, by, matched, 100.0)
        if len(key) < 3 or not self._choices:
            return None
        best = None
        for choice, score, _ in process.extract(key, self._choices, scorer=fuzz.ratio, limit=5, score_cutoff=FUZZY_THRESHOLD - 20):
            score = _score(key, choice, score)
            if score >= FUZZY_THRESHOLD and (best is None or score > best[1]) and self._in_district(self.keys[choice], district, local):
                best = (choice, score)
        if best is None:
            return None
        entry_id, _by, matched = self._in_district(self.keys[best[0]], district, local)[0]
        return Match(entry_id, "fuzzy", matched, round(best[1], 1))


    def near(self, name: str, district: str | None = None, floor: float = 60.0) -> Match | None:
        """The closest entry whose fuzzy score is below the match threshold but at least ``floor``:
        shown to the reviewer of a new project, who may know it is the same site after all."""
        key = name_key(name, self.prefixes)
        if len(key) < 3 or not self._choices:
            return None
        best = None
        for choice, score, _ in process.extract(key, self._choices, scorer=fuzz.ratio, limit=5, score_cutoff=floor - 20):
            score = _score(key, choice, score)
            if floor <= score < FUZZY_THRESHOLD and (best is None or score > best[1]):
                best = (choice, score)
        if best is None:
            return None
        hits = self._in_district(self.keys[best[0]], district, False) or self.keys[best[0]]
        entry_id, _by, matched = hits[0]
        return Match(entry_id, "near", matched, round(best[1], 1))


def _score(a: str, b: str, ratio: float) -> float:
    """Fuzzy score of two keys: the ratio, or a containment score; 0 when their numbers differ."""
    if numerals(a) != numerals(b):
        return 0.0
    short, long_ = sorted((a, b), key=len)
    if long_.endswith(short) and long_[: -len(short)] in _OTHER_SITE:
        return 0.0  # 小傅家庄公园 is not 傅家庄公园, 新X not X
    if len(short) >= 4 and short in long_:
        return max(ratio, 100.0 * (0.5 + 0.5 * len(short) / len(long_)))
    return ratio


def similar(a: str, b: str, prefixes: tuple[str, ...] = ()) -> float:
    """Fuzzy similarity (0–100) of two names in normal form; 100 when the keys are equal."""
    ka, kb = name_key(a, prefixes), name_key(b, prefixes)
    if ka == kb:
        return 100.0
    return _score(ka, kb, fuzz.ratio(ka, kb))

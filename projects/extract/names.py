"""Project names in one sentence: enumerations, suffixes, list headers, status words.

The steps, each a rule from :mod:`projects.extract.rules`:

1. the sentence splits into clauses at ，/： and each clause into items at 、 (never inside
   brackets or quotes); "A和B" splits too when both sides name a site;
2. each item loses the verbs in front of it (推进, 重点实施 …) and everything after its name
   (开工建设, 等一批项目 …): the name ends with a project suffix (…地块改造, …大厦) or, without
   one, at the first word that is not part of a name;
3. an item is a project when its suffix says so and something specific stands before it, or
   when its list says so: a list header ("完工达效项目（22项）："), "等一批项目", a sibling item
   with a strong suffix;
4. the status words are the clause's predicate after the name (开工建设), else the verb in
   front of the list (重点实施), else the list header's words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from projects.extract import rules
from projects.extract.segment import boundaries, tokens
from projects.extract.statuses import status_keywords

OPEN, CLOSE = "（(“《「‘\"", "）)”》」’\""
_SUFFIXES = sorted(rules.PROJECT_SUFFIXES, key=lambda s: -len(s[0]))
_LEAD = sorted(set(rules.LEAD_WORDS), key=len, reverse=True)
_TRAIL = sorted(set(rules.TRAIL_WORDS), key=len, reverse=True)
_RELATIONAL = ("周边", "周围", "沿线", "附近", "配套", "商业配套", "其他", "相关", "所属", "下属")
_QUANTITY = re.compile(r"^(?:\d+|[一二三四五六七八九十两百几多]+)(?:[所个家座处项条批类种大])")
_LIST_NUMBER = re.compile(r"^\s*(?:\d{1,2}|[一二三四五六七八九十]{1,2})$")
_ALIAS_BRACKET = re.compile(r"[（(]原([^（）()]{2,30})[）)]$")
_NOT_NAME = re.compile(r"[，。；：！？%％]|\d+(?:\.\d+)?[亿万元%]")


@dataclass
class Candidate:
    """A project name found in a sentence; offsets are into the sentence text."""

    name: str
    start: int
    end: int
    kind: str
    status_words: str | None = None
    status_span: tuple[int, int] | None = None
    rules: list[str] = field(default_factory=list)
    confidence: float = 0.5
    alias: str | None = None  # a former name given in brackets: 西岗体育馆（原西岗区市民健身中心）


def _depths(text: str) -> list[int]:
    depth, out = 0, []
    for ch in text:
        if ch in "“" or (ch in OPEN and ch not in "“\""):
            depth += 1
        out.append(depth)
        if ch == "”" or (ch in CLOSE and ch not in "”\""):
            depth = max(0, depth - 1)
    return out


def _split(text: str, start: int, end: int, seps: str, depth: list[int]) -> list[tuple[int, int]]:
    parts, s = [], start
    for i in range(start, end):
        if text[i] in seps and depth[i] == 0:
            parts.append((s, i))
            s = i + 1
    parts.append((s, end))
    return [(a, b) for a, b in parts if b > a]


def suffix_at_end(name: str) -> tuple[str, str, int] | None:
    """The project suffix ``name`` ends with (longest first), ignoring a trailing phase: (suffix, kind, strength)."""
    core = rules.PHASE.sub("", name) or name
    for suffix, kind, strength in _SUFFIXES:
        if core.endswith(suffix) and len(core) > len(suffix):
            return suffix, kind, strength
    return None


def _strip_lead(text: str, a: int, b: int) -> int:
    """Skip the verbs and function words in front of a name; returns the new start."""
    changed = True
    while changed and a < b:
        changed = False
        seg = text[a:b]
        toks = tokens(seg)
        for w in _LEAD:
            if seg.startswith(w) and any(t.end == len(w) for t in toks):
                a += len(w)
                changed = True
                break
        else:
            # A list number ("1、" was split off; "1." stays) or an opening bracket of nothing.
            m = re.match(r"^(?:\d{1,2}[.．]|[：:，,])", seg)
            if m:
                a += m.end()
                changed = True
    return a


def _trail_start(seg: str) -> bool:
    if not seg:
        return True
    if any(seg.startswith(w) for w in _TRAIL) or any(seg.startswith(k) for k in _status_words()):
        return True
    first = tokens(seg)[0]
    return first.flag[:1] in ("v", "d", "p", "c", "u", "f") and first.word not in ("北", "南", "东", "西")


_STATUS_CACHE: list[str] = []


def _status_words() -> list[str]:
    if not _STATUS_CACHE:
        from projects.extract.segment import STATUS_PHRASES

        _STATUS_CACHE.extend(sorted({*status_keywords(), *STATUS_PHRASES, "运营", "使用", "营业", "开放", "贯通", "成熟期"}, key=len, reverse=True))
    return _STATUS_CACHE


def _name_end(text: str, a: int, b: int) -> tuple[int, tuple[str, str, int] | None, bool]:
    """Where the name starting at ``a`` ends: (end, suffix info, clean end?)."""
    seg = text[a:b]
    # 等 closes an enumeration: nothing after it belongs to the name.
    depth = _depths(seg)
    for i, ch in enumerate(seg):
        if ch == "等" and depth[i] == 0 and i > 0:
            seg = seg[:i]
            break
    bounds = boundaries(seg)
    best: tuple[int, tuple[str, str, int], bool] | None = None
    for end in range(len(seg), 1, -1):
        head = seg[:end]
        # A phase or a 项目/工程 word right after a suffix belongs to the name.
        info = suffix_at_end(head)
        if info is None:
            continue
        if end not in bounds and not seg[end:end + 1] in "（(":
            continue
        rest = seg[end:]
        m = rules.PHASE.match(rest) or re.match(r"^[（(][^（）()]{1,20}[）)]", rest)
        if m:
            end += m.end()
            rest = seg[end:]
        if rest.startswith(("项目", "工程")) and not info[0].endswith(("项目", "工程")):
            end += 2
            rest = seg[end:]
        clean = _trail_start(rest)
        if clean:
            return a + end, info, True
        if best is None:
            best = (a + end, info, False)
    if best:
        return best
    # No suffix: the name runs to the first word that cannot be part of it.
    for t in tokens(seg):
        if t.start > 0 and _trail_start(seg[t.start:]):
            return a + t.start, None, True
    return a + len(seg), None, True


def _specific(qualifier: str) -> bool:
    """Whether a name's qualifier says which site (not just 社区养老 or 综合服务)."""
    toks = [t for t in tokens(qualifier) if t.word.strip("“”\"·-—（）()")]
    if not toks:
        return False
    return any(t.word not in rules.GENERIC_WORDS and t.word not in rules.LEAD_WORDS for t in toks)


def _proper(name: str) -> bool:
    """Whether a name carries a proper part: a place or brand word, a number, a ·, a quote."""
    if re.search(r"[·\d“\"A-Za-z]", name):
        return True
    return any(t.flag in ("ns", "nr", "nz", "nt", "nrt", "nrfg", "j", "eng") for t in tokens(name))


def _is_abstract(name: str) -> bool:
    return name.endswith(tuple(rules.NOT_PROJECT_ENDINGS)) or name.endswith("化")


def find_projects(text: str) -> list[Candidate]:
    """Project candidates in one sentence (see the module docstring for the rules)."""
    depth = _depths(text)
    body_end = len(text.rstrip("。！？；;!? "))
    clauses = _split(text, 0, body_end, "，,：:", depth)
    header_words: str | None = None
    out: list[Candidate] = []
    for ci, (ca, cb) in enumerate(clauses):
        clause = text[ca:cb]
        m = rules.LIST_HEADER.match(clause)
        if m:
            header_words = m.group("words")
            continue
        numbered = False
        items = _split(text, ca, cb, "、", depth)
        if items and _LIST_NUMBER.match(text[items[0][0]:items[0][1]]) and len(items) > 1:
            items, numbered = items[1:], True
        items = _split_conjunctions(text, items)
        category = rules.ENUM_CATEGORY.search(text, items[-1][0], cb) if items else None
        cands = []
        lead_words = None
        for n, (ia, ib) in enumerate(items):
            a = _strip_lead(text, ia, ib)
            if n == 0 and a > ia:
                lead_words = text[ia:a]
            if "的" in text[a:ib]:
                # "改造后的小傅家庄公园": a name does not contain 的; it starts after the last one.
                pre = text[a:ib]
                cut = _name_end(text, a, ib)[0]
                k = pre.rfind("的", 0, cut - a)
                if k >= 0:
                    a = a + k + 1
            end, info, clean = _name_end(text, a, ib)
            name = text[a:end].strip("“”\"、 ") if not text[a:end].startswith("“") else text[a:end]
            if name.count("“") != name.count("”"):
                name = name.replace("“", "").replace("”", "")
            if not name:
                continue
            cands.append((a, end, name, info, clean, n))
        strong_sibling = sum(1 for c in cands if c[3] and c[3][2] == 2 and _specific(c[2][: -len(c[3][0])])) >= 1
        listed = header_words is not None or numbered or category is not None
        for a, end, name, info, clean, n in cands:
            cand = _judge(name, info, clean, listed, strong_sibling and len(cands) > 1, category)
            if cand is None:
                continue
            cand.start, cand.end = a, end
            alias = _ALIAS_BRACKET.search(name)
            if alias:
                cand.alias = alias.group(1)
                cand.name = name[: alias.start()]
            cand.status_words, cand.status_span = _status(text, ca, cb, items, end, lead_words, header_words)
            if header_words is not None:
                cand.rules.append("list header")
            out.append(cand)
    # One candidate per name and place.
    seen, unique = set(), []
    for c in out:
        if (c.name, c.start) not in seen:
            seen.add((c.name, c.start))
            unique.append(c)
    return unique


def _split_conjunctions(text: str, items: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Split "A和B" / "A及B" / "A与B" when both sides end with a project suffix."""
    out = []
    for a, b in items:
        seg = text[a:b]
        done = False
        for m in re.finditer(r"以及|和|及|与", seg):
            left, right = seg[:m.start()], seg[m.end():]
            if right.startswith(_RELATIONAL) or not left or not right:
                continue
            left_end = _name_end(text, _strip_lead(text, a, a + m.start()), a + m.start())
            right_end = _name_end(text, a + m.end(), b)
            if left_end[1] and right_end[1] and left_end[0] == a + m.start():
                out.extend([(a, a + m.start()), (a + m.end(), b)])
                done = True
                break
        if not done:
            out.append((a, b))
    return out


def _judge(name: str, info, clean: bool, listed: bool, sibling: bool, category) -> Candidate | None:
    """Whether a name is a project, with the rules that say so and a confidence."""
    if len(name) < 2 or len(name) > 40 or _NOT_NAME.search(name) or _QUANTITY.match(name):
        return None
    if _is_abstract(name):
        return None
    if info:
        suffix, kind, strength = info
        qualifier = rules.PHASE.sub("", name)[: -len(suffix)] if name.endswith(suffix) else name[: name.rfind(suffix)]
        specific = _specific(qualifier)
        if strength == 2 and specific:
            conf = 0.85 if _proper(name) else 0.7
            return Candidate(name, 0, 0, kind, rules=[f"suffix {suffix}"], confidence=conf if clean else conf - 0.15)
        if (strength == 1 and specific and _proper(qualifier)) or (listed and specific):
            return Candidate(name, 0, 0, kind, rules=[f"suffix {suffix}", *(["list"] if listed else [])], confidence=0.6 if clean else 0.5)
        return None
    # No suffix: only a list vouches for it, and it must look like a proper name.
    if len(name) > 15 or not (listed or sibling):
        return None
    if not _proper(name) and not (listed and _specific(name)):
        return None
    if not _specific(name):
        return None
    why = "list" if listed else "enumerated with a named site"
    return Candidate(name, 0, 0, "other", rules=[why], confidence=0.6 if category is not None or listed else 0.45)


def _status(text: str, ca: int, cb: int, items, end: int, lead_words: str | None, header_words: str | None):
    """Status words of a name: predicate after the list, else the verb before it, else the list header."""
    last_end = items[-1][1] if items else end
    after_from = max(end, _name_end_of_last(text, items))
    rest = text[after_from:cb]
    m = rules.ENUM_CATEGORY.match(rest)
    if m:
        after_from += m.end()
        rest = text[after_from:cb]
    after = None
    keys = _status_words()
    hits = [(rest.find(k), k) for k in keys if k in rest]
    if hits:
        pos, key = min(hits, key=lambda h: (h[0], -len(h[1])))
        if pos <= 12:
            # From the first word of the predicate to the end of the status keyword.
            stop = pos + len(key)
            for k2 in keys:  # a longer phrase right after (建成 → 建成投产)
                if rest.startswith(k2, pos) and pos + len(k2) > stop:
                    stop = pos + len(k2)
            after = (after_from, after_from + stop)
    del last_end
    if after and text[after[0]:after[1]].strip() not in ("建设", "项目建设"):
        return text[after[0]:after[1]], after
    if lead_words:
        words = lead_words.strip("，,、 ")
        if any(k in words for k in keys):
            start = text.find(words, ca)
            return words, (start, start + len(words))
    if after:
        return text[after[0]:after[1]], after
    if header_words:
        return header_words, None
    return None, None


def _name_end_of_last(text: str, items) -> int:
    if not items:
        return 0
    a, b = items[-1]
    return _name_end(text, _strip_lead(text, a, b), b)[0]

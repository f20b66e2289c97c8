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
from functools import lru_cache

from projects.extract import rules
from projects.extract.segment import tokens
from projects.extract.statuses import status_keywords

OPEN, CLOSE = "（(“《「‘\"", "）)”》」’\""
_SUFFIXES = sorted(rules.PROJECT_SUFFIXES, key=lambda s: -len(s[0]))
_BY_LAST: dict[str, list[tuple[str, str, int]]] = {}
for _s in _SUFFIXES:
    _BY_LAST.setdefault(_s[0][-1], []).append(_s)
_LEAD = sorted(set(rules.LEAD_WORDS), key=len, reverse=True)
_TRAIL = sorted(set(rules.TRAIL_WORDS), key=len, reverse=True)
_RELATIONAL = ("周边", "周围", "沿线", "附近", "配套", "商业配套", "其他", "相关", "所属", "下属")
_QUANTITY = re.compile(r"^(?:\d+|[一二三四五六七八九十两百几多]+)(?:[所个家座处项条批类种大栋])")
_LIST_NUMBER = re.compile(r"^\s*(?:\d{1,2}|[一二三四五六七八九十]{1,2})$")
_CONJ = re.compile(r"以及|和|及|与")
_ALIAS_BRACKET = re.compile(r"[（(]原([^（）()]{2,30})[）)]$")
_NOT_NAME = re.compile(r"[，。；：！？%％]|\d+(?:\.\d+)?[亿万元%]|亿元|\d+[个所家座处项条]")


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


class _Ctx:
    """One sentence, segmented once: its tokens, and where tokens start and end."""

    def __init__(self, text: str):
        self.text = text
        self.toks = tokens(text)
        self.tok_at = {t.start: t for t in self.toks}
        self.bounds = {0, len(text), *(t.end for t in self.toks)}


Ctx = _Ctx


@lru_cache(maxsize=256)
def ctx_of(text: str) -> _Ctx:
    return _Ctx(text)


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
    core = rules.PHASE.sub("", name) if name[-1:] in "期）)" else name
    core = core or name
    for suffix, kind, strength in _BY_LAST.get(core[-1:], ()):
        if core.endswith(suffix) and len(core) > len(suffix):
            return suffix, kind, strength
    return None


_LEAD_RE = re.compile("|".join(map(re.escape, _LEAD)))


def _strip_lead(ctx: Ctx, a: int, b: int) -> int:
    """Skip the verbs and function words in front of a name; returns the new start."""
    text = ctx.text
    while a < b:
        m = _LEAD_RE.match(text, a, b)
        # The longest lead word ending on a word boundary (jieba's), else none.
        if m and m.end() not in ctx.bounds:
            m = next((mm for w in _LEAD if text.startswith(w, a) and (mm := re.match(re.escape(w), text[a:b])) and a + len(w) in ctx.bounds), None)
            if m:
                a += m.end()
                continue
        elif m:
            a = m.end()
            continue
        # A list number ("1." stays attached) or a stray separator.
        m = re.match(r"(?:\d{1,2}[.．](?!\d)|[：:，,])", text[a:b])
        if not m:
            break
        a += m.end()
    return a


def _trail_start(ctx: Ctx, pos: int, b: int) -> bool:
    """Whether the text at ``pos`` starts what follows a name (a status phrase, a verb, 等 …)."""
    text = ctx.text
    if pos >= b:
        return True
    if _trail_re().match(text, pos):
        return True
    if text.startswith(("和", "及", "与", "以及"), pos):
        return False  # a conjunction may be inside a name: 黑咀子码头及周边地块改造
    first = ctx.tok_at.get(pos)
    if first is None:
        return False
    return first.flag[:1] in ("v", "d", "p", "c", "u", "f") and first.word not in ("北", "南", "东", "西")


_STATUS_CACHE: list[str] = []
_TRAIL_RE: list[re.Pattern] = []


def _trail_re() -> re.Pattern:
    if not _TRAIL_RE:
        words = sorted({*_TRAIL, *_status_words()}, key=len, reverse=True)
        _TRAIL_RE.append(re.compile("|".join(map(re.escape, words))))
    return _TRAIL_RE[0]


def _status_words() -> list[str]:
    if not _STATUS_CACHE:
        from projects.extract.segment import STATUS_PHRASES

        _STATUS_CACHE.extend(sorted({*status_keywords(), *STATUS_PHRASES, "运营", "使用", "营业", "开放", "贯通", "成熟期"}, key=len, reverse=True))
    return _STATUS_CACHE


def _name_end(ctx: Ctx, a: int, b: int) -> tuple[int, tuple[str, str, int] | None, bool]:
    """Where the name starting at ``a`` ends: (end, suffix info, clean end?)."""
    text = ctx.text
    # 等 closes an enumeration: nothing after it belongs to the name.
    depth = 0
    for i in range(a, b):
        ch = text[i]
        if ch in "（(“":
            depth += 1
        elif ch in "）)”":
            depth = max(0, depth - 1)
        elif ch == "等" and depth == 0 and i > a:
            b = i
            break
    best: tuple[int, tuple[str, str, int], bool] | None = None
    for end in range(b, a + 1, -1):
        info = suffix_at_end(text[a:end])
        if info is None:
            continue
        if end not in ctx.bounds and text[end:end + 1] not in "（(":
            continue
        conj = _CONJ.search(text, a, end - len(info[0]))
        if conj and suffix_at_end(text[a:conj.start()]) is None:
            continue  # "管廊建设和地下空间": a name joins sites with 和, not a site and a verb
        m = rules.PHASE.match(text, end, b) or re.compile(r"[（(][^（）()]{1,20}[）)]").match(text, end, b)
        if m:
            end = m.end()
        if text.startswith(("项目", "工程"), end) and end + 2 <= b and not info[0].endswith(("项目", "工程")):
            end += 2
        if _trail_start(ctx, end, b):
            return end, info, True
        if best is None:
            best = (end, info, False)
    if best:
        return best
    # No suffix: the name runs to the first status or trailing word (or the item's end).
    for t in ctx.toks:
        if a < t.start < b and _trail_re().match(text, t.start):
            return t.start, None, True
    return b, None, True


def _specific(qualifier: str) -> bool:
    """Whether a name's qualifier says which site (not just 社区养老 or 综合服务)."""
    toks = [t for t in tokens(qualifier) if t.word.strip("“”\"·-—（）()")]
    if not toks:
        return False
    return any(t.word not in rules.GENERIC_WORDS and t.word not in rules.LEAD_WORDS for t in toks)


_SLOGAN = re.compile(r"“[^”]*[一二三四五六七八九十双百千万\d+][^”]*”")
_PROPER_FLAGS = ("ns", "nr", "nz", "nt", "nrt", "nrfg", "j", "eng")


def _proper(name: str) -> bool:
    """Whether a name carries a proper part: a place or brand word, a number, a ·, a quote.

    A quoted numeric slogan (“双十”, “五个一”) names a programme, not a site.
    """
    plain = _SLOGAN.sub("", name)
    if re.search(r"[·\d“\"A-Za-z]", plain):
        return True
    return any(t.flag in _PROPER_FLAGS for t in tokens(plain) if len(t.word) > 1 or t.flag == "eng")


def _is_abstract(name: str) -> bool:
    return name.endswith(tuple(rules.NOT_PROJECT_ENDINGS)) or (name.endswith("化") and not _proper(name[:-3]))


_ZONE_SUBJECT = re.compile(r"[\u4e00-\u9fff“”\-—]{2,16}?(?:片区|功能区|商务区|商业区|商贸区|物流区|文化区|街道|商圈|区)(?:要|将|应)")
_COUNT_AFTER = re.compile(r"(?:\d+|[一二三四五六七八九十两]+)(?:个|所|家|座|处|项|条|批|万|平方米)")
_PROGRAMME = ("项目", "工程", "建设工程", "改造项目", "改造工程", "提升改造工程", "升级改造工程")
_PREDICATES = {"成为", "列入", "获批", "达到", "实现", "入驻", "落户", "落地", "迈进", "取得", "进入", "跃居", "位列", "为", "被", "被评为", "是"}
_NO_STRIP_AFTER = "路街道区号桥北南东西里园巷湾山"


def _strip_verbs(ctx: Ctx, a: int, b: int) -> int:
    """Skip leading verbs and adverbs jieba recognises (加速, 深耕 …), guarding place names (如意街)."""
    while a < b:
        t = ctx.tok_at.get(a)
        if t is None or len(t.word) < 2 or t.flag not in ("v", "vd", "ad") or t.end >= b - 2:
            return a
        if ctx.text[t.end] in _NO_STRIP_AFTER:
            return a
        a = t.end
    return a


def _predicate_inside(ctx: Ctx, a: int, end: int, suffix: str) -> int | None:
    """The end of a predicate word inside a name ("X迈进Y广场"), or None."""
    last = None
    for t in ctx.toks:
        if a < t.start and t.end <= end - len(suffix) and (t.word in _PREDICATES or t.word in _status_words()) and t.flag.startswith("v") or (
            a < t.start and t.end <= end - len(suffix) and t.word in _PREDICATES
        ):
            last = t.end
    return last


class Gazetteer:
    """Names already known — the catalog's names and aliases, the names this document's lists
    gave — found again wherever a sentence repeats them ("恒隆广场" after "大连恒隆广场…完工达效")."""

    def __init__(self):
        self.names: dict[str, tuple[str, str]] = {}  # text as written → (name, why)
        self._re: re.Pattern | None = None

    def add(self, written: str, name: str, why: str) -> None:
        written = written.strip()
        if written in self.names or not _distinctive(written):
            return
        self.names[written] = (name, why)
        self._re = None

    def find(self, text: str) -> list[tuple[int, int, str, str]]:
        if not self.names:
            return []
        if self._re is None:
            self._re = re.compile("|".join(map(re.escape, sorted(self.names, key=len, reverse=True))))
        return [(m.start(), m.end(), *self.names[m.group(0)]) for m in self._re.finditer(text)]


def _distinctive(name: str) -> bool:
    """A name specific enough to be found again by its text alone (not 体育馆, not 图书馆)."""
    if len(name) < 3 or name.count("“") != name.count("”"):
        return False
    info = suffix_at_end(name)
    qualifier = name[: -len(info[0])] if info and name.endswith(info[0]) else name
    return len(name) >= 4 and _specific(qualifier) or _proper(name)


def find_projects(text: str, gazetteer: Gazetteer | None = None) -> list[Candidate]:
    """Project candidates in one sentence (see the module docstring for the rules)."""
    ctx = ctx_of(text)
    depth = _depths(text)
    body_end = len(text.rstrip("。！？；;!? "))
    clauses = _split(text, 0, body_end, "，,：:", depth)
    header_words: str | None = None
    out: list[Candidate] = []
    for ca, cb in clauses:
        clause = text[ca:cb]
        m = rules.LIST_HEADER.match(clause)
        if m:
            header_words = m.group("words")
            continue
        m = _ZONE_SUBJECT.match(clause)
        if m:  # "马栏片区要…": the subject is a zone, the names come after it
            ca = ca + m.end()
        m = _PAIR_COUNT.search(text, ca, cb)
        if m and suffix_at_end(m.group(3).replace("“", "").replace("”", "")):
            # "新建民乐和云峰两个365社区家园": two sites sharing the head noun
            first = _strip_lead(ctx, m.start(1), m.end(1))
            for ga, gb in ((first, m.end(1)), (m.start(2), m.end(2))):
                cand = Candidate(text[ga:gb] + m.group(3), ga, gb, "other", rules=["shared head noun"], confidence=0.55)
                cand.name = cand.name.replace("“", "").replace("”", "")
                cand.kind = (suffix_at_end(cand.name) or ("", "other", 0))[1]
                cand.status_words, cand.status_span = _status(ctx, ca, cb, [(first, m.end())], m.end(), text[ca:first] or None, header_words)
                out.append(cand)
            continue
        numbered = False
        items = _split(text, ca, cb, "、", depth)
        if items and _LIST_NUMBER.match(text[items[0][0]:items[0][1]]) and len(items) > 1:
            items, numbered = items[1:], True
        if not items:
            continue
        category = rules.ENUM_CATEGORY.search(text, items[-1][0], cb)
        items = _split_conjunctions(ctx, items, category.start() if category else None)
        shared = _distribute(ctx, items)
        if shared:
            for a, b, name in shared:
                cand = Candidate(name.replace("“", "").replace("”", ""), a, b, "other", rules=["shared head noun"], confidence=0.55)
                cand.kind = (suffix_at_end(cand.name) or ("", "other", 0))[1]
                cand.status_words, cand.status_span = _status(ctx, ca, cb, items, shared[-1][1], text[ca:_strip_lead(ctx, ca, cb)] or None, header_words)
                out.append(cand)
            continue
        zone_list = bool(rules.ZONE_LIST.search(text, items[-1][0], cb))
        cands = []
        lead_words = None
        for n, (ia, ib) in enumerate(items):
            a = _strip_lead(ctx, ia, ib)
            a = _strip_verbs(ctx, a, ib)
            a = _strip_lead(ctx, a, ib)
            if n == 0 and a > ia:
                lead_words = text[ia:a]
            if "的" in text[a:ib]:
                # "改造后的小傅家庄公园": a name does not contain 的; it starts after the last one.
                cut = _name_end(ctx, a, ib)[0]
                k = text.rfind("的", a, cut)
                if k >= 0:
                    a = k + 1
            end, info, clean = _name_end(ctx, a, ib)
            if info:
                inside = _predicate_inside(ctx, a, end, info[0])
                if inside is not None:
                    # "X迈进Y广场": the name is the part after the predicate.
                    a = inside
                    end, info, clean = _name_end(ctx, a, ib)
            name = text[a:end].strip("、 ")
            if not name or name.count("“") != name.count("”"):
                continue  # a name does not cut a quotation in half
            cands.append((a, end, name, info, clean, n))
        strong_sibling = any(c[3] and c[3][2] == 2 and _specific(c[2][: -len(c[3][0])]) for c in cands)
        suffixed = sum(1 for c in cands if c[3] and c[4])
        listed = header_words is not None or numbered or category is not None or (suffixed >= 2 and not zone_list)
        for a, end, name, info, clean, n in cands:
            after = text[end:cb]
            cand = _judge(name, info, clean, after, header_words is not None, listed,
                          strong_sibling and len(cands) > 1 and not zone_list, category)
            if cand is None:
                continue
            cand.start, cand.end = a, end
            alias = _ALIAS_BRACKET.search(name)
            if alias:
                cand.alias = alias.group(1)
                cand.name = name[: alias.start()]
            cand.status_words, cand.status_span = _status(ctx, ca, cb, items, end, lead_words, header_words)
            if header_words is not None:
                cand.rules.append("list header")
            out.append(cand)
    if gazetteer is not None:
        out.extend(_gazetteer_hits(ctx, gazetteer, out, clauses))
    return _unique(out)


def find_again(text: str, found: list[Candidate], gazetteer: Gazetteer) -> list[Candidate]:
    """The names of ``gazetteer`` in a sentence, besides the candidates the rules ``found`` there."""
    ctx = ctx_of(text)
    body_end = len(text.rstrip("。！？；;!? "))
    clauses = _split(text, 0, body_end, "，,：:", _depths(text))
    return _unique([*found, *_gazetteer_hits(ctx, gazetteer, found, clauses)])


def _unique(out: list[Candidate]) -> list[Candidate]:
    # One candidate per name and place.
    seen, unique = set(), []
    for c in out:
        if (c.name, c.start) not in seen:
            seen.add((c.name, c.start))
            unique.append(c)
    return unique


def _gazetteer_hits(ctx: Ctx, gazetteer: Gazetteer, found: list[Candidate], clauses) -> list[Candidate]:
    out = []
    taken = [(c.start, c.end) for c in found]
    for a, b, name, why in gazetteer.find(ctx.text):
        if any(a < e and s < b for s, e in taken):
            continue  # the rules already read this place
        if (a not in ctx.bounds or b not in ctx.bounds) and not ctx.text[a:b].startswith("“"):
            continue  # inside a longer word
        ca, cb = next(((x, y) for x, y in clauses if x <= a < y), (a, b))
        kind = (suffix_at_end(name) or ("", "other", 0))[1]
        cand = Candidate(name, a, b, kind, rules=[why], confidence=0.75 if why == "catalog name" else 0.65)
        lead = ctx.text[ca:a]
        lead_words = lead if lead and _strip_lead(ctx, ca, a) == a else None
        cand.status_words, cand.status_span = _status(ctx, ca, cb, [(a, b)], b, lead_words, None)
        taken.append((a, b))
        out.append(cand)
    return out


def _distribute(ctx: Ctx, items: list[tuple[int, int]]) -> list[tuple[int, int, str]] | None:
    """"黄河、北岗、拥警、香川“365社区家园”": short names sharing the last item's head noun.

    The short items right before the last one take its head noun (a generic noun phrase with a
    project suffix, starting at a word boundary). Returns (start, end, name) per item, or None.
    """
    if len(items) < 2:
        return None
    text = ctx.text
    run: list[tuple[int, int]] = []
    for n in range(len(items) - 2, -1, -1):
        a, b = items[n]
        if n == 0:
            a = _strip_lead(ctx, a, b)
        if not (1 < b - a <= 5) or suffix_at_end(text[a:b]) is not None:
            break
        run.insert(0, (a, b))
    if not run:
        return None
    la, lb = items[-1]
    end, info, _clean = _name_end(ctx, la, lb)
    width = min(b - a for a, b in run)
    if info is None or (la + width) not in ctx.bounds:
        return None
    head = text[la + width:end]
    plain = head.replace("“", "").replace("”", "")
    head_info = suffix_at_end(plain)
    if not plain or len(plain) > 8 or head_info is None or _specific(re.sub(r"\d", "", plain[: -len(head_info[0])]) or "服务"):
        return None
    return [(a, b, text[a:b] + head) for a, b in run] + [(la, end, text[la:end])]


_PAIR_COUNT = re.compile(r"([\u4e00-\u9fff]{2,4})(?:和|与|及)([\u4e00-\u9fff]{2,4})(?:两|二|2)个(.{2,10}?)(?=$|[，。；、])")


def _split_conjunctions(ctx: Ctx, items: list[tuple[int, int]], list_end: int | None = None) -> list[tuple[int, int]]:
    """Split "A和B" / "A及B" / "A与B" when both sides end with a project suffix (in a list: the
    last item, "银沙滩海滨及莲花山等景区", always), or when a short name starts a new run
    ("…服务中心以及365黄河、拥警…")."""
    text = ctx.text
    out = []
    for a, b in items:
        seg = text[a:b]
        done = False
        for m in re.finditer(r"以及|和|及|与", seg):
            left, right = seg[:m.start()], seg[m.end():]
            if right.startswith(_RELATIONAL) or not left or not right:
                continue
            left_end = _name_end(ctx, _strip_lead(ctx, a, a + m.start()), a + m.start())
            right_end = _name_end(ctx, a + m.end(), b)
            run_starts = (a, b) != items[-1] and len(right) <= 5 and left_end[1] and left_end[0] == a + m.start()
            last_in_list = list_end is not None and (a, b) == items[-1] and len(left) >= 2 and a + m.start() < list_end
            if (left_end[1] and right_end[1] and left_end[0] == a + m.start()) or run_starts or last_in_list:
                out.extend([(a, a + m.start()), (a + m.end(), b)])
                done = True
                break
        if not done:
            out.append((a, b))
    return out


_NOT_AFTER = re.compile(r"(?:片区|城区|城市|商圈|功能区|区域|街道)")


def _names_site(qualifier: str) -> bool:
    """Whether a qualifier points at one site: a proper word, or a site name itself (植物园 in 植物园改造工程)."""
    if _proper(qualifier) or rules.PHASE.search(qualifier):
        return True
    if any(qualifier == w and strength == 2 and len(w) >= 3 for w, _k, strength in _SUFFIXES):
        return True  # 植物园改造工程
    inner = suffix_at_end(qualifier)
    return inner is not None and inner[2] == 2 and _specific(qualifier[: -len(inner[0])])


def _judge(name: str, info, clean: bool, after: str, header: bool, listed: bool, sibling: bool, category) -> Candidate | None:
    """Whether a name is a project, with the rules that say so and a confidence."""
    if len(name) < 2 or len(name) > 40 or _NOT_NAME.search(name) or _QUANTITY.match(name):
        return None
    if _is_abstract(name) or _COUNT_AFTER.match(after) or _NOT_AFTER.match(after):
        return None  # an abstract noun, a category counted ("项目16个"), part of a zone's name
    if info:
        suffix, kind, strength = info
        core = rules.PHASE.sub("", name) if rules.PHASE.search(name) else name
        core = re.sub(r"[（(][^（）()]*[）)]$", "", core) or core
        qualifier = core[: -len(suffix)] if core.endswith(suffix) else core[: core.rfind(suffix)]
        if core.endswith(("项目", "工程")) and not suffix.endswith(("项目", "工程")):
            qualifier = core[: core.rfind(suffix)]
        if len(qualifier.strip("“”")) < 2 and qualifier not in ("区", "市") and not listed:
            return None
        specific = _specific(qualifier)
        site = _names_site(qualifier)
        zone_like = any(name.endswith(z) for z, _ in rules.ZONE_SUFFIXES)
        if zone_like and not (listed or sibling):
            return None  # 奥林匹克现代商业区 is a zone unless a list of sites says otherwise
        if suffix in _PROGRAMME and (not site or "“" in qualifier):
            return None  # 文化惠民工程, 智慧西岗“12311”工程: programmes, campaigns, not sites
        m = re.search(r"和|与|及", qualifier)
        if m and not (suffix_at_end(qualifier[: m.start()]) or _proper(qualifier[: m.start()])):
            return None  # "智慧教育和特色学校建设工程": the part before 和 is no site
        if not clean and not (strength == 2 and specific and _proper(qualifier)):
            return None  # the name runs on into a longer noun ("幼儿园在园幼儿比例")
        why = [f"suffix {suffix}"]
        if strength == 2 and specific:
            conf = 0.85 if site else 0.7
        elif specific and (site or listed):
            conf, why = 0.6, why + (["list"] if listed else [])
        elif strength == 2 and (listed or sibling):
            conf, why = 0.5, why + ["list" if listed else "enumerated with a named site"]
        else:
            return None
        return Candidate(name, 0, 0, kind, rules=why, confidence=conf if clean else conf - 0.1)
    # No suffix: only a list vouches for it; a street is a street, not a project.
    if len(name) > 15 or not _specific(name) or len(re.findall(r"[\u4e00-\u9fff]", re.sub(r"[一二三四五六七八九十百千万两]", "", name))) < 2:
        return None
    from projects.extract.places import find_streets

    if find_streets(name) == [name]:
        return None
    if header or category is not None:
        why, conf = ("list header" if header else "等 + category"), 0.6
    elif sibling and _proper(name):
        why, conf = "enumerated with a named site", 0.45
    else:
        return None
    return Candidate(name, 0, 0, "other", rules=[why], confidence=conf)


def _status(ctx: Ctx, ca: int, cb: int, items, end: int, lead_words: str | None, header_words: str | None):
    """Status words of a name: predicate after the list, else the verb before it, else the list header."""
    text = ctx.text
    after_from = max(end, _name_end_of_last(ctx, items))
    rest = text[after_from:cb]
    m = rules.ENUM_CATEGORY.match(rest)
    if m:
        after_from += m.end()
        rest = text[after_from:cb]
    m = re.match(r"[（(][^（）()]{0,10}[）)]", rest)
    if m:  # "景区（点）"
        after_from += m.end()
        rest = text[after_from:cb]
    after = None
    keys = _status_words()
    hits = [(rest.find(k), k) for k in keys if k in rest]
    if hits:
        pos, key = min(hits, key=lambda h: (h[0], -len(h[1])))
        if pos <= 12:
            stop = pos + len(key)
            for k2 in keys:  # a longer phrase at the same place (建成 → 建成投产)
                if rest.startswith(k2, pos) and pos + len(k2) > stop:
                    stop = pos + len(k2)
            while True:  # and the status words right after it (竣工投入使用, 建成并投入运营)
                nxt = next((k2 for k2 in keys if rest.startswith(k2, stop) or rest.startswith("并" + k2, stop)), None)
                if nxt is None:
                    break
                stop += len(nxt) + (1 if rest.startswith("并", stop) else 0)
            after = (after_from, after_from + stop)
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


def _name_end_of_last(ctx: Ctx, items) -> int:
    if not items:
        return 0
    a, b = items[-1]
    return _name_end(ctx, _strip_lead(ctx, a, b), b)[0]

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
from projects.extract.segment import on_new_places, tokens
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


on_new_places(ctx_of.cache_clear)


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
    if _trail_re().match(text, pos) or _COUNT_AFTER.match(text, pos):
        return True  # a status word, a trailing word, a count ("…服务中心1所")
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


_SITE_NOUNS = {w for w, _k, st in rules.PROJECT_SUFFIXES if st == 2 and len(w) >= 3}


def _own_facility(name: str) -> str | None:
    """"区" / "市" when a name is the district's or the city's own facility (区图书馆, 市儿童医院)."""
    toks = tokens(name)
    return toks[0].word if len(toks) > 1 and toks[0].word in ("区", "市") else None


def _specific(qualifier: str, wide_places: bool = False) -> bool:
    """Whether a name's qualifier says which site (not just 社区养老 or 综合服务).

    With ``wide_places`` the city's and the country's names count as generic too
    ("大连东北亚国际航运中心" says which role, not which site).
    """
    toks = [t for t in tokens(qualifier) if t.word.strip("“”\"·-—（）()")]
    if not toks:
        return False
    return any(not _generic(t.word, wide_places) and t.word not in rules.LEAD_WORDS for t in toks)


@lru_cache(maxsize=4096)
def _generic(word: str, wide_places: bool = False) -> bool:
    """A generic word, or one jieba joined from generic words ("国际航运" = 国际 + 航运)."""
    vocab = rules.GENERIC_WORDS | (rules.WIDE_PLACES if wide_places else set())
    if word in vocab:
        return True
    ok = [True] + [False] * len(word)  # ok[i]: word[:i] splits into generic words
    for i in range(1, len(word) + 1):
        ok[i] = any(ok[j] and word[j:i] in vocab for j in range(max(0, i - 4), i - 1))
    return len(word) >= 4 and ok[-1]


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
_ONE_AFTER = re.compile(r"(?:1|一)(?:个|所|家|座|处)(?!\d)")
_BUILT_AFTER = re.compile(r"(?:已经|已|相继|先后|正式|全面|顺利|均已)?(?:建成|竣工|投入使用|投入运营|投用|开业|投产|落成|启用|开工建设|建成投用)")
_COUNT_AFTER = re.compile(r"(?:\d+|[一二三四五六七八九十两]+)(?:个|所|家|座|处|项|条|批|万|平方米)")
_PROGRAMME = ("项目", "工程", "建设工程", "改造项目", "改造工程", "提升改造工程", "升级改造工程")
_PREDICATES = {"成为", "列入", "获批", "达到", "实现", "入驻", "落户", "落地", "迈进", "取得", "进入", "跃居", "位列", "为", "被", "被评为", "是",
               "建立", "设立", "开发", "评为", "获评", "入选"}
_TITLE_VERBS = tuple(sorted(rules.TITLE_VERBS, key=len, reverse=True))
_PREPOSITIONS = {"对", "向", "为", "把", "将", "从", "以", "于", "给", "被", "由"}
_ADMIN = {p.removesuffix("区").removesuffix("市").removesuffix("县") for p in rules.ADMIN_PLACES} | set(rules.ADMIN_PLACES)
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


def is_local_name(name: str) -> bool:
    """A name that means a different site in each district: the district's own facility
    (区图书馆, 市民健身中心 …) or a name too generic to say which site (体育中心)."""
    plain = name.replace("“", "").replace("”", "")
    return bool(_own_facility(plain)) or not _distinctive(plain)


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
        lines = _numbered_lines(text, ca, cb)
        for la, lb, name in lines:
            cand = Candidate(name, la, lb, "metro", rules=["numbered lines"], confidence=0.8)
            cand.status_words, cand.status_span = _status(ctx, ca, cb, [(la, lb)], lb, text[ca:_strip_lead(ctx, ca, la)] or None, header_words)
            out.append(cand)
        for ea, eb in _enumerations(text, ca, cb):
            numbered = False
            items = _split(text, ea, eb, "、", depth)
            if items and _LIST_NUMBER.match(text[items[0][0]:items[0][1]]) and len(items) > 1:
                items, numbered = items[1:], True
            if not items:
                continue
            category = rules.ENUM_CATEGORY.search(text, items[-1][0], eb)
            head = _category_head(category)
            items = _split_conjunctions(ctx, items, category.start() if category else None)
            shared = _distribute(ctx, items)
            if shared:
                for a, b, name in shared:
                    cand = Candidate(name.replace("“", "").replace("”", ""), a, b, "other", rules=["shared head noun"], confidence=0.55)
                    cand.kind = (suffix_at_end(cand.name) or ("", "other", 0))[1]
                    cand.status_words, cand.status_span = _status(ctx, ca, cb, items, shared[-1][1], text[ca:_strip_lead(ctx, ca, cb)] or None, header_words)
                    out.append(cand)
                # The items before the run are read on their own ("365社会组织服务园、…以及365黄河、拥警…").
                items = [it for it in items if it[1] <= shared[0][0]]
                if not items:
                    continue
            zone_list = bool(rules.ZONE_LIST.search(text, items[-1][0], eb))
            # "A、B等新业态", "发挥A、B的作用": the list says what the items are, and it is not sites.
            not_sites = category is None and bool(
                rules.NOT_PROJECT_CATEGORY.search(text, items[-1][0], eb) or rules.ROLE_AFTER.match(text, _name_end_of_last(ctx, items), cb))
            cands = []
            quoted: set[int] = set()
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
                    verb = ctx.text[:inside] if inside is not None else ""
                    title = next((v for v in _TITLE_VERBS if verb.endswith(v)), None)
                    if title:
                        # "X跃居全球最大Y交易所": X is the site, what follows the verb is a title.
                        end, info, clean = _name_end(ctx, a, inside - len(title))
                        inside = None
                    rest = suffix_at_end(text[inside:end]) if inside is not None else None
                    if inside is not None and rest is not None and _specific(text[inside:end - len(rest[0])]):
                        # "X迈进Y广场": the name is the part after the predicate.
                        a = inside
                        end, info, clean = _name_end(ctx, a, ib)
                        if n == 0:
                            lead_words = text[ia:a]
                m = _DEFINED.match(text, a, end)
                if m:  # "“三街”是东关街历史文化保护街": the name is what the quoted term stands for
                    a = m.end()
                q = _QUOTED.match(text, a, ib)
                if q and suffix_at_end(q.group(1)) and not _SLOGAN.match(q.group(0)):
                    # 打造“非遗传习所”: the quotation marks make it a name
                    a, end, info, clean = q.start(1), q.end(1), suffix_at_end(q.group(1)), True
                    quoted.add(a)
                name = text[a:end].strip("、 ")
                if not name or name.count("“") != name.count("”"):
                    continue  # a name does not cut a quotation in half
                if any(a < le and ls < end for ls, le, _ in lines):
                    continue  # read as numbered lines
                if head and info is None and 2 <= len(name) <= 5 and not name.endswith(head):
                    # "旅顺太阳沟、西岗东关街等历史文化街区": each place's site of that kind
                    name = name + head
                    info = suffix_at_end(name)
                if text[ca:a].endswith(_TITLE_VERBS):
                    continue  # "被评为全国…示范基地": a title, not a site
                if info is None and cands and name in _SITE_NOUNS and _own_facility(cands[-1][2]):
                    # "区图书馆、文化馆": the district's library and the district's cultural centre
                    name = _own_facility(cands[-1][2]) + name
                    info = suffix_at_end(name)
                cands.append((a, end, name, info, clean, n))
            strong_sibling = any(c[3] and c[3][2] == 2 and _specific(c[2][: -len(c[3][0])]) for c in cands)
            suffixed = sum(1 for c in cands if c[3] and c[4])
            listed = header_words is not None or numbered or category is not None or (suffixed >= 2 and not zone_list)
            for a, end, name, info, clean, n in cands:
                after = text[end:cb]
                cand = _judge(name, info, clean, after, header_words is not None, listed,
                              strong_sibling and len(cands) > 1 and not zone_list, category, not_sites=not_sites, quoted=a in quoted)
                if cand is None:
                    continue
                cand.start, cand.end = a, end
                if head and name.endswith(head) and not text[a:end].endswith(head):
                    cand.rules.append("takes the list's category noun")
                alias = _ALIAS_BRACKET.search(name)
                if alias:
                    cand.alias = alias.group(1)
                    cand.name = name[: alias.start()]
                other = _OTHER_NAME.match(text, end)
                if other and not cand.alias:  # "…科学研究装置——“大连光源”建成运行"
                    cand.alias = other.group(1)
                cand.status_words, cand.status_span = _status(ctx, ca, cb, items, end, lead_words, header_words)
                if header_words is not None:
                    cand.rules.append("list header")
                out.append(cand)
    out.extend(_next_phases(ctx, out, clauses))
    if gazetteer is not None:
        out.extend(_gazetteer_hits(ctx, gazetteer, out, clauses))
    return _unique(out)


_BARE_PHASE = re.compile(r"(?:推进|启动|实施|加快|开工|建设)?([一二三四五六七八九十\d]+期)(?:工程|项目)?(?=建设|开工|工程|项目|$|[，,。；])")


def _next_phases(ctx: Ctx, found: list[Candidate], clauses) -> list[Candidate]:
    """"充分发挥X电站一期的示范作用，积极推进二期建设": the phase named alone is X's next phase."""
    text, out = ctx.text, []
    phased = [c for c in found if rules.PHASE.search(c.name)]
    for c in phased:
        base = rules.PHASE.sub("", c.name).rstrip("（(")
        for ca, cb in clauses:
            if ca < c.end:
                continue
            m = _BARE_PHASE.match(text, _strip_lead(ctx, ca, cb), cb)
            if m and m.group(1) not in c.name:
                cand = Candidate(base + m.group(1), m.start(1), m.end(1), c.kind, rules=[f"next phase of {c.name}"], confidence=0.55)
                cand.status_words, cand.status_span = _status(ctx, ca, cb, [(m.start(1), m.end(1))], m.end(1), text[ca:m.start(1)] or None, None)
                out.append(cand)
    return out


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
        if any(a < e and s < b for s, e in taken) or any(c.name == name for c in found):
            continue  # the rules already read this place, or this project in this sentence
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
    # "365黄河、拥警、北岗、香川社区家园": a brand or number before the first name belongs to all.
    brand = re.match(r"[0-9A-Za-z]+(?=[\u4e00-\u9fff])", text[run[0][0]:run[0][1]])
    prefix = brand.group(0) if brand and not any(re.match(r"[0-9A-Za-z]", text[a:b]) for a, b in [*run[1:], (la, lb)]) else ""
    return ([(a, b, text[a:b] + head) for a, b in run[:1]] + [(a, b, prefix + text[a:b] + head) for a, b in run[1:]]
            + [(la, end, prefix + text[la:end])])


_LINES = re.compile(rf"(?P<prefix>{'|'.join(rules.LINE_PREFIXES)})(?P<nums>(?:\d+号[、和及与]?){{1,6}})(?P<last>\d+)号线")


def _numbered_lines(text: str, ca: int, cb: int) -> list[tuple[int, int, str]]:
    """"地铁1号、2号线", "地铁4号5号线": one name per line number, sharing the prefix and 号线."""
    out = []
    for m in _LINES.finditer(text, ca, cb):
        nums = re.findall(r"\d+", m.group("nums")) + [m.group("last")]
        out.extend((m.start(), m.end(), f"{m.group('prefix')}{n}号线") for n in nums)
    return out


def _category_head(category: re.Match | None) -> str | None:
    """The site noun an enumeration's items share ("等一批特色街区" → 特色街区), when it is one."""
    if category is None:
        return None
    phrase = rules.CATEGORY_LEAD.sub("", category.group(0))
    info = suffix_at_end(phrase) if len(phrase) >= 3 else None
    if info is None and phrase in {w for w, _k, st in _SUFFIXES if st == 2 and len(w) >= 3}:
        info = (phrase, "", 2)
    return phrase if info and info[2] == 2 and category.group(1) in rules.SHARED_CATEGORIES else None


def _enumerations(text: str, ca: int, cb: int) -> list[tuple[int, int]]:
    """A clause split after each "等<category>" that a conjunction continues ("A、B等街区和C、D等厂房")."""
    parts, start = [], ca
    for m in rules.ENUM_CATEGORY.finditer(text, ca, cb):
        c = re.match(r"和|及|与|以及", text[m.end():cb])
        if c and m.end() + c.end() < cb:
            parts.append((start, m.end()))
            start = m.end() + c.end()
    parts.append((start, cb))
    return parts


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
            if re.search(r"周边|沿线|附近", right) and suffix_at_end(right):
                continue  # "理工大学化工学院和化物所周边地块": the plots around both are one site
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


_QUOTED = re.compile(r"“([^“”]{2,20})”(?=$|[，,。；、等的和及与建项工]|$)")
_OTHER_NAME = re.compile(r"——“([^“”]{2,12})”")
_DEFINED = re.compile(r"“[^”]{1,8}”(?:是指|是|即)")
_NOT_AFTER = re.compile(r"(?:片区|城区|城市|商圈|功能区|区域|街道)")


def _names_site(qualifier: str) -> bool:
    """Whether a qualifier points at one site: a proper word, or a site name itself (植物园 in 植物园改造工程)."""
    if _proper(qualifier) or rules.PHASE.search(qualifier):
        return True
    if any(qualifier == w and strength == 2 and len(w) >= 3 for w, _k, strength in _SUFFIXES):
        return True  # 植物园改造工程
    inner = suffix_at_end(qualifier)
    if inner is not None and inner[2] == 2 and _specific(qualifier[: -len(inner[0])]):
        return True
    return _has_site_word(qualifier)


def _programme_names_site(suffix: str, qualifier: str, site: bool) -> bool:
    """Whether a …工程 / …项目 names a site rather than a programme.

    A 工程 must name a physical thing (人民广场周边…亮化工程, 教育基础设施提升工程) or a phase: a
    proper-looking word is not enough (智慧西岗12311工程, 文明创建工程 are campaigns). A 项目 may be
    a company's (恒力炼化一体化项目), unless its qualifier is a slogan in quotation marks
    (“全程式”项目, “订单式”特色文化服务项目).
    """
    if suffix.endswith("工程"):
        return _has_site_word(qualifier) or bool(rules.PHASE.search(qualifier))
    if "“" in qualifier:
        return _has_site_word(re.sub(r"“[^”]*”", "", qualifier)) or _has_site_word(qualifier.replace("“", "").replace("”", "")) and not _SLOGAN.search(qualifier)
    return site


# Site words: the table's, and every strong project suffix that is a thing (植物园, 一条街), not a
# kind of work (改造项目, 建设工程).
_SITE_WORDS = sorted({*rules.SITE_WORDS, *(w for w, _k, st in rules.PROJECT_SUFFIXES
                                         if st == 2 and not re.search(r"项目|工程|改造|建设|延伸|拓宽", w))}, key=len, reverse=True)


def _has_site_word(qualifier: str) -> bool:
    """Whether a qualifier contains a physical thing (设施, 地块, 广场 …) as a whole word, or a street."""
    from projects.extract.places import find_streets

    plain = qualifier.replace("“", "").replace("”", "")
    if find_streets(plain):
        return True
    bounds = {0, len(plain), *(t.end for t in tokens(plain))}
    for w in _SITE_WORDS:
        at = plain.find(w)
        while at >= 0:
            if at + len(w) in bounds:  # a word or the end of one (基础设施)
                return True
            at = plain.find(w, at + 1)
    return False


def _judge(name: str, info, clean: bool, after: str, header: bool, listed: bool, sibling: bool, category,
           not_sites: bool = False, quoted: bool = False) -> Candidate | None:
    """Whether a name is a project, with the rules that say so and a confidence.

    ``not_sites``: the list says its items are no sites ("等新业态", "的作用"): a generic item is
    dropped, a named one (宜家, 恒隆广场) still counts.
    """
    if not_sites and not header:
        listed = False
    if len(name) < 2 or len(name) > 40 or _NOT_NAME.search(name) or _QUANTITY.match(name) or rules.NOT_IN_NAME.search(name):
        return None
    if name in _ADMIN:
        return None  # a district or county (普兰店), not a project
    if any(t.flag == "p" and t.word in _PREPOSITIONS and t.start > 0 for t in tokens(name)):
        return None  # "楼宇运营商对老旧楼宇", "以深圳为中心": a clause, not a name
    if _is_abstract(name) or (_COUNT_AFTER.match(after) and not _ONE_AFTER.match(after)) or _NOT_AFTER.match(after):
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
        # A weak suffix (…中心, …基地) needs more than the city's or the country's name before it;
        # the district's or the city's own facility (区图书馆, 区应急指挥联动中心) is one site.
        specific = _specific(qualifier, wide_places=strength == 1) or bool(_own_facility(name)) or quoted
        site = _names_site(qualifier)
        zone_like = any(name.endswith(z) for z, _ in rules.ZONE_SUFFIXES)
        if zone_like and not (listed or sibling):
            return None  # 奥林匹克现代商业区 is a zone unless a list of sites says otherwise
        if suffix in _PROGRAMME and not _programme_names_site(suffix, qualifier, site):
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
        elif strength == 2 and (listed or sibling) and not not_sites:
            conf, why = 0.5, why + ["list" if listed else "enumerated with a named site"]
        elif listed and _has_site_word(qualifier):
            conf, why = 0.5, why + ["list", "names a physical thing"]  # 1、教育基础设施提升工程
        elif category is not None and category.group(1) in ("项目", "工程") and not not_sites:
            conf, why = 0.5, why + ["等 + category"]  # "国际会议中心、体育中心…等一批重大工程"
        elif quoted:
            conf, why = 0.6, why + ["quoted name"]  # 建设“众创空间”
        elif specific and _BUILT_AFTER.match(after):
            conf, why = 0.55, why + ["built or opened"]  # "…共性技术创新平台投入使用"
        elif _ONE_AFTER.match(after):
            conf, why = 0.5, why + ["counted as one"]  # "区级老年人综合服务中心1所"
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


_MODIFIERS = sorted(rules.STATUS_MODIFIERS, key=len, reverse=True)
_GENERIC_TRAIL = ("建设", "项目建设")
_REPRESENTATIVE = re.compile(r"”?为代表的(?:一批)?[^，,。；]{0,14}?(?:平台|项目|工程|企业|园区|基地|载体)")
_NOT_STATUS_VERBS = {"对", "在", "将", "把", "以", "与", "和", "及", "并", "由", "经", "向", "为", "围绕", "依托", "利用", "通过",
                     "采取", "结合", "借助", "发挥", "充分发挥", "按照", "根据", "其中", "包括", "如", "等", "是", "有"}
_VERB_AFTER = re.compile(r"[\u4e00-\u9fff]{2,6}?(?=$|[，,。；;、])")
_COORDINATED = re.compile(r"(?:和|及|与|以及)[^，。；]{1,30}?" + rules.ENUM_CATEGORY.pattern)
_WHEN = re.compile(r"(?:于|至|到|在)?(?:\d{4}年(?:\d{1,2}月)?|\d{1,2}月)(?:\d{1,2}日)?(?:前|底|末|以前)?(?=\S)")


def _status(ctx: Ctx, ca: int, cb: int, items, end: int, lead_words: str | None, header_words: str | None):
    """Status words of a name: predicate after the list, else the verb before it, else the list header."""
    text = ctx.text
    after_from = max(end, _name_end_of_last(ctx, items))
    rest = text[after_from:cb]
    category = None  # "等前期项目": a category that itself says the stage
    m = rules.ENUM_CATEGORY.match(rest)
    if m:
        phrase = re.sub(r"^等(?:一批|\d+[个家座处项所]|[一二三四五六七八九十]+[个家座处项所])?", "", m.group(0))
        if any(k in phrase for k in _status_words()):
            category = (after_from + m.end() - len(phrase), after_from + m.end())
        after_from += m.end()
        rest = text[after_from:cb]
    m = re.match(r"[（(][^（）()]{0,20}[）)]", rest)
    if m:  # "景区（点）", "（“十二五”中期评估后新增）"
        after_from += m.end()
        rest = text[after_from:cb]
    m = _COORDINATED.match(rest)
    if m:  # "A、B等历史文化街区和C、D等老厂房的保护": both lists share the predicate
        after_from += m.end()
        rest = text[after_from:cb]
    m = _REPRESENTATIVE.match(rest)
    if m:  # "以“大连光源”为代表的一批科技创新公共平台投入使用": the category it stands for
        after_from += m.end()
        rest = text[after_from:cb]
    m = _WHEN.match(rest)
    if m:  # "…工程至2017年11月20日全面竣工": the date is not the status
        after_from += m.end()
        rest = text[after_from:cb]
    after = None
    nominal = False
    keys = _status_words()
    hits = [(rest.find(k), k) for k in keys if k in rest]
    hits = [(pos, k) for pos, k in hits if pos == 0 or rest[pos - 1] != "为"]  # "以X为主体": a role, no status
    if any(v in rest[: min((h[0] for h in hits), default=0)] for v in _TITLE_VERBS):
        hits = []  # "X成为…发展的重要基地": what follows a title verb is no status
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
            if rest.startswith("工作", stop):
                stop += 2  # 前期工作, 征收工作: the work the stage names
            # The words start at the status word or the modal words and adverbs right before it
            # (力争, 年内, 相继, 已 …), not at whatever lies between the name and it.
            begin = pos
            while True:
                mod = next((w for w in _MODIFIERS if rest.endswith(w, 0, begin)), None)
                if mod is None:
                    break
                begin -= len(mod)
            if not re.search(r"[、等]", rest[:begin]):  # another list lies between: not this name's words
                after = (after_from + begin, after_from + stop)
                # "推动X的投产使用", "推动A、B特色化、差异化发展": the predicate is a noun the verb in
                # front governs, so the verb is the status.
                nominal = rest[:begin].endswith("的") or rest[:begin].endswith("化")
    # The verbs in front of the list: "采取社会投资方式完成" → 完成. With a status keyword they say
    # the stage; without one (深化, 做大做强, 重点加强) they are still the words a reviewer reads.
    lead, strong = _lead_verbs(ctx, ca, lead_words), False
    if lead:
        strong = any(k in lead[0] for k in keys)
    if category:
        # "推进A、B等前期项目" → 推进…前期项目; "A等8个前期项目加快推进" → 前期项目加快推进
        cs, ce = category
        if after and after[0] == ce:
            ce = after[1]
        words = text[cs:ce]
        if lead and strong:
            return f"{lead[0]}…{words}", (lead[1][0], ce)
        return words, (cs, ce)
    trail = text[after[0]:after[1]] if after else None
    if lead and trail and trail.endswith("工作") and after[0] == after_from:
        # "积极推进X前期工作": the verb in front and the work it is about (积极推进…前期工作)
        return f"{lead[0]}…{trail}", (lead[1][0], after[1])
    if trail and trail.strip() not in _GENERIC_TRAIL and not (nominal and lead and strong):
        return trail, after
    if lead and trail and trail.strip() in _GENERIC_TRAIL:
        # "全面启动X建设": the verb in front says the stage, 建设 what it is about (全面启动…建设)
        return f"{lead[0]}…{trail}", (lead[1][0], after[1])
    if lead and (strong or nominal):
        return lead
    if after:
        return text[after[0]:after[1]], after
    if header_words:
        return header_words, None
    m = _VERB_AFTER.match(text, after_from, cb)
    if m and ctx.tok_at.get(after_from) and ctx.tok_at[after_from].flag == "v":
        return m.group(0), (m.start(), m.end())  # "…等重点楼宇升级提档": words the rules do not know
    if lead:
        return lead
    return None, None


def _lead_verbs(ctx: Ctx, ca: int, lead_words: str | None) -> tuple[str, tuple[int, int]] | None:
    """The run of verbs and adverbs that ends the words in front of a list ("采取社会投资方式完成" → 完成)."""
    if not lead_words:
        return None
    words = lead_words.rstrip("，,、 ")
    start = ctx.text.find(words, ca)
    if start < 0:
        return None
    end = start + len(words)
    begin = end
    for t in reversed([t for t in ctx.toks if start <= t.start and t.end <= end]):
        if t.end != begin:
            break
        if t.flag[:1] in ("v", "d") or t.flag in ("ad", "vd", "vn") or t.word in rules.LEAD_WORDS or t.word in rules.STATUS_MODIFIERS:
            if t.word in _NOT_STATUS_VERBS:
                break  # 围绕, 依托, 采取 …: how, not what stage
            begin = t.start
        else:
            break
    return (ctx.text[begin:end], (begin, end)) if begin < end else None


def _name_end_of_last(ctx: Ctx, items) -> int:
    if not items:
        return 0
    a, b = items[-1]
    return _name_end(ctx, _strip_lead(ctx, a, b), b)[0]

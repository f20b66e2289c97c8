"""The one place where a plan's status words become a normalised status and a statement kind.

Plans describe progress in many phrasings (建成, 投入使用, 开工建设, 加快推进, 力争尽早开工 …).
zonemap keeps the words exactly as written on each mention and derives two things from them here,
so that each rule is written once and changed once:

* the **stage** the words name (``STAGE_RULES``: 建成 → completed, 开工 → under construction,
  征收 → preparation, 规划 → planned …);
* the **statement** the sentence makes (``classify``): a *fact* (something that happened: 建成,
  开门纳客, 开工, 封顶, 完成审批 …) or a *target* (something wanted: 力争, 争取, 确保, 推动 … in a
  plan's tasks). A fact attests its stage. A target attests at most ``planned`` — or ``preparation``
  where the words aim at pre-works (完成前期, 启动征收, 尽快收储) — and records the stage it aims at
  as ``target_status``.

How the status of a project *at a time* follows from its mentions is the business of
``projects.timeline``; this module only reads one sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum


class Status(str, Enum):
    """Normalised project status, from furthest along to least known."""

    completed = "completed"
    under_construction = "under_construction"
    preparation = "preparation"
    planned = "planned"
    unknown = "unknown"


STATUS_LABELS: dict[Status, tuple[str, str]] = {
    Status.completed: ("已建成", "Completed"),
    Status.under_construction: ("在建", "Under construction"),
    Status.preparation: ("前期准备", "In preparation"),
    Status.planned: ("规划", "Planned"),
    Status.unknown: ("未说明", "Not stated"),
}

# How far along each status is (higher = further).
RANK: dict[Status, int] = {
    Status.unknown: 0, Status.planned: 1, Status.preparation: 2,
    Status.under_construction: 3, Status.completed: 4,
}


def rank(status: Status | str | None) -> int:
    """How far along a status is: 0 (unknown) … 4 (completed)."""
    return RANK[Status(status)] if status else 0


class Statement(str, Enum):
    """What a sentence says about a project: that something happened, or that it is wanted."""

    fact = "fact"
    target = "target"


STATEMENT_LABELS: dict[Statement, tuple[str, str]] = {
    Statement.fact: ("事实", "Fact"),
    Statement.target: ("目标", "Target"),
}

# The parts of a document (declared per plan in the catalog, `parts`): a *review* reports what
# happened (a work report's look back at last year, a five-year plan's 发展基础/回顾 chapter); a
# *plan* sets tasks (the coming year's work, the five-year plan's 重点任务).
PARTS = ("review", "plan")

# --- 1. The stage the words name. Ordered: the first rule whose keyword occurs in the words wins,
# so the more specific phrase comes first. "A…B" matches A followed later by B (启动…建设).
STAGE_RULES: list[tuple[str, Status]] = [
    # about to finish / main works only: still being built
    ("即将", Status.under_construction),        # 即将竣工通车: about to finish, not finished
    ("主体完工", Status.under_construction),    # the main structure is done, fit-out remains
    ("启动…建设", Status.under_construction),   # to start building
    # pre-works named together with a completion verb: what is complete is the pre-works
    ("审批", Status.preparation),               # 完成所有手续审批
    ("准备", Status.preparation),               # 完成房屋征收前期各项准备工作
    ("前期", Status.preparation),
    ("征收", Status.preparation),
    ("收储", Status.preparation),
    ("动迁", Status.preparation),
    ("拆迁", Status.preparation),
    ("选址", Status.preparation),
    ("封顶", Status.under_construction),        # topped out: the shell is up, works continue
    ("贯通", Status.under_construction),        # 基础工程全线贯通: the civil works are through
    # finished: built, opened, in use, delivered, set up
    ("建成", Status.completed),
    ("达效", Status.completed),                 # 完工达效, 投产达效: finished and producing
    ("投产", Status.completed),
    ("营业", Status.completed),                 # 全面营业, 试营业
    ("纳客", Status.completed),                 # 开门纳客
    ("竣工", Status.completed),
    ("完工", Status.completed),
    ("落成", Status.completed),
    ("投入使用", Status.completed),
    ("投入运营", Status.completed),
    ("投用", Status.completed),
    ("启用", Status.completed),
    ("开业", Status.completed),
    ("开通", Status.completed),
    ("通车", Status.completed),
    ("开放", Status.completed),                 # 向市民开放
    ("运营", Status.completed),
    ("运行", Status.completed),
    ("完成", Status.completed),
    ("交付", Status.completed),
    ("挂牌", Status.completed),
    ("落户", Status.completed),
    ("落地", Status.completed),                 # 相继落地: the project has settled in the district
    ("入驻", Status.completed),
    ("迁入", Status.completed),
    ("成立", Status.completed),
    ("组建", Status.completed),
    # being built
    ("开工", Status.under_construction),
    ("在建", Status.under_construction),
    ("续建", Status.under_construction),
    ("实施建设", Status.under_construction),    # 实施建设项目: projects being built
    ("施工", Status.under_construction),
    ("主体", Status.under_construction),
    ("加快…建设", Status.under_construction),
    ("推进…建设", Status.under_construction),
    ("推动…建设", Status.under_construction),
    ("建设中", Status.under_construction),
    ("加快推进", Status.under_construction),
    ("加快", Status.under_construction),
    # being prepared: starting, relocation, land assembly
    ("启动", Status.preparation),
    ("筹备", Status.preparation),
    ("筹建", Status.preparation),
    ("搬迁", Status.preparation),
    ("招商", Status.preparation),
    ("推进", Status.preparation),
    ("推动", Status.preparation),
    # intended: planned, to be built, to be upgraded
    ("规划", Status.planned),
    ("谋划", Status.planned),
    ("策划", Status.planned),
    ("拟", Status.planned),
    ("新建", Status.planned),
    ("建设", Status.planned),
    ("改造", Status.planned),
    ("提升", Status.planned),
    ("打造", Status.planned),
    ("实施", Status.planned),
    ("构建", Status.planned),
    ("完善", Status.planned),
    ("保护", Status.planned),
    ("争取", Status.planned),
    ("引进", Status.planned),
    ("发展", Status.planned),
    ("培育", Status.planned),
]
STATUS_RULES = STAGE_RULES  # the name used before statements existed
# Stage keywords that name pre-works as such: a target aiming at them (完成前期, 启动征收, 尽快收储)
# attests that the project is in preparation. Other targets attest only that it is planned; the
# weak preparation words (推进, 推动, 招商) name no step, so a target with them attests planned.
PREWORKS: frozenset[str] = frozenset({
    "审批", "准备", "前期", "征收", "收储", "动迁", "拆迁", "选址", "启动", "筹备", "筹建", "搬迁",
})

# --- 2. Markers of the statement. Explicit futurity or aim makes a target wherever it stands;
# explicit completion or progress makes a fact, even in a plan's task list (已开工建设).
TARGET_MARKERS: list[str] = [
    "力争", "争取", "确保", "尽早", "尽快", "早日", "计划", "拟", "将", "谋划", "规划建设",
    "年内", "底前", "上半年", "下半年",
]
FACT_MARKERS: list[str] = [
    "已", "正在", "相继", "了",  # 已开工建设, 正在施工建设, 相继建成, 关闭了
]
# Task verbs: they state a target when nothing else tells (a plan's 推动X开工建设); in a review
# they report work done (恒力炼化一体化项目加快推进 = it was being pushed ahead).
TASK_VERBS: list[str] = [
    "推动", "推进", "加快", "加强", "积极", "全力", "全面推进", "重点", "实施", "启动", "促进",
    "打造", "建设", "新建", "提升", "改造", "完善", "强化", "做大", "培育", "规划", "谋划",
]
# Phrases that contain a target marker but are not targets: stripped before looking for one.
NOT_TARGETS: list[str] = ["即将"]  # 即将竣工通车 = about to be finished: progress, not an aim
# Markers looked for in the quote when the words and the part leave the statement open: only
# the unambiguous ones (计划 is also a noun, 将 also marks an object: 将双兴商品城打造成 …).
QUOTE_TARGET_MARKERS: list[str] = ["力争", "争取", "确保", "尽早", "尽快", "早日", "拟"]


def _pattern(keyword: str) -> re.Pattern:
    return re.compile(".*?".join(re.escape(k) for k in keyword.split("…")))


_STAGE = [(_pattern(k), k, s) for k, s in STAGE_RULES]


def _find(markers: list[str], text: str | None) -> str | None:
    if not text:
        return None
    for marker in markers:
        if _pattern(marker).search(text):
            return marker
    return None


def stage_of(words: str | None) -> tuple[Status, str | None]:
    """The stage the status words name and the rule keyword that decided it."""
    if not words:
        return Status.unknown, None
    for pattern, keyword, status in _STAGE:
        if pattern.search(words):
            return status, keyword
    return Status.unknown, None


def normalise_status(words: str | None) -> Status:
    """Map status words as written (e.g. ``"开工建设"``) to the stage they name (:class:`Status`).

    Returns ``Status.unknown`` when there are no words or none of the rules applies. This is the
    stage only: whether the sentence states it as a fact or a target is :func:`classify`'s job.
    """
    return stage_of(words)[0]


@dataclass(frozen=True)
class Classification:
    """How one sentence about a project reads.

    ``status``: what the sentence attests now (a fact: its stage; a target: ``planned``, or
    ``preparation`` when it aims at pre-works; ``unknown`` when the words name no stage).
    ``statement``: fact or target. ``target_status``: the stage a target aims at (None for a
    fact). ``stage``: the stage the words name. ``reason``: which rule decided, for people.
    """

    status: Status
    statement: Statement
    target_status: Status | None
    stage: Status
    reason: str


def _clause(quote: str, words: str | None) -> str:
    """The clause of the quote that holds the status words (up to them), or the whole quote."""
    end = len(quote)
    if words:
        at = quote.find(words.split("…")[0])
        if at >= 0:
            end = at
    start = max(quote.rfind(sep, 0, end) for sep in ",，;；。：:") + 1
    return quote[start:end]


def _quote_marker(quote: str | None, words: str | None) -> str | None:
    """A target marker before the words, or a task verb opening their clause (推动X开工建设);
    a verb inside a name (黑咀子…改造项目开工建设) does not count."""
    if not quote:
        return None
    clause = _clause(quote, words)
    if marker := _find(QUOTE_TARGET_MARKERS, clause):
        return marker
    return next((v for v in TASK_VERBS if clause.startswith(v)), None)


def classify(words: str | None, quote: str | None = None, part: str | None = None,
             plan_kind: str | None = None) -> Classification:
    """Classify one sentence's status words as a fact or a target, and the status they attest.

    ``words``: the status words exactly as written for this project (``"力争尽早开工建设"``; an
    ellipsis joins separated words: ``"推动…项目建设"``). ``quote``: the sentence (or the part of it
    about the project), consulted only where the words and the part leave the statement open.
    ``part``: the part of the document the sentence stands in — ``"review"`` (it reports what
    happened), ``"plan"`` (it sets tasks) or None when unknown. ``plan_kind`` (five_year_plan,
    sector_plan, work_report) is accepted for callers that know only the document's kind
    (``zonemap extract`` before a new plan's parts are declared); it does not decide: documents of
    every kind have a review part and a plan part, so give ``part`` when it is known.

    The rule, in order:

    1. a target marker in the words (力争, 争取, 确保, 尽早, 尽快, 早日, 计划, 拟, 将, 谋划, 规划建设,
       年内, 底前 …; not 即将 = about to) → target;
    2. a fact marker in the words (已, 正在, 相继, 了) → fact;
    3. the part: ``review`` → fact, ``plan`` → target;
    4. part unknown: a target marker (``QUOTE_TARGET_MARKERS``) in the quote's clause before the
       words, or a task verb (推动, 推进, 加快 …) opening that clause or the words → target;
       otherwise → fact (建成, 开工建设, 封顶 … report what happened).

    A fact attests the stage its words name (``STAGE_RULES``). A target attests ``planned``, or
    ``preparation`` when it aims at pre-works named as such (``PREWORKS``: 完成前期, 启动征收, 尽快收储), or
    ``unknown`` when its words name no stage; it records that stage as ``target_status``.
    Stable API: ``zonemap extract`` and the catalog loader both call it.
    """
    if part is not None and part not in PARTS:
        raise ValueError(f"part must be one of {', '.join(PARTS)} or None, not {part!r}")
    unmarked = words
    for phrase in NOT_TARGETS:
        unmarked = unmarked.replace(phrase, "…") if unmarked else unmarked
    if marker := _find(TARGET_MARKERS, unmarked):
        statement, why = Statement.target, f"target marker {marker!r} in the words"
    elif marker := _find(FACT_MARKERS, words):
        statement, why = Statement.fact, f"fact marker {marker!r} in the words"
    elif part == "review":
        statement, why = Statement.fact, "a review reports what happened"
    elif part == "plan":
        statement, why = Statement.target, "a plan's task"
    elif marker := _quote_marker(quote, words):
        statement, why = Statement.target, f"{marker!r} before the words in the quote"
    elif words and (marker := next((v for v in TASK_VERBS if words.startswith(v)), None)):
        statement, why = Statement.target, f"the words open with the task verb {marker!r}"
    else:
        statement, why = Statement.fact, "no marker of a target"
    return read_as(words, statement, why)


def read_as(words: str | None, statement: Statement | str, why: str = "") -> Classification:
    """What the words attest when the sentence is the given statement (a fact or a target).

    :func:`classify` decides the statement, then calls this; a catalog override of the statement
    calls it directly. A fact attests the stage its words name; a target attests ``planned``, or
    ``preparation`` when the stage it aims at is pre-works named as such (``PREWORKS``), or
    ``unknown`` when its words name no stage.
    """
    statement = Statement(statement)
    stage, keyword = stage_of(words)
    rule = f"stage {stage.value} from {keyword!r}" if keyword else "no stage word"
    reason = f"{why}; {rule}" if why else rule
    if statement is Statement.fact:
        return Classification(stage, statement, None, stage, reason)
    if stage is Status.unknown:
        attested = Status.unknown
    elif stage is Status.preparation and keyword in PREWORKS:
        attested = Status.preparation
    else:
        attested = Status.planned
    return Classification(attested, statement, stage if stage is not Status.unknown else None, stage, reason)

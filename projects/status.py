"""The one place where a plan's status words become a normalised project status.

Plans describe progress in many phrasings (建成, 投入使用, 开工建设, 加快推进, 启动, 规划建设 …).
zonemap keeps the words exactly as written on each mention and derives the normalised status
from them here, so the rule is documented once and can be changed once.
"""

from __future__ import annotations

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

# Ordered: the first rule whose keyword occurs in the status words wins, so the more specific
# phrase comes first (开工建设 before 建设, 启动建设 before 启动, 建成投用 before 投用).
STATUS_RULES: list[tuple[str, Status]] = [
    # finished: built, opened, in use, delivered
    ("即将", Status.under_construction),  # 即将竣工通车: about to finish, not finished
    ("力争", Status.under_construction),  # 力争…完工: a target for the year
    ("建成", Status.completed),
    ("达效", Status.completed),  # 完工达效, 投产达效: finished and producing
    ("投产", Status.completed),
    ("营业", Status.completed),  # 全面营业, 试营业
    ("纳客", Status.completed),  # 开门纳客
    ("封顶", Status.under_construction),
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
    ("运营", Status.completed),
    ("完成", Status.completed),
    ("交付", Status.completed),
    ("挂牌", Status.completed),
    ("落户", Status.completed),
    ("入驻", Status.completed),
    ("迁入", Status.completed),
    # being built
    ("开工", Status.under_construction),
    ("在建", Status.under_construction),
    ("续建", Status.under_construction),
    ("施工", Status.under_construction),
    ("主体", Status.under_construction),
    ("加快建设", Status.under_construction),
    ("加快推进", Status.under_construction),
    ("加快", Status.under_construction),
    ("推进建设", Status.under_construction),
    ("建设中", Status.under_construction),
    # being prepared: starting, pre-works, relocation, demolition, land assembly
    ("启动", Status.preparation),
    ("前期", Status.preparation),
    ("收储", Status.preparation),
    ("选址", Status.preparation),
    ("筹备", Status.preparation),
    ("筹建", Status.preparation),
    ("征收", Status.preparation),
    ("动迁", Status.preparation),
    ("拆迁", Status.preparation),
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


def normalise_status(words: str | None) -> Status:
    """Map status words as written (e.g. ``"开工建设"``) to a :class:`Status`.

    Returns ``Status.unknown`` when there are no words or none of the rules applies.
    """
    if not words:
        return Status.unknown
    for keyword, status in STATUS_RULES:
        if keyword in words:
            return status
    return Status.unknown

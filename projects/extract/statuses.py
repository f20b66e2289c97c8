"""The one adapter between ``extract`` and the status rules of :mod:`projects.status`.

``extract`` never decides what status words mean: it finds them in the text and asks
:mod:`projects.status`, the same rules the catalog is loaded with. Keeping the call in this one
function lets the status vocabulary grow (fact/target classification) without touching the
extraction rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from projects import status as _status


@dataclass(frozen=True)
class StatusReading:
    """What the status rules say about a mention's status words."""

    status: str  # completed | under_construction | preparation | planned | unknown
    statement: str | None  # fact | target, when the status rules classify it; else None
    target_status: str | None  # for a target: the status it aims at


def read_status(words: str | None, quote: str | None = None, plan_kind: str | None = None) -> StatusReading:
    """Normalised status (and fact/target, where :mod:`projects.status` offers it) of status words."""
    classify = getattr(_status, "classify", None)
    if classify is not None:  # the fact/target classifier, once it exists
        c = classify(words, quote=quote, plan_kind=plan_kind)
        value = lambda v: getattr(v, "value", v)  # noqa: E731 - enum or plain string
        return StatusReading(value(c.status), value(getattr(c, "statement", None)), value(getattr(c, "target_status", None)))
    return StatusReading(_status.normalise_status(words).value, None, None)


def status_keywords() -> list[str]:
    """Every keyword the status rules know (to find status words in a sentence)."""
    return [kw for kw, _ in _status.STATUS_RULES]

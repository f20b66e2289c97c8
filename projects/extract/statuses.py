"""The one adapter between ``extract`` and the status rules of :mod:`projects.status`.

``extract`` never decides what status words mean: it finds them in the text and asks
:mod:`projects.status`, the same rules the catalog is loaded with. Keeping the call in this one
function lets the status vocabulary grow (fact/target classification, the parts of a document)
without touching the extraction rules.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from functools import lru_cache

from projects import status as _status


@dataclass(frozen=True)
class StatusReading:
    """What the status rules say about a mention's status words."""

    status: str  # completed | under_construction | preparation | planned | unknown
    statement: str | None  # fact | target, when the status rules classify it; else None
    target_status: str | None  # for a target: the status it aims at
    reason: str | None = None  # which rule decided, when the status rules say


@lru_cache(maxsize=1)
def _classify_takes_part() -> bool:
    classify = getattr(_status, "classify", None)
    return classify is not None and "part" in inspect.signature(classify).parameters


def read_status(words: str | None, quote: str | None = None, plan_kind: str | None = None,
                part: str | None = None) -> StatusReading:
    """Normalised status (and fact/target, where :mod:`projects.status` offers it) of status words.

    ``part`` is the part of the document the sentence stands in (``review`` | ``plan``), when known.
    """
    classify = getattr(_status, "classify", None)
    if classify is not None:  # the fact/target classifier
        kwargs = {"quote": quote, "plan_kind": plan_kind}
        if _classify_takes_part():
            kwargs["part"] = part
        c = classify(words, **kwargs)
        value = lambda v: getattr(v, "value", v)  # noqa: E731 - enum or plain string
        return StatusReading(value(c.status), value(getattr(c, "statement", None)),
                             value(getattr(c, "target_status", None)), getattr(c, "reason", None))
    return StatusReading(_status.normalise_status(words).value, None, None)


def status_keywords() -> list[str]:
    """Every keyword the status rules know (to find status words in a sentence).

    A rule of separated words ("推动…建设") gives each of its words.
    """
    out: list[str] = []
    for kw, _ in _status.STATUS_RULES:
        for part in kw.split("…"):
            if part and part not in out:
                out.append(part)
    return out

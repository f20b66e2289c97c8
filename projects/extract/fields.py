"""The draft fields ``zonemap extract`` writes and the one rule the loader applies to them.

A draft entry carries ``review`` (``pending`` → ``accepted`` | ``rejected``), ``confidence``
(0–1), ``match`` (how a mention found its catalog project) and ``proposed`` (what the rules
read). The loader (:func:`projects.dataset.read_catalog_files`) passes every catalog record
through :func:`reviewed`: a pending entry is an error naming file, entry and field; a rejected
entry is not loaded; an accepted (or hand-written) entry is loaded without its draft fields.

Light on purpose: the loader imports this module, nothing here imports jieba.
"""

from __future__ import annotations

from geo.errors import DataProblem

REVIEW = "review"
REVIEW_STATES = ("pending", "accepted", "rejected")
# Draft-only fields, on entries and on the records nested in them (zones, inline mentions).
DRAFT_FIELDS = ("review", "confidence", "match", "proposed")
NESTED = {"layouts": "zones", "projects": "mentions"}


def entry_label(record: dict) -> str | None:
    """How an entry is named in messages: its id, or "mention of <project>"."""
    if record.get("id"):
        return str(record["id"])
    if record.get("project"):
        return f"mention of {record['project']}"
    return None


def reviewed(section: str, label: str, records: list, problems: list[DataProblem]) -> list:
    """The records of one catalog section as the loader reads them (see the module docstring)."""
    out = []
    for r in records:
        if not isinstance(r, dict) or not any(f in r for f in DRAFT_FIELDS):
            out.append(r)
            continue
        state = r.get(REVIEW)
        if state == "rejected":
            continue
        if state == "pending":
            problems.append(DataProblem(
                label, entry_label(r), REVIEW,
                f"draft entry not reviewed yet (review: pending): accept, edit or reject it with `zonemap review {label}`; nothing unreviewed is loaded",
            ))
            continue
        if state != "accepted":
            found = "no review field" if REVIEW not in r else f"found {state!r}"
            problems.append(DataProblem(label, entry_label(r), REVIEW, f"a draft entry needs review: {' | '.join(REVIEW_STATES)}; {found}"))
            continue
        out.append(strip_draft_fields(section, r))
    return out


def strip_draft_fields(section: str, record: dict) -> dict:
    """A copy of ``record`` without draft fields, nested records included."""
    clean = {k: v for k, v in record.items() if k not in DRAFT_FIELDS}
    nested = NESTED.get(section)
    if nested and isinstance(clean.get(nested), list):
        clean[nested] = [{k: v for k, v in sub.items() if k not in DRAFT_FIELDS} if isinstance(sub, dict) else sub
                         for sub in clean[nested]]
    return clean

"""A project's status in time: the one answer to "what was its status at the end of year t".

Every mention is dated and classified once, when the catalog is read (:func:`read_mention`):

* a **fact** holds from the year the text gives (``year``), else the year its part of the document
  reports up to (a 13th FYP's review of the 12th FYP: 2015), else the document's own year;
* a **target** is dated at the document's year (it is said then) and aims at ``target_year``: the
  year the text gives, else the year its part of the document aims at, else the end of the plan's
  period (a 13th FYP task with no year aims at 2020, the end of the plan's period, declared as the
  year of the plan's 规划任务 part in the catalog), else the document's year.

The status at the end of year t (:func:`status_at`) is the most advanced status attested at or
before t: a fact attests its stage; a target attests at most ``planned`` (``preparation`` when it
aims at pre-works), so targets never raise a project past what facts show. A later, *lower* fact
lowers the status only when its mention records why (``status_change_reason``: halted, demolished
…); a new phase of a project is a separate project in the catalog, not a lowering. The pending
target is the latest target that the status has not reached.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass

from projects.status import PARTS, Statement, Status, classify, rank, read_as



def plan_date(plan: dict) -> dt.date:
    """When a plan speaks: its date, else 1 January of its year, else the start of its period."""
    if plan.get("date"):
        return plan["date"]
    if plan.get("year"):
        return dt.date(int(plan["year"]), 1, 1)
    period = str(plan.get("period") or "")
    if period[:4].isdigit():
        return dt.date(int(period[:4]), 1, 1)
    return dt.date.min


def period_end(plan: dict) -> int | None:
    """The last year of a plan's period (``2021-2025`` → 2025), or None."""
    years = re.findall(r"\d{4}", str(plan.get("period") or ""))
    return int(years[-1]) if years else None


def part_of(plan: dict, section: str | None) -> dict | None:
    """The part of the document a section belongs to: the first of the plan's ``parts`` whose
    ``section`` the mention's section starts with; None when the plan declares no parts."""
    for part in plan.get("parts") or []:
        if (section or "").startswith(part["section"]):
            return part
    return None


def read_mention(mention: dict, plan: dict) -> dict:
    """Classify and date one catalog mention; returns the fields the timeline reads.

    ``statement``, ``status`` (what it attests), ``target_status``, ``target_year``,
    ``status_year`` (the year its statement holds from) and ``statement_rule`` (why). Overrides
    in the mention (``status``, ``statement``, ``target_status``) win over the rule.
    """
    part = part_of(plan, mention.get("section"))
    kind = part["part"] if part else None
    overrides = mention.get("_overrides") or {}
    cls = classify(mention.get("status_words"), mention.get("quote"), kind)
    statement = Statement(overrides.get("statement") or cls.statement)
    if statement is cls.statement:
        status, target, rule = cls.status, cls.target_status, cls.reason
    else:  # the catalog overrides the statement: read the words as that statement
        flipped = read_as(mention.get("status_words"), statement, "statement set in the catalog")
        status, target, rule = flipped.status, flipped.target_status, flipped.reason
    if overrides.get("status"):
        status = Status(overrides["status"])
        rule += f"; status set in the catalog ({status.value})"
    if overrides.get("target_status"):
        target = Status(overrides["target_status"])
        rule += f"; target status set in the catalog ({target.value})"
    said = plan_date(plan).year
    if statement is Statement.fact:
        holds = mention.get("year") or (part["year"] if part and part["part"] == "review" and part.get("year") else None) or said
        target_year = None
        target = None
    else:
        holds = said
        target_year = (mention.get("year") or (part["year"] if part and part["part"] == "plan" and part.get("year") else None)
                       or period_end(plan) or said)
    return {
        "statement": statement.value, "status": status.value,
        "target_status": target.value if target else None, "target_year": target_year if target else None,
        "status_year": holds, "statement_rule": rule,
    }


@dataclass(frozen=True)
class Basis:
    """The mention a status rests on: its document, the year it holds from, its words."""

    plan: str
    year: int | None
    words: str | None


@dataclass(frozen=True)
class Standing:
    """A project's status at a time, what it rests on, and the target still pending then."""

    status: str
    status_year: int | None
    basis: Basis | None
    target_status: str | None = None
    target_year: int | None = None
    target_basis: Basis | None = None
    change_reason: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def _basis(m: dict) -> Basis:
    return Basis(m["plan_id"], m.get("status_year"), m.get("status_words"))


def _key(m: dict, plans: dict[str, dict] | None) -> tuple:
    pdate = plan_date(plans[m["plan_id"]]) if plans and m["plan_id"] in plans else dt.date.min
    return (m.get("status_year") or pdate.year, pdate, rank(m.get("status")))


def in_date_order(mentions: list[dict], plans: dict[str, dict] | None = None) -> list[dict]:
    """Mentions from the earliest to the latest (by the year each holds from, then document date)."""
    return sorted(mentions, key=lambda m: _key(m, plans))


def _walk(ordered: list[dict]):
    """Yield (mention, status, basis mention, change reason) after each mention, in date order."""
    status, basis, reason = None, None, None
    for m in ordered:
        attested = m.get("status") or Status.unknown.value
        lowering = m.get("statement") == Statement.fact.value and m.get("status_change_reason")
        if status is None or rank(attested) > rank(status):
            status, basis, reason = attested, m, None
        elif lowering and rank(attested) < rank(status):
            status, basis, reason = attested, m, m["status_change_reason"]
        yield m, status, basis, reason


def status_at(mentions: list[dict], plans: dict[str, dict] | None = None, year: int | None = None) -> Standing | None:
    """The status at the end of ``year`` (now when None); None when no mention is dated by then.

    ``mentions`` carry the fields of :func:`read_mention` plus ``plan_id``, ``status_words`` and
    ``status_change_reason``; ``plans`` (id → plan) only break ties within a year by document date.
    """
    ordered = [m for m in in_date_order(mentions, plans) if year is None or (m.get("status_year") or 0) <= year]
    if not ordered:
        return None
    *_, (_, status, basis, reason) = _walk(ordered)
    target = pending_target(ordered, status, plans)
    return Standing(
        status=status, status_year=basis.get("status_year"), basis=_basis(basis),
        target_status=target["target_status"] if target else None,
        target_year=target["target_year"] if target else None,
        target_basis=_basis(target) if target else None, change_reason=reason,
    )


def pending_target(mentions: list[dict], status: str, plans: dict[str, dict] | None = None) -> dict | None:
    """The target not yet reached by ``status``: of the targets aiming past it, the one said
    latest (then the furthest, then the latest aimed at); None when every target is reached."""
    open_ = [m for m in mentions if m.get("statement") == Statement.target.value and m.get("target_status")
             and rank(m["target_status"]) > rank(status)]
    if not open_:
        return None
    return max(open_, key=lambda m: (_key(m, plans)[:2], rank(m["target_status"]), m.get("target_year") or 0))


def periods(mentions: list[dict], plans: dict[str, dict] | None = None) -> list[dict]:
    """The status periods of a project: ``[{from_year, to_year, status, plan_id, words, reason}]``,
    ``to_year`` inclusive and None for the period still running. A year's status is the one at
    its end, so a status reached and passed within one year has no period of its own."""
    by_year: dict[int, tuple] = {}
    for m, status, basis, reason in _walk(in_date_order(mentions, plans)):
        by_year[m.get("status_year") or 0] = (status, basis, reason)
    out: list[dict] = []
    for year in sorted(by_year):
        status, basis, reason = by_year[year]
        if out and out[-1]["status"] == status:
            continue
        if out:
            out[-1]["to_year"] = year - 1
        out.append({"from_year": year, "to_year": None, "status": status, "plan_id": basis["plan_id"],
                    "words": basis.get("status_words"), "reason": reason})
    return out


def status_timeline(mentions: list[dict], plans: dict[str, dict] | None = None) -> list[dict]:
    """The compact timeline: ``[{"year": 2015, "status": "under_construction"}, …]``, one entry per
    year in which the status (at the year's end) changes; the first entry is the first mention."""
    return [{"year": p["from_year"], "status": p["status"]} for p in periods(mentions, plans)]


def as_seen_by(mentions: list[dict], plan_id: str, plans: dict[str, dict] | None = None) -> Standing | None:
    """The status as one document states it: the rule applied to that document's mentions alone
    (its facts, and its targets attesting planned or preparation); None when it does not mention
    the project."""
    return status_at([m for m in mentions if m["plan_id"] == plan_id], plans)


def check_parts(raw) -> tuple[list[dict], list[tuple[str, str]]]:
    """Validate a plan's ``parts``: ``[{section, part: review|plan, year}]``, in order.

    Returns the parts and the problems as (field, message) pairs."""
    problems: list[tuple[str, str]] = []
    parts: list[dict] = []
    if raw is None:
        return parts, problems
    if not isinstance(raw, list):
        return parts, [("parts", f"expected a list of {{section, part, year}}, found {raw!r}")]
    for n, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            problems.append((f"parts[{n}]", f"expected {{section, part, year}}, found {item!r}"))
            continue
        section, kind, year = item.get("section"), item.get("part"), item.get("year")
        if not isinstance(section, str) or not section:
            problems.append((f"parts[{n}].section", f"expected the start of the section names it covers, found {section!r}"))
        if kind not in PARTS:
            problems.append((f"parts[{n}].part", f"expected one of {', '.join(PARTS)}, found {kind!r}"))
        if year is not None and (isinstance(year, bool) or not isinstance(year, int) or not 1949 <= year <= 2100):
            problems.append((f"parts[{n}].year", f"expected a year (1949–2100) or nothing, found {year!r}"))
        unknown = set(item) - {"section", "part", "year"}
        if unknown:
            problems.append((f"parts[{n}]", f"unknown field(s) {', '.join(sorted(unknown))}; expected section, part, year"))
        parts.append({"section": section, "part": kind, "year": year})
    return parts, problems

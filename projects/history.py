"""A project's status history: its mentions in date order, and the latest status."""

from __future__ import annotations

import datetime as dt

from projects.status import Status

# How far along each status is: breaks ties between mentions of the same date.
PROGRESS = {
    Status.unknown.value: 0, Status.planned.value: 1, Status.preparation.value: 2,
    Status.under_construction.value: 3, Status.completed.value: 4,
}


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


def mention_key(mention: dict, plans: dict[str, dict]) -> tuple:
    """Sort key: the year the status holds (or the plan's), the plan's date, then progress."""
    pdate = plan_date(plans[mention["plan_id"]])
    year = mention.get("year") or pdate.year
    return (year, pdate, PROGRESS.get(mention["status"], 0))


def in_date_order(mentions: list[dict], plans: dict[str, dict]) -> list[dict]:
    """Mentions from the earliest to the latest."""
    return sorted(mentions, key=lambda m: mention_key(m, plans))


def latest(mentions: list[dict], plans: dict[str, dict]) -> dict | None:
    """The mention that gives a project's current status (the latest in date order)."""
    ordered = in_date_order(mentions, plans)
    return ordered[-1] if ordered else None

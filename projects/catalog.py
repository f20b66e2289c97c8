"""Validating the catalog's industries, projects and their mentions."""

from __future__ import annotations

from geo.errors import DataProblem
from geo.records import MAX_QUOTE, RecordChecker
from projects.status import Statement, Status

# Why a later, lower fact may lower a project's status (projects.timeline reads it).
STATUS_CHANGE_REASONS = ("halted", "cancelled", "demolished", "closed", "rebuilding")

PROJECT_KINDS = (
    "plot_redevelopment", "old_town_renewal", "building", "complex", "market", "park", "square",
    "road", "tunnel", "bridge", "metro", "rail", "port", "airport", "school", "hospital", "museum",
    "culture_venue", "sports_venue", "industrial_park", "innovation_park", "hotel", "tourism",
    "utility", "housing", "elderly_care", "other",
)
STATUSES = tuple(s.value for s in Status)
STATEMENTS = tuple(s.value for s in Statement)

# Every field each kind of record may carry (anything else is reported as unknown). A new field
# is one more name here, read by the check function below.
INDUSTRY_GROUP_FIELDS = ("id", "name_zh", "name_en", "cite")
INDUSTRY_FIELDS = (*INDUSTRY_GROUP_FIELDS, "groups")
PROJECT_FIELDS = ("id", "name_zh", "name_en", "aliases", "alias_note", "kind", "district", "industries", "streets", "mentions")
MENTION_FIELDS = ("plan", "section", "status_words", "status", "status_note", "year", "zone_as_written", "zone",
                  "zone_note", "industries", "investment", "quote",
                  "statement", "target_status", "statement_note", "status_change_reason")
# A mention outside its project's entry (the top-level ``mentions:`` section) names the project.
STANDALONE_MENTION_FIELDS = ("project", *MENTION_FIELDS)


def check_industry_group(raw, file: str, problems: list[DataProblem], fields=INDUSTRY_GROUP_FIELDS) -> dict:
    """One industry group record → a row for ``industry_groups``."""
    c = RecordChecker(problems, file, raw, fields=fields)
    cite = c.cite() or {}
    return {
        "id": c.slug(), "name_zh": c.text("name_zh"), "name_en": c.text("name_en"),
        "plan_id": cite.get("plan"), "section": cite.get("section"), "quote": cite.get("quote"),
    }


def check_industry(raw, file: str, problems: list[DataProblem]) -> dict:
    """One industry record → a row for ``industries`` (``_groups``: its group ids)."""
    row = check_industry_group(raw, file, problems, fields=INDUSTRY_FIELDS)
    row["_groups"] = RecordChecker(problems, file, raw).id_list("groups") if isinstance(raw, dict) else []
    return row


def check_project(raw, file: str, problems: list[DataProblem]) -> tuple[dict, list[dict]]:
    """One project record → a row for ``projects`` and rows for its inline mentions."""
    c = RecordChecker(problems, file, raw, fields=PROJECT_FIELDS)
    project = {
        "id": c.slug(),
        "name_zh": c.text("name_zh"),
        "name_en": c.text("name_en", required=False),
        "aliases": c.text_list("aliases"),
        "alias_note": c.text("alias_note", required=False),
        "kind": c.choice("kind", PROJECT_KINDS),
        "district": c.text("district", required=False),
        "_industries": c.id_list("industries"),
        "_streets": c.id_list("streets"),
    }
    raw_mentions = c.record.get("mentions")
    if not isinstance(raw_mentions, list) or not raw_mentions:
        c.fail("mentions", "expected at least one mention: a project exists in the catalog because a document names it")
        raw_mentions = []
    mentions = [
        check_mention(m, file, problems, project_id=project["id"], where=f"{project['id']} mention #{n}")
        for n, m in enumerate(raw_mentions, start=1)
    ]
    return project, mentions


def check_mention(raw, file: str, problems: list[DataProblem], project_id: str | None = None, where: str | None = None) -> dict:
    """One mention (inline in a project, or top-level with ``project``) → a row for ``mentions``."""
    c = RecordChecker(problems, file, raw, item=where,
                      fields=MENTION_FIELDS if project_id is not None else STANDALONE_MENTION_FIELDS)
    if project_id is None:
        project_id = c.slug("project")
        c.item = f"mention of {project_id}"
    words = c.text("status_words", required=False)
    explicit = c.choice("status", STATUSES, required=False)
    note = c.text("status_note", required=False)
    if explicit and not note:
        c.fail("status_note", "an explicit status overrides the mapping from status words: say why")
    statement = c.choice("statement", STATEMENTS, required=False)
    target = c.choice("target_status", STATUSES, required=False)
    statement_note = c.text("statement_note", required=False)
    if (statement or target) and not statement_note:
        c.fail("statement_note", "an explicit statement or target_status overrides the fact/target rule of projects/status.py: say why")
    change = c.choice("status_change_reason", STATUS_CHANGE_REASONS, required=False)
    if change and not note:
        c.fail("status_note", "a status_change_reason lowers the project's status: say what happened in status_note")
    return {
        "project_id": project_id,
        "plan_id": c.slug("plan"),
        "section": c.text("section", required=False),
        "status_words": words,
        # status, statement, target_status/target_year and status_year are derived by
        # projects.timeline.read_mention once the plan (its parts and date) is known.
        "_overrides": {"status": explicit, "statement": statement, "target_status": target},
        "status_note": note,
        "statement_note": statement_note,
        "status_change_reason": change,
        "year": c.integer("year", 1949, 2100),
        "zone_as_written": c.text("zone_as_written", required=False),
        "zone_id": c.slug("zone") if c.record.get("zone") is not None else None,
        "zone_note": c.text("zone_note", required=False),
        "industries": c.id_list("industries"),
        "investment": _investment(c),
        "quote": c.text("quote", max_len=MAX_QUOTE),
    }


def _investment(c: RecordChecker) -> str | None:
    """An investment as written (text), or a plain number written without its unit."""
    value = c.record.get("investment")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value) if value == value and abs(value) != float("inf") else c.text("investment", required=False)
    return c.text("investment", required=False)

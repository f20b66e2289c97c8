"""Checking hand-edited catalog records field by field, collecting every problem with its place."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from geo.errors import DataProblem

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_QUOTE = 80


class RecordChecker:
    """Field checks for one catalog record; problems name the file, the record id and the field."""

    def __init__(self, problems: list[DataProblem], file: str, record: Any, item: str | None = None, prefix: str = ""):
        self.problems = problems
        self.prefix = prefix
        self.file = file
        self.record = record if isinstance(record, dict) else {}
        self.item = item or (str(self.record.get("id")) if self.record.get("id") else None)
        if not isinstance(record, dict):
            self.fail(None, f"expected a mapping of fields, found {type(record).__name__}")

    def fail(self, field: str | None, message: str) -> None:
        self.problems.append(DataProblem(self.file, self.item, f"{self.prefix}{field}" if field else self.prefix.rstrip(".") or None, message))

    def slug(self, field: str = "id") -> str | None:
        value = self.record.get(field)
        if not isinstance(value, str) or not SLUG.match(value):
            self.fail(field, f"expected an ASCII slug like 'xg13-zhanbei' ([a-z0-9-]), found {value!r}")
            return None
        return value

    def text(self, field: str, required: bool = True, max_len: int | None = None) -> str | None:
        value = self.record.get(field)
        if value is None or value == "":
            if required:
                self.fail(field, "missing: expected text")
            return None
        if not isinstance(value, str):
            self.fail(field, f"expected text, found {type(value).__name__} {value!r}")
            return None
        if max_len and len(value) > max_len:
            self.fail(field, f"too long: {len(value)} characters, at most {max_len}")
        return value

    def choice(self, field: str, allowed, required: bool = True) -> str | None:
        value = self.record.get(field)
        if value is None and not required:
            return None
        if value not in allowed:
            self.fail(field, f"expected one of {', '.join(allowed)}; found {value!r}")
            return None
        return value

    def integer(self, field: str, lo: int | None = None, hi: int | None = None) -> int | None:
        value = self.record.get(field)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or (lo is not None and value < lo) or (hi is not None and value > hi):
            self.fail(field, f"expected a whole number between {lo} and {hi}, found {value!r}")
            return None
        return value

    def date(self, field: str) -> dt.date | None:
        value = self.record.get(field)
        if value is None:
            return None
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(field, f"expected an ISO date YYYY-MM-DD, found {value!r}")
            return None

    def id_list(self, field: str) -> list[str]:
        value = self.record.get(field)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) and SLUG.match(v) for v in value):
            self.fail(field, f"expected a list of ids, found {value!r}")
            return []
        return value

    def text_list(self, field: str) -> list[str]:
        value = self.record.get(field)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.fail(field, f"expected a list of names, found {value!r}")
            return []
        return value

    def cite(self, field: str = "cite", required: bool = True) -> dict | None:
        """A citation ``{plan, section, quote}``; the plan reference is resolved by the caller."""
        value = self.record.get(field)
        if value is None:
            if required:
                self.fail(field, "missing: every fact cites its document {plan, section, quote}")
            return None
        if not isinstance(value, dict):
            self.fail(field, "expected {plan, section, quote}")
            return None
        sub = RecordChecker(self.problems, self.file, value, self.item, prefix=f"{self.prefix}{field}.")
        plan = sub.text("plan")
        section = sub.text("section", required=False)
        quote = sub.text("quote", max_len=MAX_QUOTE)
        return {"plan": plan, "section": section, "quote": quote}

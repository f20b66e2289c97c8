"""Errors a user can act on: which file, which feature or entry, which field, what was expected."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DataProblem:
    """One problem found in the data files."""

    file: str
    item: str | None  # the feature or catalog entry id, when there is one
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.item:
            where += f": {self.item}"
        if self.field:
            where += f": field '{self.field}'"
        return f"{where}: {self.message}"


class DataError(Exception):
    """Raised when the data files are not valid; carries every problem found, not just the first."""

    def __init__(self, problems: list[DataProblem]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the data files:\n{lines}")


class WriteError(Exception):
    """The database could not be written (no space, no permission, a read-only file system, a
    database refusal, or a new database that failed its verification). Nothing was changed: the
    message says what happened and where, never the rows or the SQL."""


def excerpt(value, limit: int = 60) -> str:
    """``repr`` of ``value``, cut to about ``limit`` characters: error messages quote the bad
    value without dumping a 12 KB row or a million coordinates."""
    text = repr(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text)} characters)"

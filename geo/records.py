"""Reading and checking hand-edited catalog records, collecting every problem with its place.

Three rules live here, for every kind of record:

- files are read with errors that name the file (missing, unreadable, a directory, not UTF-8,
  too large), never a traceback;
- YAML is read with :class:`CatalogLoader`: safe, no anchors or aliases (an alias bomb stops at
  its first ``*``), no duplicate keys, dates left as text for :meth:`RecordChecker.date`;
- a record may carry only the fields its type declares (``fields=``; one tuple per record type,
  next to its checker), and every value must fit its database column (:func:`check_row`, which
  reads the lengths and types from the SQLAlchemy tables: the validator and the schema are one).
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import stat
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml

from geo.errors import DataProblem, excerpt

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_QUOTE = 80
# Catalog files are text typed by people; a bigger file is a mistake (or an attack), not a catalog.
MAX_YAML_BYTES = 16 * 2**20
# A PostgreSQL INTEGER: the widest whole number both databases store in an Integer column.
INT_RANGE = (-(2**31), 2**31 - 1)


# --- Files ---------------------------------------------------------------------------------------

def read_file_text(path: Path, label: str, problems: list[DataProblem], max_bytes: int, kind: str) -> str | None:
    """The UTF-8 text of ``path``, or None after recording why it cannot be read."""
    try:
        if path.is_dir():
            problems.append(DataProblem(label, None, None, f"is a directory; expected a {kind} file"))
            return None
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            problems.append(DataProblem(label, None, None, f"not a regular file (a pipe, socket or device); expected a {kind} file"))
            return None
        too_big = f"a {kind} file may have at most {max_bytes / 2**20:.0f} MiB"
        if st.st_size > max_bytes:
            problems.append(DataProblem(label, None, None, f"the file is {st.st_size / 2**20:.1f} MiB; {too_big}"))
            return None
        with path.open("rb") as f:
            data = f.read(max_bytes + 1)  # a file growing while it is read stops here too
        if len(data) > max_bytes:
            problems.append(DataProblem(label, None, None, f"the file grew beyond the limit while being read; {too_big}"))
            return None
    except FileNotFoundError:
        problems.append(DataProblem(label, None, None, "the file vanished while the data was being read (or is a broken link)"))
        return None
    except OSError as exc:
        problems.append(DataProblem(label, None, None, f"cannot read the file: {exc.strerror or exc}"))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(DataProblem(label, None, None, f"not valid UTF-8: byte 0x{data[exc.start]:02x} at position {exc.start}"))
        return None
    return text.removeprefix("\ufeff")


class CatalogLoader(yaml.SafeLoader):
    """PyYAML's safe loader, stricter: no anchors/aliases, no duplicate keys, dates as text."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, f"aliases (*{event.anchor}) are not allowed in the catalog: write the value out", event.start_mark)
        event = self.peek_event()
        if getattr(event, "anchor", None):
            raise yaml.composer.ComposerError(None, None, f"anchors (&{event.anchor}) are not allowed in the catalog: write the value out", event.start_mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(None, None, "a mapping key must be plain text", key_node.start_mark) from None
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {excerpt(key)} (first at line {seen[key].line + 1})", key_node.start_mark)
            seen[key] = key_node.start_mark
        return super().construct_mapping(node, deep=deep)


# Dates stay text: PyYAML would turn 2016-13-45 into an exception, not a message.
CatalogLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(text: str, label: str, problems: list[DataProblem]) -> Any:
    """Parse catalog YAML; on error record one problem (with line and column) and return None."""
    try:
        return yaml.load(text, Loader=CatalogLoader)  # noqa: S506 - CatalogLoader is a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        problems.append(DataProblem(label, None, None, f"not valid YAML{where}: {str(problem)[:200]}"))
    except RecursionError:
        problems.append(DataProblem(label, None, None, "not valid YAML: nested too deeply"))
    return None


# --- Records ---------------------------------------------------------------------------------------

def _suggest(name: str, known) -> str:
    close = difflib.get_close_matches(str(name), list(known), n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""


def unknown_fields(record: dict, known, what: str = "field") -> list[tuple[str, str]]:
    """(field, message) for every key of ``record`` not in ``known``."""
    out = []
    for key in record:
        if key not in known:
            out.append((excerpt(key, 40).strip("'") if isinstance(key, str) else excerpt(key, 40),
                        f"unknown {what}{_suggest(key, known)}; expected one of: {', '.join(known)}"))
    return out


class RecordChecker:
    """Field checks for one catalog record; problems name the file, the record id and the field.

    ``fields``: every field the record type may carry; any other is reported (a typo such as
    ``statuss:`` must not be silently ignored).
    """

    def __init__(self, problems: list[DataProblem], file: str, record: Any, item: str | None = None,
                 prefix: str = "", fields: tuple[str, ...] | None = None):
        self.problems = problems
        self.prefix = prefix
        self.file = file
        self.record = record if isinstance(record, dict) else {}
        rid = self.record.get("id")
        self.item = item or (excerpt(rid, 60).strip("'") if isinstance(rid, str) and rid else None)
        if not isinstance(record, dict):
            self.fail(None, f"expected a mapping of fields, found {type(record).__name__} {excerpt(record)}")
        elif fields is not None:
            for name, message in unknown_fields(record, fields):
                self.fail(name, message)

    def fail(self, field: str | None, message: str) -> None:
        self.problems.append(DataProblem(self.file, self.item, f"{self.prefix}{field}" if field else self.prefix.rstrip(".") or None, message))

    def slug(self, field: str = "id") -> str | None:
        value = self.record.get(field)
        if not isinstance(value, str) or not SLUG.match(value):
            self.fail(field, f"expected an ASCII slug like 'xg13-zhanbei' ([a-z0-9-]), found {excerpt(value)}")
            return None
        return value

    def text(self, field: str, required: bool = True, max_len: int | None = None) -> str | None:
        value = self.record.get(field)
        if value is None or value == "":
            if required:
                self.fail(field, "missing: expected text")
            return None
        if not isinstance(value, str):
            self.fail(field, f"expected text, found {type(value).__name__} {excerpt(value)}")
            return None
        if max_len and len(value) > max_len:
            self.fail(field, f"too long: {len(value)} characters, at most {max_len}: {excerpt(value)}")
        return value

    def choice(self, field: str, allowed, required: bool = True) -> str | None:
        value = self.record.get(field)
        if value is None and not required:
            return None
        if not isinstance(value, str) or value not in allowed:
            self.fail(field, f"expected one of {', '.join(allowed)}; found {excerpt(value)}{_suggest(value, allowed) if isinstance(value, str) else ''}")
            return None
        return value

    def integer(self, field: str, lo: int | None = None, hi: int | None = None) -> int | None:
        value = self.record.get(field)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or (lo is not None and value < lo) or (hi is not None and value > hi):
            self.fail(field, f"expected a whole number between {lo} and {hi}, found {excerpt(value)}")
            return None
        return value

    def number(self, field: str, required: bool = False, positive: bool = False) -> float | None:
        value = self.record.get(field)
        if value is None:
            if required:
                self.fail(field, "missing: expected a number")
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or (positive and value <= 0):
            self.fail(field, f"expected a {'positive ' if positive else ''}number, found {excerpt(value)}")
            return None
        return float(value)

    def date(self, field: str) -> dt.date | None:
        value = self.record.get(field)
        if value is None:
            return None
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        try:
            if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise ValueError
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(field, f"expected a date YYYY-MM-DD that exists, found {excerpt(value)}")
            return None

    def id_list(self, field: str) -> list[str]:
        value = self.record.get(field)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) and SLUG.match(v) for v in value):
            self.fail(field, f"expected a list of ids, found {excerpt(value)}")
            return []
        return value

    def text_list(self, field: str) -> list[str]:
        value = self.record.get(field)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.fail(field, f"expected a list of names, found {excerpt(value)}")
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
            self.fail(field, f"expected {{plan, section, quote}}, found {excerpt(value)}")
            return None
        sub = RecordChecker(self.problems, self.file, value, self.item, prefix=f"{self.prefix}{field}.", fields=CITE_FIELDS)
        plan = sub.text("plan")
        section = sub.text("section", required=False)
        quote = sub.text("quote", max_len=MAX_QUOTE)
        return {"plan": plan, "section": section, "quote": quote}


CITE_FIELDS = ("plan", "section", "quote")


# --- Values against their database columns -------------------------------------------------------

def check_row(row: dict, table: sa.Table, problems: list[DataProblem], file: str, item: str | None,
              fields: dict[str, str] | None = None) -> None:
    """Every value of ``row`` must fit its column of ``table``: text within the column's length,
    whole numbers within INTEGER, finite numbers. ``fields`` maps a column to the field name the
    data file uses for it (``plan_id`` → ``plan``), for the message."""
    fields = fields or {}
    for col in table.columns:
        value = row.get(col.name)
        if value is None or col.name.startswith("_"):
            continue
        name = fields.get(col.name, col.name)
        t = col.type
        length = getattr(t, "length", None)
        if isinstance(t, sa.String) and length and isinstance(value, str) and len(value) > length:
            problems.append(DataProblem(file, item, name, f"too long: {len(value)} characters, at most {length} "
                                        f"(database column {table.name}.{col.name}): {excerpt(value)}"))
        elif isinstance(t, sa.Integer) and isinstance(value, int) and not INT_RANGE[0] <= value <= INT_RANGE[1]:
            problems.append(DataProblem(file, item, name, f"expected a whole number within {INT_RANGE[0]}…{INT_RANGE[1]}, found {excerpt(value)}"))
        elif isinstance(t, sa.Float) and isinstance(value, float) and not math.isfinite(value):
            problems.append(DataProblem(file, item, name, f"expected a finite number, found {excerpt(value)}"))

"""``zonemap review FILE``: walk a draft's pending entries in the terminal.

Each decision is written back at once (atomically: the file is always either the old or the
whole new version), so quitting — or a crash — loses nothing decided. Accepting checks the entry
with the catalog's own validators and its quotes against the document; an entry that fails stays
pending, with the reasons shown.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import yaml

from geo.errors import DataProblem
from projects.dataset import normalise_text
from projects.extract.draft import dump_draft, write_atomic
from projects.extract.errors import ExtractError
from projects.extract.fields import REVIEW, strip_draft_fields

HELP = """\
  a  accept      the entry is right (it is checked first; a failing entry stays pending)
  e  edit        change fields: in $EDITOR if set, else inline as field=value lines
  r  reject      the entry is wrong: it stays in the file, marked rejected, and is not loaded
  m  merge       a new project the catalog already has: its mentions become mentions of that
                 catalog project (asked, the closest one offered), reviewed next; it is rejected
  s  skip        decide later (stays pending)
  q  quit        stop here; every decision so far is saved
  ?  help        this list"""
ORDER = ("plans", "layouts", "streets", "projects", "mentions")


@dataclass
class Entry:
    section: str
    index: int
    record: dict


def read_draft(path: Path) -> tuple[str, dict]:
    """(leading comment block, parsed draft) of a draft file; raises ExtractError on a bad file."""
    path = Path(path)
    if not path.is_file():
        raise ExtractError(f"{path}: no such draft file")
    try:
        text = path.read_text(encoding="utf-8")
        doc = yaml.safe_load(text) or {}
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ExtractError(f"{path}: not valid UTF-8 YAML: {exc}") from None
    if not isinstance(doc, dict):
        raise ExtractError(f"{path}: expected a catalog file (plans, layouts, projects, mentions …)")
    header = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header.append(line + "\n")
    return "".join(header), doc


def entries(doc: dict) -> list[Entry]:
    """Every entry with a review field, in the order they are reviewed."""
    out = []
    for section in [*ORDER, *(k for k in doc if k not in ORDER)]:
        for i, r in enumerate(doc.get(section) or []):
            if isinstance(r, dict) and REVIEW in r:
                out.append(Entry(section, i, r))
    return out


def describe(e: Entry) -> str:
    """The entry as a reviewer reads it."""
    r = e.record
    conf = f"confidence {r.get('confidence')}" if r.get("confidence") is not None else ""
    lines = []
    if e.section == "projects":
        lines.append(f"new project {r.get('id')}  ({conf})")
        lines.append(f"  {r.get('name_zh')}   English {r.get('name_en') or '(none yet)'}   kind {r.get('kind')}   district {r.get('district')}")
        if r.get("aliases"):
            lines.append(f"  also written: {'、'.join(r['aliases'])}")
        if r.get("streets"):
            lines.append(f"  streets: {', '.join(r['streets'])}")
        near = (r.get("proposed") or {}).get("near")
        if near:
            lines.append(f"  closest catalog project: {near.get('project')} ({near.get('name')}), score {near.get('score')} — "
                         "below the match threshold; if it is the same site, reject this and add the mentions to it")
        for n, m in enumerate(r.get("mentions") or [], start=1):
            lines.extend(_mention_lines(m, f"mention {n}"))
    elif e.section == "mentions":
        match = r.get("match") or {}
        lines.append(f"mention of catalog project {r.get('project')} ({match.get('catalog_name')})  ({conf})")
        if match.get("by") == "reviewer":
            lines.append(f"  merged by the reviewer from the new project {match.get('name')!r}")
        else:
            lines.append(f"  matched by {match.get('by')} {match.get('name')!r}, score {match.get('score')}")
        lines.extend(_mention_lines(r, "mention"))
    elif e.section == "layouts":
        rule = (r.get("proposed") or {}).get("rule")
        lines.append(f"layout {r.get('id')}: {r.get('name_zh')}  ({conf}{', ' + rule if rule else ''})")
        lines.append(f"  “{(r.get('cite') or {}).get('quote')}”")
        for z in r.get("zones") or []:
            zrule = (z.get("proposed") or {}).get("rule")
            lines.append(f"  zone {z.get('id')}: {z.get('name_zh')} ({z.get('kind')}{', ' + zrule if zrule else ''})"
                         f"  “{(z.get('cite') or {}).get('quote')}”")
    elif e.section == "plans":
        lines.append(f"plan {r.get('id')}: {r.get('title_zh')}")
        lines.append(f"  {r.get('title_en')} — {r.get('kind')}, {r.get('district')}, date {r.get('date')}, year {r.get('year')}, "
                     f"period {r.get('period')}, file {r.get('source_file')}")
        for part in r.get("parts") or []:  # how projects.status reads each part: facts or targets
            lines.append(f"  part {part.get('part'):6} {part.get('year')}  {part.get('section')}")
    else:
        lines.append(f"{e.section[:-1]} {r.get('id')}: {r.get('name_zh')} ({r.get('name_en')})  ({conf})")
        if r.get("cite"):
            lines.append(f"  “{r['cite'].get('quote')}”")
    return "\n".join(lines)


def _mention_lines(m: dict, label: str) -> list[str]:
    p = m.get("proposed") or {}
    status = p.get("status")
    if p.get("statement"):
        status = f"{status}, {p['statement']}"
    if p.get("target_status"):
        status = f"{status}, aiming at {p['target_status']}"
    zone = m.get("zone_as_written")
    if zone and m.get("zone"):
        zone = f"{zone} = {m['zone']}"
    where = f"line {p['line']}, " if p.get("line") else ""
    conf = f"   confidence {m['confidence']}" if m.get("confidence") is not None else ""
    out = [f"  {label}: {where}{m.get('section') or '(no section)'}{conf}"]
    if p.get("name_as_written"):
        out.append(f"    name as written: {p['name_as_written']}")
    out.append(f"    status words {m.get('status_words')!r} → {status}   year {m.get('year')}   zone {zone}")
    if p.get("status_rule"):
        out.append(f"    why: {p['status_rule']}")
    if p.get("rules"):
        out.append(f"    found by: {', '.join(p['rules'])}")
    if m.get("investment"):
        out.append(f"    investment {m['investment']}")
    out.append(f"    sentence: {_marked(p.get('sentence'), m.get('quote'))}")
    return out


def _marked(sentence: str | None, quote: str | None) -> str:
    """The sentence with the quote in 【】, or the quote alone (when it is the whole sentence)."""
    if not sentence:
        return f"【{quote}】"
    if quote and quote in sentence:
        return sentence.replace(quote, f"【{quote}】", 1)
    return f"{sentence}\n    quote: 【{quote}】"


def check_entry(e: Entry, doc: dict, document_text: str | None) -> list[str]:
    """Problems that keep an entry from being accepted: the catalog's own checks, and quotes."""
    from projects.catalog import check_mention, check_project
    from zones.catalog import check_layout, check_plan, check_street

    problems: list[DataProblem] = []
    record = strip_draft_fields(e.section, e.record)
    checker = {"projects": check_project, "mentions": check_mention, "layouts": check_layout,
               "plans": check_plan, "streets": check_street}.get(e.section)
    if checker:
        checker(record, "draft", problems)
    out = [f"{p.field}: {p.message}" if p.field else p.message for p in problems]
    if document_text is not None:
        for where, quote in _quotes(e.section, record):
            if quote and normalise_text(quote) not in document_text:
                out.append(f"{where}: not a verbatim quote of the document: {quote!r}")
    return out


def _quotes(section: str, record: dict):
    if section == "projects":
        for n, m in enumerate(record.get("mentions") or [], start=1):
            if isinstance(m, dict):
                yield f"mentions.{n}.quote", m.get("quote")
    elif section == "mentions":
        yield "quote", record.get("quote")
    else:
        yield "cite.quote", (record.get("cite") or {}).get("quote")
        for n, z in enumerate(record.get("zones") or [], start=1):
            if isinstance(z, dict):
                yield f"zones.{n}.cite.quote", (z.get("cite") or {}).get("quote")


def set_field(record: dict, path: str, value: str) -> None:
    """``mentions.1.status_words=开工建设`` style edits: dotted path, 1-based list positions, YAML value."""
    parts = path.split(".")
    target = record
    for p in parts[:-1]:
        if isinstance(target, list):
            target = target[int(p) - 1]
        else:
            target = target.setdefault(p, {})
    parsed = yaml.safe_load(value) if value.strip() else None
    if isinstance(target, list):
        target[int(parts[-1]) - 1] = parsed
    else:
        target[parts[-1]] = parsed


def edit_in_editor(record: dict, editor: str) -> dict:
    """Open the entry as YAML in ``editor``; return the edited mapping (unchanged on a bad edit)."""
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False, encoding="utf-8") as f:
        f.write(yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=140))
        tmp = f.name
    try:
        subprocess.run([*shlex.split(editor), tmp], check=False)
        edited = yaml.safe_load(Path(tmp).read_text(encoding="utf-8"))
    except (yaml.YAMLError, OSError) as exc:
        raise ExtractError(f"the edited entry is not valid YAML ({exc}); it is left as it was") from None
    finally:
        os.unlink(tmp)
    if not isinstance(edited, dict):
        raise ExtractError("the edited entry is not a mapping of fields; it is left as it was")
    return edited


class Review:
    """One review session over a draft file; ``ask`` reads an answer, ``say`` prints."""

    def __init__(self, path: Path, seeds_dir: Path | None, ask: Callable[[str], str], say: Callable[[str], None],
                 editor: str | None = None):
        self.path = Path(path)
        self.header, self.doc = read_draft(self.path)
        self.ask, self.say, self.editor = ask, say, editor
        self._catalog: dict[str, str] | None = None
        self.document_text = self._document(seeds_dir)

    def _document(self, seeds_dir: Path | None) -> str | None:
        plans = [p for p in self.doc.get("plans") or [] if isinstance(p, dict)]
        if not plans or seeds_dir is None:
            return None
        path = Path(seeds_dir) / str(plans[0].get("source_file"))
        if not path.is_file():
            self.say(f"note: {path} not found: quotes are checked by `zonemap load` only")
            return None
        return normalise_text(path.read_text(encoding="utf-8"))

    def save(self) -> None:
        write_atomic(self.path, dump_draft(self.doc, self.header))

    def run(self) -> dict[str, int]:
        """Walk the pending entries; returns the counts per review state at the end."""
        if not entries(self.doc):
            self.say(f"{self.path}: no draft entries (nothing has a review field)")
        n = 0
        while n < len(all_entries := entries(self.doc)):  # a merge adds mentions: they come last
            e, total = all_entries[n], len(all_entries)
            n += 1
            if e.record.get(REVIEW) != "pending":
                continue
            merge = e.section == "projects"
            prompt = "[a]ccept [e]dit [r]eject " + ("[m]erge " if merge else "") + "[s]kip [q]uit [?] > "
            while True:
                self.say(f"\n[{n}/{total}] {describe(e)}")
                try:
                    answer = self.ask(prompt).strip().lower()
                except EOFError:
                    answer = "q"
                if answer in ("a", "accept"):
                    problems = check_entry(e, self.doc, self.document_text)
                    if problems:
                        self.say("cannot accept, fix these first (e to edit):\n  " + "\n  ".join(problems))
                        continue
                    e.record[REVIEW] = "accepted"
                    self.save()
                    break
                if answer in ("r", "reject"):
                    e.record[REVIEW] = "rejected"
                    self.save()
                    break
                if answer in ("s", "skip", ""):
                    break
                if answer in ("q", "quit"):
                    return self.finish()
                if answer in ("e", "edit"):
                    self._edit(e)
                    continue
                if merge and answer in ("m", "merge"):
                    if self._merge(e):
                        break
                    continue
                self.say(HELP)
        return self.finish()

    def _merge(self, e: Entry) -> bool:
        """Make a new project's mentions mentions of a catalog project; False when cancelled."""
        near = (e.record.get("proposed") or {}).get("near") or {}
        default = near.get("project") or ""
        try:
            answer = self.ask(f"catalog project id{f' [{default}]' if default else ''} (empty line: back) > ").strip()
        except EOFError:
            return False
        pid = answer or default
        if not pid:
            return False
        names = self.catalog_projects()
        if names is not None and pid not in names:
            self.say(f"no project {pid!r} in the catalog beside this draft; nothing changed")
            return False
        added = [{"project": pid, "review": "pending",
                  "match": {"by": "reviewer", "name": e.record.get("name_zh"), "score": None,
                            "catalog_name": (names or {}).get(pid)},
                  **{k: v for k, v in m.items() if k != "review"}}
                 for m in e.record.get("mentions") or [] if isinstance(m, dict)]
        self.doc.setdefault("mentions", [])
        if self.doc["mentions"] is None:
            self.doc["mentions"] = []
        self.doc["mentions"].extend(added)
        e.record[REVIEW] = "rejected"
        e.record.setdefault("proposed", {})["merged_into"] = pid
        self.save()
        self.say(f"merged: {len(added)} mention(s) of {pid} added for review; {e.record.get('id')} rejected")
        return True

    def catalog_projects(self) -> dict[str, str] | None:
        """id → name_zh of the projects in the catalog folder beside the draft (None if unreadable)."""
        if self._catalog is None:
            try:
                from projects.extract.known import read_known

                self._catalog = read_known(self.path.parent, replacing=self.path).project_names
            except ExtractError:
                self._catalog = {}
        return self._catalog or None

    def _edit(self, e: Entry) -> None:
        if self.editor:
            try:
                edited = edit_in_editor(e.record, self.editor)
            except ExtractError as exc:
                self.say(str(exc))
                return
            e.record.clear()
            e.record.update(edited)
        else:
            self.say("field=value per line (e.g. name_zh=…, kind=park, mentions.1.status_words=开工建设); an empty line ends")
            while True:
                try:
                    line = self.ask("edit> ")
                except EOFError:
                    break
                if not line.strip():
                    break
                if "=" not in line:
                    self.say("expected field=value")
                    continue
                field, value = line.split("=", 1)
                try:
                    set_field(e.record, field.strip(), value.strip())
                except (ValueError, IndexError, TypeError, AttributeError, yaml.YAMLError) as exc:
                    self.say(f"cannot set {field.strip()}: {exc}")
        e.record.setdefault(REVIEW, "pending")
        self.save()

    def finish(self) -> dict[str, int]:
        counts = {"accepted": 0, "rejected": 0, "pending": 0}
        for e in entries(self.doc):
            counts[e.record.get(REVIEW)] = counts.get(e.record.get(REVIEW), 0) + 1
        self.say(f"\n{self.path}: {counts['accepted']} accepted, {counts['rejected']} rejected, {counts['pending']} pending")
        for warning in dangling(self.doc):
            self.say(f"warning: {warning}")
        if counts["pending"]:
            self.say(f"`zonemap load` refuses the file until no entry is pending: run `zonemap review {self.path}` again")
        return counts


def dangling(doc: dict) -> list[str]:
    """Accepted entries that name a zone or street this draft defines but which is not accepted."""
    states = {}
    for layout in doc.get("layouts") or []:
        for z in layout.get("zones") or []:
            states[("zone", z.get("id"))] = layout.get(REVIEW)
    for s in doc.get("streets") or []:
        states[("street", s.get("id"))] = s.get(REVIEW)
    out = []
    for e in entries(doc):
        if e.record.get(REVIEW) != "accepted":
            continue
        mentions = e.record.get("mentions") if e.section == "projects" else [e.record] if e.section == "mentions" else []
        for m in mentions or []:
            state = states.get(("zone", m.get("zone")), "accepted")
            if state != "accepted":
                out.append(f"{e.section[:-1]} {e.record.get('id') or e.record.get('project')}: zone {m.get('zone')} is {state}; "
                           "set the mention's zone to null or accept the layout")
        for sid in e.record.get("streets") or [] if e.section == "projects" else []:
            state = states.get(("street", sid), "accepted")
            if state != "accepted":
                out.append(f"project {e.record.get('id')}: street {sid} is {state}; remove it from streets or accept the street")
    return out

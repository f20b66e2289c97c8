"""The change log: every edit made to ``data/`` through zonemap, one JSON file per change.

``data/changes/NNNN-<layer>-<feature id>.json`` — append-only, committed with the data, so it
survives every ``zonemap load`` and a fresh clone. A change records who (``author``: the
``--author`` of ``zonemap import``, or the name of the HTTP token), when (``time``, UTC), why
(``note``, required), what (``layer`` and, per feature, the geometry and provenance before and
after, how far it moved and which project↔zone memberships it changed) and, for an exact revert,
the record of every data file it touched before and after (``files``). A revert is a change of
its own (``action: revert``, ``reverts: <id>``).

``zonemap load`` and ``zonemap check`` validate the log (:func:`read_changes`); the loader writes
it to the ``changes`` table (one row per changed feature), which ``GET /api/history`` reads and
the GeoPackage export carries.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from geo.db import Base
from geo.errors import DataProblem
from geo.geojson import load_json
from geo.records import read_file_text

CHANGES_FOLDER = "changes"
ACTIONS = ("edit", "place", "revert")
LAYERS = ("zones", "corridors", "streets", "projects")
FILE_NAME = re.compile(r"^(\d{4,})-[a-z]+-[a-z0-9-]+\.json$")
CHANGE_ID = re.compile(r"^\d{4,}$")
TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
MAX_NOTE = 1000
MAX_AUTHOR = 64
MAX_CHANGE_BYTES = 64 * 2**20
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # newlines and tabs are fine in a note


class Change(Base):
    """One feature changed by one change of the log (a change of several features has several rows)."""

    __tablename__ = "changes"
    change_id: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    layer: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    feature_id: Mapped[str] = mapped_column(sa.String(96), primary_key=True, index=True)
    time: Mapped[str] = mapped_column(sa.String(20))  # ISO 8601 UTC, as in the file
    author: Mapped[str] = mapped_column(sa.String(MAX_AUTHOR))
    via: Mapped[str] = mapped_column(sa.String(64))
    note: Mapped[str] = mapped_column(sa.Text)
    action: Mapped[str] = mapped_column(sa.String(16))
    reverts: Mapped[str | None] = mapped_column(sa.String(16), nullable=True)
    file: Mapped[str] = mapped_column(sa.Text)  # the data file of the feature, relative to data/
    moved_m: Mapped[float | None] = mapped_column(sa.Float, nullable=True)
    before: Mapped[dict | None] = mapped_column(sa.JSON, nullable=True)  # {geometry, placement, accuracy_m, confidence}
    after: Mapped[dict | None] = mapped_column(sa.JSON, nullable=True)
    details: Mapped[dict] = mapped_column(sa.JSON)  # vertices moved, areas, memberships added/removed


def now_utc() -> str:
    """The time of a change: UTC to the second, ISO 8601 with a Z."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def change_files(data_dir: Path) -> list[Path]:
    """The change files, in order of their numbers."""
    folder = Path(data_dir) / CHANGES_FOLDER
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.glob("*.json")), key=lambda p: (len(p.name.split("-")[0]), p.name))


def file_name(change: dict) -> str:
    """``NNNN-<layer>-<first feature id>.json``."""
    first = change["features"][0]["id"] if change["features"] else "none"
    return f"{change['id']}-{change['layer']}-{first}.json"


def next_id(data_dir: Path) -> str:
    """The number after the highest in the log, four digits at least."""
    numbers = [int(m.group(1)) for p in change_files(data_dir) if (m := FILE_NAME.match(p.name))]
    return f"{max(numbers, default=0) + 1:04d}"


def check_text(field: str, value, max_len: int) -> str | None:
    """The problem with an author or note (None when fine): the one rule for the CLI, HTTP and the log."""
    if not isinstance(value, str) or not value.strip():
        return f"missing: {'say why (a note is required)' if field == 'note' else 'say who made the change'}"
    if len(value) > max_len:
        return f"too long: {len(value)} characters, at most {max_len}"
    if _CONTROL.search(value):
        return "control characters are not allowed"
    return None


def read_changes(data_dir: Path, problems: list[DataProblem]) -> list[dict]:
    """Every change of the log, validated (problems name the file, the change and the field)."""
    out: list[dict] = []
    seen: dict[str, str] = {}
    for path in change_files(data_dir):
        label = f"{CHANGES_FOLDER}/{path.name}"
        m = FILE_NAME.match(path.name)
        if not m:
            problems.append(DataProblem(label, None, None, "a change file is named NNNN-<layer>-<feature id>.json"))
            continue
        text = read_file_text(path, label, problems, MAX_CHANGE_BYTES, "JSON")
        change = load_json(text, label, problems) if text is not None else None  # the loader's strict JSON
        if change is None:
            continue
        before = len(problems)
        _check_change(change, label, m.group(1), problems)
        if len(problems) > before:
            continue
        if change["id"] in seen:
            problems.append(DataProblem(label, change["id"], "id", f"two changes numbered {change['id']} (also {seen[change['id']]}): "
                                        "renumber the later one (file name and id)"))
            continue
        seen[change["id"]] = label
        change["_file"] = label
        out.append(change)
    ids = {c["id"] for c in out}
    for c in out:
        if c.get("reverts") is not None and c["reverts"] not in ids:
            problems.append(DataProblem(c["_file"], c["id"], "reverts", f"no change {c['reverts']!r} in the log"))
    return sorted(out, key=lambda c: int(c["id"]))


def _check_change(c, label: str, number: str, problems: list[DataProblem]) -> None:
    def fail(field, message):
        problems.append(DataProblem(label, c.get("id") if isinstance(c, dict) else None, field, message))

    if not isinstance(c, dict):
        fail(None, "expected a JSON object")
        return
    if c.get("id") != number:
        fail("id", f"expected {number!r} (the number of the file name), found {c.get('id')!r}")
    if not isinstance(c.get("time"), str) or not TIME.match(c["time"]):
        fail("time", f"expected UTC time YYYY-MM-DDTHH:MM:SSZ, found {c.get('time')!r}")
    for field, limit in (("author", MAX_AUTHOR), ("note", MAX_NOTE)):
        problem = check_text(field, c.get(field), limit)
        if problem:
            fail(field, problem)
    if not isinstance(c.get("via"), str) or not c["via"]:
        fail("via", "missing: how the change was made (zonemap import, POST /api/edits …)")
    if c.get("action") not in ("edit", "revert"):
        fail("action", f"expected edit or revert, found {c.get('action')!r}")
    if (c.get("action") == "revert") != isinstance(c.get("reverts"), str):
        fail("reverts", "a revert names the change it reverts, and only a revert does")
    if c.get("layer") not in LAYERS:
        fail("layer", f"expected one of {', '.join(LAYERS)}, found {c.get('layer')!r}")
    features = c.get("features")
    if not isinstance(features, list) or not features:
        fail("features", "expected the list of changed features")
        features = []
    for n, f in enumerate(features, start=1):
        if not isinstance(f, dict) or not isinstance(f.get("id"), str) or f.get("action") not in ACTIONS \
                or not isinstance(f.get("file"), str) or not all(isinstance(f.get(k), (dict, type(None))) for k in ("before", "after")):
            fail(f"features[{n}]", "expected {id, action, file, before, after, …}")
    files = c.get("files")
    if not isinstance(files, list) or not files:
        fail("files", "expected the records of the data files touched")
        files = []
    for n, f in enumerate(files, start=1):
        if not isinstance(f, dict) or not isinstance(f.get("path"), str) or f["path"].startswith(("/", "..")) \
                or ".." in Path(f["path"]).parts or not isinstance(f.get("id_property"), str) or not isinstance(f.get("id"), str) \
                or ("before" not in f or "after" not in f):
            fail(f"files[{n}]", "expected {path (inside data/), id_property, id, before, after}")


def change_rows(changes: list[dict]) -> list[dict]:
    """Rows of the ``changes`` table: one per changed feature."""
    rows = []
    for c in changes:
        for f in c["features"]:
            details = {k: v for k, v in f.items() if k not in ("id", "action", "file", "before", "after", "moved_m")}
            rows.append({
                "change_id": c["id"], "layer": c["layer"], "feature_id": f["id"], "time": c["time"], "author": c["author"],
                "via": c["via"], "note": c["note"], "action": f["action"], "reverts": c.get("reverts"), "file": f["file"],
                "moved_m": f.get("moved_m"), "before": f.get("before"), "after": f.get("after"), "details": details,
            })
    return rows


# Generated layer → the loader's layer (projects.dataset.LAYERS) its overrides replace features of.
_GENERATED = {"zones": "zones", "corridors": "zone_lines", "streets": "streets"}


def check_overrides(data_dir: Path, changes: list[dict], problems: list[DataProblem]) -> None:
    """Every override is well formed (the loader's rules for a layer file, plus who, when, why and
    a logged change) and applied: the generated file carries its geometry and provenance (else
    the script was re-run without it, or the file was edited by hand since)."""
    from geo.geojson import LayerSpec, read_layer
    from geo.overrides import METADATA, OVERRIDE_FILES, OVERRIDE_FOLDER, PROVENANCE
    from projects.dataset import LAYERS as DATA_LAYERS

    folder = Path(data_dir) / "geometry" / OVERRIDE_FOLDER
    if not folder.is_dir():
        return
    known = {name for name, _ in OVERRIDE_FILES.values()}
    for path in sorted(folder.iterdir()):
        if path.name not in known:
            problems.append(DataProblem(f"geometry/{OVERRIDE_FOLDER}/{path.name}", None, None,
                                        f"not an override file; they are {', '.join(sorted(known))}"))
    ids = {c["id"] for c in changes}
    for layer, (name, _) in OVERRIDE_FILES.items():
        path = folder / name
        if not path.exists():
            continue
        label = f"geometry/{OVERRIDE_FOLDER}/{name}"
        data_spec = DATA_LAYERS[_GENERATED[layer]]
        spec = LayerSpec(f"geometry/{OVERRIDE_FOLDER}", Path(name).stem, data_spec.geometry, data_spec.id_property,
                         ("name_zh", *METADATA), required=False, split=False)
        generated = {}
        for gpath in data_spec.files(Path(data_dir)):
            for f in json.loads(gpath.read_text(encoding="utf-8")).get("features", []):
                generated[(f.get("properties") or {}).get(data_spec.id_property)] = (f"geometry/{gpath.name}", f)
        features = read_layer(path, spec, problems, label=label)
        # the geometries as written, to compare with the generated file's (JSON read again: valid now)
        raw = {r["properties"][data_spec.id_property]: r for r in json.loads(path.read_text(encoding="utf-8"))["features"]} \
            if features else {}
        for f in features:
            props = f.properties
            if props.get("change") not in ids:
                problems.append(DataProblem(label, f.id, "change", f"no change {props.get('change')!r} in data/changes/"))
            for key in ("author", "note"):
                problem = check_text(key, props.get(key), MAX_NOTE)
                if problem:
                    problems.append(DataProblem(label, f.id, key, problem))
            try:
                dt.date.fromisoformat(str(props.get("date")))
            except ValueError:
                problems.append(DataProblem(label, f.id, "date", f"expected an ISO date YYYY-MM-DD, found {props.get('date')!r}"))
            target = generated.get(f.id)
            if target is None:
                problems.append(DataProblem(label, f.id, data_spec.id_property, f"no generated feature {f.id!r} in "
                                            f"geometry/{data_spec.stem}*.geojson to replace"))
                continue
            gfile, gfeat = target
            gprops = gfeat.get("properties") or {}
            if gfeat.get("geometry") != raw[f.id].get("geometry") or any(gprops.get(k) != props.get(k) for k in PROVENANCE):
                problems.append(DataProblem(gfile, f.id, "geometry", f"does not carry the override of {label} (change "
                                            f"{props.get('change')}): re-run the script that writes {gfile} (it applies the "
                                            "overrides), or revert the change"))


def load_rows(data_dir: Path, problems: list[DataProblem]) -> list[dict]:
    """For ``zonemap load``/``check``: the change log validated, the overrides checked, and the
    rows of the ``changes`` table."""
    changes = read_changes(data_dir, problems)
    check_overrides(data_dir, changes, problems)
    return change_rows(changes)

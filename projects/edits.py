"""Edits from a GIS back into ``data/``: read a file, show what it changes, apply it all or nothing,
log it, revert it.

The pipeline (``zonemap import``, ``POST /api/edits``, ``zonemap revert`` all go through it):

1. **read** the file (GeoJSON or GeoPackage) in the coordinates it declares or the caller declares
   (``crs``; GCJ-02 and BD-09 only when declared) and convert to WGS84 with :mod:`geo.crs`;
2. **compare** it with the data files: a feature whose geometry or provenance differs is a change
   (features sent back unchanged are ignored; a file may hold only the edited features);
3. **write the would-be data** into a temporary copy of ``data/``: project points directly into
   their point file (an unlocated project gets its point in ``project_points_qgis.geojson``);
   generated layers (zones, corridors, streets) through an override (:mod:`geo.overrides`) plus the
   generated file patched the way its script would write it; and the change record;
4. **validate** the copy with the loader (:func:`projects.dataset.read_dataset`: its rules, its
   messages) and run the project↔zone join on it and on the current data, in throwaway databases;
5. **diff**: per feature how far it moves (vertex-wise Hausdorff distance in metres, vertices
   moved, areas), which memberships change; warnings (a shift the size of the GCJ-02 offset);
6. **apply** (unless a dry run): every touched file replaced at once under a lock on the data
   folder, after checking nothing changed since step 3; the change lands in ``data/changes/``.

Provenance: an edited feature's ``placement`` becomes "edited in QGIS by <author> on <date>:
<note> (change NNNN)"; its ``accuracy_m`` and ``confidence`` are the editor's (an option, or the
value changed in the file) or else kept. A newly placed project needs both.
"""

from __future__ import annotations

import contextlib
import copy
import fcntl
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from geo import crs as gcrs
from geo.errors import DataError, DataProblem
from geo.geojson import check_geometry, load_json
from geo.geometry import to_geojson
from geo.overrides import METADATA, OVERRIDE_FOLDER, OVERRIDE_FILES, PROVENANCE, dumps
from projects import changelog

CONFIDENCE = ("high", "medium", "low")
PRECISION = 7  # decimals of a stored coordinate (~1 cm)
# A vertex that moves less than this is not moved: coordinates sent back through a projection come
# back millimetres off, through GCJ-02/BD-09 (whose published inverses are approximate) up to ~0.15 m.
# Both are far below the data's precision (6 decimals, ~0.1 m) and accuracy (metres at best).
SNAP_M = 0.05
SNAP_SHIFT_M = 0.5
UNCHANGED_CORRIDOR_M = 0.5  # a corridor zone's polygon is derived: rounding in the export is not an edit
# The shift of GCJ-02 and BD-09 in Dalian is 430 m and 1.2 km: an edit that moves a feature by one
# of them, in their direction, within this distance, is most likely such coordinates read as WGS84.
SHIFT_MATCH_M = 40.0
NEW_POINTS_FILE = "project_points_qgis.geojson"


@dataclass(frozen=True)
class EditLayer:
    """A layer that can be edited: the loader's layer it writes to (``projects.dataset.LAYERS``:
    files, geometry type, id property) and how an edit is written."""

    name: str
    data_layer: str  # the loader's name of the layer
    kind: str  # zone, street, project: for messages
    generated: bool  # written by data/geometry/src/*.py: edited through an override

    @property
    def spec(self):
        from projects.dataset import LAYERS as DATA_LAYERS

        return DATA_LAYERS[self.data_layer]

    @property
    def id_property(self) -> str:
        return self.spec.id_property

    @property
    def geometry(self) -> str:
        return self.spec.geometry


LAYERS: dict[str, EditLayer] = {
    "zones": EditLayer("zones", "zones", "zone", True),
    "corridors": EditLayer("corridors", "zone_lines", "corridor zone", True),
    "streets": EditLayer("streets", "streets", "street", True),
    "projects": EditLayer("projects", "project_points", "project", False),
}


class EditError(Exception):
    """The edit cannot be applied: every problem found, each naming file, feature and field."""

    def __init__(self, problems: list[DataProblem], context: str = ""):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{context}{len(problems)} problem(s):\n{lines}")


class EditConflict(Exception):
    """The data changed in a way that makes the edit or revert unsafe (say what, and what to do)."""


class UnknownChange(Exception):
    """No change of that id in the log."""


# ---- 1. reading the file ----------------------------------------------------------------------------

@dataclass
class Source:
    """The features of an imported file, already in WGS84, and how they were read."""

    label: str  # the file's name, for messages
    crs: str  # the coordinates the file was read in (EPSG:n, CRS84, gcj02, bd09)
    layer: str | None  # the GeoPackage layer read
    features: list[dict]  # GeoJSON features, WGS84
    warnings: list[str] = field(default_factory=list)


def _declared_geojson_crs(doc: dict) -> str | None:
    """The coordinates a GeoJSON file says it holds: zonemap's ``coordinate_system`` member (which
    names the GCJ-02/BD-09 shifts), else the GeoJSON 2008 ``crs`` member GDAL and QGIS write."""
    system = doc.get("coordinate_system")
    if isinstance(system, dict) and isinstance(system.get("id"), str):
        return system["id"]
    member = doc.get("crs")
    if isinstance(member, dict):
        name = (member.get("properties") or {}).get("name")
        if isinstance(name, str):
            return name
    return None


def read_source(content: bytes, label: str, layer: str, crs: str | None = None, source_layer: str | None = None) -> Source:
    """Read a GeoJSON or GeoPackage file (``content``) for edit ``layer``; convert to WGS84.

    ``crs`` declares the file's coordinates (``4490``, ``EPSG:3857``, ``gcj02``, ``bd09`` …); it
    must agree with what the file declares, except that a file labelled WGS84 may be declared
    GCJ-02 or BD-09 (Chinese web maps label their shifted coordinates WGS84: the GCJ-02 trap).
    Without either, RFC 7946 holds: WGS84 longitude/latitude.
    """
    problems: list[DataProblem] = []
    if content[:16] == b"SQLite format 3\x00":
        from geo.export import read_geopackage

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "upload.gpkg"
            path.write_bytes(content)
            try:
                read = read_geopackage(path, source_layer or layer)
            except ValueError as exc:
                if source_layer is not None:
                    raise EditError([DataProblem(label, None, "source_layer", str(exc))]) from None
                try:  # no layer named like the edit layer: the file's only layer, if it has one
                    read = read_geopackage(path, None)
                except ValueError:
                    raise EditError([DataProblem(label, None, None, str(exc))]) from None
        declared, features, read_layer = read["crs"], read["features"], read["layer"]
        label = f"{label} (layer {read_layer})"
    else:
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise EditError([DataProblem(label, None, None, f"neither a GeoPackage nor UTF-8 GeoJSON: {exc}")]) from None
        doc = load_json(text, label, problems)  # the loader's JSON: no duplicate keys, no NaN
        if doc is None:
            raise EditError(problems)
        if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
            raise EditError([DataProblem(label, None, "type", "expected a GeoJSON FeatureCollection")])
        declared, features, read_layer = _declared_geojson_crs(doc), doc["features"], None
    system = _source_crs(label, declared, crs)
    warnings = []
    if not system.standard:
        warnings.append(f"{label}: coordinates read as {system.key} ({system.title}) and converted to WGS84")
    out = []
    for n, raw in enumerate(features, start=1):
        if not isinstance(raw, dict) or not isinstance(raw.get("properties", {}), (dict, type(None))):
            problems.append(DataProblem(label, f"feature #{n}", None, "expected a GeoJSON Feature"))
            continue
        geometry = raw.get("geometry")
        if geometry is not None and not (system.epsg == gcrs.WGS84 and system.standard):
            try:  # (as JSON again: lists, as the loader's rules expect them)
                geometry = json.loads(json.dumps(gcrs.to_wgs84(geometry, system)))
            except Exception as exc:  # a malformed geometry: the loader's rule reports it below
                geometry = {"error": str(exc)}
        out.append({"type": "Feature", "properties": raw.get("properties") or {}, "geometry": geometry})
    if problems:
        raise EditError(problems)
    return Source(label, system.key, read_layer, out, warnings)


def _source_crs(label: str, declared: str | None, given: str | None) -> gcrs.Crs:
    def parse(text, what):
        try:
            return gcrs.parse_crs(str(text), allow_shifts=True)
        except gcrs.UnknownCrs as exc:
            raise EditError([DataProblem(label, None, "crs", f"{what}: {exc}")]) from None

    file_crs = parse(declared, "the file's coordinate system") if declared else None
    given_crs = parse(given, "crs") if given else None
    if given_crs is None:
        return file_crs or gcrs.CRS84
    if file_crs is None or file_crs == given_crs:
        return given_crs
    wgs84 = file_crs.epsg == gcrs.WGS84 and file_crs.standard
    if wgs84 and not given_crs.standard:
        return given_crs  # labelled WGS84, declared a shift: the GCJ-02 trap, resolved by the editor
    raise EditError([DataProblem(label, None, "crs", f"the file says its coordinates are {file_crs.key}, crs says {given_crs.key}: "
                                 "remove one (only a file labelled WGS84 may be declared gcj02 or bd09)")])


# ---- 2. comparing with the data files ------------------------------------------------------------

def _rel(path: Path, data_dir: Path) -> str:
    return path.relative_to(data_dir).as_posix()


def layer_files(data_dir: Path, layer: EditLayer) -> list[Path]:
    """The layer's files in ``data/`` as the loader reads them (``<stem>.geojson``, ``<stem>_*.geojson``)."""
    return layer.spec.files(data_dir)


def _read_doc(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def find_record(data_dir: Path, files: list[Path], id_property: str, fid: str) -> tuple[str, dict] | None:
    """(file relative to data/, its feature record) of the feature ``fid``, or None."""
    for path in files:
        for f in _read_doc(path).get("features", []):
            if (f.get("properties") or {}).get(id_property) == fid:
                return _rel(path, data_dir), f
    return None


def generator_of(data_dir: Path, file: str) -> str | None:
    """The script of ``data/geometry/src/`` that writes a generated file (it names the file)."""
    name = Path(file).name
    for script in sorted((data_dir / "geometry" / "src").glob("*.py")):
        if name in script.read_text(encoding="utf-8"):
            return _rel(script, data_dir)
    return None


@dataclass
class FileOp:
    """Set the record of feature ``id`` in one data file: ``after`` None removes it."""

    path: str
    id_property: str
    id: str
    before: dict | None
    after: dict | None

    def as_json(self) -> dict:
        return {"path": self.path, "id_property": self.id_property, "id": self.id, "before": self.before, "after": self.after}


def _set_record(doc: dict, op: FileOp) -> None:
    feats = doc["features"]
    for i, f in enumerate(feats):
        if (f.get("properties") or {}).get(op.id_property) == op.id:
            if op.after is None:
                del feats[i]
            else:
                feats[i] = op.after
            return
    if op.after is not None:
        feats.append(op.after)


def _provenance(record: dict | None) -> dict | None:
    if record is None:
        return None
    props = record.get("properties") or {}
    return {"geometry": record.get("geometry"), **{k: props.get(k) for k in PROVENANCE}}


# ---- 5. measuring ------------------------------------------------------------------------------------

def _round(value: float | None, n: int = 1) -> float | None:
    return None if value is None else round(float(value), n)


def measure(before: BaseGeometry | None, after: BaseGeometry | None) -> dict:
    """How far a geometry moves, in metres (UTM 51N): ``moved_m`` = the Hausdorff distance between
    the vertices (for a point: the distance), vertices moved and the largest vertex move when the
    vertex count is kept, areas (polygons) or lengths (lines) before and after."""
    out: dict = {}
    if before is None or after is None:
        return {"moved_m": None}
    a, b = gcrs.to_metric(before), gcrs.to_metric(after)
    out["moved_m"] = _round(shapely.hausdorff_distance(a, b), 2)
    ca, cb = shapely.get_coordinates(a), shapely.get_coordinates(b)
    out["vertices"] = int(len(cb))
    if len(ca) == len(cb):
        d = np.hypot(*(ca - cb).T)
        out["vertices_moved"] = int((d > 0.005).sum())
        out["max_vertex_move_m"] = _round(d.max() if len(d) else 0.0, 2)
    else:
        out["vertices_before"] = int(len(ca))
    if a.geom_type.endswith("Polygon"):
        out["area_before_m2"], out["area_after_m2"] = _round(a.area, 0), _round(b.area, 0)
    elif a.geom_type.endswith("LineString"):
        out["length_before_m"], out["length_after_m"] = _round(a.length, 1), _round(b.length, 1)
    return out


def snap(current: BaseGeometry, new: BaseGeometry, tolerance_m: float = SNAP_M) -> BaseGeometry:
    """``new`` with every vertex that lies within ``tolerance_m`` of the same vertex of ``current``
    put back exactly where it was: coordinates that went through a projection or a GCJ-02/BD-09
    round trip come back a few millimetres or centimetres off, which is no edit. Only when both
    have the same vertices in the same order (an edit that adds or removes vertices keeps all)."""
    old_xy, new_xy = shapely.get_coordinates(current), shapely.get_coordinates(new)
    if len(old_xy) != len(new_xy) or shapely.get_num_geometries(current) != shapely.get_num_geometries(new):
        return new
    d = np.hypot(*(shapely.get_coordinates(gcrs.to_metric(current)) - shapely.get_coordinates(gcrs.to_metric(new))).T)
    keep = d < tolerance_m
    if not keep.any():
        return new
    snapped = shapely.set_coordinates(new, np.where(keep[:, None], old_xy, new_xy))
    return snapped if snapped.is_valid else new


def _shift_warning(fid: str, before: BaseGeometry | None, after: BaseGeometry | None) -> str | None:
    """The GCJ-02 trap, seen in a diff: the edit moves the feature by the shift of a Chinese web map."""
    if before is None or after is None:
        return None
    for system in (gcrs.GCJ02, gcrs.BD09):
        shifted = gcrs.from_wgs84(before, system)
        if shapely.hausdorff_distance(gcrs.to_metric(shifted), gcrs.to_metric(after)) < SHIFT_MATCH_M:
            return (f"{fid}: moves by the {system.key} offset ({system.title}): the file's coordinates look like {system.key} "
                    f"read as WGS84; if so, import again with crs={system.key}")
    return None


# ---- 4. validating and joining -----------------------------------------------------------------

def _read(data_dir: Path, seeds_dir: Path | None):
    from projects.dataset import read_dataset

    return read_dataset(data_dir, seeds_dir)


_JOINS: dict[str, dict] = {}  # memberships by the fingerprint of the data they were computed on (the log aside)


def memberships(ds, workdir: Path, db_url: str | None = None) -> dict[tuple[str, str], str]:
    """The project↔zone memberships of a dataset, ``{(project, zone): basis}``, by the product's
    own join: remembered from an earlier edit of the same data, or the loaded database's when it
    holds exactly this data, else a throwaway SpatiaLite database the loader writes."""
    import dataclasses

    import sqlalchemy as sa

    from geo.db import is_sqlite, make_engine
    from projects.store import fingerprint, write_dataset

    key = fingerprint(dataclasses.replace(ds, changes=[]))  # the change log takes no part in the join
    if key in _JOINS:
        return _JOINS[key]

    def read(url):
        engine = make_engine(url)
        try:
            with engine.connect() as conn:
                rows = conn.execute(sa.text("SELECT * FROM project_zones")).mappings().all()
        finally:
            engine.dispose()
        return {(r["project_id"], r["zone_id"]): r.get("basis", "spatial") for r in rows}

    found = None
    if db_url and is_sqlite(db_url) and not Path(sa.make_url(db_url).database or "").is_file():
        db_url = None  # nothing loaded there (and connecting would create an empty file)
    if db_url:
        try:
            engine = make_engine(db_url)
            try:
                with engine.connect() as conn:
                    loaded = conn.execute(sa.text("SELECT fingerprint FROM dataset_info")).scalar()
            finally:
                engine.dispose()
            if loaded and loaded == fingerprint(ds):
                found = read(db_url)
        except sa.exc.SQLAlchemyError:
            pass  # not loaded or unreachable: build our own
    if found is None:
        url = f"sqlite:///{workdir / f'join-{os.getpid()}-{id(ds)}.sqlite'}"
        write_dataset(url, ds)
        found = read(url)
    while len(_JOINS) >= 8:
        _JOINS.pop(next(iter(_JOINS)))
    _JOINS[key] = found
    return found


def _membership_diff(before: dict, after: dict) -> list[dict]:
    out = []
    for key in sorted(set(before) | set(after)):
        b, a = before.get(key), after.get(key)
        if a != b:
            out.append({"project": key[0], "zone": key[1], "before": b, "after": a})
    return out


# ---- the plan -----------------------------------------------------------------------------------------

@dataclass
class Plan:
    """An edit (or revert) worked out and validated: what :func:`apply` writes, and the diff."""

    data_dir: Path
    change: dict  # the change record, as it will be written
    texts: dict[str, str | None]  # data-relative path → new text (None: the file is removed)
    originals: dict[str, bytes | None]  # data-relative path → bytes when planned (None: absent)
    memberships: list[dict]  # every membership that changes
    warnings: list[str]
    dataset: object = None  # the validated would-be Dataset (for a reload)
    applied: bool = False

    @property
    def empty(self) -> bool:
        return not self.change["features"]

    def summary(self) -> dict:
        """The diff as JSON: what the HTTP API answers and the CLI prints."""
        return {
            "change": self.change["id"], "layer": self.change["layer"], "action": self.change["action"],
            "reverts": self.change.get("reverts"), "author": self.change["author"], "note": self.change["note"],
            "features": [{k: v for k, v in f.items()} for f in self.change["features"]],
            "memberships": self.memberships, "files": sorted(self.texts), "warnings": self.warnings,
            "applied": self.applied,
        }


def _build(data_dir: Path, seeds_dir: Path | None, change: dict, ops: list[FileOp], features: list[dict],
           geoms: dict[str, tuple], warnings: list[str], db_url: str | None, ds_before=None) -> Plan:
    """Steps 3–5: the would-be files, validated in a copy of data/, joined, measured."""
    data_dir = Path(data_dir)
    texts: dict[str, str | None] = {}
    originals: dict[str, bytes | None] = {}
    docs: dict[str, dict] = {}
    for op in ops:
        if op.path not in docs:
            path = data_dir / op.path
            originals[op.path] = path.read_bytes() if path.exists() else None
            docs[op.path] = _read_doc(path) if path.exists() else {"type": "FeatureCollection", "features": []}
        _set_record(docs[op.path], op)
    for rel, doc in docs.items():
        texts[rel] = dumps(doc) if doc["features"] else None
    change["files"] = [op.as_json() for op in ops]
    change["features"] = features
    with tempfile.TemporaryDirectory(prefix="zonemap-edit-") as tmp:
        work = Path(tmp)
        copy_dir = work / "data"
        shutil.copytree(data_dir, copy_dir, ignore=shutil.ignore_patterns(".git", "__pycache__"))
        for rel, text in texts.items():
            target = copy_dir / rel
            if text is None:
                target.unlink(missing_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
        record = copy_dir / changelog.CHANGES_FOLDER / changelog.file_name(change)
        record.parent.mkdir(parents=True, exist_ok=True)
        record.write_text(dumps(change), encoding="utf-8")
        if ds_before is None:
            ds_before = _read_current(data_dir, seeds_dir)
        try:
            ds_after = _read(copy_dir, seeds_dir)
        except DataError as exc:
            raise EditError(exc.problems, "the data would not be valid after this edit: ") from None
        before_m = memberships(ds_before, work, db_url)
        after_m = memberships(ds_after, work)
    diff = _membership_diff(before_m, after_m)
    layer = LAYERS[change["layer"]]
    for f in features:
        b, a = geoms[f["id"]]
        f.update(measure(b, a))
        if layer.name == "projects":
            f["memberships"] = [m for m in diff if m["project"] == f["id"]]
        elif layer.name in ("zones", "corridors"):
            f["memberships"] = [m for m in diff if m["zone"] == f["id"]]
        else:
            f["memberships"] = []  # streets take no part in the project↔zone join
        if change["action"] == "edit":
            w = _shift_warning(f["id"], b, a)
            if w:
                warnings.append(w)
    # the copy's record was written before the measures: the rows to load carry them too
    ds_after.changes = [r for r in ds_after.changes if r["change_id"] != change["id"]] + changelog.change_rows([change])
    return Plan(data_dir, change, texts, originals, diff, warnings, ds_after)


def _read_current(data_dir: Path, seeds_dir: Path | None):
    try:
        return _read(data_dir, seeds_dir)
    except DataError as exc:
        raise EditError(exc.problems, "the data folder is not valid now (fix it, or revert, first): ") from None


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def plan_import(data_dir: Path, seeds_dir: Path | None, layer_name: str, source: Source, *, author: str, note: str,
                via: str, accuracy_m: float | None = None, confidence: str | None = None, db_url: str | None = None) -> Plan:
    """Steps 2–5 for an imported file: which features change, the would-be data, validated, the diff."""
    data_dir = Path(data_dir)
    layer = LAYERS.get(layer_name)
    problems: list[DataProblem] = []
    if layer is None:
        raise EditError([DataProblem(source.label, None, "layer", f"expected one of {', '.join(LAYERS)}, found {layer_name!r}")])
    for name, value, limit in (("author", author, changelog.MAX_AUTHOR), ("note", note, changelog.MAX_NOTE)):
        problem = changelog.check_text(name, value, limit)
        if problem:
            problems.append(DataProblem(source.label, None, name, problem))
    if accuracy_m is not None and not (isinstance(accuracy_m, (int, float)) and 0 < accuracy_m <= 100_000):
        problems.append(DataProblem(source.label, None, "accuracy_m", f"expected a positive number of metres, found {accuracy_m!r}"))
    if confidence is not None and confidence not in CONFIDENCE:
        problems.append(DataProblem(source.label, None, "confidence", f"expected one of {', '.join(CONFIDENCE)}, found {confidence!r}"))
    if problems:
        raise EditError(problems)

    ds = _read_current(data_dir, seeds_dir)
    catalog = {"zone": {z["id"]: z for z in ds.zones}, "street": {s["id"]: s for s in ds.streets},
               "project": {p["id"]: p for p in ds.projects}}[layer.id_property]
    files = layer_files(data_dir, layer)
    change_id = changelog.next_id(data_dir)
    time = changelog.now_utc()
    placement = f"edited in QGIS by {author.strip()} on {time[:10]}: {note.strip()} (change {change_id})"
    change = {"id": change_id, "time": time, "author": author.strip(), "via": via, "note": note.strip(), "action": "edit",
              "reverts": None, "layer": layer.name, "source": {"file": source.label, "crs": source.crs, "layer": source.layer}}
    ops: list[FileOp] = []
    features: list[dict] = []
    geoms: dict[str, tuple] = {}
    seen: set[str] = set()
    warnings = list(source.warnings)
    for n, raw in enumerate(source.features, start=1):
        props = raw["properties"]
        fid = props.get("id", props.get(layer.id_property))
        item = fid if isinstance(fid, str) and fid else f"feature #{n}"
        if not isinstance(fid, str) or not fid:
            problems.append(DataProblem(source.label, item, "id", f"missing: every feature names the {layer.kind} id it belongs to"))
            continue
        if fid in seen:
            problems.append(DataProblem(source.label, fid, "id", "the file holds this feature twice"))
            continue
        seen.add(fid)
        if fid not in catalog:
            problems.append(DataProblem(source.label, fid, "id", f"unknown {layer.kind} id: not in the catalog (data/catalog/*.yaml)"))
            continue
        row = catalog[fid]
        current = row.get("centreline") if layer.name == "corridors" else row.get("geom")
        if raw["geometry"] is None:
            if current is not None and layer.name != "corridors":
                problems.append(DataProblem(source.label, fid, "geometry", "missing: removing a feature's geometry is not an edit "
                                            "zonemap imports (the data files say how each was placed); leave it, or edit the files"))
            continue
        if "error" in raw["geometry"]:
            problems.append(DataProblem(source.label, fid, "geometry", f"cannot be converted to WGS84: {raw['geometry']['error']}"))
            continue
        try:
            # the loader's rule: closed rings, vertex limit, type, validity, WGS84 near Dalian
            new = check_geometry(raw["geometry"], layer.geometry)
            new = check_geometry(to_geojson(new, PRECISION), layer.geometry)
        except ValueError as exc:
            problems.append(DataProblem(source.label, fid, "geometry", str(exc)))
            continue
        corridor_zone = layer.name == "zones" and row.get("centreline") is not None
        if corridor_zone:
            if current is not None and shapely.hausdorff_distance(gcrs.to_metric(current), gcrs.to_metric(new)) < UNCHANGED_CORRIDOR_M:
                continue
            problems.append(DataProblem(source.label, fid, "geometry", f"a corridor zone: its polygon is its centreline buffered "
                                        f"{row['corridor_m']:g} m; edit the centreline instead (layer corridors)"))
            continue
        found = find_record(data_dir, files, layer.id_property, fid)
        if found is None and layer.generated:
            problems.append(DataProblem(source.label, fid, "id", f"the generated layers have no {layer.kind} {fid!r} to correct: "
                                        f"draw it in its script in data/geometry/src/ (a new feature needs its anchors)"))
            continue
        old_props = (found[1].get("properties") or {}) if found else {}
        # the provenance now: the file's record, or (a project whose point stands for its site) the loader's
        now_acc = _number(old_props.get("accuracy_m")) if found else _number(row.get("location_accuracy_m", row.get("accuracy_m")))
        now_conf = old_props.get("confidence") if found else row.get("confidence")
        given_acc = _number(props.get("accuracy_m", props.get("location_accuracy_m")))
        given_conf = props.get("confidence")
        if current is not None:
            new = snap(current, new, SNAP_SHIFT_M if source.crs in (gcrs.GCJ02.key, gcrs.BD09.key) else SNAP_M)
        same_geometry = current is not None and shapely.equals_exact(shapely.normalize(current), shapely.normalize(new), 1e-9)
        # the caller's accuracy and confidence are those of the features that move (or are placed);
        # a value changed in the file's attribute table is that feature's own
        acc = accuracy_m if accuracy_m is not None and not same_geometry else \
            given_acc if given_acc is not None and given_acc != now_acc else now_acc
        conf = confidence if confidence is not None and not same_geometry else \
            given_conf if given_conf and given_conf != now_conf else now_conf
        if same_geometry and _number(acc) == now_acc and conf == now_conf:
            continue  # sent back unchanged
        if found is None:
            if acc is None:
                problems.append(DataProblem(source.label, fid, "accuracy_m", "a newly placed project needs its accuracy in metres: "
                                            "give accuracy_m (option or feature property)"))
            if conf is None:
                problems.append(DataProblem(source.label, fid, "confidence", f"a newly placed project needs a confidence "
                                            f"({', '.join(CONFIDENCE)}): give confidence (option or feature property)"))
            if acc is None or conf is None:
                continue
        geometry = to_geojson(new, PRECISION)
        if found is not None:
            rel, old = found
            record = copy.deepcopy(old)
            record["geometry"] = geometry
            record["properties"].update(placement=placement, accuracy_m=_int_if_whole(acc), confidence=conf)
        else:
            rel, old = f"geometry/{NEW_POINTS_FILE}", None
            record = {"type": "Feature", "geometry": geometry, "properties": {
                "project": fid, "name_zh": row["name_zh"], "placement": placement, "accuracy_m": _int_if_whole(acc), "confidence": conf}}
        ops.append(FileOp(rel, layer.id_property, fid, old, record))
        if layer.generated:
            opath = f"geometry/{OVERRIDE_FOLDER}/{OVERRIDE_FILES[layer.name][0]}"
            existing = data_dir / opath
            previous = None
            if existing.exists():
                previous = next((f for f in _read_doc(existing)["features"] if f["properties"].get(layer.id_property) == fid), None)
            override = {"type": "Feature", "properties": {
                layer.id_property: fid, "name_zh": row["name_zh"], "placement": placement, "accuracy_m": _int_if_whole(acc),
                "confidence": conf, "change": change_id, "author": author.strip(), "date": time[:10], "note": note.strip()},
                "geometry": geometry}
            ops.append(FileOp(opath, layer.id_property, fid, previous, override))
        if not same_geometry and found is not None and _number(acc) == now_acc and accuracy_m is None:
            warnings.append(f"{fid}: moved, accuracy_m kept at {acc:g} m; if the new position is known better, "
                                   "say so (accuracy_m)")
        action = "edit" if found is not None else "place"
        features.append({"id": fid, "name_zh": row["name_zh"], "action": action, "file": rel,
                         "generator": generator_of(data_dir, rel) if layer.generated else None,
                         "before": _provenance(old), "after": _provenance(record)})
        geoms[fid] = (current if found is not None else None, new)
    if problems:
        raise EditError(problems)
    if not features:
        return Plan(data_dir, {**change, "features": [], "files": []}, {}, {}, [], warnings + ["nothing to change: "
                    "every feature of the file equals the data"])
    return _build(data_dir, seeds_dir, change, ops, features, geoms, warnings, db_url, ds)


def _int_if_whole(value):
    v = float(value)
    return int(v) if v.is_integer() else v


def _geom(d: dict | None) -> BaseGeometry | None:
    return shape(d["geometry"]) if d and d.get("geometry") else None


def plan_revert(data_dir: Path, seeds_dir: Path | None, change_id: str, *, author: str, note: str, via: str,
                db_url: str | None = None) -> Plan:
    """A change that undoes ``change_id``: every file record it wrote put back as it was, provided
    nothing changed them since (else :class:`EditConflict` names the later change)."""
    data_dir = Path(data_dir)
    problems: list[DataProblem] = []
    changes = changelog.read_changes(data_dir, problems)
    if problems:
        raise EditError(problems, "the change log is not valid: ")
    by_id = {c["id"]: c for c in changes}
    target = by_id.get(change_id)
    if target is None:
        raise UnknownChange(change_id)
    for name, value, limit in (("author", author, changelog.MAX_AUTHOR), ("note", note, changelog.MAX_NOTE)):
        problem = changelog.check_text(name, value, limit)
        if problem:
            problems.append(DataProblem(f"revert {change_id}", None, name, problem))
    if problems:
        raise EditError(problems)
    ops = []
    for entry in target["files"]:
        path = data_dir / entry["path"]
        current = None
        if path.exists():
            current = next((f for f in _read_doc(path)["features"] if (f.get("properties") or {}).get(entry["id_property"]) == entry["id"]), None)
        if current != entry["after"]:
            later = [c["id"] for c in changes if int(c["id"]) > int(change_id)
                     and any(e["path"] == entry["path"] and e["id"] == entry["id"] for e in c["files"])]
            reverted = [c["id"] for c in changes if c.get("reverts") == change_id]
            why = (f"change {change_id} was already reverted by {', '.join(reverted)}" if reverted and not later[len(reverted):]
                   else f"it was changed again by change {', '.join(later)}: revert that first" if later
                   else "it was edited by hand since")
            raise EditConflict(f"{entry['path']}: {entry['id']} is no longer as change {change_id} left it: {why}")
        ops.append(FileOp(entry["path"], entry["id_property"], entry["id"], entry["after"], entry["before"]))
    new_id = changelog.next_id(data_dir)
    change = {"id": new_id, "time": changelog.now_utc(), "author": author.strip(), "via": via, "note": note.strip(),
              "action": "revert", "reverts": change_id, "layer": target["layer"], "source": None}
    features, geoms = [], {}
    for f in target["features"]:
        features.append({"id": f["id"], "name_zh": f.get("name_zh"), "action": "revert", "file": f["file"],
                         "generator": f.get("generator"), "before": f["after"], "after": f["before"]})
        geoms[f["id"]] = (_geom(f["after"]), _geom(f["before"]))
    return _build(data_dir, seeds_dir, change, ops, features, geoms, [], db_url)


# ---- 6. applying -------------------------------------------------------------------------------------

@contextlib.contextmanager
def locked(data_dir: Path):
    """One edit at a time on a data folder, across processes (the CLI, every server worker)."""
    fd = os.open(data_dir, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def apply(plan: Plan) -> Plan:
    """Write the plan: every file at once (all or nothing), the change record last. Refuses with
    :class:`EditConflict` if any file changed, or another change was logged, since it was planned."""
    data_dir = plan.data_dir
    if plan.empty:
        return plan
    record_rel = f"{changelog.CHANGES_FOLDER}/{changelog.file_name(plan.change)}"
    with locked(data_dir):
        for rel, original in plan.originals.items():
            path = data_dir / rel
            now = path.read_bytes() if path.exists() else None
            if now != original:
                raise EditConflict(f"{rel} changed since the edit was checked: run it again")
        if changelog.next_id(data_dir) != plan.change["id"]:
            raise EditConflict(f"another change was logged since the edit was checked (change {plan.change['id']} exists): run it again")
        writes = {**plan.texts, record_rel: dumps(plan.change)}
        staged: dict[str, Path] = {}
        done: list[str] = []
        try:
            for rel, text in writes.items():
                if text is None:
                    continue
                target = data_dir / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                tmp = target.with_name(f".{target.name}.{os.getpid()}.edit")
                tmp.write_text(text, encoding="utf-8")
                staged[rel] = tmp
            for rel, text in writes.items():  # the change record comes last (dict order)
                target = data_dir / rel
                if text is None:
                    target.unlink(missing_ok=True)
                else:
                    os.replace(staged[rel], target)
                done.append(rel)
        except BaseException:
            for rel in done:  # put back what was already replaced
                original = plan.originals.get(rel)
                target = data_dir / rel
                if original is None:
                    target.unlink(missing_ok=True)
                else:
                    target.write_bytes(original)
            for tmp in staged.values():
                tmp.unlink(missing_ok=True)
            raise
        for rel in plan.texts:  # a folder the edit emptied (the last override reverted) goes too
            parent = (data_dir / rel).parent
            if parent.name == OVERRIDE_FOLDER and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
    plan.applied = True
    return plan


# ---- history -----------------------------------------------------------------------------------------

def history_rows(conn, feature: str | None = None, layer: str | None = None) -> list[dict]:
    """The loaded change log, newest first: one row per changed feature, with ``reverted_by``."""
    import sqlalchemy as sa

    t = changelog.Change.__table__
    q = sa.select(t)
    if feature is not None:
        q = q.where(t.c.feature_id == feature)
    if layer is not None:
        q = q.where(t.c.layer == layer)
    rows = [dict(r._mapping) for r in conn.execute(q)]
    reverts = {(r["reverts"], r["layer"], r["feature_id"]): r["change_id"]
               for r in conn.execute(sa.select(t.c.reverts, t.c.layer, t.c.feature_id, t.c.change_id).where(t.c.reverts.is_not(None))).mappings()}
    out = []
    for r in sorted(rows, key=lambda r: (int(r["change_id"]), r["feature_id"]), reverse=True):
        out.append({"change": r["change_id"], "layer": r["layer"], "feature": r["feature_id"], "time": r["time"],
                    "author": r["author"], "via": r["via"], "note": r["note"], "action": r["action"], "reverts": r["reverts"],
                    "reverted_by": reverts.get((r["change_id"], r["layer"], r["feature_id"])), "file": r["file"],
                    "moved_m": r["moved_m"], **(r["details"] or {}), "before": r["before"], "after": r["after"]})
    return out


def describe(summary: dict, dry_run: bool) -> str:
    """The diff for a person (the CLI's output)."""
    lines = []
    verb = "would change" if dry_run else "changed"
    if not summary["features"]:
        return "\n".join(["nothing to change", *summary["warnings"]])
    head = f"change {summary['change']}" + (f" (reverts {summary['reverts']})" if summary.get("reverts") else "")
    lines.append(f"{head}: {len(summary['features'])} {summary['layer']} feature(s) {verb}")
    for f in summary["features"]:
        what = {"place": "placed (was unlocated)", "revert": "restored"}.get(f["action"], "edited")
        moved = f.get("moved_m")
        geometry = "" if moved is None else f"moves {moved:g} m (Hausdorff)"
        if f.get("vertices_moved") is not None and f.get("vertices", 0) > 1:
            geometry += f", {f['vertices_moved']} of {f['vertices']} vertices moved (largest {f['max_vertex_move_m']:g} m)"
        elif f.get("vertices_before") is not None:
            geometry += f", vertices {f['vertices_before']} → {f['vertices']}"
        if f.get("area_before_m2") is not None:
            geometry += f", area {f['area_before_m2'] / 1e6:.4f} → {f['area_after_m2'] / 1e6:.4f} km²"
        if f.get("length_before_m") is not None:
            geometry += f", length {f['length_before_m']:g} → {f['length_after_m']:g} m"
        lines.append(f"  {f['id']} {f.get('name_zh') or ''}: {what}{'; ' + geometry if geometry else ''}")
        where = f["file"] + (f" (generated by {f['generator']}; kept by an override)" if f.get("generator") else "")
        lines.append(f"    file: {where}")
        after = f.get("after") or {}
        before = f.get("before") or {}
        if after:
            lines.append(f"    accuracy {before.get('accuracy_m')} → {after.get('accuracy_m')} m, confidence {before.get('confidence')} → "
                         f"{after.get('confidence')}; placement: {after.get('placement')}")
        else:
            lines.append("    the feature's geometry is removed again (unlocated)")
    if summary["memberships"]:
        lines.append("  memberships (project ∈ zone, by the join on the would-be data):")
        for m in summary["memberships"]:
            sign = "+" if m["before"] is None else "−" if m["after"] is None else "~"
            basis = m["after"] or m["before"] if m["before"] is None or m["after"] is None else f"{m['before']} → {m['after']}"
            lines.append(f"    {sign} {m['project']} ∈ {m['zone']} ({basis})")
    else:
        lines.append("  memberships: none changes")
    for w in summary["warnings"]:
        lines.append(f"  warning: {w}")
    lines.append("  files: " + ", ".join(summary["files"]))
    return "\n".join(lines)

"""Reading the GeoJSON layers, with errors that name file, feature and field.

A :class:`LayerSpec` says what one kind of layer holds — its files, geometry type, the property
naming the catalog id, and every other property a feature may carry (one line per layer, in
``projects.dataset.LAYERS``). :func:`read_layer` checks a file against it: JSON without duplicate
keys or NaN, a FeatureCollection with at least one feature, no unknown properties, provenance
(``placement``, ``accuracy_m``, ``confidence``), closed rings, at most ``max_vertices`` vertices per
feature, and a valid WGS84 geometry near Dalian (:func:`geo.geometry.parse_geometry`).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from shapely.geometry.base import BaseGeometry

from geo.errors import DataProblem, excerpt
from geo.geometry import parse_geometry
from geo.records import read_file_text, unknown_fields

CONFIDENCE = ("high", "medium", "low")
PROVENANCE = ("placement", "accuracy_m", "confidence")
# The most vertices one feature may have (configurable: ZONEMAP_LOAD_MAX_VERTICES). A ring's closing
# position, which repeats its first, is not counted.
MAX_VERTICES = 1_000_000
MAX_GEOJSON_BYTES = 256 * 2**20


@dataclass(frozen=True)
class LayerSpec:
    """One kind of layer: ``<folder>/<stem>.geojson``, or split over ``<stem>_<suffix>.geojson``."""

    folder: str
    stem: str
    geometry: str  # the stored type: Point, MultiLineString, MultiPolygon (single parts promoted)
    id_property: str  # the catalog id each feature belongs to
    properties: tuple[str, ...] = ()  # further properties a feature may carry
    provenance: bool = True  # placement, accuracy_m and confidence are required
    required: bool = True  # at least one file with features must exist
    split: bool = True  # may be split over several files

    @property
    def known(self) -> tuple[str, ...]:
        return (self.id_property, *(PROVENANCE if self.provenance else ()), *self.properties)

    def owns(self, path: Path) -> bool:
        return path.stem == self.stem or (self.split and path.stem.startswith(self.stem + "_"))

    def files(self, data_dir: Path) -> list[Path]:
        folder = data_dir / self.folder
        try:
            return sorted(p for p in folder.glob("*.geojson") if self.owns(p))
        except OSError:
            return []


@dataclass
class Feature:
    """A validated feature: the catalog id it belongs to, its geometry, its properties and the
    file it came from (``label``, for messages)."""

    id: str
    geom: BaseGeometry
    properties: dict = field(default_factory=dict)
    label: str = ""

    @property
    def placement(self) -> str:
        return self.properties["placement"]

    @property
    def accuracy_m(self) -> float:
        return float(self.properties["accuracy_m"])

    @property
    def confidence(self) -> str:
        return self.properties["confidence"]


class _Refused(ValueError):
    pass


def _pairs(pairs):
    out = {}
    for key, value in pairs:
        if key in out:
            raise _Refused(f"duplicate key {excerpt(key)} in one object")
        out[key] = value
    return out


def _constant(name):
    raise _Refused(f"{name} is not a number in JSON (RFC 8259)")


def load_json(text: str, label: str, problems: list[DataProblem]):
    """Parse JSON strictly (no duplicate keys, no NaN/Infinity); None after recording a problem."""
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        problems.append(DataProblem(label, None, None, f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"))
    except _Refused as exc:
        problems.append(DataProblem(label, None, None, f"not valid JSON: {exc}"))
    except RecursionError:
        problems.append(DataProblem(label, None, None, "not valid JSON: nested too deeply"))
    return None


def _count_and_close(obj: dict) -> int:
    """Vertices of a GeoJSON geometry object (closing positions not counted); refuses rings that
    do not close (shapely would close them silently) and coordinates that are not nested right."""
    kind, coords = obj.get("type"), obj.get("coordinates")

    def is_list(v):
        return isinstance(v, list)

    def positions(seq, where):
        # Numbers only (shapely would read "121.6" as a number); numpy checks a million at C speed.
        arr = np.asarray(seq) if is_list(seq) and seq else None
        if arr is None or arr.dtype.kind not in "if" or arr.ndim != 2 or arr.shape[1] not in (2, 3):
            raise ValueError(f"{where}: expected positions [longitude, latitude] of numbers, found {excerpt(seq, 50)}")
        return len(seq)

    def ring_count(ring, where):
        if not is_list(ring) or len(ring) < 4 or not all(is_list(p) for p in (ring[0], ring[-1])):
            raise ValueError(f"{where} needs at least 4 positions (a closed ring), found {excerpt(ring, 50)}")
        positions(ring, where)
        if ring[0] != ring[-1]:
            raise ValueError(f"{where} is not closed: its last position {excerpt(ring[-1], 50)} must repeat its first {excerpt(ring[0], 50)}")
        return len(ring) - 1

    def polygon(rings, where):
        if not is_list(rings) or not rings:
            raise ValueError(f"{where}: expected a list of rings, found {excerpt(rings, 50)}")
        return sum(ring_count(r, f"ring {n} of {where}") for n, r in enumerate(rings, start=1))

    if kind == "Point":
        return positions([coords], "the point")
    if kind in ("LineString", "MultiPoint"):
        return positions(coords, "the line")
    if kind == "MultiLineString":
        if not is_list(coords):
            return 0
        return sum(positions(line, f"line {n}") for n, line in enumerate(coords, start=1))
    if kind == "Polygon":
        return polygon(coords, "the polygon")
    if kind == "MultiPolygon":
        if not is_list(coords):
            return 0
        return sum(polygon(p, f"polygon {n}") for n, p in enumerate(coords, start=1))
    return 0


def check_geometry(obj, expected: str, max_vertices: int = MAX_VERTICES) -> BaseGeometry:
    """A GeoJSON geometry object → a valid, normalised shapely geometry of type ``expected``;
    ``ValueError`` with the reason otherwise (missing, wrong type, unclosed ring, too many
    vertices, invalid, outside WGS84 or far from Dalian)."""
    if obj is None:
        raise ValueError("geometry is missing (null)")
    if not isinstance(obj, dict):
        raise ValueError(f"expected a GeoJSON geometry object, found {excerpt(obj)}")
    n = _count_and_close(obj)
    if n > max_vertices:
        raise ValueError(f"{n:,} vertices, more than the limit of {max_vertices:,} per feature (ZONEMAP_LOAD_MAX_VERTICES): "
                         "simplify the geometry or raise the limit")
    return parse_geometry(obj, expected)


def read_layer(path: Path, spec: LayerSpec, problems: list[DataProblem], label: str | None = None,
               max_vertices: int = MAX_VERTICES) -> list[Feature]:
    """Read one GeoJSON file of the layer ``spec``; append a :class:`DataProblem` for every bad
    feature (or for the file) and return the good features."""
    label = label or path.name
    text = read_file_text(path, label, problems, MAX_GEOJSON_BYTES, "GeoJSON")
    if text is None:
        return []
    doc = load_json(text, label, problems)
    if doc is None:
        return []
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        problems.append(DataProblem(label, None, "type", f"expected a GeoJSON FeatureCollection, found {excerpt(doc if not isinstance(doc, dict) else doc.get('type'))}"))
        return []
    if "crs" in doc:
        problems.append(DataProblem(label, None, "crs", "RFC 7946 GeoJSON has no 'crs' member: store WGS84 lon/lat"))
    raw_features = doc.get("features")
    if not isinstance(raw_features, list):
        problems.append(DataProblem(label, None, "features", f"expected a list of features, found {excerpt(raw_features)}"))
        return []
    if not raw_features:
        problems.append(DataProblem(label, None, "features", "the file has no features: a layer file holds at least one (delete an empty file)"))
        return []
    features: list[Feature] = []
    for n, raw in enumerate(raw_features, start=1):
        if not isinstance(raw, dict) or raw.get("type") != "Feature":
            problems.append(DataProblem(label, f"feature #{n}", "type", f"expected a GeoJSON Feature, found {excerpt(raw)}"))
            continue
        props = raw.get("properties")
        if not isinstance(props, dict):
            problems.append(DataProblem(label, f"feature #{n}", "properties", f"expected an object of properties, found {excerpt(props)}"))
            continue
        fid = props.get(spec.id_property)
        item = excerpt(fid, 60).strip("'") if isinstance(fid, str) and fid else f"feature #{n}"
        if not isinstance(fid, str) or not fid:
            problems.append(DataProblem(label, item, spec.id_property, f"missing: every feature names the catalog id it belongs to, found {excerpt(fid)}"))
            continue
        bad = False
        # An unknown property is an error, but the feature still counts as present: its zone is
        # not also reported as having no polygon.
        for name, message in unknown_fields(props, spec.known, what="property"):
            problems.append(DataProblem(label, item, name, message))
        if spec.provenance:
            placement = props.get("placement")
            if not isinstance(placement, str) or not placement.strip():
                problems.append(DataProblem(label, item, "placement", f"missing: say how the feature was placed, found {excerpt(placement)}"))
                bad = True
            acc = props.get("accuracy_m")
            if isinstance(acc, bool) or not isinstance(acc, (int, float)) or not math.isfinite(acc) or acc <= 0:
                problems.append(DataProblem(label, item, "accuracy_m", f"expected a positive number of metres, found {excerpt(acc)}"))
                bad = True
            if props.get("confidence") not in CONFIDENCE:
                problems.append(DataProblem(label, item, "confidence", f"expected one of {', '.join(CONFIDENCE)}, found {excerpt(props.get('confidence'))}"))
                bad = True
        try:
            geom = check_geometry(raw.get("geometry"), spec.geometry, max_vertices)
        except ValueError as exc:
            problems.append(DataProblem(label, item, "geometry", str(exc)))
            continue
        if not bad:
            features.append(Feature(fid, geom, props, label))
    return features

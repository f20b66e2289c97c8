"""Reading the hand-digitised GeoJSON layers, with errors that name file, feature and field."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from shapely.geometry.base import BaseGeometry

from geo.errors import DataProblem
from geo.geometry import parse_geometry

CONFIDENCE = ("high", "medium", "low")


@dataclass
class Feature:
    """A validated feature: the catalog id it belongs to, its geometry and its provenance."""

    id: str
    geom: BaseGeometry
    properties: dict = field(default_factory=dict)

    @property
    def placement(self) -> str:
        return self.properties["placement"]

    @property
    def accuracy_m(self) -> float:
        return float(self.properties["accuracy_m"])

    @property
    def confidence(self) -> str:
        return self.properties["confidence"]


def read_layer(
    path: Path, expected: str, id_property: str, problems: list[DataProblem], label: str | None = None
) -> list[Feature]:
    """Read one GeoJSON layer; append a :class:`DataProblem` for every bad feature.

    Every feature must carry ``id_property`` (the catalog id), ``placement`` (how it was
    placed), ``accuracy_m`` (metres, > 0) and ``confidence``; its geometry must be ``expected``
    (single parts are promoted), valid and in WGS84. A missing file is an empty layer.
    """
    label = label or path.name
    if not path.exists():
        return []
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        problems.append(DataProblem(label, None, None, f"not valid UTF-8 JSON: {exc}"))
        return []
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        problems.append(DataProblem(label, None, "type", "expected a GeoJSON FeatureCollection"))
        return []
    if "crs" in doc:
        problems.append(DataProblem(label, None, "crs", "RFC 7946 GeoJSON has no 'crs' member: store WGS84 lon/lat"))
    features: list[Feature] = []
    for n, raw in enumerate(doc.get("features") or [], start=1):
        props = (raw or {}).get("properties") or {}
        fid = props.get(id_property)
        item = str(fid) if fid else f"feature #{n}"
        if not isinstance(fid, str) or not fid:
            problems.append(DataProblem(label, item, id_property, "missing: every feature names the catalog id it belongs to"))
            continue
        bad = False
        if not isinstance(props.get("placement"), str) or not props["placement"].strip():
            problems.append(DataProblem(label, item, "placement", "missing: say how the feature was placed"))
            bad = True
        acc = props.get("accuracy_m")
        if isinstance(acc, bool) or not isinstance(acc, (int, float)) or acc <= 0:
            problems.append(DataProblem(label, item, "accuracy_m", f"expected a positive number of metres, found {acc!r}"))
            bad = True
        if props.get("confidence") not in CONFIDENCE:
            problems.append(DataProblem(label, item, "confidence", f"expected one of {', '.join(CONFIDENCE)}, found {props.get('confidence')!r}"))
            bad = True
        try:
            geom = parse_geometry(raw.get("geometry"), expected)
        except ValueError as exc:
            problems.append(DataProblem(label, item, "geometry", str(exc)))
            continue
        if not bad:
            features.append(Feature(fid, geom, props))
    return features

"""Reviewed overrides of generated geometry, and the data folder's GeoJSON text layout.

The zone, corridor and street layers in ``data/geometry/`` are written by the scripts in
``data/geometry/src/`` (each vertex commented with its anchor). A correction made in a GIS (a
zone boundary moved in QGIS) cannot become an anchor: the scripts clip and combine their drafts.
It is kept instead as an *override*: ``data/geometry/overrides/<layer>.geojson`` holds, per
feature, the corrected geometry and provenance with who made it, when, why and under which change
of ``data/changes/``. The scripts apply the overrides to what they generate
(:func:`apply_overrides`), so re-running them keeps the correction; ``zonemap import`` writes the
override and patches the generated file the same way, so ``zonemap load`` sees it at once.

This module has no dependencies beyond the standard library: the generator scripts import it.
"""

from __future__ import annotations

import json
from pathlib import Path

OVERRIDE_FOLDER = "overrides"
# Override file per generated layer (in data/geometry/overrides/) and the property naming the id.
OVERRIDE_FILES: dict[str, tuple[str, str]] = {
    "zones": ("zones.geojson", "zone"),
    "corridors": ("zone_lines.geojson", "zone"),
    "streets": ("streets.geojson", "street"),
}
PROVENANCE = ("placement", "accuracy_m", "confidence")
METADATA = ("change", "author", "date", "note")  # what an override says about itself


def dumps(doc: dict) -> str:
    """The data folder's GeoJSON text: what the generators write (one space per level, UTF-8
    Chinese, a final newline). Edits write it too, so that a revert restores files byte for byte."""
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def override_path(geometry_dir: Path, layer: str) -> Path:
    """``data/geometry/overrides/<file>`` of a generated layer (``zones``, ``corridors``, ``streets``)."""
    return Path(geometry_dir) / OVERRIDE_FOLDER / OVERRIDE_FILES[layer][0]


def read_overrides(path: Path, id_property: str) -> dict[str, dict]:
    """The override features of one file by id ({} when the file does not exist)."""
    path = Path(path)
    if not path.exists():
        return {}
    doc = json.loads(path.read_text(encoding="utf-8"))
    return {f["properties"][id_property]: f for f in doc.get("features", [])}


def apply_override(feature: dict, override: dict) -> dict:
    """``feature`` (a generated GeoJSON feature) with the override's geometry and provenance; its
    other properties and the order of its keys are kept."""
    props = dict(feature["properties"])
    for key in PROVENANCE:
        props[key] = override["properties"][key]
    out = {}
    for key, value in feature.items():
        out[key] = props if key == "properties" else override["geometry"] if key == "geometry" else value
    return out


def apply_overrides(features: list[dict], path: Path, id_property: str) -> list[dict]:
    """What a generator writes: its ``features`` with every override of ``path`` applied.

    Overrides of ids the generator does not produce are left for the generator that does (the
    zone overrides are shared by the scripts of Xigang and of Shahekou and the city);
    ``zonemap check`` reports an override that no generated feature takes.
    """
    overrides = read_overrides(path, id_property)
    return [apply_override(f, overrides[f["properties"][id_property]]) if f["properties"][id_property] in overrides else f
            for f in features]

"""Writing GeoJSON features to files GIS clients read well: a GeoPackage, or flat GeoJSON."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import geopandas as gpd
from shapely.geometry import shape

from geo.db import SRID


def flat_properties(props: dict) -> dict:
    """One value type per column: lists and objects become JSON text (QGIS shows nested values poorly)."""
    return {k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v for k, v in props.items()}


def to_geodataframe(features: list[dict]) -> gpd.GeoDataFrame:
    """A GeoDataFrame in EPSG:4326 from GeoJSON features (null geometries kept as missing)."""
    rows = [flat_properties(f["properties"]) for f in features]
    geoms = [shape(f["geometry"]) if f["geometry"] else None for f in features]
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=f"EPSG:{SRID}")


def geopackage_bytes(layers: dict[str, list[dict]]) -> bytes:
    """A GeoPackage (GPKG 1.3, for older GDAL/QGIS) holding one table per named layer."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "zonemap.gpkg"
        first = True
        for name, features in layers.items():
            if not features:
                continue
            options = {"VERSION": "1.3"} if first else {}
            to_geodataframe(features).to_file(path, layer=name, driver="GPKG", engine="pyogrio", **options)
            first = False
        return path.read_bytes()

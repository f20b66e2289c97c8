"""Writing GeoJSON features to files GIS clients read well: a GeoPackage, or flat GeoJSON.

The GeoPackage is written by GDAL (pyogrio) in a child process: pyogrio's wheel carries its own
SQLite, and meeting the system SQLite with SpatiaLite loaded in one process crashes it (seen as a
segmentation fault in the test suite). The child gets GeoJSON on stdin and writes the file.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from geo.db import SRID


def _json_text_encoder():
    """``json.dumps(v, ensure_ascii=False)`` without building an encoder per call (the OGC items
    flatten several lists per feature: half the time of a 1,000-feature page went there). The
    standard library's own C encoder with the same settings, so the same text; no circular check
    (properties are plain trees)."""
    enc = json.JSONEncoder(ensure_ascii=False)
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # a Python without the C accelerator
        return enc.encode
    iterencode = make(None, enc.default, json.encoder.encode_basestring, None, enc.key_separator,
                      enc.item_separator, False, False, True)
    return lambda value: "".join(iterencode(value, 0))


_json_text = _json_text_encoder()


def flat_properties(props: dict) -> dict:
    """One value type per column: lists and objects become JSON text (QGIS shows nested values poorly)."""
    return {k: _json_text(v) if isinstance(v, (list, dict)) else v for k, v in props.items()}


def coordinate_columns(crs=None) -> tuple[str, str]:
    """The names of a point's coordinate columns in a CSV: ``lon``/``lat`` for WGS84 only
    (``crs`` None, EPSG:4326 or CRS84), ``x``/``y`` in any other system (always x first:
    longitude or easting), which a ``crs`` column then names."""
    return ("lon", "lat") if _is_wgs84(crs) else ("x", "y")


def _is_wgs84(crs) -> bool:
    return crs is None or getattr(crs, "epsg", None) == SRID


def csv_text(features: list[dict], crs=None) -> str:
    """CSV of flat properties plus the geometry: two coordinate columns for points, ``wkt`` otherwise.

    The one rule for coordinates in a CSV: WGS84 (the default) writes ``lon``/``lat`` (6 decimals);
    any other system (``crs``, a :class:`geo.crs.Crs` the features were transformed to) writes
    ``x``/``y`` (x first, at the system's precision) and a ``crs`` column naming it on every row
    (``EPSG:3857``, ``gcj02`` …), so a row read on its own still says what its numbers are.
    Starts with a UTF-8 byte-order mark so that spreadsheet programs read the Chinese correctly.
    """
    import csv
    import io

    from shapely.geometry import shape

    xname, yname = coordinate_columns(crs)
    decimals = 6 if _is_wgs84(crs) else crs.decimals
    rows, columns = [], []
    for f in features:
        row = flat_properties(f["properties"])
        geom = shape(f["geometry"]) if f["geometry"] else None
        if geom is None or geom.geom_type == "Point":
            row[xname], row[yname] = (round(geom.x, decimals), round(geom.y, decimals)) if geom is not None else (None, None)
        else:
            row["wkt"] = geom.wkt
        if not _is_wgs84(crs):
            row["crs"] = crs.key
        for k in row:
            if k not in columns:
                columns.append(k)
        rows.append(row)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def geopackage_bytes(layers: dict[str, list[dict]]) -> bytes:
    """A GeoPackage (GPKG 1.3, for older GDAL/QGIS) holding one table per named layer."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "zonemap.gpkg"
        payload = json.dumps({"path": str(path), "layers": layers}, ensure_ascii=False)
        subprocess.run([sys.executable, "-m", "geo.export"], input=payload.encode("utf-8"),
                       check=True, capture_output=True, timeout=120)
        return path.read_bytes()


def _write_geopackage(path: str, layers: dict[str, list[dict]]) -> None:
    import geopandas as gpd
    from shapely.geometry import shape

    first = True
    for name, features in layers.items():
        if not features:
            continue
        rows = [flat_properties(f["properties"]) for f in features]
        geoms = [shape(f["geometry"]) if f["geometry"] else None for f in features]
        gdf = gpd.GeoDataFrame(rows, geometry=geoms, crs=f"EPSG:{SRID}")
        options = {"VERSION": "1.3"} if first else {}
        gdf.to_file(path, layer=name, driver="GPKG", engine="pyogrio", **options)
        first = False


if __name__ == "__main__":
    job = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    _write_geopackage(job["path"], job["layers"])

"""Writing GeoJSON features to files GIS clients read well: a GeoPackage, or flat GeoJSON.

The GeoPackage is written by GDAL (pyogrio) in a child process: pyogrio's wheel carries its own
SQLite, and meeting the system SQLite with SpatiaLite loaded in one process crashes it (seen as a
segmentation fault in the test suite). The child gets GeoJSON on stdin and writes the file.
"""

from __future__ import annotations

import json
import os
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
    from shapely.geometry import shape

    xname, yname = coordinate_columns(crs)
    decimals = 6 if _is_wgs84(crs) else crs.decimals
    rows = []
    for f in features:
        row = flat_properties(f["properties"])
        geom = shape(f["geometry"]) if f["geometry"] else None
        if geom is None or geom.geom_type == "Point":
            row[xname], row[yname] = (round(geom.x, decimals), round(geom.y, decimals)) if geom is not None else (None, None)
        else:
            row["wkt"] = geom.wkt
        if not _is_wgs84(crs):
            row["crs"] = crs.key
        rows.append(row)
    return csv_document(rows)


def records_csv(records: list[dict]) -> str:
    """CSV of plain records (one column per key, lists and objects as JSON text)."""
    return csv_document([flat_properties(r) for r in records])


def csv_document(rows: list[dict]) -> str:
    """Flat rows as one CSV text: columns in order of first appearance, a UTF-8 byte-order mark so
    that spreadsheet programs read the Chinese correctly, ``\n`` line ends."""
    import csv
    import io

    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=list(dict.fromkeys(k for r in rows for k in r)), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def geopackage_bytes(layers: dict[str, list[dict]], tables: dict[str, list[dict]] | None = None,
                     styles: dict | None = None) -> bytes:
    """A GeoPackage (GPKG 1.3, for older GDAL/QGIS) holding one table per named layer.

    ``tables`` are written as attribute (non-spatial) tables, one row per dict. ``styles`` maps a
    layer name to its default QGIS style (``geo.qgis_style.LayerStyle``), stored in the
    ``layer_styles`` table as QGIS itself stores styles "in the database" (QML + SLD, one row per
    layer, ``useAsDefault`` set): QGIS applies them when the layer is opened.
    """
    rows = []
    for layer, style in (styles or {}).items():
        if layers.get(layer):
            rows.append({"f_table_catalog": "", "f_table_schema": "", "f_table_name": layer,
                         "f_geometry_column": GEOMETRY_COLUMN, "styleName": style.name, "styleQML": style.qml(),
                         "styleSLD": style.sld(layer), "useAsDefault": True, "description": style.description,
                         "owner": "zonemap", "ui": None, "update_time": _UPDATE_TIME})
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "zonemap.gpkg"
        payload = json.dumps({"path": str(path), "layers": layers, "tables": tables or {}, "styles": rows},
                             ensure_ascii=False, default=str)
        # GDAL stamps gpkg_contents with the time unless told a date: a fixed one keeps builds of
        # equal data byte-equal.
        env = {**os.environ, "OGR_CURRENT_DATE": _UPDATE_TIME}
        done = subprocess.run([sys.executable, "-m", "geo.export"], input=payload.encode("utf-8"),
                              capture_output=True, timeout=300, env=env)
        if done.returncode != 0:
            raise RuntimeError(f"writing the GeoPackage failed: {done.stderr.decode('utf-8', 'replace')[-2000:]}")
        return path.read_bytes()


GEOMETRY_COLUMN = "geom"  # GDAL's default for GeoPackage; layer_styles rows name it
# A fixed time for the styles' rows: equal data give byte-equal files.
_UPDATE_TIME = "2000-01-01T00:00:00.000Z"


def _write_geopackage(path: str, layers: dict[str, list[dict]], tables: dict[str, list[dict]], styles: list[dict]) -> None:
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import shape

    first = True

    def options():
        nonlocal first
        out = {"VERSION": "1.3"} if first else {}
        first = False
        return out

    for name, features in layers.items():
        if not features:
            continue
        rows = [flat_properties(f["properties"]) for f in features]
        geoms = [shape(f["geometry"]) if f["geometry"] else None for f in features]
        gdf = gpd.GeoDataFrame(rows, geometry=geoms, crs=f"EPSG:{SRID}")
        for column in gdf.columns:
            # ISO dates as date-time columns: what QGIS's temporal controller (and a filter by date) reads
            if (column == "date" or column.endswith("_date")) and gdf[column].dropna().astype(str).str.fullmatch(r"\d{4}-\d{2}-\d{2}").all():
                gdf[column] = pd.to_datetime(gdf[column])
        gdf.to_file(path, layer=name, driver="GPKG", engine="pyogrio", **options())
    import pyogrio

    for name, records in tables.items():
        if records:
            pyogrio.write_dataframe(pd.DataFrame([flat_properties(r) for r in records]), path, layer=name, driver="GPKG", **options())
    if styles:
        # The columns, their order and the "id" key of the table QGIS creates itself.
        frame = pd.DataFrame(styles)
        frame["update_time"] = pd.to_datetime(frame["update_time"], utc=True)
        pyogrio.write_dataframe(frame, path, layer="layer_styles", driver="GPKG", layer_options={"FID": "id"}, **options())


def read_geopackage(path: Path, layer: str | None) -> dict:
    """One layer of a GeoPackage as ``{"layer", "layers", "crs", "features"}`` (GeoJSON features
    in the layer's own coordinates, x/y order; ``crs`` as ``EPSG:n``, or WKT when it has no EPSG
    code; ``layers``: every layer of the file). Read by GDAL in a child process, as it is written.
    ``layer`` None: the file's only layer. Raises ``ValueError`` with a message for a person."""
    done = subprocess.run([sys.executable, "-m", "geo.export", "read", str(path), layer or ""],
                          capture_output=True, timeout=300)
    if done.returncode != 0:
        raise ValueError(f"not a readable GeoPackage: {done.stderr.decode('utf-8', 'replace').strip().splitlines()[-1:]}")
    out = json.loads(done.stdout.decode("utf-8"))
    if "error" in out:
        raise ValueError(out["error"])
    return out


def _read_layer(path: str, layer: str) -> dict:
    import pyogrio

    try:
        layers = [str(name) for name, _ in pyogrio.list_layers(path)]
    except Exception as exc:  # GDAL's errors carry their own text
        return {"error": f"not a readable GeoPackage: {exc}"}
    spatial = [name for name, kind in pyogrio.list_layers(path) if kind]
    if not layer:
        if len(spatial) != 1:
            return {"error": f"the file holds {len(spatial)} layers with geometry ({', '.join(map(str, spatial))}): name one"}
        layer = str(spatial[0])
    if layer not in layers:
        return {"error": f"no layer {layer!r} in the file; it holds {', '.join(layers)}"}
    info = pyogrio.read_info(path, layer=layer)
    crs = info.get("crs")
    if crs and not crs.upper().startswith("EPSG:"):
        from pyproj import CRS

        system = CRS.from_user_input(crs)
        code = system.to_epsg()
        crs = f"EPSG:{code}" if code else system.name  # a name a person can read, not the WKT
    # the raw reader: numpy arrays, no pandas (a quicker child process)
    meta, _, wkb, columns = pyogrio.raw.read(path, layer=layer)
    import shapely
    from shapely.geometry import mapping

    geoms = shapely.from_wkb(wkb) if wkb is not None else [None] * (len(columns[0]) if columns else 0)
    names = list(meta["fields"])
    features = []
    for n, geom in enumerate(geoms):
        props = {name: _plain(columns[i][n]) for i, name in enumerate(names)}
        features.append({"type": "Feature", "properties": props,
                         "geometry": mapping(geom) if geom is not None and not geom.is_empty else None})
    return {"layer": layer, "layers": layers, "crs": crs, "features": json.loads(json.dumps(features, default=_plain))}


def _plain(value):
    """A JSON value from a numpy scalar (NaN, the GeoPackage's empty number, becomes null)."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, tuple):
        return list(value)
    return value if isinstance(value, (str, int, float, bool, list, dict)) else str(value)


if __name__ == "__main__":
    if sys.argv[1:2] == ["read"]:
        sys.stdout.write(json.dumps(_read_layer(sys.argv[2], sys.argv[3]), ensure_ascii=False))
    else:
        job = json.loads(sys.stdin.buffer.read().decode("utf-8"))
        _write_geopackage(job["path"], job["layers"], job.get("tables", {}), job.get("styles", []))

"""The ``crs`` parameter of zonemap's own GeoJSON API and exports: WGS84 by default (RFC 7946),
or CGCS2000, Web Mercator, a CGCS2000 Gauss-Krüger zone, or the GCJ-02 / BD-09 shifts.

The plain API always speaks x/y (longitude, latitude; easting, northing), unlike OGC API Part 2.
An answer that is not WGS84 says so twice: a ``crs`` member in the GeoJSON 2008 form that GDAL
and QGIS read (``urn:ogc:def:crs:EPSG::3857``; absent for the shifts, which are no CRS) and a
``coordinate_system`` member describing it, with ``rfc7946: false`` and, for GCJ-02 and BD-09,
the warning that they are non-standard offsets. Coordinates are transformed from the database's
full-precision geometry (not from the 6-decimal GeoJSON) by :mod:`geo.crs`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from geo import crs as gcrs
from webmap.errors import BadParameter

DESCRIPTION = ("coordinates of the answer: 4326 (WGS84, the default, RFC 7946), 4490 (CGCS2000), 3857 (Web Mercator), "
               "4549 / 4550 (CGCS2000 Gauss-Krüger CM 120E / 123E), or the non-standard shifts gcj02 (Amap, Tencent) "
               "and bd09 (Baidu); always x/y order")


CrsParam = Annotated[str | None, Query(max_length=200, description=DESCRIPTION, examples=["4490"])]


def api_crs(value: str | None, parameter: str = "crs") -> gcrs.Crs | None:
    """The CRS a client names in ``parameter`` (``crs`` for the answer, ``input_crs`` for the query's
    coordinates): None for WGS84, the default; a bad-parameter error when unknown."""
    if value is None:
        return None
    try:
        crs = gcrs.parse_crs(value, allow_shifts=True)
    except gcrs.UnknownCrs as exc:
        raise BadParameter(parameter, str(exc)) from None
    return None if crs in (gcrs.EPSG4326, gcrs.CRS84) else crs


def members(crs: gcrs.Crs | None) -> dict:
    """Top-level GeoJSON members saying which coordinates these are (none for WGS84)."""
    out = {}
    if crs is None:
        return out
    if crs.urn:
        out["crs"] = {"type": "name", "properties": {"name": crs.urn}}
    info = crs.describe()
    info["axis_order"] = "x, y (longitude, latitude)" if crs.geographic else "x, y (easting, northing)"
    info["rfc7946"] = False
    info["note"] = info.get("note") or "RFC 7946 GeoJSON is WGS84 longitude/latitude; this answer is not (asked for with crs=)."
    out["coordinate_system"] = info
    return out


def reproject(conn, layer: str, features: list[dict], crs: gcrs.Crs | None, key=None) -> list[dict]:
    """``features`` (of layer ``zones``, ``streets``, ``projects`` or ``districts``) with their
    geometry — and geometry-valued properties (a project's ``site``, a corridor's ``centreline``)
    — in ``crs``; unchanged when ``crs`` is None. ``key(feature)`` names the layer's feature whose
    geometry a feature carries (default its own id; a mention: its project)."""
    if crs is None or not features:
        return features
    from webmap.routes.ogc.collections import COLLECTIONS

    key = key or (lambda f: f["id"])
    c = COLLECTIONS[layer]
    full = c.geometries(conn, list({key(f) for f in features}))
    for f in features:
        geoms = full.get(key(f), {})
        f["geometry"] = gcrs.geojson_geometry(geoms.get("geometry"), crs)
        for name in c.extra_geometries:
            if f["properties"].get(name) is not None:
                f["properties"][name] = gcrs.geojson_geometry(geoms.get(name), crs)
    return features

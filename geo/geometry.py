"""Geometry rules: what a valid zonemap geometry is, and its normal form (RFC 7946)."""

from __future__ import annotations

import json

import shapely
from shapely import force_2d
from shapely.geometry import MultiLineString, MultiPolygon, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient
from shapely.validation import explain_validity

from geo.crs import DALIAN_BOUNDS, round_coordinates

# The geometry type each kind of layer stores; single parts are promoted to multi.
PROMOTE = {"Polygon": "MultiPolygon", "LineString": "MultiLineString"}


def parse_geometry(obj: dict | None, expected: str) -> BaseGeometry:
    """Turn a GeoJSON geometry object into a normalised shapely geometry of type ``expected``.

    Raises ``ValueError`` with a message a user can act on when the geometry is missing,
    of the wrong type, empty, invalid, or outside WGS84 longitude/latitude (or far from Dalian).
    """
    if not obj:
        raise ValueError("geometry is missing")
    try:
        # GEOS's own GeoJSON reader: C speed (shapely.geometry.shape builds rings point by point in
        # Python: 0.35 s for the 30k vertices of the district outlines).
        geom = shapely.from_geojson(json.dumps(obj))
    except Exception as exc:  # shapely raises several types for malformed input
        raise ValueError(f"geometry cannot be read: {str(exc)[:200]}") from exc
    if geom.geom_type != expected and PROMOTE.get(geom.geom_type) != expected:
        raise ValueError(f"expected a {expected}, found a {geom.geom_type}")
    if geom.is_empty:
        raise ValueError("geometry is empty")
    geom = force_2d(geom)
    check_wgs84(geom)
    if not geom.is_valid:
        raise ValueError(f"geometry is not valid: {explain_validity(geom)}")
    return normalise(geom, expected)


def check_wgs84(geom: BaseGeometry) -> None:
    """Refuse coordinates outside longitude/latitude range, and any far from Dalian."""
    minx, miny, maxx, maxy = geom.bounds
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        hint = " (latitude and longitude swapped?)" if -90 <= minx <= maxx <= 90 and -180 <= miny <= maxy <= 180 else ""
        raise ValueError(
            f"coordinates out of WGS84 range (bounds {minx:.3f},{miny:.3f},{maxx:.3f},{maxy:.3f}){hint};"
            " expected longitude, latitude in degrees (EPSG:4326)"
        )
    w, s, e, n = DALIAN_BOUNDS
    if minx < w or maxx > e or miny < s or maxy > n:
        raise ValueError(
            f"coordinates lie outside Dalian (bounds {minx:.4f},{miny:.4f},{maxx:.4f},{maxy:.4f});"
            " expected WGS84 longitude, latitude near 121.6, 38.9 (lat/lon swapped? projected metres?)"
        )


def normalise(geom: BaseGeometry, expected: str | None = None) -> BaseGeometry:
    """Promote to the multi type and orient rings as RFC 7946 wants (exterior counter-clockwise)."""
    expected = expected or PROMOTE.get(geom.geom_type, geom.geom_type)
    if expected == "MultiPolygon":
        parts = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]
        return MultiPolygon([orient(p, sign=1.0) for p in parts])
    if expected == "MultiLineString" and geom.geom_type == "LineString":
        return MultiLineString([geom])
    return geom


def is_rfc7946_oriented(geom: BaseGeometry) -> bool:
    """True when every polygon's exterior ring is counter-clockwise and holes clockwise."""
    polys = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]
    for p in polys:
        if p.geom_type != "Polygon":
            continue
        if not p.exterior.is_ccw or any(r.is_ccw for r in p.interiors):
            return False
    return True


def to_geojson(geom: BaseGeometry | None, precision: int = 6) -> dict | None:
    """A GeoJSON geometry object, RFC 7946 oriented, coordinates rounded to ``precision``."""
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type == "Polygon":
        geom = orient(geom, sign=1.0)
    elif geom.geom_type == "MultiPolygon":
        geom = normalise(geom, "MultiPolygon")
    return round_coordinates(mapping(geom), precision)


"""Areas of any shape for project queries: a geometry from the request (GeoJSON or WKT), or a street
or zone named by ``along``, with an optional buffer in metres.

Every area becomes one WGS84 shapely geometry plus a distance; ``projects.queries`` selects with it
(``ST_Intersects``, or the dialect's metre-correct distance test from ``geo.db``), so a polygon, a
corridor along the axis and a circle round a point are one code path.
"""

from __future__ import annotations

import json
import math

import sqlalchemy as sa
from shapely import get_num_coordinates, wkt
from shapely.errors import ShapelyError
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from geo.crs import to_wgs84

from webmap.errors import BadParameter

AREA_TYPES = ("Polygon", "MultiPolygon", "LineString", "MultiLineString", "Point", "MultiPoint")
NEEDS_BUFFER = ("LineString", "MultiLineString", "Point", "MultiPoint")
MAX_BUFFER_M = 50_000


def parse_geometry(parameter: str, value: str | dict, max_vertices: int, crs: str | None = None) -> BaseGeometry:
    """A geometry from GeoJSON (an object, or its text) or WKT, checked: a known type, at most
    ``max_vertices`` vertices, finite WGS84 coordinates, a valid polygon.

    ``crs``: the coordinates' CRS (a :class:`geo.crs.Crs`, x/y order) when not WGS84: they are
    converted to WGS84 by ``geo.crs`` before the checks.
    """
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("{"):
            try:
                value = json.loads(text)
            except ValueError as exc:
                raise BadParameter(parameter, f"not valid GeoJSON ({exc.msg} at character {exc.pos})") from None
        else:
            _count_wkt_vertices(parameter, text, max_vertices)
            try:
                geom = wkt.loads(text)
            except (ShapelyError, ValueError):
                raise BadParameter(parameter, "expected WKT (e.g. POLYGON((121.6 38.9, …))) or a GeoJSON geometry") from None
    if isinstance(value, dict):
        if value.get("type") in ("Feature",):
            value = value.get("geometry") or {}
        if isinstance(value, dict) and "crs" in value:
            _check_crs_member(parameter, value["crs"])
        if value.get("type") not in AREA_TYPES:
            raise BadParameter(parameter, f"expected a GeoJSON geometry of type {', '.join(AREA_TYPES)}; found {str(value.get('type'))[:40]!r}")
        _count_json_vertices(parameter, value.get("coordinates"), max_vertices)
        try:
            geom = shape(value)
        except (ShapelyError, ValueError, TypeError, IndexError, KeyError, AttributeError):
            raise BadParameter(parameter, f"the {value['type']}'s coordinates cannot be read") from None
    if geom.geom_type not in AREA_TYPES:
        raise BadParameter(parameter, f"expected one of {', '.join(AREA_TYPES)}; found {geom.geom_type}")
    if geom.is_empty:
        raise BadParameter(parameter, "the geometry is empty")
    n = get_num_coordinates(geom)
    if n > max_vertices:
        raise BadParameter(parameter, f"{n} vertices; at most {max_vertices} (ZONEMAP_MAX_VERTICES): simplify the shape")
    if crs is not None:
        geom = to_wgs84(geom, crs)
    minx, miny, maxx, maxy = geom.bounds
    if not all(math.isfinite(v) for v in geom.bounds) or minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        raise BadParameter(parameter, "coordinates must be WGS84 longitude, latitude in degrees" if crs is None
                           else f"coordinates outside the area of {crs.key} (given with input_crs)")
    if geom.geom_type in ("Polygon", "MultiPolygon") and not geom.is_valid:
        raise BadParameter(parameter, f"the polygon is not valid: {explain_validity(geom)}")
    return geom


def _check_crs_member(parameter: str, member) -> None:
    """The pre-RFC 7946 ``crs`` member: naming WGS84 (or CGCS2000, equal to it at this scale) is
    harmless; naming anything else must not be silently read as WGS84."""
    from geo.crs import CRS84, EPSG4326, EPSG4490, UnknownCrs, parse_crs

    name = member.get("properties", {}).get("name") if isinstance(member, dict) and isinstance(member.get("properties"), dict) else member
    try:
        crs = parse_crs(name, allow_shifts=True) if isinstance(name, str) else None
    except UnknownCrs:
        crs = None
    if crs not in (CRS84, EPSG4326, EPSG4490):
        raise BadParameter(parameter, f"coordinates must be WGS84 longitude, latitude; this geometry declares crs {str(name)[:60]!r} "
                           "(drop the crs member and send WGS84)")


def _count_json_vertices(parameter: str, coords, max_vertices: int) -> None:
    """Count before building anything: a huge body is refused without the work."""
    count, stack = 0, [coords]
    while stack:
        item = stack.pop()
        if isinstance(item, list) and item and isinstance(item[0], (int, float)):
            count += 1
            if count > max_vertices:
                raise BadParameter(parameter, f"more than {max_vertices} vertices (ZONEMAP_MAX_VERTICES): simplify the shape")
        elif isinstance(item, list):
            stack.extend(item)


def _count_wkt_vertices(parameter: str, text: str, max_vertices: int) -> None:
    if text.count(",") + 1 > max_vertices:
        raise BadParameter(parameter, f"more than {max_vertices} vertices (ZONEMAP_MAX_VERTICES): simplify the shape")


def check_buffer(parameter: str, geom: BaseGeometry, buffer_m: float | None) -> float:
    """The buffer in metres to use with ``geom``: points and lines need one above 0."""
    distance = buffer_m or 0.0
    if geom.geom_type in NEEDS_BUFFER and distance <= 0:
        raise BadParameter("buffer_m", f"a {geom.geom_type} in '{parameter}' covers no area: give buffer_m > 0 (metres)")
    return distance


def along_geometry(conn: sa.Connection, ident: str) -> tuple[BaseGeometry, float]:
    """The line (or area) ``along`` names — a street's centreline, a corridor zone's centreline, or
    a zone's polygon — and its default buffer: 150 m for a street (as ``street=``), a corridor's own
    half-width, 0 for a zone's polygon."""
    from projects.queries import STREET_NEAR_M
    from zones.models import Street, Zone
    from zones.queries import shape_or_none

    street = conn.execute(sa.select(Street.geom).where(Street.id == ident)).first()
    if street is not None:
        if street.geom is None:
            raise BadParameter("along", f"street {ident!r} has no geometry yet")
        return shape_or_none(street.geom), float(STREET_NEAR_M)
    zone = conn.execute(sa.select(Zone.geom, Zone.centreline, Zone.corridor_m).where(Zone.id == ident)).first()
    if zone is not None:
        if zone.centreline is not None:
            return shape_or_none(zone.centreline), float(zone.corridor_m or 0)
        if zone.geom is None:
            raise BadParameter("along", f"zone {ident!r} has no geometry")
        return shape_or_none(zone.geom), 0.0
    raise BadParameter("along", f"no street or zone with id {ident!r}")

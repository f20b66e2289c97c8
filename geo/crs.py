"""Coordinate systems: the one place where zonemap converts coordinates.

Storage and GeoJSON are WGS84 longitude/latitude (EPSG:4326, stored as x = longitude). Metric work
(buffers, areas, distances) is done in UTM zone 51N (EPSG:32651), which covers Dalian with little
distortion. Output in other systems goes through :data:`SUPPORTED` (real CRSs, transformed by
pyproj) or :data:`SHIFTS` (GCJ-02 and BD-09: the obfuscated offsets of Chinese web maps, which are
*not* coordinate reference systems, and are labelled so wherever they are served).

Axis order: zonemap's own API speaks x/y (longitude, latitude; easting, northing) in every system.
OGC API – Features Part 2 answers in the axis order of the CRS's authority: EPSG:4326 and EPSG:4490
are latitude, longitude and the CGCS2000 Gauss-Krüger systems northing, easting; only CRS84 and
EPSG:3857 are x/y. ``axis="authority"`` selects that order.

The Gauss-Krüger zone: EPSG:4549 (CGCS2000 / 3-degree Gauss-Kruger CM 120E) is valid for
118.5–121.5°E by the 3-degree zone rule; central Dalian (~121.6°E) lies just east of it, in the
CM 123E zone, EPSG:4550 (121.5–124.5°E). Both are served: 4549 because survey files of the
municipality's western parts use it, 4550 because it is the zone of the districts the plans cover.

WGS84 and CGCS2000 differ by centimetres at map scale and EPSG publishes no transformation between
them: PROJ applies its "ballpark" (null) transformation, so EPSG:4490 coordinates equal the WGS84
ones numerically (only the axis order differs under OGC rules).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely
from pyproj import CRS, Transformer
from shapely.geometry import box, mapping, shape
from shapely.geometry.base import BaseGeometry

WGS84 = 4326
METRIC_CRS = 32651  # UTM 51N

# Where a WGS84 coordinate of Dalian can plausibly be: a generous box around the municipality.
DALIAN_BOUNDS = (120.5, 38.5, 123.6, 40.3)  # the municipal outline reaches 123.51 E, 40.20 N

OGC_CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG_URI = "http://www.opengis.net/def/crs/EPSG/0/{code}"


class UnknownCrs(ValueError):
    """A CRS identifier zonemap does not serve; the message lists the ones it does."""


@dataclass(frozen=True)
class Crs:
    """One coordinate system zonemap can answer in.

    ``key`` is the short name (``EPSG:4490``, ``CRS84``, ``gcj02``); ``uri`` the OGC identifier
    (None for the non-standard shifts); ``lat_first`` whether the authority's first axis is
    north (latitude or northing); ``decimals`` the output precision (≈ 1 mm).
    """

    key: str
    title: str
    uri: str | None
    epsg: int | None
    lat_first: bool
    geographic: bool
    standard: bool = True
    note: str | None = None

    @property
    def decimals(self) -> int:
        return 8 if self.geographic else 3

    @property
    def urn(self) -> str | None:
        """The ``urn:ogc:def:crs`` form GDAL and QGIS read from a GeoJSON ``crs`` member."""
        if self.key == "CRS84":
            return "urn:ogc:def:crs:OGC:1.3:CRS84"
        return f"urn:ogc:def:crs:EPSG::{self.epsg}" if self.epsg else None

    def describe(self) -> dict:
        """A JSON description: what the coordinates are, and whether this is a real CRS."""
        out = {"id": self.key, "title": self.title, "uri": self.uri, "epsg": self.epsg, "standard": self.standard}
        if self.note:
            out["note"] = self.note
        return out


def _epsg(code: int, title: str) -> Crs:
    crs = CRS.from_epsg(code)
    return Crs(key=f"EPSG:{code}", title=title, uri=EPSG_URI.format(code=code), epsg=code,
               lat_first=crs.axis_info[0].direction in ("north", "south"), geographic=crs.is_geographic)


CRS84 = Crs("CRS84", "WGS 84 longitude/latitude (OGC CRS84)", OGC_CRS84, 4326, lat_first=False, geographic=True)
EPSG4326 = _epsg(4326, "WGS 84")
EPSG4490 = _epsg(4490, "China Geodetic Coordinate System 2000 (CGCS2000)")
EPSG3857 = _epsg(3857, "WGS 84 / Pseudo-Mercator (web maps)")
EPSG4549 = _epsg(4549, "CGCS2000 / 3-degree Gauss-Kruger CM 120E")
EPSG4550 = _epsg(4550, "CGCS2000 / 3-degree Gauss-Kruger CM 123E (central Dalian)")

SHIFT_NOTE = ("not a coordinate reference system: an obfuscated, non-standard offset of WGS84 mandated for "
              "Chinese web maps ({maps}); about {offset} off in Dalian. Use only to overlay those maps' tiles; "
              "not RFC 7946, not for measurement or exchange.")
GCJ02 = Crs("gcj02", "GCJ-02 (国测局坐标, 'Mars coordinates')", None, None, lat_first=False, geographic=True,
            standard=False, note=SHIFT_NOTE.format(maps="Amap/Gaode, Tencent, Google China", offset="430 m"))
BD09 = Crs("bd09", "BD-09 (百度坐标)", None, None, lat_first=False, geographic=True,
           standard=False, note=SHIFT_NOTE.format(maps="Baidu", offset="1.2 km"))

SUPPORTED: tuple[Crs, ...] = (CRS84, EPSG4326, EPSG4490, EPSG3857, EPSG4549, EPSG4550)
"""The real CRSs, in the order collections list them (storage CRS first)."""
SHIFTS: tuple[Crs, ...] = (GCJ02, BD09)
"""The non-standard shifts (for zonemap's own API and exports only, never OGC)."""


def _aliases(c: Crs) -> set[str]:
    names = {c.key.lower()}
    if c.uri:
        names |= {c.uri.lower(), c.uri.lower().replace("http://", "https://")}
    if c.epsg and c.key != "CRS84":
        names |= {str(c.epsg), f"epsg:{c.epsg}", f"urn:ogc:def:crs:epsg::{c.epsg}", f"urn:ogc:def:crs:epsg:0:{c.epsg}"}
    if c.key == "CRS84":
        names |= {"ogc:crs84", "urn:ogc:def:crs:ogc:1.3:crs84", "crs:84", "wgs84"}
    if c is GCJ02:
        names |= {"gcj-02", "gcj_02"}
    if c is BD09:
        names |= {"bd-09", "bd_09"}
    return names


_BY_NAME = {name: c for c in (*SUPPORTED, *SHIFTS) for name in _aliases(c)}


def parse_crs(text: str, allow_shifts: bool = False) -> Crs:
    """The :class:`Crs` a client names: an OGC URI, ``EPSG:n``, a bare EPSG code, a URN, or
    (with ``allow_shifts``) ``gcj02``/``bd09``. Raises :class:`UnknownCrs` otherwise."""
    found = _BY_NAME.get(text.strip().lower())
    if found is None or (not found.standard and not allow_shifts):
        offered = [c.uri for c in SUPPORTED] if not allow_shifts else [c.key for c in SUPPORTED if c is not CRS84] + [c.key for c in SHIFTS]
        raise UnknownCrs(f"unsupported CRS {text!r}; expected one of: {', '.join(offered)}")
    return found


@lru_cache(maxsize=None)
def _transformer(src: int, dst: int) -> Transformer:
    # always_xy: every geometry inside zonemap is x/y; authority order is applied by swapping.
    return Transformer.from_crs(src, dst, always_xy=True)


def _apply(t: Transformer, geom: BaseGeometry) -> BaseGeometry:
    return shapely.transform(geom, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))


def _swap(geom: BaseGeometry) -> BaseGeometry:
    return shapely.transform(geom, lambda xy: xy[:, ::-1])


def _pointwise(fn, geom: BaseGeometry) -> BaseGeometry:
    return shapely.transform(geom, lambda xy: np.array([fn(x, y) for x, y in xy], dtype=float).reshape(-1, 2))


# --- metric work -------------------------------------------------------------------------------

def to_metric(geom: BaseGeometry) -> BaseGeometry:
    """Project a WGS84 geometry to the metric CRS (UTM 51N)."""
    return _apply(_transformer(WGS84, METRIC_CRS), geom)


def from_metric(geom: BaseGeometry) -> BaseGeometry:
    """Project a metric-CRS (UTM 51N) geometry back to WGS84."""
    return _apply(_transformer(METRIC_CRS, WGS84), geom)


def buffer_metres(geom: BaseGeometry, metres: float) -> BaseGeometry:
    """Buffer a WGS84 geometry by a distance in metres (computed in the metric CRS)."""
    return from_metric(to_metric(geom).buffer(metres))


def area_m2(geom: BaseGeometry) -> float:
    """Area of a WGS84 geometry in square metres."""
    return to_metric(geom).area


# --- any supported system ----------------------------------------------------------------------

def _as_crs(crs: Crs | str) -> Crs:
    return crs if isinstance(crs, Crs) else parse_crs(crs, allow_shifts=True)


def from_wgs84(geom: BaseGeometry, crs: Crs | str, axis: str = "xy") -> BaseGeometry:
    """A WGS84 (x = longitude) geometry in ``crs``; ``axis="authority"`` puts latitude/northing
    first where the CRS's authority does (OGC API Part 2), ``"xy"`` keeps x first."""
    crs = _as_crs(crs)
    if crs is GCJ02:
        out = _pointwise(wgs84_to_gcj02, geom)
    elif crs is BD09:
        out = _pointwise(wgs84_to_bd09, geom)
    elif crs.epsg == WGS84:
        out = geom
    else:
        out = _apply(_transformer(WGS84, crs.epsg), geom)
    return _swap(out) if axis == "authority" and crs.lat_first else out


def xy_from_wgs84(lon: np.ndarray, lat: np.ndarray, crs: Crs | str) -> tuple[np.ndarray, np.ndarray]:
    """Arrays of WGS84 longitudes and latitudes in an EPSG ``crs`` (x, y order): one pyproj call
    for many points, without building geometries (the vector tiles' clusters)."""
    crs = _as_crs(crs)
    if crs.epsg is None:
        raise ValueError(f"{crs.title} has no EPSG transformation")
    if crs.epsg == WGS84:
        return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    x, y = _transformer(WGS84, crs.epsg).transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return np.asarray(x), np.asarray(y)


def to_wgs84(geometry, crs: Crs | str, axis: str = "xy"):
    """The inverse of :func:`from_wgs84`: coordinates given in ``crs`` back to WGS84 (x = longitude).

    ``geometry`` is a shapely geometry or a GeoJSON geometry object; the answer is of the same
    kind. For input coordinates a client declares GCJ-02 or BD-09 (copied from Amap or Baidu)
    this removes the offset before anything is stored or compared.
    """
    crs = _as_crs(crs)
    as_dict = isinstance(geometry, dict)
    geom = shape(geometry) if as_dict else geometry
    if axis == "authority" and crs.lat_first:
        geom = _swap(geom)
    if crs is GCJ02:
        out = _pointwise(gcj02_to_wgs84, geom)
    elif crs is BD09:
        out = _pointwise(bd09_to_wgs84, geom)
    elif crs.epsg == WGS84:
        out = geom
    else:
        out = _apply(_transformer(crs.epsg, WGS84), geom)
    return mapping(out) if as_dict else out


def bbox_to_wgs84(bbox: tuple[float, float, float, float], crs: Crs | str, axis: str = "xy") -> tuple[float, float, float, float]:
    """A bounding box given in ``crs`` as the WGS84 box that contains it (edges densified)."""
    crs = _as_crs(crs)
    a, b, c, d = bbox
    if axis == "authority" and crs.lat_first:
        a, b, c, d = b, a, d, c
    if crs.epsg == WGS84 and crs.standard:
        return (a, b, c, d)
    if not crs.standard:
        return to_wgs84(box(a, b, c, d).segmentize((c - a) / 20 or 1), crs).bounds
    return _transformer(crs.epsg, WGS84).transform_bounds(a, b, c, d, densify_pts=21)


def bbox_from_wgs84(bbox: tuple[float, float, float, float], crs: Crs | str, axis: str = "xy") -> list[float]:
    """A WGS84 bounding box as the box in ``crs`` that contains it, in the requested axis order."""
    crs = _as_crs(crs)
    if crs.epsg == WGS84 and crs.standard:
        out = list(bbox)
    elif not crs.standard:
        out = list(from_wgs84(box(*bbox), crs).bounds)
    else:
        out = list(_transformer(WGS84, crs.epsg).transform_bounds(*bbox, densify_pts=21))
    if axis == "authority" and crs.lat_first:
        out = [out[1], out[0], out[3], out[2]]
    return [round(v, crs.decimals) for v in out]


def geojson_geometry(geom: BaseGeometry | None, crs: Crs | str, axis: str = "xy") -> dict | None:
    """A WGS84 geometry as a GeoJSON geometry object in ``crs``, rounded to about a millimetre."""
    if geom is None or geom.is_empty:
        return None
    crs = _as_crs(crs)
    return round_coordinates(mapping(from_wgs84(geom, crs, axis)), crs.decimals)


def round_coordinates(obj, precision: int):
    """Every float in a GeoJSON-like structure (dicts, lists, tuples) rounded to ``precision`` decimals."""
    if isinstance(obj, float):
        return round(obj, precision)
    if isinstance(obj, (list, tuple)):
        return [round_coordinates(v, precision) for v in obj]
    if isinstance(obj, dict):
        return {k: round_coordinates(v, precision) for k, v in obj.items()}
    return obj


# --- GCJ-02 and BD-09: non-standard shifts (the standard public formulas; Krasovsky 1940) -------
_A = 6378245.0
_EE = 0.00669342162296594323


def _delta(lon: float, lat: float) -> tuple[float, float]:
    x, y = lon - 105.0, lat - 35.0
    dlat = (-100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
            + (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
            + (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
            + (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0)
    dlon = (300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
            + (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
            + (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
            + (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0)
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    sq = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sq) * math.pi)
    dlon = (dlon * 180.0) / (_A / sq * math.cos(rad) * math.pi)
    return dlon, dlat


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """Shift a WGS84 coordinate to GCJ-02 (to draw over Amap/Tencent tiles)."""
    dlon, dlat = _delta(lon, lat)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """Exact (iterative) inverse of :func:`wgs84_to_gcj02`, good to well under a metre."""
    wlon, wlat = lon, lat
    for _ in range(30):
        glon, glat = wgs84_to_gcj02(wlon, wlat)
        dx, dy = glon - lon, glat - lat
        wlon, wlat = wlon - dx, wlat - dy
        if abs(dx) < 1e-10 and abs(dy) < 1e-10:
            break
    return wlon, wlat


def gcj02_to_bd09(lon: float, lat: float) -> tuple[float, float]:
    """GCJ-02 to Baidu's BD-09 (the standard published forward formula)."""
    z = math.sqrt(lon * lon + lat * lat) + 0.00002 * math.sin(lat * math.pi * 3000.0 / 180.0)
    theta = math.atan2(lat, lon) + 0.000003 * math.cos(lon * math.pi * 3000.0 / 180.0)
    return z * math.cos(theta) + 0.0065, z * math.sin(theta) + 0.006


def bd09_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """Baidu's BD-09 to GCJ-02 (the standard published inverse; ~1e-6° residual)."""
    x, y = lon - 0.0065, lat - 0.006
    z = math.sqrt(x * x + y * y) - 0.00002 * math.sin(y * math.pi * 3000.0 / 180.0)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * math.pi * 3000.0 / 180.0)
    return z * math.cos(theta), z * math.sin(theta)


def wgs84_to_bd09(lon: float, lat: float) -> tuple[float, float]:
    """WGS84 to Baidu's BD-09, through GCJ-02 (to draw over Baidu tiles)."""
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


def bd09_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """Baidu's BD-09 (~1.2 km off in Dalian) to WGS84, through GCJ-02."""
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))

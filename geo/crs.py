"""Coordinate systems used by zonemap, and the GCJ-02 trap.

Storage and GeoJSON are WGS84 longitude/latitude (EPSG:4326). Metric work (buffers, areas,
distances) is done in UTM zone 51N (EPSG:32651), which covers Dalian with little distortion.
Chinese web maps draw in GCJ-02, an obfuscated datum ~430 m off in Dalian: coordinates copied
from them must go through :func:`gcj02_to_wgs84` before they are stored.
"""

from __future__ import annotations

import math
from functools import lru_cache

from pyproj import Transformer
from shapely.geometry.base import BaseGeometry
import numpy as np
import shapely

WGS84 = 4326
METRIC_CRS = 32651  # UTM 51N

# Where a WGS84 coordinate of Dalian can plausibly be: a generous box around the municipality.
DALIAN_BOUNDS = (120.5, 38.5, 123.6, 40.3)  # the municipal outline reaches 123.51 E, 40.20 N


@lru_cache(maxsize=None)
def _transformer(src: int, dst: int) -> Transformer:
    return Transformer.from_crs(src, dst, always_xy=True)


def to_metric(geom: BaseGeometry) -> BaseGeometry:
    """Project a WGS84 geometry to the metric CRS."""
    return _apply(_transformer(WGS84, METRIC_CRS), geom)


def to_wgs84(geom: BaseGeometry) -> BaseGeometry:
    """Project a metric-CRS geometry back to WGS84."""
    return _apply(_transformer(METRIC_CRS, WGS84), geom)


def _apply(t: Transformer, geom: BaseGeometry) -> BaseGeometry:
    return shapely.transform(geom, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))


def buffer_metres(geom: BaseGeometry, metres: float) -> BaseGeometry:
    """Buffer a WGS84 geometry by a distance in metres (computed in the metric CRS)."""
    return to_wgs84(to_metric(geom).buffer(metres))


def area_m2(geom: BaseGeometry) -> float:
    """Area of a WGS84 geometry in square metres."""
    return to_metric(geom).area


# --- GCJ-02 (the standard public formulas; Krasovsky 1940 ellipsoid) --------------------------
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


def bd09_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """Baidu's BD-09 to GCJ-02 (the standard published inverse; ~1e-6° residual)."""
    x, y = lon - 0.0065, lat - 0.006
    z = math.sqrt(x * x + y * y) - 0.00002 * math.sin(y * math.pi * 3000.0 / 180.0)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * math.pi * 3000.0 / 180.0)
    return z * math.cos(theta), z * math.sin(theta)


def bd09_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """Baidu's BD-09 (~1.2 km off in Dalian) to WGS84, through GCJ-02."""
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))

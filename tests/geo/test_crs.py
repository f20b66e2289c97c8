"""Coordinate systems: the GCJ-02 trap in Dalian, and metric buffers."""

from shapely.geometry import LineString, Point

from geo.crs import area_m2, bd09_to_wgs84, buffer_metres, gcj02_to_wgs84, to_metric, wgs84_to_gcj02

STATION = (121.629927, 38.92006)  # 大连火车站 tram stop, surveyed (WGS84)


def _metres(a, b) -> float:
    return to_metric(Point(a)).distance(to_metric(Point(b)))


def test_gcj02_offset_in_dalian_is_about_430_m_east():
    g = wgs84_to_gcj02(*STATION)
    assert 0.0045 < g[0] - STATION[0] < 0.0055 and 0.0005 < g[1] - STATION[1] < 0.0010
    assert 400 < _metres(STATION, g) < 470


def test_gcj02_inverse_round_trip_under_a_metre():
    back = gcj02_to_wgs84(*wgs84_to_gcj02(*STATION))
    assert _metres(STATION, back) < 0.1


def test_bd09_is_further_off_and_converts_back():
    # BD-09 of a WGS84 point: GCJ-02 plus Baidu's own offset (forward formula, written out here).
    import math
    gx, gy = wgs84_to_gcj02(*STATION)
    z = math.sqrt(gx * gx + gy * gy) + 0.00002 * math.sin(gy * math.pi * 3000 / 180)
    t = math.atan2(gy, gx) + 0.000003 * math.cos(gx * math.pi * 3000 / 180)
    bd = (z * math.cos(t) + 0.0065, z * math.sin(t) + 0.006)
    assert 1000 < _metres(STATION, bd) < 1400
    assert _metres(STATION, bd09_to_wgs84(*bd)) < 2


def test_buffer_is_in_metres():
    line = LineString([(121.61, 38.90), (121.61, 38.92)])  # ~2.2 km north–south
    length = to_metric(line).length
    corridor = buffer_metres(line, 250)
    assert abs(area_m2(corridor) - (500 * length + 3.14159 * 250**2)) / area_m2(corridor) < 0.01


# --- the CRS table and whole-geometry transforms ------------------------------------------------
import pytest  # noqa: E402
from pyproj import Transformer  # noqa: E402
from shapely.geometry import Polygon, mapping  # noqa: E402

from geo import crs as gc  # noqa: E402


def test_crs_table_axis_order_follows_the_epsg_registry():
    # Independent source: the EPSG axis definitions as pyproj reads them (north first = lat/lon).
    assert gc.EPSG4326.lat_first and gc.EPSG4490.lat_first and gc.EPSG4549.lat_first and gc.EPSG4550.lat_first
    assert not gc.CRS84.lat_first and not gc.EPSG3857.lat_first
    assert gc.EPSG4490.uri == "http://www.opengis.net/def/crs/EPSG/0/4490"
    assert gc.CRS84.uri == "http://www.opengis.net/def/crs/OGC/1.3/CRS84"


def test_gauss_kruger_zone_of_dalian():
    # 3-degree zones: CM 120E covers 118.5–121.5°E, CM 123E 121.5–124.5°E; the station is at 121.63°E.
    from pyproj import CRS
    w, s, e, n = CRS.from_epsg(4549).area_of_use.bounds
    assert e == 121.5 and not (w <= STATION[0] <= e)
    w, s, e, n = CRS.from_epsg(4550).area_of_use.bounds
    assert w <= STATION[0] <= e


@pytest.mark.parametrize("code", [4326, 4490, 3857, 4549, 4550])
def test_from_wgs84_agrees_with_pyproj_in_authority_axis_order(code):
    # pyproj without always_xy takes and returns the authority's axis order (lat first for 4326).
    t = Transformer.from_crs("EPSG:4326", f"EPSG:{code}")
    expected = t.transform(STATION[1], STATION[0])
    got = gc.from_wgs84(Point(STATION), f"EPSG:{code}", axis="authority")
    assert abs(got.x - expected[0]) < 1e-9 * (1e6 if code in (3857, 4549, 4550) else 1)
    assert abs(got.y - expected[1]) < 1e-9 * (1e6 if code in (3857, 4549, 4550) else 1)
    back = gc.to_wgs84(got, f"EPSG:{code}", axis="authority")
    assert _metres(STATION, (back.x, back.y)) < 0.001


def test_parse_crs_names_and_refusals():
    for name in ("http://www.opengis.net/def/crs/EPSG/0/4490", "EPSG:4490", "4490", "urn:ogc:def:crs:EPSG::4490"):
        assert gc.parse_crs(name) is gc.EPSG4490
    assert gc.parse_crs("http://www.opengis.net/def/crs/OGC/1.3/CRS84") is gc.CRS84
    with pytest.raises(gc.UnknownCrs, match="EPSG/0/3857"):
        gc.parse_crs("EPSG:2000")
    with pytest.raises(gc.UnknownCrs):
        gc.parse_crs("gcj02")  # a shift is never an OGC CRS
    assert gc.parse_crs("gcj02", allow_shifts=True) is gc.GCJ02
    assert not gc.GCJ02.standard and "not a coordinate reference system" in gc.GCJ02.note


def test_shifts_on_whole_geometries_round_trip():
    poly = Polygon([(121.62, 38.91), (121.64, 38.91), (121.64, 38.93), (121.62, 38.93)])
    for shift in (gc.GCJ02, gc.BD09):
        moved = gc.from_wgs84(poly, shift)
        assert 300 < _metres(poly.exterior.coords[0], moved.exterior.coords[0]) < 1400
        back = gc.to_wgs84(mapping(moved), shift)  # GeoJSON in, GeoJSON out
        for a, b in zip(poly.exterior.coords, back["coordinates"][0]):
            assert _metres(a, b) < 2


def test_bbox_to_wgs84_contains_the_projected_box():
    t = Transformer.from_crs(4326, 3857, always_xy=True)
    x0, y0 = t.transform(121.6, 38.9)
    x1, y1 = t.transform(121.7, 39.0)
    w, s, e, n = gc.bbox_to_wgs84((x0, y0, x1, y1), gc.EPSG3857)
    assert abs(w - 121.6) < 1e-9 and abs(s - 38.9) < 1e-9 and abs(e - 121.7) < 1e-9 and abs(n - 39.0) < 1e-9
    # lat/lon order for EPSG:4326 under the authority's rule
    assert gc.bbox_to_wgs84((38.9, 121.6, 39.0, 121.7), gc.EPSG4326, axis="authority") == (121.6, 38.9, 121.7, 39.0)

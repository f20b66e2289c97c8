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

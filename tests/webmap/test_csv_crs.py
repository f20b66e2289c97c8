"""CSV in another coordinate system: one rule (``geo.export.csv_text``) for every CSV with
features — ``/api/projects|zones|streets|districts?f=csv``, ``/api/export/{layer}.csv``, the
mentions — ``lon``/``lat`` only for WGS84; in any other system ``x``/``y`` and a ``crs`` column
naming it. Coordinates are checked against pyproj applied here to the WGS84 CSV.
"""

from __future__ import annotations

import csv
import io

import pytest
from pyproj import Geod, Transformer
from shapely import wkt

GEOD = Geod(ellps="WGS84")
csv.field_size_limit(1 << 26)  # district outlines as WKT


def _rows(response) -> list[dict]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8").lstrip("\ufeff"))))


def _located(rows, x="lon", y="lat") -> dict[str, tuple[float, float]]:
    return {r["id"]: (float(r[x]), float(r[y])) for r in rows if r[x]}


@pytest.mark.parametrize("path", ["/api/projects?limit=10000&f=csv", "/api/export/projects.csv"])
@pytest.mark.parametrize("code", ["3857", "4549", "4550", "4490"])
def test_points_in_another_crs_are_x_y_with_a_crs_column(client, path, code):
    plain = _rows(client.get(path))
    assert {"lon", "lat"} <= set(plain[0]) and not {"x", "y", "crs"} & set(plain[0])
    rows = _rows(client.get(path + f"&crs={code}" if "?" in path else path + f"?crs={code}"))
    assert {"x", "y", "crs"} <= set(rows[0]) and not {"lon", "lat"} & set(rows[0])
    assert {r["crs"] for r in rows} == {f"EPSG:{code}"}
    to = Transformer.from_crs(4326, int(code), always_xy=True)
    wgs, got = _located(plain), _located(rows, "x", "y")
    assert set(got) == set(wgs) and len(got) > 100
    tolerance = 1e-6 if code == "4490" else 0.2  # the WGS84 CSV has 6 decimals (≈ 0.1 m)
    for pid, (lon, lat) in wgs.items():
        ex, ey = to.transform(lon, lat)
        assert abs(got[pid][0] - ex) < tolerance and abs(got[pid][1] - ey) < tolerance, (pid, got[pid], (ex, ey))


def test_wgs84_asked_for_stays_lon_lat(client):
    for code in ("4326", "EPSG:4326", "http://www.opengis.net/def/crs/OGC/1.3/CRS84"):
        rows = _rows(client.get("/api/projects", params={"f": "csv", "crs": code, "limit": 5}))
        assert {"lon", "lat"} <= set(rows[0]) and "crs" not in rows[0]


def test_shifts_are_labelled_too(client):
    plain = _located(_rows(client.get("/api/export/projects.csv")))
    for code, low, high in (("gcj02", 200, 800), ("bd09", 800, 1600)):
        rows = _rows(client.get("/api/export/projects.csv", params={"crs": code}))
        assert {r["crs"] for r in rows} == {code} and "lon" not in rows[0]
        for pid, (x, y) in _located(rows, "x", "y").items():
            metres = GEOD.inv(*plain[pid], x, y)[2]
            assert low < metres < high, (code, pid, metres)  # the shift, not a relabelled WGS84


def test_wkt_layers_name_their_crs(client):
    plain = {r["id"]: wkt.loads(r["wkt"]) for r in _rows(client.get("/api/zones", params={"f": "csv"})) if r.get("wkt")}
    rows = [r for r in _rows(client.get("/api/zones", params={"f": "csv", "crs": "3857"})) if r.get("wkt")]
    assert rows and {r["crs"] for r in rows} == {"EPSG:3857"}
    to = Transformer.from_crs(4326, 3857, always_xy=True)
    for r in rows[:5]:
        x, y = wkt.loads(r["wkt"]).representative_point().coords[0]
        lon, lat = to.transform(x, y, direction="INVERSE")
        assert plain[r["id"]].buffer(1e-5).contains(wkt.loads(f"POINT ({lon} {lat})")), r["id"]
    for layer in ("districts", "streets"):
        rows = _rows(client.get(f"/api/export/{layer}.csv", params={"crs": "4550"}))
        assert {r["crs"] for r in rows} == {"EPSG:4550"} and any(r.get("wkt") for r in rows)


def test_bad_crs_on_csv_is_refused(client):
    r = client.get("/api/export/projects.csv", params={"crs": "EPSG:2000"})
    assert r.status_code == 422 and r.json()["parameter"] == "crs"

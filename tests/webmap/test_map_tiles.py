"""The map's project tiles (``/map/tiles/{z}/{x}/{y}.json``): every located project the API selects
is drawn exactly once, in the right tile and place, with the right status, under every filter the
map sends; clusters count their members by status. Expected values come from ``/api/projects`` and
the Web Mercator formulas computed here (not the server's tile code)."""

from __future__ import annotations

import math
from collections import Counter

import pytest

from webmap.routes.pages import POINTS_FROM

STATUSES = ["completed", "under_construction", "preparation", "planned", "unknown"]
VIEWS = [{}, {"status": "completed,planned"}, {"as_of": 2016}, {"as_seen_by": "xigang-13th-fyp"},
         {"industry": "modern-commerce"}, {"district": "西岗区", "kind": "building"}, {"as_of": 2017, "status": "under_construction"}]


def tile_xy(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    return int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)


def expected(client, params: dict) -> dict[str, tuple[float, float, str]]:
    """Located projects the API selects for the map's parameters: id → (lon, lat, status)."""
    q = {k: v for k, v in params.items() if k != "status"}
    feats = client.get("/api/projects", params={"limit": 10000, "located": "true", **q}).json()["features"]
    wanted = set(params["status"].split(",")) if "status" in params else None
    return {f["id"]: (*f["geometry"]["coordinates"], f["properties"]["status"]) for f in feats
            if wanted is None or f["properties"]["status"] in wanted}


def tiles_over(points, z: int) -> set[tuple[int, int]]:
    return {tile_xy(lon, lat, z) for lon, lat, _ in points}


def get(client, z, x, y, **params) -> dict:
    r = client.get(f"/map/tiles/{z}/{x}/{y}.json", params=params)
    assert r.status_code == 200, r.text
    return r.json()


@pytest.mark.parametrize("params", VIEWS, ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()) or "all")
@pytest.mark.parametrize("z", [11, 14])
def test_clusters_count_every_selected_project_once_by_status(client, params, z):
    want = expected(client, params)
    assert want, "a view with projects"
    total, by_status = 0, Counter()
    for x, y in tiles_over(want.values(), z):
        for row in get(client, z, x, y, **params)["features"]:
            n = row[2]
            total += n
            if n == 1:
                by_status[row[4]] += 1
                assert row[3] in want and want[row[3]][2] == row[4]
            else:
                assert sum(row[5]) == n
                by_status.update({s: c for s, c in zip(STATUSES, row[5]) if c})
    assert total == len(want)
    assert by_status == Counter(s for _, _, s in want.values())


@pytest.mark.parametrize("params", VIEWS[:4], ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()) or "all")
def test_from_points_zoom_every_project_is_in_its_tile_at_its_place(client, params):
    z = POINTS_FROM
    want = expected(client, params)
    seen = {}
    for x, y in tiles_over(want.values(), z):
        tile = get(client, z, x, y, **params)
        assert tile["statuses"] == STATUSES
        for fx, fy, n, pid, status in tile["features"]:
            assert n == 1 and pid not in seen
            seen[pid] = (x, y, fx, fy, status)
    assert set(seen) == set(want)
    world = 2**z
    for pid, (x, y, fx, fy, status) in seen.items():
        lon, lat, st = want[pid]
        gx = (lon + 180) / 360 * world
        gy = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * world
        assert (int(gx), int(gy)) == (x, y)
        # within a unit of the tile's 4096 (a sixteenth of a pixel)
        assert abs((gx - x) * 4096 - fx) <= 1 and abs((gy - y) * 4096 - fy) <= 1
        assert status == st


def test_an_empty_tile_and_the_tile_answers_304_to_its_etag(client):
    assert get(client, 14, 0, 0)["features"] == []
    x, y = tile_xy(121.6185, 38.9155, 12)
    r = client.get(f"/map/tiles/12/{x}/{y}.json")
    assert r.status_code == 200 and r.headers["etag"]
    assert client.get(f"/map/tiles/12/{x}/{y}.json", headers={"If-None-Match": r.headers["etag"]}).status_code == 304
    other = client.get(f"/map/tiles/12/{x}/{y}.json", params={"as_of": 2016})
    assert other.headers["etag"] != r.headers["etag"]


@pytest.mark.parametrize("path,params,code,parameter", [
    ("/map/tiles/12/3431/1566.json", {"limit": "5"}, 422, "limit"),
    ("/map/tiles/12/3431/1566.json", {"status": "completed,built"}, 422, "status"),
    ("/map/tiles/12/3431/1566.json", {"as_seen_by": "no-such-plan"}, 422, "as_seen_by"),
    ("/map/tiles/12/3431/1566.json", {"as_of": "1800"}, 422, "as_of"),
    ("/map/tiles/12/3431/1566.json", {"industry": "no-such-industry"}, 422, "industry"),
    ("/map/tiles/12/4096/1566.json", {}, 404, None),
    ("/map/tiles/30/0/0.json", {}, 404, None),
])
def test_what_the_tiles_cannot_use_is_answered_with_a_reason(client, path, params, code, parameter):
    r = client.get(path, params=params)
    assert r.status_code == code, r.text
    body = r.json()
    assert body["detail"] and body["request_id"]
    if parameter:
        assert body["parameter"] == parameter

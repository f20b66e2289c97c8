"""`/api/stats` and `/api/summary`: their counts equal what `/api/projects` returns for the same filters."""

from __future__ import annotations

import csv
import io
from collections import Counter

import pytest

from zmtest import DATA_DIR, catalog_projects, catalog_stated_zones, geojson_points

GROUP_PARAM = {"zone": "zone", "layout": "layout", "district": "district", "street": "street",
               "industry": "industry", "document": "plan"}
FILTERS = [
    {},
    {"status": "completed", "plan": "xigang-services-14th"},
    {"layout": "xg13-one-axis-six-zones", "basis": "text"},
    {"as_of": "2016"},  # statuses at the end of 2016 (project_status_years in SQL; the timeline in Python for the features)
    {"as_seen_by": "xigang-13th-fyp", "status": "planned"},
]
_ANSWERS: dict = {}


def _projects(client, params: dict) -> list[dict]:
    """The features /api/projects returns for ``params`` (kept per client: the data do not change)."""
    key = (id(client), tuple(sorted(params.items())))
    if key not in _ANSWERS:
        fc = client.get("/api/projects", params={**params, "limit": 10000}).json()
        assert fc["numberMatched"] == len(fc["features"]), params
        _ANSWERS[key] = fc["features"]
    return _ANSWERS[key]


def _group(client, everything: list[dict], filters: dict, param: str, group: str) -> list[dict]:
    """The projects of one group under the filters, as /api/projects answers: the group's filter added,
    or, when the filters already use that parameter (by=layout with layout=…), the intersection."""
    if param not in filters:
        return _projects(client, {**filters, param: group})
    own = {"basis": filters["basis"]} if "basis" in filters and param in ("zone", "layout") else {}
    ids = {f["id"] for f in _projects(client, {param: group, **own})}
    return [f for f in everything if f["id"] in ids]


def _summary(features: list[dict]) -> tuple[int, Counter, Counter]:
    return (len(features), Counter(f["properties"]["status"] for f in features),
            Counter(f["properties"]["placed"] for f in features))


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: "&".join(f"{k}={v}" for k, v in f.items()) or "none")
@pytest.mark.parametrize("by", list(GROUP_PARAM))
def test_stats_equal_the_projects_api(client, by, filters):
    body = client.get("/api/stats", params={"by": by, **filters}).json()
    assert body["filters"] == {"by": by, **filters}
    assert body["groups"], by
    everything = _projects(client, filters)
    for g in body["groups"]:
        n, status, placed = _summary(_group(client, everything, filters, GROUP_PARAM[by], g["id"]))
        assert g["projects"] == n, (by, g["id"])
        assert {k: v for k, v in g["status"].items() if v} == dict(status), (by, g["id"])
        assert {k: v for k, v in g["placed"].items() if v} == dict(placed), (by, g["id"])
    n, status, placed = _summary(everything)
    totals = body["totals"]
    assert (totals["projects"], {k: v for k, v in totals["status"].items() if v}, {k: v for k, v in totals["placed"].items() if v}) == (n, dict(status), dict(placed))
    in_groups = {f["id"] for g in body["groups"] if g["projects"] for f in _group(client, everything, filters, GROUP_PARAM[by], g["id"])}
    assert totals["in_no_group"] == len({f["id"] for f in everything} - in_groups)


def test_honest_counts_everywhere(client):
    """/healthz, /api/summary and /api/stats totals give the same three numbers, and they match the files."""
    projects, _ = catalog_projects(DATA_DIR)
    points = geojson_points(DATA_DIR)
    stated = {p for p, _ in catalog_stated_zones(DATA_DIR)}
    expected = Counter("located" if p["id"] in points else "text_only" if p["id"] in stated else "unplaced" for p in projects)
    health = client.get("/healthz").json()
    assert health["placed"] == dict(expected) and sum(health["placed"].values()) == health["projects"]
    summary = client.get("/api/summary").json()
    assert summary == {"filters": {}, "projects": len(projects), **expected}
    assert client.get("/api/stats", params={"by": "document"}).json()["totals"]["placed"] == dict(expected)
    for placed, n in expected.items():
        assert client.get("/api/projects", params={"placed": placed, "limit": 1}).json()["numberMatched"] == n
    only_text = client.get("/api/summary", params={"layout": "xg13-one-axis-six-zones", "basis": "text"}).json()
    assert only_text["filters"] == {"layout": "xg13-one-axis-six-zones", "basis": "text"}
    assert only_text["projects"] == only_text["located"] + only_text["text_only"] + only_text["unplaced"]


def test_stats_as_csv(client):
    js = client.get("/api/stats", params={"by": "zone"}).json()
    for r in (client.get("/api/stats", params={"by": "zone", "f": "csv"}),
              client.get("/api/stats", params={"by": "zone"}, headers={"Accept": "text/csv"})):
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        assert r.content.startswith("\ufeff".encode("utf-8"))
        rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8").lstrip("\ufeff"))))
        groups = {row["id"]: row for row in rows if row["id"]}
        assert set(groups) == {g["id"] for g in js["groups"]}
        for g in js["groups"]:
            row = groups[g["id"]]
            assert int(row["projects"]) == g["projects"] and row["name_zh"] == g["name_zh"]
            assert int(row["status_completed"]) == g["status"]["completed"] and int(row["text_only"]) == g["placed"]["text_only"]
            assert (row["area_km2"] == "") == (g["area_km2"] is None)
        total = next(row for row in rows if row["name_en"].startswith("All matched"))
        assert int(total["projects"]) == js["totals"]["projects"]
    assert client.get("/api/stats", params={"by": "zone", "f": "json"}, headers={"Accept": "text/csv"}).json()["by"] == "zone"


def test_stats_on_text_only_memberships(mini_client):
    body = mini_client.get("/api/stats", params={"by": "zone"}).json()
    by_id = {g["id"]: g for g in body["groups"]}
    assert by_id["mini-north"]["projects"] == 1 and by_id["mini-axis"]["projects"] == 0
    assert body["totals"]["placed"] == {"located": 3, "text_only": 0, "unplaced": 1}
    assert body["totals"]["in_no_group"] == 2  # park-c (no point, no stated zone) and market-d (outside)


@pytest.mark.parametrize("params, parameter", [
    ({"by": "galaxy"}, "by"),
    ({"by": "district", "basis": "text"}, "basis"),
    ({"by": "zone", "basis": "geometry"}, "basis"),
    ({"by": "zone", "layout": "no-such-layout"}, "layout"),
    ({"by": "zone", "f": "xml"}, "f"),
    ({"by": "zone", "plan": "no-such-plan"}, "plan"),
])
def test_stats_bad_parameters(mini_client, params, parameter):
    r = mini_client.get("/api/stats", params=params)
    assert r.status_code == 422 and r.json()["parameter"] == parameter


@pytest.mark.parametrize("path, model", [("/api/stats?by=zone", "Stats"), ("/api/stats?by=plan", "Stats"), ("/api/summary", "Summary")])
def test_bodies_satisfy_their_response_models(mini_client, path, model):
    from pydantic import TypeAdapter

    from webmap import schemas

    r = mini_client.get(path)
    assert r.status_code == 200
    TypeAdapter(getattr(schemas, model)).validate_python(r.json(), strict=False)

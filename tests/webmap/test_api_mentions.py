"""`/api/mentions` and the mentions exports, compared with the catalog YAML and the point files."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import Counter

import pytest

from zmtest import DATA_DIR, catalog_projects, catalog_stated_zones, geojson_points, shapely_zone_pairs


def _all(client, **params) -> list[dict]:
    fc = client.get("/api/mentions", params={**params, "limit": 10000}).json()
    assert fc["numberMatched"] == fc["numberReturned"] == len(fc["features"]), params
    return fc["features"]


def test_every_mention_once_with_its_projects_point(client):
    _, mentions = catalog_projects(DATA_DIR)
    feats = _all(client)
    assert len(feats) == len(mentions)
    assert Counter((f["properties"]["project"], f["properties"]["plan"], f["properties"]["quote"]) for f in feats) == \
        Counter((m["project"], m["plan"], m["quote"]) for m in mentions)
    points = geojson_points(DATA_DIR)
    for f in feats:
        pt = points.get(f["properties"]["project"])
        if pt is None:
            assert f["geometry"] is None and f["properties"]["placed"] != "located"
        else:
            assert f["geometry"]["type"] == "Point"
            assert f["geometry"]["coordinates"] == pytest.approx([pt.x, pt.y], abs=1e-6)
    keys = [(f["properties"]["year"], f["properties"]["plan_date"], f["properties"]["project"], f["id"]) for f in feats]
    assert keys == sorted(keys)


def test_filters_match_the_catalog(client):
    _, mentions = catalog_projects(DATA_DIR)
    by_plan = Counter(m["plan"] for m in mentions)
    for plan, n in by_plan.items():
        assert client.get("/api/mentions", params={"plan": plan, "limit": 1}).json()["numberMatched"] == n
    source = client.get("/api/plans").json()[0]
    assert _all(client, document=source["source_file"]) == _all(client, plan=source["id"])
    project = "ikea-dalian" if any(m["project"] == "ikea-dalian" for m in mentions) else mentions[0]["project"]
    assert len(_all(client, project=project)) == sum(m["project"] == project for m in mentions)
    # zone: the mentions of the projects in the zone (by point or by a document's statement)
    zone = "xg13-axis"
    spatial = {p for p, z in shapely_zone_pairs(DATA_DIR) if z == zone}
    stated = {p for p, z in catalog_stated_zones(DATA_DIR) if z == zone}
    for basis, members in (("any", spatial | stated), ("spatial", spatial), ("text", stated)):
        got = _all(client, zone=zone, basis=basis)
        assert len(got) == sum(m["project"] in members for m in mentions), basis
    for status in ("completed", "planned"):
        got = _all(client, status=status)
        assert got and all(f["properties"]["status"] == status for f in got)


def test_statements_partition_the_mentions(client):
    whole = _all(client)
    facts, targets = _all(client, statement="fact"), _all(client, statement="target")
    assert len(facts) + len(targets) == len(whole) and facts and targets
    assert all(f["properties"]["statement"] == "fact" for f in facts)
    assert all(f["properties"]["statement"] == "target" for f in targets)


def test_years_partition_the_mentions_and_dates_are_iso(client):
    feats = _all(client)
    years = Counter(f["properties"]["year"] for f in feats)
    assert None not in years and sum(years.values()) == len(feats)
    for year, n in years.items():
        got = _all(client, year=year)
        assert len(got) == n and all(f["properties"]["year"] == year for f in got)
    for f in feats:
        p = f["properties"]
        assert dt.date.fromisoformat(p["date"]).year == p["year"]


def test_paging(client):
    whole = _all(client)
    seen, url = [], "/api/mentions?limit=150"
    while url:
        page = client.get(url).json()
        assert page["numberMatched"] == len(whole)
        seen += page["features"]
        url = next((link["href"] for link in page["links"] if link["rel"] == "next"), None)
    assert [f["id"] for f in seen] == [f["id"] for f in whole]


def test_exports(client):
    whole = _all(client)
    r = client.get("/api/export/mentions.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert 'filename="zonemap-mentions.csv"' in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8").lstrip("\ufeff"))))
    assert len(rows) == len(whole)
    assert {"project", "plan", "status", "year", "date", "quote", "lon", "lat"} <= set(rows[0])
    assert sum(1 for row in rows if row["lon"]) == sum(1 for f in whole if f["geometry"])
    r = client.get("/api/export/mentions.geojson", params={"plan": "xigang-13th-fyp"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/geo+json")
    fc = r.json()
    assert len(fc["features"]) == len(_all(client, plan="xigang-13th-fyp"))
    for f in fc["features"]:  # flat: one value type per property, lists as JSON text
        assert all(not isinstance(v, (list, dict)) for v in f["properties"].values())
        assert isinstance(json.loads(f["properties"]["industries"]), list)


@pytest.mark.parametrize("params, parameter", [
    ({"project": "no-such-project"}, "project"),
    ({"zone": "no-such-zone"}, "zone"),
    ({"basis": "text"}, "basis"),
    ({"plan": "no-such-plan"}, "plan"),
    ({"status": "dreaming"}, "status"),
    ({"year": "soon"}, "year"),
    ({"statement": "rumour"}, "statement"),
])
def test_bad_parameters(mini_client, params, parameter):
    for path in ("/api/mentions", "/api/export/mentions.csv"):
        r = mini_client.get(path, params=params)
        assert r.status_code == 422 and r.json()["parameter"] == parameter, path


def test_body_satisfies_its_response_model(mini_client):
    from pydantic import TypeAdapter

    from webmap import schemas

    body = mini_client.get("/api/mentions").json()
    assert body["numberMatched"] == 4
    TypeAdapter(schemas.MentionCollection).validate_python(body, strict=False)


def test_mentions_as_csv_through_the_media_table(mini_client):
    rows = list(csv.DictReader(io.StringIO(mini_client.get("/api/mentions", params={"f": "csv"}).content.decode("utf-8").lstrip("\ufeff"))))
    assert len(rows) == 4 and {"plan", "year", "date", "lon", "lat"} <= set(rows[0])

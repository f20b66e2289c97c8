"""The API contract: plans, zones, streets, projects (filters, paging, errors), industries."""

from __future__ import annotations

import pytest


def test_healthz(mini_client):
    body = mini_client.get("/healthz").json()
    assert body["status"] == "ok" and body["plans"] == 1 and body["projects"] == 4


def test_plans_contract(client):
    plans = client.get("/api/plans").json()
    assert {p["id"] for p in plans} == {
        "xigang-13th-fyp", "shahekou-14th-fyp", "xigang-work-report-2016", "dalian-work-report-2018", "xigang-services-14th"}
    for p in plans:
        assert set(p) >= {"id", "title_zh", "title_en", "district", "date", "kind", "source_file"}
    districts = {p["id"]: p["district"] for p in plans}
    assert districts["xigang-13th-fyp"] == "西岗区" and districts["shahekou-14th-fyp"] == "沙河口区"
    assert districts["dalian-work-report-2018"] == "大连市"


def test_zones_filter_by_plan_and_kind(client):
    fc = client.get("/api/zones", params={"plan": "xigang-13th-fyp", "layout": "xg13-one-axis-six-zones"}).json()
    assert fc["type"] == "FeatureCollection"
    names = {f["properties"]["name_zh"] for f in fc["features"]}
    assert {"站北商贸商务文化区", "香炉礁国际商贸物流区", "新开路金融商业区", "一二九街国际商务区",
            "奥林匹克现代商业区", "傅家庄休闲旅游商务区", "长春路及八一路经济发展轴"} == names
    for f in fc["features"]:
        assert set(f["properties"]) >= {"id", "plan", "layout", "name_zh", "name_en", "kind"}
    axis = client.get("/api/zones", params={"kind": "axis"}).json()["features"]
    assert axis and all(f["properties"]["kind"] == "axis" for f in axis)


def test_zones_content_type_is_geojson(mini_client):
    r = mini_client.get("/api/zones")
    assert r.headers["content-type"].startswith("application/geo+json")


def test_streets_are_lines(mini_client):
    fc = mini_client.get("/api/streets").json()
    assert [f["properties"]["id"] for f in fc["features"]] == ["changchun-road"]
    f = fc["features"][0]
    assert f["geometry"]["type"] == "MultiLineString"
    assert set(f["properties"]) >= {"id", "name_zh", "name_en"}


def test_projects_contract_and_unlocated(mini_client):
    fc = mini_client.get("/api/projects").json()
    assert fc["numberMatched"] == 4 and fc["numberReturned"] == 4
    by_id = {f["id"]: f for f in fc["features"]}
    assert by_id["park-c"]["geometry"] is None
    assert by_id["park-c"]["properties"]["location_accuracy_m"] is None
    a = by_id["plot-a"]["properties"]
    assert a["status"] == "under_construction" and a["status_words"] == "开工建设"
    assert a["zones"] == [{"id": "mini-north", "basis": "both"}] and a["zone_ids"] == ["mini-north"]
    assert a["location_accuracy_m"] == 100
    assert by_id["tower-b"]["properties"]["aliases"] == ["乙楼"]
    assert by_id["tower-b"]["properties"]["status"] == "completed"


@pytest.mark.parametrize("params, expected", [
    ({"zone": "mini-north"}, ["plot-a"]),
    ({"zone": "mini-south"}, ["tower-b"]),
    ({"zone": "mini-axis"}, []),
    ({"status": "completed"}, ["tower-b"]),
    ({"status": "planned"}, ["park-c"]),
    ({"industry": "modern-commerce"}, ["plot-a"]),
    ({"street": "changchun-road"}, ["market-d"]),
    ({"plan": "mini-plan"}, ["market-d", "park-c", "plot-a", "tower-b"]),
    ({"document": "mini-plan.txt", "status": "preparation"}, ["market-d"]),
    ({"located": "false"}, ["park-c"]),
    ({"bbox": "121.60,38.90,121.63,38.916"}, ["tower-b"]),
    ({"near": "121.618,38.922,50"}, ["plot-a"]),
    ({"q": "乙楼"}, ["tower-b"]),
])
def test_project_filters(mini_client, params, expected):
    fc = mini_client.get("/api/projects", params=params).json()
    assert sorted(f["id"] for f in fc["features"]) == expected
    assert fc["numberMatched"] == len(expected)


def test_paging_with_next_link(mini_client):
    first = mini_client.get("/api/projects", params={"limit": 3}).json()
    assert first["numberMatched"] == 4 and first["numberReturned"] == 3
    nxt = next(link["href"] for link in first["links"] if link["rel"] == "next")
    second = mini_client.get(nxt).json()
    assert second["numberReturned"] == 1
    assert not any(link["rel"] == "next" for link in second["links"])
    assert {f["id"] for f in first["features"]} | {f["id"] for f in second["features"]} == {"plot-a", "tower-b", "park-c", "market-d"}


def test_limit_up_to_10000(mini_client):
    assert mini_client.get("/api/projects", params={"limit": 10000}).status_code == 200
    r = mini_client.get("/api/projects", params={"limit": 10001})
    assert r.status_code == 422 and r.json()["parameter"] == "limit"


def test_project_detail_with_history(client):
    fc = client.get("/api/projects", params={"limit": 10000}).json()
    multi = max(fc["features"], key=lambda f: f["properties"]["mentions"])
    detail = client.get(f"/api/projects/{multi['id']}").json()
    history = detail["properties"]["mention_history"]
    assert len(history) == multi["properties"]["mentions"] >= 3
    years = [h["year"] or h["document_year"] for h in history]
    assert years == sorted(years)
    for h in history:
        assert h["quote"] and h["source_file"] and h["status"]


@pytest.mark.parametrize("path", ["/api/projects/no-such", "/api/zones/no-such", "/api/plans/no-such"])
def test_unknown_ids_are_404_json(mini_client, path):
    r = mini_client.get(path)
    assert r.status_code == 404
    assert "no-such" in r.json()["detail"]


@pytest.mark.parametrize("params, parameter", [
    ({"status": "done"}, "status"),
    ({"limit": "ten"}, "limit"),
    ({"offset": -1}, "offset"),
    ({"zone": "no-such-zone"}, "zone"),
    ({"plan": "no-such-plan"}, "plan"),
    ({"industry": "no-such"}, "industry"),
    ({"street": "no-such"}, "street"),
    ({"bbox": "1,2,3"}, "bbox"),
    ({"bbox": "121.7,38.9,121.6,38.95"}, "bbox"),
    ({"near": "121.6,38.9"}, "near"),
    ({"located": "maybe"}, "located"),
    # a typo in a vocabulary value is an error, not an empty answer
    ({"kind": "parks"}, "kind"),
    ({"district": "西岗"}, "district"),
])
def test_bad_parameters_are_422_naming_the_parameter(mini_client, params, parameter):
    r = mini_client.get("/api/projects", params=params)
    assert r.status_code == 422
    body = r.json()
    assert body["parameter"] == parameter and parameter in body["detail"]


def test_project_kind_and_district_take_the_known_values(client):
    """Every project kind and district value answers exactly the projects carrying it; a district
    of the admin layer with no project (长海县) is a valid, empty answer, not an error."""
    from projects.catalog import PROJECT_KINDS

    every = client.get("/api/projects", params={"limit": 10000}).json()["features"]
    for key, values in (("kind", PROJECT_KINDS), ("district", {f["properties"]["district"] for f in every})):
        for value in values:
            r = client.get("/api/projects", params={key: value, "limit": 1})
            assert r.status_code == 200, r.text
            assert r.json()["numberMatched"] == sum(1 for f in every if f["properties"][key] == value), (key, value)
    r = client.get("/api/projects", params={"district": "长海县"})
    assert r.status_code == 200 and r.json()["numberMatched"] == 0
    body = client.get("/api/projects", params={"kind": "park"}).json()
    assert body["numberMatched"] > 0


def test_zone_kind_must_be_known(mini_client):
    r = mini_client.get("/api/zones", params={"kind": "galaxy"})
    assert r.status_code == 422 and r.json()["parameter"] == "kind"


def test_industries(client):
    industries = client.get("/api/industries").json()
    assert len(industries) > 10
    assert all(set(i) >= {"id", "name_zh", "name_en", "groups"} for i in industries)
    assert any(i["groups"] for i in industries)


def test_missing_database_is_a_json_503_not_a_trace(tmp_path, databases):
    """A service started before `zonemap load` (or pointed at a missing database) answers 503 JSON."""
    import sqlalchemy as sa
    from fastapi.testclient import TestClient

    from zmtest import BACKEND
    from webmap.app import create_app
    from webmap.settings import Settings

    if BACKEND == "spatialite":
        url = f"sqlite:///{tmp_path / 'never-loaded.sqlite'}"
    else:
        url = sa.make_url(databases.admin_url).set(database="zm_never_created").render_as_string(hide_password=False)
    with TestClient(create_app(Settings(database_url=url)), raise_server_exceptions=False) as c:
        for path in ("/api/projects", "/healthz", "/"):
            r = c.get(path)
            assert r.status_code == 503 and "zonemap load" in r.json()["detail"], path


def test_geopackage_export(mini_client, tmp_path):
    """A real GeoPackage: its SQLite tables say which layers, geometry columns and CRS it holds."""
    import sqlite3

    r = mini_client.get("/api/export/zonemap.gpkg")
    assert r.status_code == 200 and r.headers["content-type"] == "application/geopackage+sqlite3"
    path = tmp_path / "x.gpkg"
    path.write_bytes(r.content)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47  # 'GPKG'
    contents = dict(db.execute("SELECT table_name, srs_id FROM gpkg_contents").fetchall())
    assert contents == {"zones": 4326, "streets": 4326, "projects": 4326, "districts": 4326}
    geom_types = dict(db.execute("SELECT table_name, geometry_type_name FROM gpkg_geometry_columns").fetchall())
    assert geom_types["projects"] == "POINT" and geom_types["streets"] == "MULTILINESTRING"
    rows = dict(db.execute("SELECT id, aliases FROM projects").fetchall())
    assert len(rows) == 4 and rows["tower-b"] == '["乙楼"]'
    db.close()


def test_geojson_export_is_flat(mini_client):
    r = mini_client.get("/api/export/projects.geojson")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    for f in r.json()["features"]:
        assert all(not isinstance(v, (list, dict)) for v in f["properties"].values())
    assert mini_client.get("/api/export/nothing.geojson").status_code == 404


def test_api_geometry_is_rfc7946(client):
    """Counter-clockwise exterior rings, ≤ 6 decimals, no crs member."""
    from shapely.geometry import shape

    from geo.geometry import is_rfc7946_oriented

    fc = client.get("/api/zones").json()
    assert "crs" not in fc
    for f in fc["features"]:
        if f["geometry"] is None:
            continue
        assert is_rfc7946_oriented(shape(f["geometry"])), f["id"]
        ring = f["geometry"]["coordinates"][0][0]
        assert all(len(repr(c).split(".")[-1]) <= 6 for c in ring[0])


def test_project_page_shows_the_history(client):
    r = client.get("/projects/dongguan-street-renewal")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    detail = client.get("/api/projects/dongguan-street-renewal").json()["properties"]
    from html import escape

    history = r.text.split("<tbody>")[1]
    assert history.count("<tr>") == len(detail["mention_history"]) >= 5
    for m in detail["mention_history"]:
        assert escape(m["quote"]) in history
    assert client.get("/projects/no-such").status_code == 404


def test_csv_export_for_spreadsheets(mini_client):
    import csv
    import io

    r = mini_client.get("/api/export/projects.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    text = r.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))}
    assert set(rows) == {"plot-a", "tower-b", "park-c", "market-d"}
    assert rows["plot-a"]["lon"] == "121.618" and rows["plot-a"]["lat"] == "38.922"
    assert rows["park-c"]["lon"] == "" and rows["tower-b"]["aliases"] == '["乙楼"]'
    zones = list(csv.DictReader(io.StringIO(mini_client.get("/api/export/zones.csv").content.decode("utf-8").lstrip("\ufeff"))))
    assert all(z["wkt"].startswith("MULTIPOLYGON") for z in zones)

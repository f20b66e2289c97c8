"""One vocabulary, documented: response models that the bodies satisfy, every parameter in OpenAPI
with a schema and an example, sort and fields, and one media-type table for f and Accept."""

from __future__ import annotations

import csv
import io

import pytest

from webmap import schemas

MODELS = {  # path → the model its (JSON) body satisfies
    "/api/plans": list[schemas.Plan], "/api/plans/mini-plan": schemas.Plan, "/api/layouts": list[schemas.Layout],
    "/api/zones": schemas.ZoneCollection, "/api/zones/mini-north": schemas.ZoneFeature,
    "/api/streets": schemas.StreetCollection, "/api/districts": schemas.DistrictCollection,
    "/api/projects": schemas.ProjectCollection, "/api/projects/plot-a": schemas.ProjectDetail,
    "/api/industries": list[schemas.Industry], "/api/statuses": list[schemas.StatusTerm],
}


@pytest.mark.parametrize("path", sorted(MODELS))
def test_bodies_satisfy_their_response_models(mini_client, path):
    from pydantic import TypeAdapter

    r = mini_client.get(path)
    assert r.status_code == 200
    TypeAdapter(MODELS[path]).validate_python(r.json(), strict=False)


def test_every_api_operation_documents_its_response(mini_client):
    doc = mini_client.get("/openapi.json").json()
    for path, item in doc["paths"].items():
        if not path.startswith("/api"):
            continue
        for method, op in item.items():
            ok = op["responses"]["200"]
            content = ok.get("content", {})
            assert content, (path, method)
            assert any("schema" in c for c in content.values()), (path, method, "no schema for 200")
            for status in ("404", "422", "503"):
                assert status in op["responses"], (path, method, status)


def test_every_parameter_has_a_schema_and_an_example(mini_client):
    doc = mini_client.get("/openapi.json").json()
    seen = 0
    for path, item in doc["paths"].items():
        if not path.startswith("/api"):
            continue
        for method, op in item.items():
            for p in op.get("parameters", []):
                seen += 1
                assert "schema" in p and p["schema"], (path, p["name"])
                has_example = "example" in p or "examples" in p or "examples" in p["schema"] or "example" in p["schema"]
                assert has_example, (path, p["name"], "no example")
                assert p.get("description") or p["schema"].get("description"), (path, p["name"], "no description")
    assert seen > 30


def test_readme_parameters_are_in_openapi(mini_client):
    """Every parameter the README documents for /api/projects is declared (and so accepted), and
    every declared one is documented there."""
    import re

    from webmap.settings import REPO_ROOT

    doc = mini_client.get("/openapi.json").json()
    declared = {p["name"] for p in doc["paths"]["/api/projects"]["get"]["parameters"]}
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Project queries", 1)[1].split("###", 1)[0]
    documented = set(re.findall(r"^\| `(\w+)` \|", section, flags=re.M))
    assert documented == declared, (documented ^ declared)
    body = doc["components"]["schemas"]["ProjectSearch"]["properties"]
    assert set(body) == (declared - {"f"}) | {"geometry"}


def test_plan_is_the_one_name_document_is_a_deprecated_alias(mini_client):
    props = mini_client.get("/api/projects/plot-a").json()["properties"]
    assert props["status_plan"] == props["status_document"] == "mini-plan"
    assert all(m["plan"] == m["document"] for m in props["mention_history"])
    by_plan = mini_client.get("/api/projects", params={"plan": "mini-plan"}).json()["numberMatched"]
    assert mini_client.get("/api/projects", params={"document": "mini-plan"}).json()["numberMatched"] == by_plan
    doc = mini_client.get("/openapi.json").json()
    document = next(p for p in doc["paths"]["/api/projects"]["get"]["parameters"] if p["name"] == "document")
    assert document.get("deprecated") is True


def test_sort_orders_and_validates(mini_client):
    fc = mini_client.get("/api/projects", params={"sort": "-status_year,name_zh"}).json()
    keys = [(f["properties"]["status_year"], f["properties"]["name_zh"]) for f in fc["features"]]
    with_year = [k for k in keys if k[0] is not None]
    assert with_year == sorted(with_year, key=lambda k: (-k[0], k[1]))
    assert keys[len(with_year):] == [k for k in keys if k[0] is None]  # empty years last
    ids = [f["id"] for f in mini_client.get("/api/projects", params={"sort": "id"}).json()["features"]]
    assert ids == sorted(ids)
    r = mini_client.get("/api/projects", params={"sort": "colour"})
    assert r.status_code == 422 and r.json()["parameter"] == "sort" and "status_year" in r.json()["accepted"]


def test_fields_choose_properties(mini_client):
    fc = mini_client.get("/api/projects", params={"fields": "name_zh,status"}).json()
    assert all(set(f["properties"]) == {"id", "name_zh", "status"} for f in fc["features"])
    r = mini_client.get("/api/projects", params={"fields": "name_zh,colour"})
    assert r.status_code == 422 and r.json()["parameter"] == "fields"


def _csv(r) -> list[dict]:
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(r.content.decode("utf-8").lstrip("\ufeff"))))


def test_csv_for_any_query_is_the_same_selection(mini_client):
    params = {"status": "completed", "located": "true"}
    fc = mini_client.get("/api/projects", params=params).json()
    by_f = _csv(mini_client.get("/api/projects", params={**params, "f": "csv"}))
    by_accept = _csv(mini_client.get("/api/projects", params=params, headers={"Accept": "text/csv"}))
    assert [row["id"] for row in by_f] == [row["id"] for row in by_accept] == [f["id"] for f in fc["features"]]
    assert by_f[0]["lon"] and by_f[0]["name_zh"] == fc["features"][0]["properties"]["name_zh"]
    r = mini_client.post("/api/projects/search?f=csv", json={"bbox": "121.60,38.90,121.63,38.916"})
    assert [row["id"] for row in _csv(r)] == ["tower-b"]


@pytest.mark.parametrize("accept, f, expected", [
    (None, None, "application/geo+json"),
    ("application/json", None, "application/json"),
    ("application/geo+json", None, "application/geo+json"),
    ("text/csv;q=0.9, application/json;q=0.5", None, "text/csv; charset=utf-8"),
    ("text/*", None, "text/csv; charset=utf-8"),
    ("*/*", None, "application/geo+json"),
    ("text/html, */*;q=0.1", None, "application/geo+json"),
    ("text/csv", "json", "application/json"),
    (None, "geojson", "application/geo+json"),
])
def test_one_media_table_decides_f_and_accept(mini_client, accept, f, expected):
    headers = {"Accept": accept} if accept else {}
    r = mini_client.get("/api/zones", params={"f": f} if f else {}, headers=headers)
    assert r.status_code == 200 and r.headers["content-type"] == expected


def test_what_cannot_be_served_is_406(mini_client):
    r = mini_client.get("/api/projects", headers={"Accept": "image/png"})
    assert r.status_code == 406 and r.json()["code"] == "not_acceptable" and "text/csv" in r.json()["accepted"]
    r = mini_client.get("/api/projects", headers={"Accept": "application/json;q=0"})
    assert r.status_code == 406  # the one type named is refused, nothing else accepted
    r = mini_client.get("/api/plans", params={"f": "geojson"})
    assert r.status_code == 406 and r.json()["parameter"] == "f"
    r = mini_client.get("/api/plans", params={"f": "pdf"})
    assert r.status_code == 422 and r.json()["parameter"] == "f"

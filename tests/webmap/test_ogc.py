"""OGC API – Features: the documents QGIS and other clients rely on."""

from __future__ import annotations

import json


def test_landing_links(mini_client):
    body = mini_client.get("/ogc").json()
    rels = {link["rel"]: link for link in body["links"]}
    assert {"self", "service-desc", "conformance", "data"} <= set(rels)
    assert rels["service-desc"]["type"] == "application/vnd.oai.openapi+json;version=3.0"
    assert mini_client.get(rels["service-desc"]["href"]).json()["openapi"].startswith("3.0")
    assert "ogcapi-features-1/1.0/conf/core" in " ".join(mini_client.get(rels["conformance"]["href"]).json()["conformsTo"])


def test_collections_describe_extent_and_items(mini_client):
    body = mini_client.get("/ogc/collections").json()
    ids = [c["id"] for c in body["collections"]]
    assert ids == ["zones", "streets", "projects", "districts"]
    projects = next(c for c in body["collections"] if c["id"] == "projects")
    minx, miny, maxx, maxy = projects["extent"]["spatial"]["bbox"][0]
    assert 121.6 < minx < maxx < 121.63 and 38.9 < miny < maxy < 38.94
    items = next(link for link in projects["links"] if link["rel"] == "items")
    assert items["type"] == "application/geo+json"


def test_items_paging_keeps_parameters(mini_client):
    first = mini_client.get("/ogc/collections/projects/items", params={"limit": 1, "bbox": "121.6,38.9,121.63,38.94"}).json()
    assert first["numberMatched"] == 3 and first["numberReturned"] == 1
    nxt = next(link["href"] for link in first["links"] if link["rel"] == "next")
    assert "bbox=" in nxt and "limit=1" in nxt and "offset=1" in nxt
    ids = [first["features"][0]["id"]]
    while nxt:
        page = mini_client.get(nxt).json()
        ids += [f["id"] for f in page["features"]]
        nxt = next((link["href"] for link in page["links"] if link["rel"] == "next"), None)
    assert sorted(ids) == ["market-d", "plot-a", "tower-b"]


def test_items_properties_are_flat_and_filterable(mini_client):
    fc = mini_client.get("/ogc/collections/projects/items", params={"status": "completed"}).json()
    assert [f["id"] for f in fc["features"]] == ["tower-b"]
    props = fc["features"][0]["properties"]
    assert props["aliases"] == '["乙楼"]' and props["zone_ids"] == '["mini-south"]'
    assert json.loads(props["zones"]) == [{"id": "mini-south", "basis": "both"}]
    zones = mini_client.get("/ogc/collections/zones/items", params={"kind": "axis"}).json()
    assert [f["id"] for f in zones["features"]] == ["mini-axis"]


def test_openapi_declares_page_size_and_filters(mini_client):
    doc = mini_client.get("/ogc/openapi").json()
    limit = doc["components"]["parameters"]["limit"]["schema"]
    assert limit["maximum"] == 10000 and limit["default"] >= 1000
    params = doc["paths"]["/collections/projects/items"]["get"]["parameters"]
    status = next(p for p in params if p.get("name") == "status")
    assert status["style"] == "form" and status["explode"] is False


def test_ogc_errors(mini_client):
    assert mini_client.get("/ogc/collections/nope").status_code == 404
    assert mini_client.get("/ogc/collections/projects/items/nope").status_code == 404
    # OGC API exceptions: {code, description}, 400 for a bad parameter (webmap/errors.py).
    r = mini_client.get("/ogc/collections/projects/items", params={"bbox": "x"})
    assert r.status_code == 400 and r.json()["code"] == "InvalidParameterValue" and "bbox" in r.json()["description"]
    r = mini_client.get("/ogc/collections/projects/items", params={"status": "done"})
    assert r.status_code == 400 and set(r.json()) == {"code", "description"} and "status" in r.json()["description"]

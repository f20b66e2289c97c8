"""The web layer's cross-cutting rules: one error shape, strict parameters, HEAD, request ids,
database errors mapped by what they mean. Every rule is checked on every route the app has."""

from __future__ import annotations

import logging
import re

import pytest
import sqlalchemy as sa
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from webmap.app import create_app
from webmap.errors import ErrorBody, OgcException
from webmap.settings import Settings
from zmtest import BACKEND

# A valid value for every path parameter of the app, on the mini fixture. A new route with a new
# path parameter fails test_every_get_route_is_listed until it is named here.
PATH_VALUES = {
    "plan_id": "mini-plan", "zone_id": "mini-north", "project_id": "plot-a", "layer": "projects",
    "collection_id": "projects", "feature_id": "plot-a", "layout_id": "mini-two-zones", "street_id": "changchun-road",
    "tms_id": "WebMercatorQuad", "z": "0", "y": "0", "x": "0",  # the OGC tiles (webmap/routes/ogc/tiles.py)
}


def get_routes(app) -> list[tuple[str, str]]:
    """(path template, concrete path) of every GET route of the app."""
    from fastapi import routing

    # FastAPI ≥ 0.16x keeps included routers lazily; iter_route_contexts flattens them.
    contexts = routing.iter_route_contexts(app.routes) if hasattr(routing, "iter_route_contexts") else app.routes
    out = []
    for ctx in contexts:
        route = getattr(ctx, "original_route", ctx)
        if isinstance(route, APIRoute) and "GET" in (ctx.methods or ()):
            names = re.findall(r"{(\w+)(?::\w+)?}", ctx.path)
            concrete = ctx.path
            for name in names:
                concrete = re.sub(r"{%s(?::\w+)?}" % name, PATH_VALUES.get(name, f"<{name}?>"), concrete)
            out.append((ctx.path, concrete))
    return out


def assert_error(r, status: int, parameter: str | None = None):
    """The one error shape: ErrorBody outside /ogc, an OGC exception under /ogc."""
    assert r.status_code == status, (r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    if r.url.path.startswith("/ogc"):
        assert set(body) == {"code", "description"}
        OgcException.model_validate(body)
        if parameter:
            assert parameter in body["description"]
    else:
        ErrorBody.model_validate(body)
        assert body["request_id"] == r.headers["x-request-id"]
        if parameter:
            assert body["parameter"] == parameter and parameter in body["detail"]
    return body


@pytest.fixture(scope="module")
def routes(mini_client):
    return get_routes(mini_client.app)


def test_every_get_route_is_listed(routes):
    assert len(routes) >= 20
    missing = [path for path, concrete in routes if "<" in concrete]
    assert not missing, f"name a value for these path parameters in PATH_VALUES: {missing}"


def test_every_get_route_answers_200_and_head(mini_client, routes):
    for path, concrete in routes:
        r = mini_client.get(concrete)
        assert r.status_code == 200, (path, r.status_code, r.text[:200])
        h = mini_client.head(concrete)
        assert h.status_code == 200 and h.content == b"", path
        assert h.headers["content-type"] == r.headers["content-type"], path
        assert h.headers.get("etag") == r.headers.get("etag"), path


def test_unknown_parameter_fails_on_every_route(mini_client, routes):
    for path, concrete in routes:
        r = mini_client.get(concrete, params={"yaer": "2015"})
        status = 400 if path.startswith("/ogc") else 422
        body = assert_error(r, status, "yaer")
        if not path.startswith("/ogc"):
            assert body["code"] == "unknown_parameter"
            assert "yaer" not in body["accepted"]


def test_accepted_names_are_the_documented_ones(mini_client):
    """What the 422 lists as accepted is exactly what OpenAPI documents for the operation."""
    doc = mini_client.get("/openapi.json").json()
    for path, item in doc["paths"].items():
        if "{" in path or "get" not in item:
            continue
        documented = sorted(p["name"] for p in item["get"].get("parameters", []) if p["in"] == "query")
        r = mini_client.get(path, params={"zzz": "1"})
        if path.startswith("/ogc"):
            continue
        assert r.json()["accepted"] == documented, path


def test_ogc_items_accept_their_collection_filters_only(mini_client):
    assert mini_client.get("/ogc/collections/zones/items", params={"kind": "axis"}).status_code == 200
    r = mini_client.get("/ogc/collections/streets/items", params={"kind": "axis"})
    assert_error(r, 400, "kind")


def test_error_shape_everywhere(mini_client):
    assert_error(mini_client.get("/api/projects/no-such"), 404)
    assert_error(mini_client.get("/api/no-such-endpoint"), 404)
    assert_error(mini_client.get("/api/projects", params={"limit": "ten"}), 422, "limit")
    assert_error(mini_client.get("/ogc/collections/nope"), 404)
    body = assert_error(mini_client.get("/api/projects", params={"limit": "0"}), 422, "limit")
    assert body["code"] == "bad_parameter" and body["errors"][0]["parameter"] == "limit"


def test_405_lists_allowed_methods(mini_client):
    r = mini_client.post("/api/plans")
    body = assert_error(r, 405)
    assert body["code"] == "method_not_allowed"
    assert set(m.strip() for m in r.headers["allow"].split(",")) == {"GET", "HEAD"}
    r = mini_client.delete("/ogc/collections")
    assert r.status_code == 405 and "GET" in r.headers["allow"]


@pytest.mark.parametrize("path, params, parameter", [
    ("/api/projects", {"offset": str(2**63)}, "offset"),
    ("/api/projects", {"offset": str(2**64 + 5)}, "offset"),
    ("/api/projects", {"limit": str(2**63)}, "limit"),
    ("/ogc/collections/projects/items", {"offset": str(2**63)}, "offset"),
    ("/api/projects", {"q": "a\x00b"}, "q"),
    ("/api/projects", {"zone": "mini-north\x00"}, "zone"),
    ("/api/projects", {"district": "西岗区\x1b"}, "district"),
    ("/api/zones", {"plan": "\x00"}, "plan"),
    ("/ogc/collections/projects/items", {"status": "completed\x00"}, "status"),
    ("/api/projects", {"near": "121.6,38.9,nan"}, "near"),
    ("/api/projects", {"bbox": "121.6,38.9,inf,39"}, "bbox"),
    ("/api/projects", {"zone": ["mini-north", "mini-south"]}, "zone"),
    ("/api/projects", {"q": "x" * 201}, "q"),
])
def test_hostile_parameters_are_client_errors(mini_client, path, params, parameter):
    r = mini_client.get(path, params=params)
    assert_error(r, 400 if path.startswith("/ogc") else 422, parameter)


@pytest.mark.parametrize("path", ["/api/projects/plot%00a", "/api/zones/%00", "/ogc/collections/projects/items/a%01b",
                                  "/projects/plot%00a", "/api/plans/%7f"])
def test_control_characters_in_path_ids(mini_client, path):
    r = mini_client.get(path)
    assert r.status_code in (400, 422), (path, r.status_code)
    assert_error(r, r.status_code)


def test_q_wildcards_are_literal(mini_client):
    everything = mini_client.get("/api/projects").json()["numberMatched"]
    assert everything == 4
    for pattern in ("%", "_", "%%", "\\", "乙%"):
        assert mini_client.get("/api/projects", params={"q": pattern}).json()["numberMatched"] == 0, pattern
    assert mini_client.get("/api/projects", params={"q": "乙楼"}).json()["numberMatched"] == 1


def test_request_id_header(mini_client):
    r = mini_client.get("/api/plans")
    assert re.fullmatch(r"[0-9a-f]{16}", r.headers["x-request-id"])
    assert mini_client.get("/api/plans", headers={"X-Request-ID": "abc-123"}).headers["x-request-id"] == "abc-123"
    odd = mini_client.get("/api/plans", headers={"X-Request-ID": "a b\tc"}).headers["x-request-id"]
    assert odd != "a b\tc" and re.fullmatch(r"[0-9a-f]{16}", odd)


def test_security_headers_on_every_kind_of_response(mini_client):
    for path in ("/", "/api/plans", "/api/nothing", "/static/vendor/redoc/LICENSE", "/docs"):
        r = mini_client.get(path)
        assert r.headers["x-content-type-options"] == "nosniff", path
        assert r.headers["referrer-policy"] == "same-origin"
        csp = r.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'self'" in csp


def _client_for(url: str) -> TestClient:
    return TestClient(create_app(Settings(database_url=url)), raise_server_exceptions=False)


def test_unavailable_database_is_503_distinct_from_not_loaded(tmp_path, databases, caplog):
    if BACKEND == "spatialite":
        broken = tmp_path / "not-a-database.sqlite"
        broken.write_bytes(b"this is not an SQLite file" * 100)
        url = f"sqlite:///{broken}"
    else:  # a port nothing listens on
        with __import__("socket").socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        url = sa.make_url(databases.admin_url).set(port=port).render_as_string(hide_password=False)
    caplog.set_level(logging.INFO, logger="zonemap.http")
    with _client_for(url) as c:
        for path in ("/api/projects", "/healthz", "/ogc/collections"):
            caplog.clear()
            r = c.get(path, params={"limit": 5} if path == "/api/projects" else None)
            assert r.status_code == 503, (path, r.text)
            assert "retry-after" in r.headers
            if path.startswith("/ogc"):
                assert r.json()["code"] == "ServiceUnavailable"
            else:
                assert r.json()["code"] == "database_unavailable" and "zonemap load" not in r.json()["detail"]
            lines = [rec.getMessage() for rec in caplog.records if rec.name == "zonemap.http"]
            assert len(lines) == 1 and r.headers["x-request-id"] in lines[0], lines
            assert "SELECT" not in lines[0].upper() and "\n" not in lines[0]


def test_not_loaded_is_its_own_503(tmp_path, databases):
    url = databases.new_url()  # exists, empty: no zonemap tables
    with _client_for(url) as c:
        r = c.get("/api/projects")
        assert r.status_code == 503 and r.json()["code"] == "not_loaded" and "zonemap load" in r.json()["detail"]


@pytest.mark.parametrize("older", ["DROP TABLE project_texts", "ALTER TABLE dataset_info DROP COLUMN projects"])
def test_a_database_loaded_by_an_older_version_asks_for_a_load(databases, older):
    """Tables written by an earlier zonemap (without the feature texts, or without the stored count):
    the pages and /healthz answer 503 not_loaded asking for `zonemap load`, not a bare "database
    unavailable" (nor, for /healthz, ok)."""
    import sqlalchemy as sa

    from geo.db import make_engine
    from projects.dataset import read_dataset
    from projects.store import write_dataset
    from zmtest import MINI_DIR, MINI_SEEDS

    url = databases.new_url()
    write_dataset(url, read_dataset(MINI_DIR, MINI_SEEDS))
    engine = make_engine(url, loader=True)
    with engine.begin() as conn:
        conn.execute(sa.text(older))
    engine.dispose()
    with _client_for(url) as c:
        for path in ("/api/projects?limit=3", "/ogc/collections/projects/items?limit=3", "/healthz"):
            r = c.get(path)
            assert r.status_code == 503, (path, r.text)
            body = r.json()
            assert "zonemap load" in (body["description"] if path.startswith("/ogc") else body["detail"]), body
            assert path.startswith("/ogc") or body["code"] == "not_loaded", body


def test_database_errors_are_classified(databases):
    """Real errors from the real database, each to what it means for the client."""
    from geo.db import CLIENT_INPUT, NOT_LOADED, classify_error, make_engine

    engine = make_engine(databases.new_url())
    with engine.connect() as conn:
        with pytest.raises(sa.exc.DBAPIError) as missing:
            conn.execute(sa.text("SELECT * FROM no_such_table"))
        assert classify_error(missing.value)[0] == NOT_LOADED
        if BACKEND == "spatialite":
            statement = "SELECT 'a' LIKE :p"
            params = {"p": "%" * 60000}
        else:
            conn.rollback()
            statement, params = "SELECT CAST(:p AS integer)", {"p": "not a number"}
        with pytest.raises(sa.exc.DBAPIError) as too_much:
            conn.execute(sa.text(statement), params)
        kind, cause = classify_error(too_much.value)
        assert kind == CLIENT_INPUT and "not a number" not in cause and "%%%" not in cause
    engine.dispose()


def test_openapi_error_responses_match_the_bodies(mini_client):
    doc = mini_client.get("/openapi.json").json()
    schemas = doc["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    for path, item in doc["paths"].items():
        for method, op in item.items():
            for status in ("404", "422"):
                if path.startswith("/ogc"):
                    assert "422" not in op["responses"], path
                    continue
                ref = op["responses"][status]["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/ErrorBody", (path, status)
    # and the bodies validate against that schema (pydantic: the same model)
    ErrorBody.model_validate(mini_client.get("/api/projects", params={"x": 1}).json())


def test_api_docs_libraries_match_their_manifest(mini_client):
    """The vendored Swagger UI and ReDoc are the files the manifest names (version, licence, sha256),
    and /docs and /redoc load them from here, never from a CDN."""
    import hashlib
    import json

    from webmap.app import STATIC_DIR

    manifest = json.loads((STATIC_DIR / "vendor" / "apidocs.json").read_text())
    for lib in manifest["libraries"]:
        folder = STATIC_DIR / "vendor" / lib["dir"]
        assert lib["version"] and lib["license"] and "LICENSE" in lib["files"]
        assert {p.name for p in folder.iterdir()} == set(lib["files"]), lib["name"]
        for name, digest in lib["files"].items():
            assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
    for path, asset in (("/docs", "/static/vendor/swagger-ui/swagger-ui-bundle.js"), ("/redoc", "/static/vendor/redoc/redoc.standalone.js")):
        html = mini_client.get(path).text
        assert asset in html and "cdn" not in html and "fonts.googleapis" not in html
        assert mini_client.get(asset).status_code == 200

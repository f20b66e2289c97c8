"""Caching, compression, CORS and the public address links are built from."""

from __future__ import annotations

import gzip

import brotli
import pytest
from fastapi.testclient import TestClient

from webmap.app import create_app
from webmap.settings import Settings

DATA_PATHS = ["/api/projects", "/api/zones", "/api/plans", "/api/projects?f=csv", "/", "/ogc/collections/projects/items",
              "/openapi.json"]


@pytest.mark.parametrize("path", DATA_PATHS)
def test_etag_and_304(mini_client, path):
    r = mini_client.get(path)
    assert r.status_code == 200
    etag = r.headers["etag"]
    assert etag.startswith('W/"') and r.headers["cache-control"].startswith("public, max-age=")
    again = mini_client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert mini_client.get(path, headers={"If-None-Match": 'W/"other"'}).status_code == 200
    head = mini_client.head(path, headers={"If-None-Match": etag})
    assert head.status_code == 304


def test_etag_depends_on_the_request(mini_client):
    a = mini_client.get("/api/projects").headers["etag"]
    assert mini_client.get("/api/projects").headers["etag"] == a
    assert mini_client.get("/api/projects", params={"status": "completed"}).headers["etag"] != a
    assert mini_client.get("/api/projects", headers={"Accept": "text/csv"}).headers["etag"] != a


def test_no_store_for_errors_and_health(mini_client):
    assert mini_client.get("/healthz").headers["cache-control"] == "no-store"
    r = mini_client.get("/api/projects/no-such")
    assert r.status_code == 404 and r.headers["cache-control"] == "no-store" and "etag" not in r.headers
    assert "max-age" in mini_client.get("/static/vendor/redoc/LICENSE").headers["cache-control"]


def test_a_reload_changes_the_etag(databases, mini_copy):
    """The fingerprint is cached per process, and a reload is seen at once."""
    from projects.dataset import read_dataset
    from projects.store import write_dataset
    from zmtest import MINI_SEEDS

    url = databases.new_url()
    write_dataset(url, read_dataset(mini_copy, MINI_SEEDS))
    with TestClient(create_app(Settings(database_url=url))) as c:
        first = c.get("/api/projects")
        etag = first.headers["etag"]
        assert c.get("/api/projects", headers={"If-None-Match": etag}).status_code == 304
        catalog = next(mini_copy.glob("catalog/*.yaml"))
        text = catalog.read_text(encoding="utf-8")
        catalog.write_text(text.replace("乙楼", "乙大楼"), encoding="utf-8")
        write_dataset(url, read_dataset(mini_copy, MINI_SEEDS))
        second = c.get("/api/projects", headers={"If-None-Match": etag})
        assert second.status_code == 200 and second.headers["etag"] != etag
        assert "乙大楼" in second.text


@pytest.mark.parametrize("path", ["/api/projects", "/api/projects?f=csv", "/", "/openapi.json", "/api/districts"])
@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_compressed_bodies_decode_to_the_same_body(mini_client, path, encoding):
    plain = mini_client.get(path, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    # httpx decodes gzip and br itself; ask for the raw bytes to check the encoding is real.
    with mini_client.stream("GET", path, headers={"Accept-Encoding": encoding}) as r:
        raw = b"".join(r.iter_raw())
        assert r.headers["content-encoding"] == encoding
        assert "Accept-Encoding" in r.headers["vary"]
    decoded = gzip.decompress(raw) if encoding == "gzip" else brotli.decompress(raw)
    assert decoded == plain.content
    assert len(raw) < len(plain.content) * 0.8


def test_cors_is_off_by_default(mini_client):
    r = mini_client.get("/api/plans", headers={"Origin": "http://app.example"})
    assert "access-control-allow-origin" not in r.headers


def test_cors_from_settings(mini_db):
    with TestClient(create_app(Settings(database_url=mini_db, cors_origins=["http://app.example"]))) as c:
        r = c.get("/api/plans", headers={"Origin": "http://app.example"})
        assert r.headers["access-control-allow-origin"] == "http://app.example"
        assert "ETag" in r.headers["access-control-expose-headers"]
        pre = c.options("/api/projects/search", headers={"Origin": "http://app.example", "Access-Control-Request-Method": "POST",
                                                          "Access-Control-Request-Headers": "content-type"})
        assert pre.status_code == 200 and "POST" in pre.headers["access-control-allow-methods"]
        other = c.get("/api/plans", headers={"Origin": "http://evil.example"})
        assert "access-control-allow-origin" not in other.headers


def _next_link(c, **headers) -> str:
    body = c.get("/api/projects", params={"limit": 1}, headers=headers).json()
    return next(link["href"] for link in body["links"] if link["rel"] == "next")


def test_links_ignore_a_forged_host_without_trust(mini_client):
    assert _next_link(mini_client).startswith("http://testserver/api/projects?")
    forged = _next_link(mini_client, **{"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"})
    assert forged.startswith("http://testserver/")
    odd = mini_client.get("/ogc", headers={"Host": "evil.example/<x>"}).json()
    assert all("evil" not in link["href"] for link in odd["links"])


def test_links_from_the_public_base_url(mini_db):
    settings = Settings(database_url=mini_db, public_base_url="https://maps.example.org/zonemap")
    with TestClient(create_app(settings)) as c:
        assert _next_link(c, Host="elsewhere.example").startswith("https://maps.example.org/zonemap/api/projects?")
        ogc = c.get("/ogc").json()
        assert all(link["href"].startswith("https://maps.example.org/zonemap/") for link in ogc["links"])
        assert "/zonemap/static/vendor/swagger-ui/" in c.get("/docs").text
        # a proxy that keeps the prefix in the path works as well as one that strips it
        assert c.get("/zonemap/api/plans").status_code == 200


def test_forwarded_headers_from_a_trusted_proxy(mini_db):
    settings = Settings(database_url=mini_db, trusted_proxies=["127.0.0.1"])
    with TestClient(create_app(settings), client=("127.0.0.1", 50000)) as c:
        href = _next_link(c, **{"X-Forwarded-Host": "maps.example.org", "X-Forwarded-Proto": "https",
                                "X-Forwarded-Prefix": "/zm"})
        assert href.startswith("https://maps.example.org/zm/api/projects?")

"""The lean serving paths answer exactly what the plain ones did."""

from __future__ import annotations

import json

from webmap.media import dumps


def _plain(body) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def test_fast_json_writes_the_bytes_the_standard_encoder_writes(client):
    """orjson (webmap.media.dumps) against json.dumps on real answers: every project, the zones,
    an OGC page, the statistics of the layers, Chinese text and coordinates included."""
    for path in ("/api/projects?limit=1000", "/api/zones", "/api/streets", "/api/districts",
                 "/ogc/collections/projects/items?limit=1000", "/ogc/collections/zones/items?limit=100",
                 "/api/plans", "/api/industries", "/ogc/collections"):
        r = client.get(path)
        assert r.status_code == 200, path
        body = r.json()
        assert r.content == _plain(body) == dumps(body), path


def test_fast_json_edge_values():
    values = {"n": None, "t": True, "i": -(2**63), "f": 121.6185123, "g": 38.0, "s": "西岗区 \"引号\" \\ \n \u2028",
              "l": [1, 2.5, "三"], "d": {"嵌套": [{}]}, "big": 2**70}
    assert dumps(values) == _plain(values)


def _queries(app):
    """The statements the app's read engines send from now on (PostgreSQL: the sync engine and the
    event loop's async one)."""
    import sqlalchemy as sa

    seen = []
    for engine in (app.state.engine, getattr(app.state.async_engine, "sync_engine", None)):
        if engine is not None:
            sa.event.listen(engine, "before_cursor_execute", lambda *a, **k: seen.append(a[2]))
    return seen


def test_repeated_gets_are_answered_from_the_response_cache(databases, real_dataset):
    """The second identical GET runs no query of its route; the answer is the same bytes with its
    own request id and CORS headers; If-None-Match on a cached answer is a 304; a load with other
    data changes the answer at once; with ZONEMAP_RESPONSE_CACHE_MB=0 nothing is kept."""
    from fastapi.testclient import TestClient

    from projects.store import write_dataset
    from projects.synth import synthesize
    from webmap.app import create_app
    from webmap.settings import Settings

    url = databases.new_url()
    write_dataset(url, real_dataset)
    path = "/api/projects?limit=50&status=completed"
    with TestClient(create_app(Settings(database_url=url, cors_origins=["http://a.example"]))) as c:
        first = c.get(path, headers={"Origin": "http://a.example"})
        seen = _queries(c.app)
        second = c.get(path, headers={"Origin": "http://b.example"})
        assert first.status_code == second.status_code == 200
        assert second.content == first.content and second.headers["etag"] == first.headers["etag"]
        assert second.headers["x-request-id"] != first.headers["x-request-id"]
        assert first.headers["access-control-allow-origin"] == "http://a.example"
        assert "access-control-allow-origin" not in second.headers  # not the first request's CORS answer
        # SpatiaLite checks the data's version by a stat of its file; PostgreSQL reads one row.
        assert [q for q in seen if "dataset_info" not in q] == [], seen
        assert c.get(path, headers={"If-None-Match": first.headers["etag"]}).status_code == 304
        head = c.head(path)
        assert head.status_code == 200 and head.content == b"" and head.headers["etag"] == first.headers["etag"]

        write_dataset(url, synthesize(real_dataset, 40, seed=5))  # a load with other data
        after = c.get(path)
        assert after.status_code == 200 and after.headers["etag"] != first.headers["etag"]
        assert after.json()["numberMatched"] >= first.json()["numberMatched"]
        assert any(f["id"].startswith("synth-") for f in c.get("/api/projects?limit=1000").json()["features"])
    with TestClient(create_app(Settings(database_url=url, response_cache_mb=0))) as c:
        c.get(path)
        seen = _queries(c.app)
        assert c.get(path).status_code == 200
        assert any("projects" in q for q in seen)


def _same_features(url: str) -> int:
    import orjson

    from geo.db import make_engine
    from projects import features
    from projects import queries as pq

    engine = make_engine(url)
    with engine.connect() as conn:
        ids = pq.find_project_ids(conn, pq.ProjectFilter(), 100_000, 0, [])
        fast, reference = features.project_features(conn, ids), pq.project_features_by_rows(conn, ids)
        assert [f["id"] for f in fast] == ids
        for a, b in zip(fast, reference):  # feature by feature, for a readable failure
            assert orjson.dumps(a) == orjson.dumps(b), (a, b)
        assert orjson.dumps(fast) == orjson.dumps(reference)
        some = ids[::7][:50] + ["no-such-project"]  # any order, unknown ids left out
        assert features.project_features(conn, some) == pq.project_features_by_rows(conn, some)
        assert features.project_features(conn, []) == []
    engine.dispose()
    return len(ids)


def test_one_statement_features_equal_the_row_by_row_builder(real_db):
    """projects.features (the hot path) against queries.project_features_by_rows (the reference),
    every project of the real data: the same bytes, sites, unlocated projects, zones with their
    basis, timelines and targets included."""
    assert _same_features(real_db) == 295


def test_one_statement_features_equal_on_synthetic_data(databases, real_dataset):
    from projects.store import write_dataset
    from projects.synth import synthesize

    url = databases.new_url()
    write_dataset(url, synthesize(real_dataset, 1500, seed=3))
    assert _same_features(url) == 295 + 1500


def _same_texts(url: str) -> tuple[int, int]:
    """projects.features.project_feature_texts (the page written by the database) against the
    features built in Python, as /api/projects (vocabulary) and the OGC items (flat) shape them:
    the same values, the same property order. Returns (features, those with a site)."""
    import orjson

    from geo.db import make_engine
    from projects import features
    from projects import queries as pq
    from webmap.routes.api import vocabulary
    from webmap.routes.ogc.collections import _flat

    engine = make_engine(url)
    with engine.connect() as conn:
        ids = pq.find_project_ids(conn, pq.ProjectFilter(), 100_000, 0, [])
        built = features.project_features(conn, ids)
        sites = 0
        for flat in (False, True):
            texts = features.project_feature_texts(conn, ids, flat=flat)
            assert [pid for pid, _ in texts] == ids
            for feature, (pid, text) in zip(built, texts):
                expected = {**feature, "properties": vocabulary(dict(feature["properties"]))}
                if flat:
                    expected = _flat(expected)
                if text is None:  # a site, not flat: the caller builds it in Python
                    assert not flat and "site" in feature["properties"], pid
                    sites += 1
                    continue
                got = orjson.loads(text)
                assert got == expected, (pid, flat)
                assert list(got["properties"]) == list(expected["properties"]), (pid, flat)
        some = ids[::7][:50] + ["no-such-project"]
        assert [pid for pid, _ in features.project_feature_texts(conn, some)] == some[:-1]
        assert features.project_feature_texts(conn, []) == []
    engine.dispose()
    return len(ids), sites


def test_database_written_features_equal_the_built_ones(real_db):
    """Every project of the real data, unlocated projects included."""
    assert _same_texts(real_db)[0] == 295


def test_database_written_features_equal_on_synthetic_data(databases, real_dataset):
    """Synthetic projects, two of them given a site polygon (clockwise, as drawn): those are
    built in Python (RFC 7946 orientation) and the rest still match."""
    import shapely
    import sqlalchemy as sa

    from geo.db import geom_from_wkb_sql, make_engine
    from projects import features
    from projects.store import write_dataset
    from projects.synth import synthesize

    url = databases.new_url()
    write_dataset(url, synthesize(real_dataset, 1500, seed=5))
    engine = make_engine(url)
    square = shapely.MultiPolygon([shapely.Polygon([(121.61, 38.91), (121.61, 38.92), (121.62, 38.92), (121.62, 38.91)])])  # clockwise
    with engine.begin() as conn:
        ids = conn.execute(sa.text("SELECT id FROM projects ORDER BY id LIMIT 2")).scalars().all()
        for pid in ids:
            conn.execute(sa.text(f"UPDATE projects SET site = {geom_from_wkb_sql(conn, ':wkb')} WHERE id = :id"),
                         {"wkb": shapely.to_wkb(square), "id": pid})
        features.write_feature_texts(conn)  # as a load does, after its tables are written
    engine.dispose()
    assert _same_texts(url) == (295 + 1500, 2)


def test_pages_written_by_the_database_equal_the_built_pages(client):
    """The HTTP answers of the common pages (database-written features) against the same pages
    built in Python: asked with every property named (fields= on /api, properties= on /ogc), in
    the order the page has them, a route takes its other path and must answer the same."""
    for path, param in (("/api/projects?limit=1000", "fields"), ("/api/projects?limit=1000&f=json", "fields"),
                        ("/ogc/collections/projects/items?limit=1000", "properties")):
        a = client.get(path)
        assert a.status_code == 200
        fa = a.json()["features"]
        names = list(dict.fromkeys(k for f in fa for k in f["properties"] if k != "id" or param == "properties"))
        b = client.get(f"{path}&{param}={','.join(names)}")
        assert b.status_code == 200, b.text
        fb = b.json()["features"]
        assert len(fa) == 295 and fa == fb
        assert [list(f["properties"]) for f in fa] == [list(f["properties"]) for f in fb]


def test_one_statement_pages_count_and_tag_like_the_others(client):
    """The one-statement page (count, page, features and the data fingerprint together): an empty
    page past the end still counts every match, and the ETag is the one a revalidation matches."""
    for path in ("/api/projects?limit=10&offset=100000", "/ogc/collections/projects/items?limit=10&offset=100000"):
        body = client.get(path).json()
        assert body["numberMatched"] == 295 and body["numberReturned"] == 0 and body["features"] == []
    for path in ("/api/projects?limit=10", "/ogc/collections/projects/items?limit=10&status=completed"):
        r = client.get(path)
        assert r.status_code == 200 and r.headers["etag"]
        assert client.get(path, headers={"If-None-Match": r.headers["etag"]}).status_code == 304


def test_a_page_of_all_projects_states_the_number_counted_at_load(real_db):
    """Unfiltered, the page's numberMatched is dataset_info.projects (written by the load, equal to
    a count of the rows); filtered, it is counted per request."""
    import sqlalchemy as sa

    from geo.db import make_engine
    from projects import features
    from projects import queries as pq

    engine = make_engine(real_db)
    with engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT projects FROM dataset_info")).scalar_one()
        counted = conn.execute(sa.text("SELECT count(*) FROM projects")).scalar_one()
        assert stored == counted == 295
        everything = pq.project_condition(conn, pq.ProjectFilter())
        assert everything.text == pq.ALL_PROJECTS
        order = [sa.text(t) for t in pq.order_terms(conn, pq.ProjectFilter())]
        matched, texts, _ = features.project_page_texts(conn, everything, order, 7, 0)
        assert matched == 295 and len(texts) == 7
        completed = conn.execute(sa.text("SELECT count(*) FROM projects WHERE status = 'completed'")).scalar_one()
        only = pq.project_condition(conn, pq.ProjectFilter(status="completed"))
        assert features.project_page_texts(conn, only, order, 7, 0)[0] == completed < 295
    engine.dispose()

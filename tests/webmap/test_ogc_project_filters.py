"""The projects' OGC items and vector tiles take the project filters of ``/api/projects`` (the same
model and checks: ``basis`` with ``zone``/``layout``, ``layout``, ``placed``, ``located``, ``q``, and
the status view ``as_of`` / ``as_seen_by``), declare them in ``/ogc/openapi``, and refuse bad values
with a 400 OGC exception. Under a status view, the CQL2 queryables ``status``, ``status_year``,
``status_words`` and ``status_plan`` and ``sortby`` mean the view's status, as the features show it;
so do ``sort=status|status_year`` on ``/api/projects``.

The expected sets are computed here from the served features' own properties (``zones`` with their
basis, ``placed``, and the view's status, which ``projects.timeline`` computes in Python), not from
the SQL that answers the filters.
"""

from __future__ import annotations

import math

import pytest

from geo import tiles as gt
from projects.status import Status
from zmtest import assert_ogc_error

ITEMS = "/ogc/collections/projects/items"
LAYOUT = "xg13-one-axis-six-zones"
VIEWS = [{"as_of": 2015}, {"as_of": 2016}, {"as_of": 2018}, {"as_seen_by": "xigang-13th-fyp"}]
RANK = {s.value: i for i, s in enumerate(Status)}


def _ogc(client, **params) -> list[dict]:
    r = client.get(ITEMS, params={"limit": 10000, **params})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["numberMatched"] == len(body["features"])
    return body["features"]


def _ids(features) -> set[str]:
    return {f["id"] for f in features}


@pytest.fixture(scope="module")
def everything(client):
    """Every project as /api/projects serves it (zones with their basis, placed), and the zones' layouts."""
    feats = client.get("/api/projects", params={"limit": 10000}).json()["features"]
    layouts = {z["id"]: z["properties"]["layout"] for z in client.get("/api/zones").json()["features"]}
    return {f["id"]: f["properties"] for f in feats}, layouts


@pytest.mark.parametrize("params", [
    {"layout": LAYOUT}, {"layout": LAYOUT, "basis": "text"}, {"layout": LAYOUT, "basis": "spatial"},
    {"zone": "xg13-axis", "basis": "text"}, {"placed": "text_only"}, {"placed": "unplaced"}, {"located": "false"},
    {"q": "东关街"}, {"plan": "000_d559e79bf937d935.txt"}, {"as_of": "2016", "layout": LAYOUT, "basis": "any", "status": "planned"},
    {"as_seen_by": "xigang-13th-fyp", "placed": "located"},
])
def test_items_take_the_api_filters(client, params):
    api = client.get("/api/projects", params={**params, "limit": 10000}).json()["features"]
    assert api, params  # each case selects something
    assert _ids(_ogc(client, **params)) == _ids(api)


def test_layout_basis_and_placed_mean_what_the_features_say(client, everything):
    props, layouts = everything
    for basis, counted in (("text", {"text", "both"}), ("spatial", {"spatial", "both"}), ("any", {"text", "spatial", "both"})):
        want = {pid for pid, p in props.items() if any(layouts[z["id"]] == LAYOUT and z["basis"] in counted for z in p["zones"])}
        assert _ids(_ogc(client, layout=LAYOUT, basis=basis)) == want, basis
    for placed in ("located", "text_only", "unplaced"):
        want = {pid for pid, p in props.items() if p["placed"] == placed}
        assert want and _ids(_ogc(client, placed=placed)) == want, placed
        assert all(f["properties"]["placed"] == placed for f in _ogc(client, filter=f"placed = '{placed}'"))
    placed = [f["properties"]["placed"] for f in _ogc(client, sortby="-placed")]
    assert placed == sorted(placed, reverse=True) and len(set(placed)) == 3
    # text-only projects are those without a point that a document places in a zone
    assert all(props[i]["zones"] for i in _ids(_ogc(client, placed="text_only")))


def _tile_xy(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    return int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)


def test_tiles_take_the_same_filters(client):
    """A whole-city tile (clustered) counts exactly the located projects the filters select."""
    x, y = _tile_xy(121.6185, 38.9155, 7)
    for params in ({"layout": LAYOUT, "basis": "spatial"}, {"layout": LAYOUT, "basis": "text", "as_of": "2016"},
                   {"zone": "xg13-axis", "placed": "located", "status": "completed"}):
        want = client.get("/api/projects", params={**params, "located": "true", "limit": 1}).json()["numberMatched"]
        r = client.get(f"/ogc/collections/projects/tiles/WebMercatorQuad/7/{y}/{x}", params=params)
        assert r.status_code == 200, r.text
        clusters = gt.decode(r.content).get("projects", {}).get("features", [])
        assert want and sum(f["properties"]["count"] for f in clusters) == want, params
    assert client.get(f"/ogc/collections/projects/tiles/WebMercatorQuad/7/{y}/{x}", params={"placed": "unplaced"}).content == b""


@pytest.mark.parametrize("path", [ITEMS, "/ogc/collections/projects/tiles/WebMercatorQuad/12/1552/3429"])
@pytest.mark.parametrize("params, parameter", [
    ({"zone": "xg13-axis", "basis": "nope"}, "basis"),
    ({"basis": "text"}, "basis"),  # qualifies zone membership: alone it would filter nothing
    ({"layout": "no-such-layout"}, "layout"),
    ({"zone": "no-such-zone"}, "zone"),
    ({"placed": "somewhere"}, "placed"),
    ({"located": "maybe"}, "located"),
    ({"plan": "no-such-plan"}, "plan"),
    ({"industry": "no-such-industry"}, "industry"),
    ({"street": "no-such-street"}, "street"),
    ({"status": "finished"}, "status"),
    ({"as_of": "last-year"}, "as_of"),
    ({"as_of": "2016", "as_seen_by": "xigang-13th-fyp"}, "as_seen_by"),
    ({"along": "changchun-road"}, "along"),  # an /api area: CQL2 S_DWITHIN here
])
def test_bad_project_filters_are_ogc_errors(client, path, params, parameter):
    assert_ogc_error(client.get(path, params=params), parameter)


@pytest.mark.parametrize("cid, params, parameter", [
    ("zones", {"plan": "no-such-plan"}, "plan"), ("zones", {"layout": "no-such-layout"}, "layout"),
    ("zones", {"kind": "blob"}, "kind"), ("districts", {"level": "galaxy"}, "level"),
])
def test_bad_filters_of_other_collections_are_ogc_errors(client, cid, params, parameter):
    """An id that names nothing is an error, as on /api/zones, not an empty answer."""
    assert_ogc_error(client.get(f"/ogc/collections/{cid}/items", params=params), parameter)


def test_openapi_and_queryables_declare_them(client):
    doc = client.get("/ogc/openapi").json()
    params = {p["name"]: p for p in doc["paths"]["/collections/projects/items"]["get"]["parameters"] if "name" in p}
    assert {"zone", "layout", "basis", "placed", "located", "q", "as_of", "as_seen_by", "status"} <= set(params)
    assert params["basis"]["schema"]["enum"] == ["spatial", "text", "any"]
    assert params["placed"]["schema"]["enum"] == ["located", "text_only", "unplaced"]
    assert params["status"]["schema"]["enum"] == [s.value for s in Status]
    assert params["as_of"]["schema"]["type"] == "integer" and params["located"]["schema"]["type"] == "boolean"
    assert all(p["style"] == "form" and p["explode"] is False for p in params.values())  # QGIS finds them so
    assert "zone" in params["basis"]["description"]
    zparams = {p["name"]: p for p in doc["paths"]["/collections/zones/items"]["get"]["parameters"] if "name" in p}
    assert "axis" in zparams["kind"]["schema"]["enum"]
    q = client.get("/ogc/collections/projects/queryables").json()["properties"]
    assert q["placed"]["enum"] == ["located", "text_only", "unplaced"] and "view" in q["status"]["title"]
    assert "status_plan" in q
    # the features carry what the queryables name
    props = client.get(ITEMS, params={"limit": 1}).json()["features"][0]["properties"]
    assert {n for n in q if n != "geometry"} <= set(props)


def test_a_connection_url_with_a_view_works_for_qgis(client):
    """QGIS 3.22 appends its connection URL's query to every request: ``…/ogc?as_of=2016`` must
    answer on the documents it reads before the items."""
    for path in ("/ogc", "/ogc/conformance", "/ogc/collections", "/ogc/collections/projects", "/ogc/openapi",
                 "/ogc/collections/projects/tiles"):
        assert client.get(path, params={"as_of": "2016"}).status_code == 200, path
    n = client.get("/api/projects", params={"as_of": 2016, "limit": 1}).json()["numberMatched"]
    assert len(_ogc(client, as_of="2016")) == n


# ---- the status view in CQL2, sortby and sort ---------------------------------------------------

@pytest.fixture(scope="module")
def views(client):
    """Per view: the features as served under it (statuses from projects.timeline), and now."""
    now = {f["id"]: f["properties"] for f in _ogc(client)}
    return now, {tuple(v.items())[0]: _ogc(client, **v) for v in VIEWS}


CQL = [
    ("status = 'completed'", lambda p: p["status"] == "completed"),
    ("status IN ('planned', 'preparation')", lambda p: p["status"] in ("planned", "preparation")),
    ("status <> 'completed' AND status_year >= 2015", lambda p: p["status"] != "completed" and (p["status_year"] or 0) >= 2015),
    ("status_year BETWEEN 2014 AND 2015", lambda p: p["status_year"] is not None and 2014 <= p["status_year"] <= 2015),
    ("status_plan = 'xigang-13th-fyp'", lambda p: p["status_plan"] == "xigang-13th-fyp"),
    ("status_document = 'xigang-work-report-2016'", lambda p: p["status_document"] == "xigang-work-report-2016"),
    ("status_words LIKE '%建成%'", lambda p: "建成" in (p["status_words"] or "")),
]


def test_cql2_status_queryables_mean_the_view(client, views):
    now, by_view = views
    differs = 0
    for view, feats in by_view.items():
        for text, predicate in CQL:
            want = {f["id"] for f in feats if predicate(f["properties"])}
            assert _ids(_ogc(client, **dict([view]), filter=text)) == want, (view, text)
            # the stored (latest) values would select otherwise for some: the test can fail
            differs += want != {f["id"] for f in feats if predicate(now[f["id"]])}
    assert differs >= 4


def test_sortby_under_a_view(client, views):
    now, by_view = views
    for view, feats in by_view.items():
        got = _ogc(client, **dict([view]), sortby="status,-status_year")
        keys = [(f["properties"]["status"], -(f["properties"]["status_year"] or -10**6)) for f in got]
        assert keys == sorted(keys) and len(got) == len(feats), view
        stored = [(now[f["id"]]["status"], -(now[f["id"]]["status_year"] or -10**6)) for f in got]
        assert stored != sorted(stored), view  # not the stored status's order


@pytest.mark.parametrize("view", VIEWS)
def test_api_sort_under_a_view(client, view):
    got = client.get("/api/projects", params={**view, "sort": "status,-status_year", "limit": 10000}).json()["features"]
    keys = [(RANK[f["properties"]["status"]], -(f["properties"]["status_year"] or -10**6)) for f in got]
    assert keys == sorted(keys)
    got = client.get("/api/projects", params={**view, "sort": "-status_year", "fields": "status_year", "limit": 10000}).json()["features"]
    years = [f["properties"]["status_year"] for f in got]
    assert years == sorted(years, key=lambda y: (y is None, -(y or 0)))
    now = {f["id"]: f["properties"]["status_year"] for f in client.get("/api/projects", params={"limit": 10000}).json()["features"]}
    assert [now[f["id"]] for f in got] != sorted((now[f["id"]] for f in got), key=lambda y: (y is None, -(y or 0)))


def test_the_log_says_the_status_sent(client, caplog):
    with caplog.at_level("INFO", logger="zonemap.http"):
        r = client.get(ITEMS, params={"placed": "somewhere"})
    assert r.status_code == 400
    assert any("→ 400 bad_parameter" in m for m in caplog.messages), caplog.messages

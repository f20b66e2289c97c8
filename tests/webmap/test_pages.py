"""The pages for people and the map's own feeds, without a browser: sizes, contents against the
API's answers, HTML errors for people (JSON for the API), search by pinyin, vendored assets."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
from html import escape
from pathlib import Path

import pytest

from webmap.settings import REPO_ROOT

HTML = {"Accept": "text/html,application/xhtml+xml"}
STATIC = REPO_ROOT / "webmap" / "static"


def _all_projects(client) -> list[dict]:
    return client.get("/api/projects", params={"limit": 10000}).json()["features"]


def _feed(client) -> list[dict]:
    """The map feed decoded the way static/js/data.js decodes it."""
    feed = client.get("/map/projects.json").json()
    f = {name: i for i, name in enumerate(feed["fields"])}
    c = feed["codes"]
    out = []
    for row in feed["projects"]:
        out.append({
            "id": row[f["id"]], "status": c["status"][row[f["status"]]], "lon": row[f["lon"]], "lat": row[f["lat"]],
            "kind": c["kind"][row[f["kind"]]], "district": c["district"][row[f["district"]]] if row[f["district"]] is not None else None,
            "industries": sorted(c["industry"][i] for i in row[f["industries"]]),
            "plans": sorted(c["plan"][i] for i in row[f["plans"]]),
            "zones": {c["zone"][z]: feed["basis"][b] for z, b in row[f["zones"]]},
        })
    return out


def test_map_page_is_small_and_carries_no_data_layer(client):
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert len(gzip.compress(r.content)) <= 150 * 1024 and len(r.content) <= 150 * 1024
    # No project, zone outline or street is inlined: the modules fetch them.
    names = [f["properties"]["name_zh"] for f in _all_projects(client)]
    assert not [n for n in names if n in r.text]
    assert '"coordinates"' not in r.text
    assert 'type="module" src="/static/js/main.js"' in r.text
    assert "user-scalable=no" not in r.text  # people may zoom the page


def test_map_page_refuses_unknown_ids_in_its_url(mini_client):
    assert mini_client.get("/", params={"layout": "mini-two-zones"}).status_code == 200
    bad = mini_client.get("/", params={"layout": "nope"})
    assert bad.status_code == 422 and bad.json()["parameter"] == "layout"
    bad = mini_client.get("/", params={"compare": "nope"}, headers=HTML)
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("text/html") and "compare" in bad.text


def test_feed_says_what_the_api_says(client):
    """Every project of /api/projects is in the map feed with the same status, point, kind,
    district, industries, documents and zones."""
    api = {f["id"]: f for f in _all_projects(client)}
    feed = {p["id"]: p for p in _feed(client)}
    assert set(feed) == set(api)
    for pid, p in feed.items():
        a = api[pid]["properties"]
        geom = api[pid]["geometry"]
        assert p["status"] == a["status"], pid
        assert (p["lon"], p["lat"]) == ((round(geom["coordinates"][0], 6), round(geom["coordinates"][1], 6)) if geom else (None, None))
        assert (p["kind"], p["district"], p["industries"]) == (a["kind"], a["district"], sorted(a["industries"])), pid
        api_zones = {z["id"] if isinstance(z, dict) else z for z in a["zones"]}
        assert api_zones <= set(p["zones"]), pid
    # Documents: the same sets the API's `plan=` filter answers.
    for plan in client.get("/api/plans").json():
        mentioned = {f["id"] for f in client.get("/api/projects", params={"plan": plan["id"], "limit": 10000}).json()["features"]}
        assert mentioned == {pid for pid, p in feed.items() if plan["id"] in p["plans"]}, plan["id"]


def test_feed_zones_by_text_are_the_zones_the_mentions_state(client):
    feed = {p["id"]: p for p in _feed(client)}
    stated = 0
    for pid in ["dongguan-street-renewal", *list(feed)[:40]]:
        detail = client.get(f"/api/projects/{pid}").json()["properties"]
        for m in detail["mention_history"]:
            if m["zone"]:
                stated += 1
                assert feed[pid]["zones"].get(m["zone"]) in ("text", "both"), (pid, m["zone"])
    assert stated > 0


def test_districts_feed_is_light_and_labelled(client):
    r = client.get("/map/districts.json")
    assert r.status_code == 200
    assert len(gzip.compress(r.content)) < 60 * 1024
    feats = r.json()["features"]
    full = client.get("/api/districts").json()["features"]
    assert {f["id"] for f in feats} == {f["id"] for f in full}
    from shapely.geometry import Point, shape

    for f in feats:
        lat, lon = f["properties"]["label_at"]
        assert shape(f["geometry"]).buffer(0.001).contains(Point(lon, lat)), f["id"]


def test_html_errors_for_people_json_for_the_api(client):
    for path in ("/projects/no-such", "/zones/no-such", "/no/such/page"):
        r = client.get(path, headers=HTML)
        assert r.status_code == 404 and r.headers["content-type"].startswith("text/html"), path
        assert "<h1>" in r.text and 'href="/"' in r.text, path
    r = client.get("/projects/no-such")  # a script asking without Accept: text/html gets JSON
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    for path in ("/api/projects/no-such", "/ogc/collections/nothing"):
        r = client.get(path, headers=HTML)
        assert r.status_code == 404 and r.headers["content-type"].startswith("application/"), path
        r.json()


def test_zone_page_lists_its_projects_by_geometry_and_by_text(client):
    zid = "xg13-zhanbei"
    r = client.get(f"/zones/{zid}", headers=HTML)
    assert r.status_code == 200
    zone = client.get(f"/api/zones/{zid}").json()["properties"]
    assert escape(zone["quote"]) in r.text and escape(zone["name_zh"]) in r.text
    feed = {p["id"]: p for p in _feed(client)}
    members = {pid: p["zones"][zid] for pid, p in feed.items() if zid in p["zones"]}
    rows = re.findall(r'<tr><td><a href="/projects/([^"]+)">', r.text)
    assert sorted(rows) == sorted(members)
    spatial = sum(b in ("spatial", "both") for b in members.values())
    text = sum(b in ("text", "both") for b in members.values())
    assert f"{spatial} 按位置 by geometry" in r.text and f"{text} 按文本 by text" in r.text
    assert spatial > 0 and text > 0
    # The geometry members are exactly the API's spatial join.
    api = client.get("/api/projects", params={"zone": zid, "basis": "spatial", "limit": 10000}).json()["features"]
    assert {f["id"] for f in api} == {pid for pid, b in members.items() if b != "text"}


def test_zone_page_of_an_undrawn_zone_says_why(client):
    r = client.get("/zones/dl18-innovation-demonstration-zone", headers=HTML)
    assert r.status_code == 200 and "未绘制 not drawn" in r.text and "national designation" in r.text


@pytest.mark.parametrize("query, expected", [
    ("恒隆", "hanglung-plaza"), ("henglong", "hanglung-plaza"), ("hlgc", "hanglung-plaza"),
    ("Hang Lung", "hanglung-plaza"), ("Olympia 66", "hanglung-plaza"),
])
def test_search_finds_projects_by_any_name(client, query, expected):
    r = client.get("/api/search", params={"q": query})
    assert r.status_code == 200
    assert r.json()["projects"][0]["id"] == expected


def test_search_finds_zones_and_streets_by_pinyin(client):
    zones = client.get("/api/search", params={"q": "xianglujiao"}).json()["zones"]
    assert zones and all("香炉礁" in z["name_zh"] for z in zones[:3])
    assert all(z["bounds"] is None or len(z["bounds"]) == 2 for z in zones)
    streets = client.get("/api/search", params={"q": "changchunlu"}).json()["streets"]
    assert streets and streets[0]["name_zh"] == "长春路"
    assert client.get("/api/search", params={"q": "ccl"}).json()["streets"][0]["name_zh"] == "长春路"
    # An alias finds its project; an unlocated project says so (at: null).
    features = _all_projects(client)
    with_alias = next(f for f in features if f["properties"]["aliases"] and f["geometry"] is None)
    hits = client.get("/api/search", params={"q": with_alias["properties"]["aliases"][0]}).json()["projects"]
    assert with_alias["id"] in [h["id"] for h in hits]
    assert next(h for h in hits if h["id"] == with_alias["id"])["at"] is None
    assert client.get("/api/search", params={"q": ""}).status_code == 422
    assert client.get("/api/search").json() == {"query": None, "projects": [], "zones": [], "streets": []}


def test_pinyin_keys():
    from projects.search import name_keys

    assert name_keys("恒隆广场") == ("恒隆广场", "henglongguangchang", "hlgc")
    assert name_keys("长春路")[1:] == ("changchunlu", "ccl")  # the phrase dictionary reads 长 as chang here


def test_basemap_menu_from_settings(caplog):
    from webmap.basemaps import configured_basemaps

    assert configured_basemaps("") == []
    menu = configured_basemaps("osm,amap,tianditu", tianditu_key="k")
    assert [b["id"] for b in menu] == ["osm", "amap", "tianditu"]
    assert {b["id"]: b["crs"] for b in menu} == {"osm": "wgs84", "amap": "gcj02", "tianditu": "cgcs2000"}
    assert menu[2]["key"] == "k" and "{key}" in menu[2]["url"]
    own = configured_basemaps(json.dumps([{"id": "mine", "url": "http://127.0.0.1:1/{z}/{x}/{y}.png"}]))
    assert own[0]["crs"] == "wgs84"
    with caplog.at_level("ERROR", logger="zonemap"):
        assert configured_basemaps("osm,nope") == [configured_basemaps("osm")[0]]
        assert configured_basemaps('[{"id": "x"}]') == []
    assert "nope" in caplog.text and "entry #1" in caplog.text


def test_vendored_libraries_match_their_manifest():
    """Every vendored file is the one scripts/vendor.sh fetched (sha256 in manifest.json), with
    its licence and version beside it."""
    r = subprocess.run(["bash", str(REPO_ROOT / "scripts" / "vendor.sh"), "--check"], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    manifest = json.loads((STATIC / "vendor" / "manifest.json").read_text())
    for pkg in manifest["packages"]:
        folder = STATIC / "vendor" / pkg["name"]
        assert (folder / "VERSION").read_text().strip() == pkg["version"]
        assert any(n.upper().startswith(("LICENSE", "MIT-LICEN")) for n in pkg["files"]), pkg["name"]
        assert pkg["integrity"].startswith("sha512-") and pkg["tarball"].startswith("https://registry.npmjs.org/")


def test_our_modules_name_no_outside_address():
    """The map's own scripts and styles fetch only from the app (basemap templates are settings)."""
    for path in [*STATIC.glob("js/*.js"), STATIC / "zonemap.css"]:
        text = path.read_text()
        assert not re.search(r"https?://", text), path.name
        assert "@import" not in text and "url(http" not in text, path.name


def test_each_module_is_small_and_has_one_concern():
    modules = sorted(Path(STATIC / "js").glob("*.js"))
    assert len(modules) >= 10
    for m in modules:
        first = m.read_text().splitlines()[0]
        assert first.startswith("//"), f"{m.name} starts with a comment saying what it is for"
        assert len(m.read_text().splitlines()) < 400, m.name


def test_zones_feed_is_the_api_answer(client):
    assert client.get("/map/zones.json").json() == client.get("/api/zones").json()


def test_map_url_parameters_are_checked(client):
    ok = client.get("/", params={"layout": "xg13-one-axis-six-zones", "year": 2016, "status": "completed,planned",
                                 "lang": "en", "choropleth": "density", "at": "14/38.91/121.61", "plan": "xigang-13th-fyp"})
    assert ok.status_code == 200
    for params, name in (({"year": "soon"}, "year"), ({"status": "done"}, "status"), ({"lang": "fr"}, "lang"),
                         ({"choropleth": "x"}, "choropleth"), ({"plan": "nope"}, "plan"), ({"document": "nope"}, "document")):
        r = client.get("/", params=params)
        assert r.status_code == 422 and r.json()["parameter"] == name, params


def test_csp_lets_the_configured_tiles_in():
    from webmap.basemaps import configured_basemaps, csp_image_sources

    sources = csp_image_sources(configured_basemaps("osm,tianditu,amap", "http://127.0.0.1:9/{z}/{x}/{y}.png"))
    assert sources == ["https://tile.openstreetmap.org", "https://*.tianditu.gov.cn", "https://*.is.autonavi.com",
                       "http://127.0.0.1:9"]

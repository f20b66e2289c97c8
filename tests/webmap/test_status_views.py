"""Status in time on the API: ``as_of`` and ``as_seen_by`` on /api/projects, the exports and the
OGC items, compared with counts computed here straight from the catalog YAML.

The independent count reads the YAML files itself and classifies each sentence with the pinned
rule (projects.status.classify, tested on real sentences in tests/projects/test_status.py); the
dating, the "most advanced by then" and the per-document view are done here, without
projects.timeline, the loader or the database.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import pytest
import yaml

from projects.status import RANK, Status, classify
from zmtest import DATA_DIR

YEARS = range(2014, 2023)
STATUSES = [s.value for s in Status]


def _catalog():
    plans, mentions = {}, []
    for path in sorted((DATA_DIR / "catalog").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for p in doc.get("plans") or []:
            plans[p["id"]] = p
        for p in doc.get("projects") or []:
            mentions += [{**m, "project": p["id"]} for m in p["mentions"]]
        mentions += doc.get("mentions") or []
    return plans, mentions


def _said(plan) -> int:
    if plan.get("date"):
        return (plan["date"] if isinstance(plan["date"], dt.date) else dt.date.fromisoformat(str(plan["date"]))).year
    return int(plan.get("year") or str(plan["period"])[:4])


@pytest.fixture(scope="module")
def expected():
    """(project → [(year it holds from, attested rank)]), and (plan → project → rank)."""
    plans, mentions = _catalog()
    dated, seen = defaultdict(list), defaultdict(dict)
    for m in mentions:
        plan = plans[m["plan"]]
        part = next((p for p in plan.get("parts") or [] if (m.get("section") or "").startswith(p["section"])), None)
        c = classify(m.get("status_words"), m.get("quote"), part["part"] if part else None)
        assert not m.get("statement") and not m.get("status_change_reason"), "extend this count for such overrides"
        status = Status(m["status"]) if m.get("status") else c.status
        if c.statement.value == "fact":
            year = m.get("year") or (part["year"] if part and part["part"] == "review" else None) or _said(plan)
        else:
            year = _said(plan)
        dated[m["project"]].append((year, RANK[status]))
        seen[m["plan"]][m["project"]] = max(seen[m["plan"]].get(m["project"], 0), RANK[status])
    return dated, seen


def _by_status(ranks) -> Counter:
    names = {r: s.value for s, r in RANK.items()}
    return Counter(names[r] for r in ranks)


def test_as_of_counts_match_the_catalog(client, expected):
    dated, _ = expected
    for year in YEARS:
        ranks = [max(r for y, r in ms if y <= year) for ms in dated.values() if any(y <= year for y, _ in ms)]
        want = _by_status(ranks)
        got = client.get("/api/projects", params={"as_of": year, "limit": 1}).json()["numberMatched"]
        assert got == len(ranks), year
        for status in STATUSES:
            n = client.get("/api/projects", params={"as_of": year, "status": status, "limit": 1}).json()["numberMatched"]
            assert n == want[status], (year, status)


def test_as_seen_by_counts_match_the_catalog(client, expected):
    _, seen = expected
    assert len(seen) == 5
    for plan, projects in seen.items():
        want = _by_status(projects.values())
        assert client.get("/api/projects", params={"as_seen_by": plan, "limit": 1}).json()["numberMatched"] == len(projects)
        for status in STATUSES:
            n = client.get("/api/projects", params={"as_seen_by": plan, "status": status, "limit": 1}).json()["numberMatched"]
            assert n == want[status], (plan, status)
    # The 13th FYP as it states them: 23 planned of its 115 projects (and 26 in preparation: the
    # 16 of 专栏1 前期推进 and those its tasks push as 前期项目); the 45 counted every
    # project with any planned mention, including those the same document calls completed.
    assert len(seen["xigang-13th-fyp"]) == 115 and _by_status(seen["xigang-13th-fyp"].values())["planned"] == 23


def test_the_view_shapes_the_properties(client):
    now = client.get("/api/projects/dongguan-street-renewal").json()["properties"]
    assert now["status"] == "under_construction"
    assert now["status_basis"] == {"plan": "xigang-services-14th", "year": 2020, "words": "已开工建设"}
    assert now["status_timeline"] == [{"year": 2015, "status": "preparation"}, {"year": 2020, "status": "under_construction"}]
    fc = client.get("/api/projects", params={"as_of": 2016, "q": "东关街旧城区"}).json()
    then = fc["features"][0]["properties"]
    assert (then["status"], then["status_year"], then["as_of"]) == ("preparation", 2015, 2016)
    assert then["target_status"] == "under_construction" and then["target_basis"]["year"] == 2016
    assert then["status_timeline"] == now["status_timeline"]  # the whole timeline, for the map's slider
    seen = client.get("/api/projects", params={"as_seen_by": "xigang-work-report-2016", "q": "东关街旧城区"}).json()
    assert seen["features"][0]["properties"]["status"] == "preparation"


def test_mention_history_says_fact_or_target(client):
    history = client.get("/api/projects/dongguan-street-renewal").json()["properties"]["mention_history"]
    target = next(h for h in history if h["status_words"] == "力争尽早开工建设")
    assert (target["statement"], target["status"], target["target_status"], target["target_year"]) == ("target", "planned", "under_construction", 2016)
    assert all(h["statement"] in ("fact", "target") for h in history)
    years = [h["status_year"] for h in history]
    assert years == sorted(years)


def test_not_yet_mentioned_is_left_out(client):
    # 大连光源 is first mentioned in the 2018 report's review of 2017
    ids = lambda y: {f["id"] for f in client.get("/api/projects", params={"as_of": y}).json()["features"]}  # noqa: E731
    assert "dalian-coherent-light-source" not in ids(2016) and "dalian-coherent-light-source" in ids(2017)


def test_exports_and_ogc_take_the_view(client):
    n = client.get("/api/projects", params={"as_of": 2016, "limit": 1}).json()["numberMatched"]
    csv = client.get("/api/export/projects.csv", params={"as_of": 2016}).text
    assert len(csv.strip().splitlines()) == n + 1
    geo = client.get("/api/export/projects.geojson", params={"as_seen_by": "shahekou-14th-fyp"}).json()
    assert len(geo["features"]) == client.get("/api/projects", params={"as_seen_by": "shahekou-14th-fyp", "limit": 1}).json()["numberMatched"]
    ogc = client.get("/ogc/collections/projects/items", params={"as_of": 2016, "status": "completed"}).json()
    assert ogc["numberMatched"] == client.get("/api/projects", params={"as_of": 2016, "status": "completed", "limit": 1}).json()["numberMatched"]
    assert all(f["properties"]["status"] == "completed" for f in ogc["features"])
    params = {p["name"] for p in client.get("/ogc/openapi").json()["paths"]["/collections/projects/items"]["get"]["parameters"] if "name" in p}
    assert {"as_of", "as_seen_by"} <= params


@pytest.mark.parametrize("path", ["/api/projects", "/api/export/projects.csv", "/api/export/projects.geojson", "/ogc/collections/projects/items"])
@pytest.mark.parametrize("params, parameter", [
    ({"as_of": "last-year"}, "as_of"),
    ({"as_of": "1800"}, "as_of"),
    ({"as_seen_by": "no-such-plan"}, "as_seen_by"),
    ({"as_of": "2016", "as_seen_by": "xigang-13th-fyp"}, "as_seen_by"),
])
def test_bad_views_name_the_parameter(client, path, params, parameter):
    r = client.get(path, params=params)
    assert 400 <= r.status_code < 500 and r.json().get("parameter", parameter) == parameter, r.text


def test_project_page_shows_the_timeline(client):
    html = client.get("/projects/gaoerji-fengming-redevelopment").text
    strip = html.split('<ol class="zm-tl-strip">')[1].split("</ol>")[0]
    assert strip.count("<li") == 11 and strip.count("zm-status-preparation") == 11
    assert "zm-tl-target zm-tl-target-under_construction" in strip  # the pending 2016 target
    assert html.index("zm-timeline") < html.index("zm-history")  # above the mention table
    assert "目标 target" in html.split("zm-history")[1]  # the targets are marked in the table


def _tile_xy(lon: float, lat: float, z: int) -> tuple[int, int]:
    import math

    n = 2**z
    return int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)


def test_vector_tiles_take_the_view(client):
    """Tiles colour and count projects by their status as of the year (the map's time slider)."""
    from geo import tiles as gt

    def tile(z, **params):
        x, y = _tile_xy(121.6185, 38.9155, z)
        r = client.get(f"/ogc/collections/projects/tiles/WebMercatorQuad/{z}/{y}/{x}", params=params)
        assert r.status_code == 200
        return gt.decode(r.content).get("projects", {}).get("features", [])

    then = {f["id"]: f["properties"] for f in client.get("/api/projects", params={"as_of": 2016, "located": "true"}).json()["features"]}
    feats = tile(15, as_of=2016)
    assert feats and all(f["properties"]["status"] == then[f["properties"]["id"]]["status"] for f in feats)
    assert {f["properties"]["id"] for f in feats} <= set(then)
    # a whole-city tile, clustered: the counts per status are the located projects' as of 2016
    clusters = tile(7, as_of=2016)
    for status in STATUSES:
        want = sum(1 for p in then.values() if p["status"] == status)
        assert sum(f["properties"].get(f"n_{status}", 0) for f in clusters) == want, status
    assert sum(f["properties"]["count"] for f in clusters) == len(then)

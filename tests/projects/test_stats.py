"""Statistics (projects.stats): amounts as written, honest counts, groups — checked against counts
made straight from the catalog YAML and the GeoJSON files (shapely, pyproj's geodesic areas)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import pytest
from pyproj import Geod

from zmtest import DATA_DIR, catalog_projects, catalog_stated_zones, geojson_points, geojson_zones, shapely_zone_pairs
from geo.db import make_engine
from projects import stats as ps
from projects.queries import ProjectFilter


@pytest.mark.parametrize("text, expected", [
    ("总投资49亿元", [ps.Amount(49, "亿元")]),
    ("178亿元", [ps.Amount(178, "亿元")]),
    ("总投资超过116亿元", [ps.Amount(116, "亿元", approximate=True)]),  # 西岗区 13th FYP
    ("累计投入达3000余万元", [ps.Amount(3000, "万元", approximate=True)]),
    ("外商直接投资预计完成6300万美元", [ps.Amount(6300, "万美元")]),
    ("总投资50-60亿元", [ps.Amount(50, "亿元", high=60)]),
    ("投资约12.5亿元以上", [ps.Amount(12.5, "亿元", approximate=True)]),
    ("总投资一百亿元", []),
    (None, []),
])
def test_amounts_as_written(text, expected):
    assert ps.parse_investment(text) == expected


def test_tally_sums_per_unit_and_says_what_it_left_out():
    t = ps.InvestmentTally()
    for text in ("总投资49亿元", "超过116亿元", "3000余万元", "50-60亿元", "一期10亿元、二期20亿元", "数十亿元"):
        t.add(text)
    assert t.as_dict() == {
        "projects_stating": 6,
        "by_unit": {"万元": {"sum": 3000, "projects": 1, "approximate": 1},
                    "亿元": {"sum": 165, "projects": 2, "approximate": 1}},
        "not_summed": 2, "not_numeric": 1,
    }


def _independent_placement(data_dir) -> Counter:
    projects, _ = catalog_projects(data_dir)
    points = geojson_points(data_dir)
    stated = {p for p, _ in catalog_stated_zones(data_dir)}
    return Counter("located" if p["id"] in points else "text_only" if p["id"] in stated else "unplaced" for p in projects)


def test_honest_counts_match_the_files(real_db):
    engine = make_engine(real_db)
    with engine.connect() as conn:
        counts = ps.honest_counts(conn)
    engine.dispose()
    expected = _independent_placement(DATA_DIR)
    assert counts == {"projects": sum(expected.values()), **expected}
    assert counts["text_only"] > 0 and counts["unplaced"] > 0  # the data has both kinds today


def _stats(url, by, f=None):
    engine = make_engine(url)
    with engine.connect() as conn:
        body = ps.statistics(conn, by, f or ProjectFilter())
    engine.dispose()
    return body


def test_groups_match_counts_from_the_files(real_db):
    projects, mentions = catalog_projects(DATA_DIR)
    members = {
        "zone": shapely_zone_pairs(DATA_DIR) | set(catalog_stated_zones(DATA_DIR)),
        "document": {(m["project"], m["plan"]) for m in mentions},
        "district": {(p["id"], p["district"]) for p in projects if p.get("district")},
        "industry": {(p["id"], i) for p in projects for i in p.get("industries") or []}
                    | {(m["project"], i) for m in mentions for i in m.get("industries") or []},
    }
    for by, pairs in members.items():
        expected = Counter(g for _, g in pairs)
        body = _stats(real_db, by)
        got = {g["id"]: g["projects"] for g in body["groups"]}
        assert {k: v for k, v in got.items() if v} == dict(expected), by
        assert body["totals"]["projects"] == len(projects)
        assert body["totals"]["in_no_group"] == len({p["id"] for p in projects} - {p for p, _ in pairs}), by
        for g in body["groups"]:
            assert g["projects"] == sum(g["status"].values()) == sum(g["placed"].values())


def test_street_groups_match_the_files(real_db):
    """By street: named on it by the catalog, or the point within 150 m of its centreline — here
    measured with shapely in UTM 51N from the GeoJSON files (the database prefilters by a box first)."""
    import json

    from geo.crs import to_metric
    from projects.queries import STREET_NEAR_M
    from shapely.geometry import shape

    streets = {}
    for path in sorted((DATA_DIR / "geometry").glob("streets*.geojson")):
        for f in json.loads(path.read_text(encoding="utf-8"))["features"]:
            streets[f["properties"]["street"]] = to_metric(shape(f["geometry"]))
    points = {p: to_metric(pt) for p, pt in geojson_points(DATA_DIR).items()}
    projects, _ = catalog_projects(DATA_DIR)
    expected = Counter()
    for p in projects:
        near = {s for s, line in streets.items() if p["id"] in points and line.distance(points[p["id"]]) <= STREET_NEAR_M}
        for s in near | set(p.get("streets") or []):
            expected[s] += 1
    got = {g["id"]: g["projects"] for g in _stats(real_db, "street")["groups"] if g["projects"]}
    assert got == dict(expected)


def test_zone_areas_are_metric(real_db):
    """Areas in UTM 51N agree with geodesic areas on the ellipsoid (pyproj.Geod) within 0.2 %."""
    geod = Geod(ellps="WGS84")
    zones = geojson_zones(DATA_DIR)
    body = _stats(real_db, "zone")
    assert len([g for g in body["groups"] if g["area_km2"]]) == len(zones)
    for g in body["groups"]:
        if g["id"] not in zones:
            assert g["area_km2"] is None and g["projects_per_km2"] is None
            continue
        geodesic = abs(geod.geometry_area_perimeter(zones[g["id"]])[0]) / 1e6
        assert g["area_km2"] == pytest.approx(geodesic, rel=2e-3), g["id"]
        assert g["projects_per_km2"] == pytest.approx(g["projects"] / g["area_km2"], rel=1e-3)


def test_layout_filter_lists_its_zones_and_basis_splits_them(real_db):
    layout = "xg13-one-axis-six-zones"
    stated = set(catalog_stated_zones(DATA_DIR))
    spatial = shapely_zone_pairs(DATA_DIR)
    by_text = _stats(real_db, "zone", ProjectFilter(layout=layout, basis="text"))
    by_point = _stats(real_db, "zone", ProjectFilter(layout=layout, basis="spatial"))
    ids = {g["id"] for g in by_text["groups"]}
    assert "xg13-axis" in ids and all(g["layout"] == layout for g in by_text["groups"])
    for g in by_text["groups"]:
        assert g["projects"] == len({p for p, z in stated if z == g["id"]})
    for g in by_point["groups"]:
        assert g["projects"] == len({p for p, z in spatial if z == g["id"]})
        assert g["placed"]["text_only"] == 0  # a point in the zone means a located project


def test_investments_match_the_catalog(real_db):
    """The real catalog states a few investments as plain 'N亿元': their sum per unit, independently."""
    projects, mentions = catalog_projects(DATA_DIR)
    stated = defaultdict(list)
    for m in mentions:
        if m.get("investment"):
            stated[m["project"]].append(m["investment"])
    plain = {p: float(re.fullmatch(r"(?:总投资)?(\d+(?:\.\d+)?)亿元", v[-1]).group(1)) for p, v in stated.items()
             if len(set(v)) == 1 and re.fullmatch(r"(?:总投资)?(\d+(?:\.\d+)?)亿元", v[-1])}
    inv = _stats(real_db, "district")["totals"]["investment"]
    assert plain and inv["projects_stating"] == len(stated)
    yi = inv["by_unit"]["亿元"]
    assert yi["projects"] >= len(plain) and yi["sum"] >= sum(plain.values()) - 1e-9
    if len(plain) == len(stated):  # today every stated figure is a plain 'N亿元': the sums must agree exactly
        assert yi == {"sum": pytest.approx(sum(plain.values())), "projects": len(plain), "approximate": 0}

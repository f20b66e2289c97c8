"""The synthetic dataset (``zonemap synth``): real data plus N projects modelled on real ones, written
by the normal writer, so the database's join and derived rows are real."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter, defaultdict

import shapely
import sqlalchemy as sa

from geo.db import make_engine
from projects.store import write_dataset
from projects.synth import DISTRICT_WEIGHTS, ID_PREFIX, STATED_SHARE, synthesize
from webmap.settings import REPO_ROOT

N = 600


def _by_id(rows):
    return {r["id"]: r for r in rows}


def test_synthetic_projects_are_modelled_on_real_ones(real_dataset):
    before = len(real_dataset.projects), len(real_dataset.mentions)
    ds = synthesize(real_dataset, N, seed=7)
    assert (len(real_dataset.projects), len(real_dataset.mentions)) == before  # the real dataset is untouched
    assert ds.zones == real_dataset.zones and ds.plans == real_dataset.plans and ds.districts == real_dataset.districts
    synth = [p for p in ds.projects if p["id"].startswith(ID_PREFIX)]
    assert len(synth) == N and len(ds.projects) == before[0] + N
    assert len({p["id"] for p in ds.projects}) == len(ds.projects)

    outlines = {d["name_zh"]: d["geom"] for d in real_dataset.districts}
    located = [p for p in synth if p["geom"] is not None]
    assert 0.8 * N < len(located) < N  # most are placed, some are not
    for p in located:  # each point lies in the outline of the district it names
        assert p["district"] in DISTRICT_WEIGHTS and outlines[p["district"]].contains(p["geom"]), p
        assert p["placement"].startswith("synthetic") and p["location_accuracy_m"] > 0
    assert {p["district"] for p in synth} == set(DISTRICT_WEIGHTS)

    # Mentions are copies of the real mentions of one real project (same plan, words, year, quote),
    # and the project's derived status is that project's.
    real_mentions = defaultdict(list)
    for m in real_dataset.mentions:
        real_mentions[m["project_id"]].append(m)
    signature = lambda ms: sorted((m["plan_id"], m["section"], m["status_words"], m["year"], m["quote"]) for m in ms)  # noqa: E731
    by_sig = defaultdict(list)
    for pid, ms in real_mentions.items():
        by_sig[repr(signature(ms))].append(pid)
    synth_mentions = defaultdict(list)
    for m in ds.mentions:
        if m["project_id"].startswith(ID_PREFIX):
            synth_mentions[m["project_id"]].append(m)
    real = _by_id(real_dataset.projects)
    for p in synth:
        ms = synth_mentions[p["id"]]
        assert ms, p["id"]
        templates = by_sig[repr(signature(ms))]
        assert templates, f"{p['id']}: its mentions are not those of any real project"
        assert any(p["status"] == real[t]["status"] and p["status_year"] == real[t]["status_year"] for t in templates)

    # A share of the mentions state a zone of their own plan; most of those agree with the point.
    zones = _by_id(real_dataset.zones)
    with_zone_plans = {z["plan_id"] for z in real_dataset.zones}
    eligible = [m for ms in synth_mentions.values() for m in ms if m["plan_id"] in with_zone_plans]
    stated = [m for m in eligible if m["zone_id"]]
    assert 0.5 * STATED_SHARE < len(stated) / len(eligible) < 1.5 * STATED_SHARE
    projects = _by_id(ds.projects)
    agree = 0
    for m in stated:
        zone = zones[m["zone_id"]]
        assert zone["plan_id"] == m["plan_id"] and m["zone_as_written"] == zone["name_zh"]
        point = projects[m["project_id"]]["geom"]
        agree += point is not None and zone["geom"] is not None and zone["geom"].intersects(point)
    assert 0 < agree < len(stated)


def test_the_same_seed_gives_the_same_data(real_dataset):
    a, b, c = (synthesize(real_dataset, 200, seed=s) for s in (3, 3, 4))
    key = lambda ds: [(p["id"], p["geom"].wkt if p["geom"] is not None else None, p["status"]) for p in ds.projects]  # noqa: E731
    assert key(a) == key(b) and key(a) != key(c)
    assert [m["zone_id"] for m in a.mentions] == [m["zone_id"] for m in b.mentions]


def test_written_by_the_normal_writer_with_the_join_in_the_database(real_dataset, databases):
    ds = synthesize(real_dataset, N, seed=11)
    url = databases.new_url()
    counts = write_dataset(url, ds)
    assert counts["projects"] == len(ds.projects) and counts["mentions"] == len(ds.mentions)
    engine = make_engine(url)
    with engine.connect() as conn:
        pairs = {tuple(r) for r in conn.execute(sa.text(
            "SELECT project_id, zone_id FROM project_zones WHERE project_id LIKE 'synth-%'"))}
        placed = conn.execute(sa.text("SELECT count(*) FROM projects WHERE geom IS NOT NULL")).scalar_one()
    engine.dispose()
    assert placed == sum(p["geom"] is not None for p in ds.projects)
    # The spatial pairs the database found equal those shapely finds on the same points and zones.
    zones = [z for z in ds.zones if z["geom"] is not None]
    tree = shapely.STRtree([z["geom"] for z in zones])
    points = [p for p in ds.projects if p["id"].startswith(ID_PREFIX) and p["geom"] is not None]
    pi, zi = tree.query([p["geom"] for p in points], predicate="intersects")
    spatial = {(points[i]["id"], zones[j]["id"]) for i, j in zip(pi, zi)}
    assert spatial and spatial <= pairs
    stated = {(m["project_id"], m["zone_id"]) for m in ds.mentions if m["project_id"].startswith(ID_PREFIX) and m["zone_id"]}
    # Every pair in the database is there by geometry or by a mention's stated zone (when the
    # writer records memberships by text); none is made up.
    assert pairs <= spatial | stated


def test_cli_builds_a_database_of_its_own(databases, tmp_path):
    url = databases.new_url()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "webmap.cli", "synth", "--projects", "150", "--database-url", url],
                          cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "150 synthetic" in done.stdout
    engine = make_engine(url)
    with engine.connect() as conn:
        counts = Counter(r[0].startswith(ID_PREFIX) for r in conn.execute(sa.text("SELECT id FROM projects")))
    engine.dispose()
    assert counts[True] == 150 and counts[False] > 0
    # It never writes over the service's own database.
    refused = subprocess.run([sys.executable, "-m", "webmap.cli", "synth", "--projects", "5", "--database-url", url], cwd=REPO_ROOT,
                             env={**env, "DATABASE_URL": url}, capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2 and "database of its own" in refused.stderr

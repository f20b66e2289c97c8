"""Big geometries: a valid 1,000,000-vertex polygon is stored whole on both databases (SpatiaLite's
WKT parser turned it into NULL with exit 0), and a feature above the vertex limit is refused with
a message that names it."""

from __future__ import annotations

import json
import math
import shutil
import time

import sqlalchemy as sa

from geo.db import make_engine
from projects.dataset import read_dataset
from projects.store import write_dataset
from zmtest import MINI_DIR, MINI_SEEDS, db_state, run_zonemap

N = 1_000_000


def _ellipse(n: int) -> list[list[float]]:
    """A closed ring of ``n`` distinct vertices around mini-north's middle (it keeps plot-a inside)."""
    cx, cy, ax, ay = 121.6125, 38.9215, 0.0074, 0.0034
    ring = [[cx + ax * math.cos(2 * math.pi * k / n), cy + ay * math.sin(2 * math.pi * k / n)] for k in range(n)]
    return ring + [ring[0]]


def _with_polygon(tmp_path, n: int):
    data = tmp_path / "data"
    shutil.copytree(MINI_DIR, data, ignore=shutil.ignore_patterns("seeds"))
    path = data / "geometry" / "zones.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    north = next(f for f in doc["features"] if f["properties"]["zone"] == "mini-north")
    north["geometry"] = {"type": "Polygon", "coordinates": [_ellipse(n)]}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return data


def test_a_million_vertex_polygon_is_stored_whole(databases, tmp_path):
    data = _with_polygon(tmp_path, N)
    url = databases.new_url()
    t0 = time.perf_counter()
    counts = write_dataset(url, read_dataset(data, MINI_SEEDS))
    seconds = time.perf_counter() - t0
    engine = make_engine(url)
    with engine.connect() as conn:
        points = conn.execute(sa.text("SELECT ST_NPoints(geom) FROM zones WHERE id = 'mini-north'")).scalar()
        pairs = set(conn.execute(sa.text("SELECT project_id, zone_id FROM project_zones")).all())
    engine.dispose()
    print(f"1M-vertex polygon read, written and verified in {seconds:.1f} s")
    assert points == N + 1  # the closing position counts in ST_NPoints
    assert ("plot-a", "mini-north") in pairs and counts["project_zones"] == len(pairs)


def test_a_feature_above_the_vertex_limit_is_refused_by_name(databases, tmp_path):
    data = _with_polygon(tmp_path, 1001)
    url = databases.new_url()
    write_dataset(url, read_dataset(MINI_DIR, MINI_SEEDS))
    before = db_state(url)
    r = run_zonemap("load", "--data-dir", str(data), "--seeds-dir", str(MINI_SEEDS), "--database-url", url,
                    env_extra={"ZONEMAP_LOAD_MAX_VERTICES": "1000"})
    assert r.returncode == 1
    assert ("geometry/zones.geojson: mini-north: field 'geometry': 1,001 vertices, more than the limit of 1,000 "
            "per feature (ZONEMAP_LOAD_MAX_VERTICES)") in r.stderr
    assert db_state(url) == before

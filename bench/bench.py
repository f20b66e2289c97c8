"""Benchmarks kept in the repository: load, join and API latency on the real data.

    .venv/bin/python bench/bench.py                 # SpatiaLite in a temporary file
    DATABASE_URL=postgresql+psycopg://… .venv/bin/python bench/bench.py   # a PostGIS database (it is replaced)

Prints one line per measurement (median of N runs); numbers go into issue notes, not into tests.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fastapi.testclient import TestClient  # noqa: E402

from geo.db import make_engine  # noqa: E402
from projects.dataset import read_dataset  # noqa: E402
from projects.join import compute_project_zones  # noqa: E402
from projects.store import write_dataset  # noqa: E402
from webmap.app import create_app  # noqa: E402
from webmap.settings import Settings, get_settings  # noqa: E402


def timed(fn, n: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(n):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def main() -> None:
    settings = get_settings()
    tmp = tempfile.mkdtemp()
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite"
    t, ds = timed(lambda: read_dataset(settings.data_dir, settings.seeds_dir), 3)
    print(f"read+validate data/ ({len(ds.projects)} projects, {len(ds.mentions)} mentions, {len(ds.zones)} zones): {t*1000:.0f} ms")
    t, counts = timed(lambda: write_dataset(url, ds), 3)
    print(f"write database + join ({counts['project_zones']} pairs): {t*1000:.0f} ms")
    engine = make_engine(url)

    def join():
        with engine.begin() as conn:
            return compute_project_zones(conn)

    t, _ = timed(join, 5)
    print(f"project↔zone join alone, in SQL: {t*1000:.1f} ms")
    engine.dispose()
    with TestClient(create_app(Settings(database_url=url))) as client:
        for path in ["/api/projects?limit=10000", "/api/projects?zone=xg13-olympic", "/api/projects?bbox=121.59,38.90,121.62,38.92",
                     "/api/projects/dongguan-street-renewal", "/api/zones", "/", "/api/export/zonemap.gpkg",
                     *(f"/api/stats?by={by}" for by in ("zone", "layout", "district", "street", "industry", "document")),
                     "/api/stats?by=zone&layout=xg13-one-axis-six-zones&basis=text", "/api/stats?by=zone&f=csv",
                     "/api/summary", "/api/mentions?limit=10000", "/api/export/mentions.geojson"]:
            t, r = timed(lambda: client.get(path), 5)
            print(f"GET {path}: {t*1000:.0f} ms, {len(r.content)/1024:.0f} KiB, HTTP {r.status_code}")


if __name__ == "__main__":
    main()

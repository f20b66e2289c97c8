"""Benchmarks of the OGC API on the real data: collection documents, items in other CRSs and with
CQL2 filters, and vector tiles (rendered, and served from the per-fingerprint cache).

    .venv/bin/python bench/ogc.py                          # SpatiaLite in a temporary file
    DATABASE_URL=postgresql+psycopg://… .venv/bin/python bench/ogc.py   # a PostGIS database (it is replaced)
    .venv/bin/python bench/ogc.py --synthetic 100000       # plus N synthetic projects (projects.synth, as zonemap synth)

Prints one line per measurement (median of N runs); numbers go into notes, not into tests.
"""

from __future__ import annotations

import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fastapi.testclient import TestClient  # noqa: E402

from projects.dataset import read_dataset  # noqa: E402
from projects.store import write_dataset  # noqa: E402
from projects.synth import synthesize  # noqa: E402
from webmap.app import create_app  # noqa: E402
from webmap.settings import Settings, get_settings  # noqa: E402

CENTRE = (121.6185, 38.9155)  # 西岗区


def timed(fn, n: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(n):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def tile_of(z: int) -> tuple[int, int]:
    lon, lat = CENTRE
    n = 2**z
    return int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)


def main() -> None:
    settings = get_settings()
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite"
    ds = read_dataset(settings.data_dir, settings.seeds_dir)
    if "--synthetic" in sys.argv:
        n = int(sys.argv[sys.argv.index("--synthetic") + 1])
        t0 = time.perf_counter()
        ds = synthesize(ds, n)  # the same generator as `zonemap synth`
        print(f"generated {n} synthetic projects in {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    write_dataset(url, ds)
    print(f"written in {time.perf_counter() - t0:.1f} s")
    app = create_app(Settings(database_url=url))
    with TestClient(app) as client:
        for path in ["/ogc/collections", "/ogc/collections/projects", "/ogc/collections/zones/items?limit=1",
                     "/ogc/collections/projects/items?limit=1000",
                     "/ogc/collections/projects/items?limit=1000&crs=http://www.opengis.net/def/crs/EPSG/0/4490",
                     "/ogc/collections/projects/items?limit=1000&crs=http://www.opengis.net/def/crs/EPSG/0/4550",
                     "/ogc/collections/projects/items?filter=status%3D'completed'%20AND%20S_DWITHIN(geometry,POINT(121.6185%2038.9155),1500)",
                     "/api/projects?limit=1000&crs=3857"]:
            first = time.perf_counter()
            r = client.get(path)
            first = time.perf_counter() - first
            t, r = timed(lambda: client.get(path), 9)
            print(f"GET {path}: first {first*1000:.0f} ms, then {t*1000:.1f} ms (median of 9), {len(r.content)/1024:.0f} KiB, HTTP {r.status_code}")
        from geo import tiles as gt
        from webmap.routes.ogc import collections as oc
        from webmap.routes.ogc.tiles import tile_layer

        engine = app.state.engine
        for z in (10, 12, 14):
            x, y = tile_of(z)
            for cid in ("projects", "zones", "districts"):
                with engine.connect() as conn:
                    layer = tile_layer(conn, oc.COLLECTIONS[cid], {}, None, z)
                    t, data = timed(lambda: gt.render(conn, layer, gt.Tile(z, x, y)), 7)
                path = f"/ogc/collections/{cid}/tiles/WebMercatorQuad/{z}/{y}/{x}"
                client.get(path)
                tc, _ = timed(lambda: client.get(path), 9)
                n = len(gt.decode(data).get(cid, {}).get("features", []))
                print(f"tile {cid} z{z}: render {t*1000:.1f} ms ({n} features, {len(data)/1024:.1f} KiB); served from cache {tc*1000:.1f} ms")


if __name__ == "__main__":
    main()

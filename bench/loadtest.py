"""Load test: C clients for S seconds on a mixed read workload, against `zonemap serve` with 1 and
with 2 worker processes, on the real data. Reports requests/s, errors, and p50/p99 latencies —
overall, for the cached reads (map page, exports) and per kind of request.

    .venv/bin/python bench/loadtest.py                          # 50 clients × 60 s, 1 and 2 workers, SpatiaLite
    .venv/bin/python bench/loadtest.py --clients 50 --seconds 60 --workers 1 2
    DATABASE_URL=postgresql+psycopg://… .venv/bin/python bench/loadtest.py   # that database is replaced

The clients run in this process (asyncio), on the same machine: on a 2-core box they take CPU from
the server, so the figures are a floor. Not a unit test: the numbers go into the issue notes.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from serving import serve  # noqa: E402

CACHED = {"map page", "gpkg export", "geojson export"}


def workload(base: str) -> list[tuple[str, str, int]]:
    """(kind, path, weight): what a mix of map users, API clients and GIS clients ask for."""
    zones = httpx.get(f"{base}/api/zones", timeout=60).json()["features"]
    projects = httpx.get(f"{base}/api/projects", params={"limit": 10000}, timeout=60).json()["features"]
    zone_ids = [z["id"] for z in zones][:20]
    located = [p for p in projects if p["geometry"]][:50]
    mix = [
        ("map page", "/", 5),
        ("projects page", "/api/projects?limit=100", 10),
        ("projects all", "/api/projects?limit=10000", 3),
        ("health", "/healthz", 5),
        ("plans", "/api/plans", 3),
        ("zones", "/api/zones", 5),
        ("streets", "/api/streets", 3),
        ("ogc items", "/ogc/collections/projects/items?limit=50", 5),
        ("bbox", "/api/projects?bbox=121.58,38.90,121.64,38.93", 8),
        ("gpkg export", "/api/export/zonemap.gpkg", 1),
        ("geojson export", "/api/export/zones.geojson", 2),
    ]
    for z in zone_ids:
        mix.append(("zone filter", f"/api/projects?zone={z}", 1))
    for p in located[:20]:
        lon, lat = p["geometry"]["coordinates"]
        mix.append(("near", f"/api/projects?near={lon},{lat},500", 1))
        mix.append(("project", f"/api/projects/{p['id']}", 1))
    return mix


async def run_clients(base: str, mix, clients: int, seconds: float) -> dict:
    kinds = [m[0] for m in mix]
    paths = [m[1] for m in mix]
    weights = [m[2] for m in mix]
    lat: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    reasons: dict[str, int] = defaultdict(int)
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
        async def one(n: int) -> None:
            rng = random.Random(n)
            while time.perf_counter() < deadline:
                i = rng.choices(range(len(paths)), weights)[0]
                t0 = time.perf_counter()
                try:
                    r = await client.get(paths[i])
                    await r.aread()
                    why = None if r.status_code == 200 else f"HTTP {r.status_code} {r.text[:120]}"
                except httpx.HTTPError as exc:
                    why = f"{type(exc).__name__} {exc}"[:160]
                dt = time.perf_counter() - t0
                if why is None:
                    lat[kinds[i]].append(dt)
                else:
                    errors[kinds[i]] += 1
                    reasons[why] += 1

        t0 = time.perf_counter()
        await asyncio.gather(*(one(n) for n in range(clients)))
        elapsed = time.perf_counter() - t0
    return {"lat": lat, "errors": errors, "reasons": reasons, "elapsed": elapsed}


def pct(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100)[q - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="zm-load-"))
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'zonemap.sqlite'}"
    r = subprocess.run([sys.executable, "-m", "webmap.cli", "load", "--database-url", url], cwd=ROOT, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(r.stderr)
    backend = "PostGIS" if url.startswith("postgresql") else "SpatiaLite"
    print(f"{backend}, real data; {args.clients} clients × {args.seconds:.0f} s; {os.cpu_count()} cores")
    for workers in args.workers:
        proc, base = serve(url, "--workers", str(workers), "--no-access-log")
        try:
            mix = workload(base)
            for _, path, _ in mix:  # warm every worker's caches a little (map page, exports)
                for _ in range(workers):
                    httpx.get(base + path, timeout=120)
            res = asyncio.run(run_clients(base, mix, args.clients, args.seconds))
        finally:
            proc.terminate()
            proc.wait(30)
        everything = [v for vs in res["lat"].values() for v in vs]
        cached = [v for k, vs in res["lat"].items() if k in CACHED for v in vs]
        n_err = sum(res["errors"].values())
        print(f"\n{workers} worker(s): {len(everything)} requests in {res['elapsed']:.0f} s = "
              f"{len(everything) / res['elapsed']:.1f}/s, errors {n_err}")
        print(f"  all:    p50 {pct(everything, 50) * 1000:6.0f} ms   p99 {pct(everything, 99) * 1000:6.0f} ms")
        print(f"  cached: p50 {pct(cached, 50) * 1000:6.0f} ms   p99 {pct(cached, 99) * 1000:6.0f} ms  (map page, exports)")
        for why, n in sorted(res["reasons"].items(), key=lambda kv: -kv[1])[:5]:
            print(f"  error ×{n}: {why}")
        for kind in sorted(res["lat"], key=lambda k: -len(res["lat"][k])):
            v = res["lat"][kind]
            print(f"  {kind:15s} n={len(v):5d}  p50 {pct(v, 50) * 1000:6.0f} ms  p99 {pct(v, 99) * 1000:6.0f} ms"
                  + (f"  errors {res['errors'][kind]}" if res["errors"].get(kind) else ""))


if __name__ == "__main__":
    main()

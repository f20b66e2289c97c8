"""Reload under load, with the real data: a live `zonemap serve`, N clients reading all the time,
and `zonemap load` run again and again, alternating the real data and the real data without ten
of its projects. Reports failed loads, reads that were not 200, reads whose answer mixes the two
datasets (fingerprint, project count and project ids must agree), and read latencies.

    .venv/bin/python bench/reload.py                      # SpatiaLite in a temporary folder
    DATABASE_URL=postgresql+psycopg://… .venv/bin/python bench/reload.py --readers 16 --loads 10

(the database at DATABASE_URL is replaced). The quick version runs in the suite:
tests/projects/test_reload.py.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import yaml  # noqa: E402

from projects.dataset import read_dataset  # noqa: E402
from projects.store import fingerprint  # noqa: E402
from webmap.settings import get_settings  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from serving import serve  # noqa: E402


def smaller_copy(data: Path, into: Path, drop: int) -> Path:
    """``data`` without ``drop`` of its located projects (catalog entries and points)."""
    out = into / "data"
    shutil.copytree(data, out)
    gone: set[str] = set()
    for pts in sorted((out / "geometry").glob("project_points*.geojson")):
        doc = json.loads(pts.read_text(encoding="utf-8"))
        keep = []
        for f in doc["features"]:
            if len(gone) < drop:
                gone.add(f["properties"]["project"])
            else:
                keep.append(f)
        doc["features"] = keep
        pts.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    for cat in (out / "catalog").glob("*.yaml"):
        doc = yaml.safe_load(cat.read_text(encoding="utf-8")) or {}
        if "projects" in doc:
            doc["projects"] = [p for p in doc["projects"] if p["id"] not in gone]
        if "mentions" in doc:
            doc["mentions"] = [m for m in doc["mentions"] if m.get("project") not in gone]
        cat.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=16)
    parser.add_argument("--loads", type=int, default=10)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()

    settings = get_settings()
    tmp = Path(tempfile.mkdtemp(prefix="zm-reload-"))
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'zonemap.sqlite'}"
    full_dir, seeds = settings.data_dir, settings.seeds_dir
    small_dir = smaller_copy(full_dir, tmp, 10)
    full, small = read_dataset(full_dir, seeds), read_dataset(small_dir, seeds)
    states = {fingerprint(ds): (len(ds.projects), sorted(p["id"] for p in ds.projects)) for ds in (full, small)}

    def load(data_dir: Path) -> tuple[int, float, str]:
        t0 = time.perf_counter()
        r = subprocess.run([sys.executable, "-m", "webmap.cli", "load", "--data-dir", str(data_dir),
                            "--database-url", url], capture_output=True, text=True, cwd=ROOT)
        return r.returncode, time.perf_counter() - t0, r.stderr.strip()[-300:]

    rc, _, err = load(full_dir)
    assert rc == 0, err
    log = open(tmp / "serve.log", "wb")
    server, base = serve(url, "--workers", str(args.workers), log=log)

    stop = threading.Event()
    lock = threading.Lock()
    latencies: list[float] = []
    bad: list = []
    mixed: list = []

    def reader(n: int) -> None:
        with httpx.Client(base_url=base, timeout=60) as client:
            while not stop.is_set():
                t0 = time.perf_counter()
                try:
                    if n % 2:
                        r = client.get("/healthz")
                        body = r.json()
                        ok = states.get(body.get("data"), (None,))[0] == body.get("projects")
                    else:
                        r = client.get("/api/projects", params={"limit": 10000})
                        body = r.json()
                        ids = sorted(f["id"] for f in body.get("features", []))
                        ok = any(want == ids for _, want in states.values()) and body.get("numberMatched") == len(ids)
                except (httpx.HTTPError, ValueError) as exc:
                    with lock:
                        bad.append(repr(exc))
                    continue
                with lock:
                    latencies.append(time.perf_counter() - t0)
                    if r.status_code != 200:
                        bad.append(r.status_code)
                    elif not ok:
                        mixed.append(str(body)[:300])

    threads = [threading.Thread(target=reader, args=(n,), daemon=True) for n in range(args.readers)]
    for t in threads:
        t.start()
    loads = []
    t_start = time.perf_counter()
    try:
        for n in range(args.loads):
            loads.append(load(small_dir if n % 2 == 0 else full_dir))
    finally:
        stop.set()
        for t in threads:
            t.join(60)
        server.terminate()
        server.wait(30)
    elapsed = time.perf_counter() - t_start
    failed = [(rc, err) for rc, _, err in loads if rc != 0]
    lat = sorted(latencies)
    q = statistics.quantiles(lat, n=100) if len(lat) > 1 else [0] * 99
    backend = "PostGIS" if url.startswith("postgresql") else "SpatiaLite"
    print(f"{backend}, {args.workers} worker(s), {args.readers} reading clients, {elapsed:.1f} s")
    print(f"loads: {len(loads)}, failed: {len(failed)}, duration median {statistics.median(t for _, t, _ in loads):.2f} s, "
          f"max {max(t for _, t, _ in loads):.2f} s")
    print(f"reads: {len(lat)} ({len(lat) / elapsed:.0f}/s), not 200: {len(bad)}, mixed answers: {len(mixed)}")
    print(f"read latency: p50 {q[49] * 1000:.0f} ms, p99 {q[98] * 1000:.0f} ms, max {lat[-1] * 1000:.0f} ms")
    for item in (failed + bad + mixed)[:5]:
        print("  e.g.", item)
    shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(1 if failed or bad or mixed else 0)


if __name__ == "__main__":
    main()

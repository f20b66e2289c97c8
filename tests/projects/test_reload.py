"""Reloading under readers: a live `zonemap serve`, 16 clients reading all the time, and loads
alternating two datasets. Every load succeeds, every read answers 200, and every answer is wholly
one dataset or wholly the other (its fingerprint, its counts and its project ids agree).
The longer version with the real data is `bench/reload.py`."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import httpx
import yaml

from projects.dataset import read_dataset
from projects.store import fingerprint, write_dataset
from zmtest import MINI_DIR, MINI_SEEDS, serve_app

READERS = 16
LOADS = 4


def _smaller_copy(tmp_path: Path) -> Path:
    """The mini data without two of its four projects."""
    data = tmp_path / "b"
    shutil.copytree(MINI_DIR, data, ignore=shutil.ignore_patterns("seeds"))
    cat = data / "catalog" / "mini.yaml"
    doc = yaml.safe_load(cat.read_text(encoding="utf-8"))
    doc["projects"] = [p for p in doc["projects"] if p["id"] not in ("park-c", "tower-b")]
    cat.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    pts = data / "geometry" / "project_points.geojson"
    import json

    geo = json.loads(pts.read_text(encoding="utf-8"))
    geo["features"] = [f for f in geo["features"] if f["properties"]["project"] != "tower-b"]
    pts.write_text(json.dumps(geo, ensure_ascii=False), encoding="utf-8")
    return data


def test_reload_under_16_readers_loses_nothing_and_mixes_nothing(databases, tmp_path):
    url = databases.new_url()
    a = read_dataset(MINI_DIR, MINI_SEEDS)
    b = read_dataset(_smaller_copy(tmp_path), MINI_SEEDS)
    states = {
        fingerprint(a): (len(a.projects), sorted(p["id"] for p in a.projects)),
        fingerprint(b): (len(b.projects), sorted(p["id"] for p in b.projects)),
    }
    write_dataset(url, a)
    proc, base = serve_app(url)
    stop = threading.Event()
    lock = threading.Lock()
    reads, bad_status, mixed, seen = [0], [], [], set()

    def reader(n: int):
        with httpx.Client(base_url=base, timeout=30) as client:
            while not stop.is_set():
                try:
                    if n % 2:
                        r = client.get("/healthz")
                        body = r.json()
                        ok = r.status_code == 200 and states.get(body.get("data"), (None,))[0] == body.get("projects")
                        key = body.get("data")
                    else:
                        r = client.get("/api/projects", params={"limit": 100})
                        body = r.json()
                        ids = sorted(f["id"] for f in body.get("features", []))
                        match = [fp for fp, (count, want) in states.items() if want == ids]
                        ok = r.status_code == 200 and bool(match) and body.get("numberMatched") == len(ids)
                        key = match[0] if match else None
                except httpx.HTTPError as exc:
                    with lock:
                        bad_status.append(repr(exc))
                    continue
                with lock:
                    reads[0] += 1
                    if r.status_code != 200:
                        bad_status.append((r.status_code, r.text[:200]))
                    elif not ok:
                        mixed.append(body if len(str(body)) < 500 else str(body)[:500])
                    else:
                        seen.add(key)

    threads = [threading.Thread(target=reader, args=(n,), daemon=True) for n in range(READERS)]
    for t in threads:
        t.start()
    failed_loads, load_times = [], []
    try:
        time.sleep(0.5)
        for n in range(LOADS):
            t0 = time.perf_counter()
            try:
                write_dataset(url, b if n % 2 == 0 else a)
            except Exception as exc:  # noqa: BLE001 - every failure counts
                failed_loads.append(repr(exc))
            load_times.append(time.perf_counter() - t0)
            time.sleep(0.2)
    finally:
        stop.set()
        for t in threads:
            t.join(30)
        proc.terminate()
        proc.wait(10)
    print(f"{LOADS} loads ({max(load_times):.2f} s the longest), {reads[0]} reads by {READERS} clients, "
          f"{len(bad_status)} not 200, {len(mixed)} mixed")
    assert failed_loads == []
    assert bad_status == []
    assert mixed == []
    assert reads[0] > 10 * LOADS
    assert seen == set(states)  # the readers saw both datasets: the loads happened under them

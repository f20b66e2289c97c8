"""Benchmarks of the GeoPackage for people and of the edit pipeline, on a copy of the real data.

    .venv/bin/python bench/edits.py

Prints: the styled GeoPackage's first build and cached answer (memory, and the cache folder as a
new worker sees it), its size; an import's preview (read, validate on a copy, join twice, diff), its
apply, a revert. Numbers go into issue notes, not into tests.
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fastapi.testclient import TestClient  # noqa: E402

from projects import edits  # noqa: E402
from projects.dataset import read_dataset  # noqa: E402
from projects.store import write_dataset  # noqa: E402
from webmap.app import create_app  # noqa: E402
from webmap.settings import Settings, get_settings  # noqa: E402


def once(fn):
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def main() -> None:
    settings = get_settings()
    tmp = Path(tempfile.mkdtemp())
    data = tmp / "data"
    shutil.copytree(settings.data_dir, data)
    url = f"sqlite:///{tmp}/bench.sqlite"
    write_dataset(url, read_dataset(data, settings.seeds_dir))

    cache = tmp / "cache"
    with TestClient(create_app(Settings(database_url=url, cache_dir=cache))) as client:
        t, r = once(lambda: client.get("/api/export/zonemap.gpkg"))
        print(f"GeoPackage, first build: {t * 1000:.0f} ms, {len(r.content) / 1024:.0f} KiB")
        times = [once(lambda: client.get("/api/export/zonemap.gpkg"))[0] for _ in range(5)]
        print(f"GeoPackage, cached (memory): {statistics.median(times) * 1000:.1f} ms")
    with TestClient(create_app(Settings(database_url=url, cache_dir=cache))) as client:
        t, _ = once(lambda: client.get("/api/export/zonemap.gpkg"))
        print(f"GeoPackage, cached (folder, a new worker): {t * 1000:.1f} ms")

    doc = json.loads((data / "geometry/zones_xigang.geojson").read_text(encoding="utf-8"))
    zone = doc["features"][4]
    geometry = zone["geometry"]
    x, y = geometry["coordinates"][0][0][3]
    geometry["coordinates"][0][0][3] = [x - 0.0005, y]
    body = json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": zone["properties"]["zone"]}, "geometry": geometry}]}).encode()
    source = edits.read_source(body, "bench.geojson", "zones")
    kw = dict(author="bench", note="bench", via="bench")
    t, plan = once(lambda: edits.plan_import(data, settings.seeds_dir, "zones", source, **kw))
    print(f"import preview of one zone vertex (validate a copy, join twice, diff): {t * 1000:.0f} ms")
    t, plan = once(lambda: edits.plan_import(data, settings.seeds_dir, "zones", source, db_url=url, **kw))
    print(f"  … with the loaded database answering for the current join: {t * 1000:.0f} ms")
    t, _ = once(lambda: edits.apply(plan))
    print(f"apply (write the files and the log): {t * 1000:.1f} ms")
    t, revert = once(lambda: edits.plan_revert(data, settings.seeds_dir, plan.change["id"], **kw))
    edits.apply(revert)
    print(f"revert preview: {t * 1000:.0f} ms")
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()

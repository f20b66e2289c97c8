"""The map's budgets, measured in Chromium: page size, time to interactive, panning and zooming.

    .venv/bin/python bench/map_bench.py                 # the real data and 10,000 synthetic projects
    .venv/bin/python bench/map_bench.py --sizes 0,10000,100000
    .venv/bin/python bench/map_bench.py --db /tmp/synth10k.sqlite   # an existing SpatiaLite file

Budgets (issue 8 §11, issue 11 §4): the map page ≤ 150 KB compressed in transit; interactive ≤ 1 s
with the real data and ≤ 2 s with 10,000 and 100,000 projects; pan and zoom frames ≤ 100 ms. Beyond
ZONEMAP_MAP_TILES_ABOVE located projects the map draws from tiles ("from" = tiles; "tiles" = tile
requests before it was interactive), else from markers. "Interactive" is
the page's own mark `zm-ready` (data loaded, layers and panel drawn, handlers wired), read from the
Performance API, with the long tasks (> 50 ms) before it. Each load runs in a fresh browser
context (no HTTP cache); the server's once-per-load caches are measured cold (first visit after
start) and warm. Prints a table; numbers go into reports, not into tests.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from map_synth import synthetic_database  # noqa: E402
from serving import serve  # noqa: E402

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
BUDGETS = {"html_gzip_kb": 150, "tti_real_ms": 1000, "tti_10k_ms": 2000, "frame_ms": 100}

MEASURE_JS = """async () => {
  const ready = performance.getEntriesByName('zm-ready')[0].startTime;
  const data = performance.getEntriesByName('zm-data')[0].startTime;
  const longs = (window.__longtasks || []).filter(t => t.startTime < ready);
  return {ready, data, long_tasks: longs.length, blocking: longs.reduce((s, t) => s + t.duration - 50, 0),
          markers: zonemap.markers.count(), projects: zonemap.data.projects.length, from: document.body.dataset.projectsFrom,
          tiles: performance.getEntriesByType('resource').filter(e => e.name.includes('/map/tiles/') && e.startTime < ready).length};
}"""

LONGTASK_OBSERVER = """window.__longtasks = [];
new PerformanceObserver(l => window.__longtasks.push(...l.getEntries().map(e => ({startTime: e.startTime, duration: e.duration}))))
  .observe({type: 'longtask', buffered: true});"""

# Frames while the map pans by 60 px steps and zooms in and out: their durations (ms).
MOTION_JS = """async () => {
  const map = zonemap.map, frames = [];
  let last = performance.now(), running = true;
  const tick = (t) => { frames.push(t - last); last = t; if (running) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  const wait = (ms) => new Promise(r => setTimeout(r, ms));
  for (let i = 0; i < 20; i++) { map.panBy([i % 10 < 5 ? 60 : -60, 30 * (i % 2 ? 1 : -1)], {animate: false}); await wait(40); }
  const zooms = [];
  for (const z of [15, 13, 16, 12, 14]) {
    const t0 = performance.now();
    await new Promise(r => { map.once('zoomend', r); map.setZoom(z, {animate: false}); });
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    zooms.push(performance.now() - t0);
  }
  running = false;
  frames.shift();
  frames.sort((a, b) => a - b);
  return {frames: frames.length, p95: frames[Math.floor(frames.length * 0.95)], max: frames[frames.length - 1],
          zoom_max: Math.max(...zooms), zoom_median: zooms.sort((a, b) => a - b)[2]};
}"""


def page_sizes(base: str) -> dict:
    """The map page raw and compressed: as sent (if the server compresses) and gzip -6 of it."""
    raw = httpx.get(f"{base}/").content
    sent = httpx.get(f"{base}/", headers={"Accept-Encoding": "gzip"})
    wire = int(sent.headers.get("content-length") or len(sent.content))
    feed = httpx.get(f"{base}/map/projects.json").content
    return {"html_kb": len(raw) / 1024, "html_gzip_kb": len(gzip.compress(raw, 6)) / 1024,
            "html_wire_kb": wire / 1024, "wire_encoding": sent.headers.get("content-encoding", "none"),
            "feed_kb": len(feed) / 1024, "feed_gzip_kb": len(gzip.compress(feed, 6)) / 1024}


def load(browser, base: str, viewport=(1400, 900)) -> dict:
    ctx = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    page = ctx.new_page()
    page.add_init_script(LONGTASK_OBSERVER)
    page.goto(base + "/", wait_until="load")
    page.wait_for_selector("body[data-ready='1']", timeout=60000)
    out = page.evaluate(MEASURE_JS)
    out["motion"] = page.evaluate(MOTION_JS)
    ctx.close()
    return out


def measure(label: str, url: str, runs: int) -> dict:
    from playwright.sync_api import sync_playwright

    proc, base = serve(url, environ={"PATH": "/usr/bin:/bin"})  # no ZONEMAP_* settings of the shell
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            cold = load(browser, base)  # the first visit builds the page, feed and districts once
            warm = [load(browser, base) for _ in range(runs)]
            browser.close()
        sizes = page_sizes(base)
    finally:
        proc.terminate()
        proc.wait(10)
    med = lambda key: statistics.median(r[key] for r in warm)  # noqa: E731
    return {"label": label, **sizes, "projects": cold["projects"], "markers": cold["markers"], "from": cold["from"], "tiles": cold["tiles"],
            "tti_cold_ms": cold["ready"], "tti_ms": med("ready"), "data_ms": med("data"),
            "long_tasks": med("long_tasks"), "blocking_ms": med("blocking"),
            "frame_p95_ms": statistics.median(r["motion"]["p95"] for r in warm),
            "frame_max_ms": max(r["motion"]["max"] for r in warm),
            "zoom_max_ms": max(r["motion"]["zoom_max"] for r in warm)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="0,10000", help="synthetic projects added to the real data, comma-separated")
    ap.add_argument("--db", help="measure this SpatiaLite file instead of building databases")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="zonemap-mapbench-"))
    targets = []
    if args.db:
        targets.append((Path(args.db).name, f"sqlite:///{Path(args.db).resolve()}"))
    else:
        for n in (int(x) for x in args.sizes.split(",")):
            url = f"sqlite:///{tmp / f'map{n}.sqlite'}"
            t0 = time.perf_counter()
            synthetic_database(url, n)
            print(f"built {'real data' if n == 0 else f'real + {n} synthetic'} in {time.perf_counter() - t0:.0f} s", flush=True)
            targets.append(("real" if n == 0 else f"+{n}", url))
    rows = [measure(label, url, args.runs) for label, url in targets]
    cols = ["label", "projects", "markers", "from", "tiles", "html_kb", "html_gzip_kb", "html_wire_kb", "feed_gzip_kb", "tti_cold_ms", "tti_ms",
            "data_ms", "long_tasks", "blocking_ms", "frame_p95_ms", "frame_max_ms", "zoom_max_ms"]
    print(" | ".join(cols))
    for r in rows:
        print(" | ".join(f"{r[c]:.0f}" if isinstance(r[c], float) else str(r[c]) for c in cols))
    for r in rows:
        budget = BUDGETS["tti_real_ms"] if r["projects"] < 1000 else BUDGETS["tti_10k_ms"]
        checks = {"html ≤ 150 KB gzip": r["html_gzip_kb"] <= BUDGETS["html_gzip_kb"],
                  f"interactive ≤ {budget} ms": r["tti_ms"] <= budget,
                  "zoom/pan frames ≤ 100 ms": max(r["frame_p95_ms"], r["zoom_max_ms"]) <= BUDGETS["frame_ms"]}
        print(f"{r['label']}: " + ", ".join(f"{k} {'PASS' if ok else 'FAIL'}" for k, ok in checks.items()))


if __name__ == "__main__":
    main()

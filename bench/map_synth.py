"""A synthetic dataset for the map's budgets: the real data/ plus N generated projects.

The generated projects go through the real reader and writer (``read_dataset`` → ``write_dataset``),
so they carry every derived field the real ones do: a copy of data/ gets one more catalog file
(``catalog/zz-synthetic.yaml``) and one more point file, in a temporary folder. Each project has a
random point over the central districts (80 %; the rest unlocated), a random kind, district and
industries, and 1–3 mentions copied from real mentions (document, section, words, quote), so the
status rules see real words. Deterministic for a given seed.

    .venv/bin/python bench/map_synth.py 10000 /tmp/synth.sqlite
"""

from __future__ import annotations

import json
import random
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from projects.dataset import read_dataset  # noqa: E402
from projects.store import write_dataset  # noqa: E402
from webmap.settings import REPO_ROOT  # noqa: E402

# Where the points fall: the plans' districts (西岗, 中山, 沙河口, south 甘井子), WGS84.
BOX = (121.55, 38.87, 121.70, 38.96)
LOCATED_SHARE = 0.8
KINDS = ["plot_redevelopment", "building", "complex", "park", "road", "school", "hospital", "culture_venue",
         "industrial_park", "innovation_park", "housing", "other"]
DISTRICTS = ["西岗区", "中山区", "沙河口区", "甘井子区"]


def _real(data_dir: Path) -> tuple[list[dict], list[str]]:
    mentions, industries = [], []
    for path in sorted((data_dir / "catalog").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        industries += [i["id"] for i in doc.get("industries") or []]
        for p in doc.get("projects") or []:
            mentions += [m for m in p.get("mentions") or []]
    return mentions, industries


FILE_PROJECTS = 10_000


def make_data_dir(n: int, seed: int = 1) -> Path:
    """A temporary copy of data/ with ``n`` synthetic projects added; returns its path."""
    rng = random.Random(seed)
    tmp = Path(tempfile.mkdtemp(prefix="zonemap-synth-"))
    data = tmp / "data"
    shutil.copytree(REPO_ROOT / "data", data)
    mentions, industries = _real(data)
    projects, points = [], []
    for i in range(n):
        pid = f"synth-{i:06d}"
        chosen = rng.sample(mentions, rng.randint(1, 3))
        projects.append({
            "id": pid, "name_zh": f"合成项目{i:06d}", "name_en": f"Synthetic project {i}", "aliases": [], "alias_note": None,
            "kind": rng.choice(KINDS), "district": rng.choice(DISTRICTS),
            "industries": sorted(set(rng.sample(industries, rng.randint(0, 2)))), "streets": [],
            "mentions": [{**{k: m.get(k) for k in m}, "zone": None, "zone_as_written": None, "industries": []} for m in chosen],
        })
        if rng.random() < LOCATED_SHARE:
            lon, lat = rng.uniform(BOX[0], BOX[2]), rng.uniform(BOX[1], BOX[3])
            points.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
                           "properties": {"project": pid, "name_zh": projects[-1]["name_zh"],
                                          "placement": "synthetic: uniform random point for benchmarks",
                                          "accuracy_m": rng.choice([50, 150, 300, 800]), "confidence": "low"}})
    # The loader refuses empty catalog and layer files: with none generated, none is written.
    # Files of FILE_PROJECTS projects: the loader refuses a catalog file above 16 MiB (~15,000 of them).
    for start in range(0, len(projects), FILE_PROJECTS):
        (data / "catalog" / f"zz-synthetic-{start // FILE_PROJECTS:03d}.yaml").write_text(
            yaml.safe_dump({"projects": projects[start:start + FILE_PROJECTS]}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    if points:
        (data / "geometry" / "project_points_synthetic.geojson").write_text(
            json.dumps({"type": "FeatureCollection", "features": points}, ensure_ascii=False), encoding="utf-8")
    return data


def synthetic_database(url: str, n: int, seed: int = 1) -> dict[str, int]:
    """Write the real data plus ``n`` synthetic projects to the database at ``url``."""
    data = make_data_dir(n, seed)
    try:
        return write_dataset(url, read_dataset(data))
    finally:
        shutil.rmtree(data.parent, ignore_errors=True)


if __name__ == "__main__":
    count, path = int(sys.argv[1]), Path(sys.argv[2]).resolve()
    print(synthetic_database(f"sqlite:///{path}", count))

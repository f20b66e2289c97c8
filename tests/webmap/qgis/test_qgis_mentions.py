"""The mentions export in a real, headless QGIS, driven by its temporal controller's filter."""

from __future__ import annotations

import json
import os
import subprocess
from collections import Counter
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.qgis
PROBE = Path(__file__).with_name("qgis_temporal_probe.py")
SYSTEM_PYTHON = "/usr/bin/python3"


def test_mentions_geojson_drives_the_temporal_controller(server, tmp_path):
    if subprocess.run([SYSTEM_PYTHON, "-c", "import qgis.core"], capture_output=True).returncode != 0:
        pytest.fail("QGIS (Debian python3-qgis) is not installed: make test installs it")
    path = tmp_path / "mentions.geojson"
    path.write_bytes(httpx.get(f"{server}/api/export/mentions.geojson", timeout=60).content)
    api = httpx.get(f"{server}/api/mentions", params={"limit": 10000}).json()["features"]
    per_year = Counter(f["properties"]["year"] for f in api)
    years = sorted(per_year)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": "/tmp"}
    env.pop("PYTHONPATH", None)
    r = subprocess.run([SYSTEM_PYTHON, str(PROBE), str(path), "date", *map(str, years)],
                       capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    seen = json.loads(r.stdout.strip().splitlines()[-1])
    assert seen["valid"] and seen["field_type"] == "Date" and seen["features"] == len(api)
    # each year's frame of the temporal controller shows that year's mentions, as the API counts them
    assert seen["per_year"] == {str(y): per_year[y] for y in years}

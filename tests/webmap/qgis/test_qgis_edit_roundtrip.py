"""The full round trip a GIS technician makes, with a real QGIS and the real commands, on a temporary
copy of the product's data: export the GeoPackage → move a zone vertex and a project point in QGIS
(PyQGIS edit sessions) → `zonemap import` → `zonemap load` → the running service serves the new
geometry and the changed memberships → `/api/history` shows both changes → `zonemap revert` both →
the data files are byte for byte as before."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from shapely.geometry import Point, Polygon, shape

from projects.dataset import read_dataset
from projects.store import write_dataset
from zmtest import DATA_DIR, run_pyqgis, seeds_dir, serve_app

pytestmark = pytest.mark.qgis
SCRIPT = Path(__file__).with_name("qgis_gpkg.py")
ZONE = "xg13-olympic"


def digest(data: Path) -> dict[str, str]:
    return {p.relative_to(data).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(data.rglob("*")) if p.is_file() and "changes" not in p.relative_to(data).parts}


def zonemap(*args: str, env: dict) -> subprocess.CompletedProcess:
    r = subprocess.run([sys.executable, "-m", "webmap.cli", *args], capture_output=True, text=True, env=env, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    return r


def _vertex_move(zone, located):
    """(vertex index, new position, projects gained): a vertex of the zone's first polygon pushed
    just beyond a nearby project outside it, keeping the polygon valid and losing no project."""
    poly = zone["geom"].geoms[0]
    ring = list(poly.exterior.coords)[:-1]
    cx, cy = poly.centroid.x, poly.centroid.y
    outside = sorted((p for p in located if not zone["geom"].covers(p["geom"])), key=lambda p: zone["geom"].distance(p["geom"]))
    for q in outside[:20]:
        qx, qy = q["geom"].x, q["geom"].y
        to = (round(qx + (qx - cx) * 0.05, 6), round(qy + (qy - cy) * 0.05, 6))
        for i in sorted(range(len(ring)), key=lambda i: Point(ring[i]).distance(q["geom"]))[:5]:
            new_poly = Polygon(ring[:i] + [to] + ring[i + 1:])
            gained = {p["id"] for p in located if new_poly.covers(p["geom"]) and not zone["geom"].covers(p["geom"])}
            lost = {p["id"] for p in located if zone["geom"].covers(p["geom"]) and not new_poly.covers(p["geom"])}
            if new_poly.is_valid and q["id"] in gained and not lost:
                return i, to, gained, q["id"]
    pytest.fail(f"no vertex of {zone['id']} could be moved onto a nearby project")


def _choose_edits(ds):
    """The edits and what they must do to the join, computed with shapely from the data,
    independently of the product's join: a vertex of ZONE moved to take in a project Q; a project
    P inside ZONE that no document places in any zone moved out of every zone."""
    zone = next(z for z in ds.zones if z["id"] == ZONE)
    located = [p for p in ds.projects if p["geom"] is not None]
    vertex, to, gained, q = _vertex_move(zone, located)
    stated = {m["project_id"] for m in ds.mentions if m["zone_id"]}
    p = next(p for p in located if zone["geom"].covers(p["geom"]) and p["id"] not in stated)
    zones = [z["geom"] for z in ds.zones if z["geom"] is not None]
    spot = next(s for s in (Point(round(p["geom"].x - 0.004 * k, 6), round(p["geom"].y + 0.002 * k, 6)) for k in range(1, 100))
                if not any(g.covers(s) for g in zones))
    return {"vertex": vertex, "to": to, "gained": gained, "q": q, "project": p["id"], "from": (p["geom"].x, p["geom"].y),
            "spot": (spot.x, spot.y), "left": {z["id"] for z in ds.zones if z["geom"] is not None and z["geom"].covers(p["geom"])}}


def test_qgis_round_trip_import_load_history_revert(tmp_path, databases):
    seeds = seeds_dir()
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    original = digest(data)
    ds = read_dataset(data, seeds)
    url = databases.new_url()
    write_dataset(url, ds)
    plan = _choose_edits(ds)
    env = {**os.environ, "DATABASE_URL": url, "ZONEMAP_DATA_DIR": str(data), "ZONEMAP_SEEDS_DIR": str(seeds),
           "ZONEMAP_CACHE_DIR": ""}
    proc, base = serve_app(url, ZONEMAP_DATA_DIR=str(data), ZONEMAP_SEEDS_DIR=str(seeds), ZONEMAP_CACHE_DIR="")
    try:
        # 1. export, 2. edit in QGIS
        gpkg = tmp_path / "zonemap.gpkg"
        gpkg.write_bytes(httpx.get(f"{base}/api/export/zonemap.gpkg", timeout=300).content)
        edits_file = tmp_path / "edits.json"
        edits_file.write_text(json.dumps([
            {"layer": "zones", "id": ZONE, "move_vertex": [plan["vertex"], *plan["to"]]},
            {"layer": "projects", "id": plan["project"], "move_point": list(plan["spot"])},
        ]))
        done = run_pyqgis(SCRIPT, "edit", str(gpkg), str(edits_file))["edits"]
        assert all(e["changed"] and e["committed"] for e in done), done

        # 3. import (a dry run first: it writes nothing), 4. load
        dry = zonemap("import", str(gpkg), "--layer", "zones", "--author", "qgis.tester", "--note", "vertex onto the corner",
                      "--dry-run", env=env)
        assert "would change" in dry.stdout and digest(data) == original
        out = zonemap("import", str(gpkg), "--layer", "zones", "--author", "qgis.tester", "--note", "vertex onto the corner", env=env)
        assert f"+ {plan['q']} ∈ {ZONE}" in out.stdout, out.stdout  # the diff names the membership gained
        out = zonemap("import", str(gpkg), "--layer", "projects", "--author", "qgis.tester", "--note", "moved to its real plot", env=env)
        assert "1 projects feature(s) changed" in out.stdout, out.stdout
        for zid in plan["left"]:
            assert f"{plan['project']} ∈ {zid}" in out.stdout
        zonemap("load", env=env)

        # the running service serves the new geometry and the new join
        zone = httpx.get(f"{base}/api/zones/{ZONE}").json()
        assert shape(zone["geometry"]).covers(Point(plan["to"])) or list(plan["to"]) in zone["geometry"]["coordinates"][0][0]
        members = {f["id"] for f in httpx.get(f"{base}/api/projects", params={"zone": ZONE, "limit": 10000}).json()["features"]}
        assert plan["gained"] <= members and plan["project"] not in members
        moved = httpx.get(f"{base}/api/projects/{plan['project']}").json()
        assert moved["geometry"]["coordinates"] == [round(c, 6) for c in plan["spot"]]
        assert moved["properties"]["placement"].startswith("edited in QGIS by qgis.tester")
        h_zone = httpx.get(f"{base}/api/history", params={"feature": ZONE}).json()
        h_proj = httpx.get(f"{base}/api/history", params={"feature": plan["project"]}).json()
        assert [(h["change"], h["author"], h["note"]) for h in h_zone] == [("0001", "qgis.tester", "vertex onto the corner")]
        assert [(h["change"], h["author"], h["note"]) for h in h_proj] == [("0002", "qgis.tester", "moved to its real plot")]
        assert h_proj[0]["before"]["geometry"]["coordinates"] == [round(c, 6) for c in plan["from"]]

        # 5. revert both: the data files are as before, byte for byte; the service serves them again
        zonemap("revert", "0002", "--author", "qgis.tester", "--note", "test round trip", env=env)
        zonemap("revert", "0001", "--author", "qgis.tester", "--note", "test round trip", "--load", env=env)
        assert digest(data) == original
        assert sorted(p.name[:4] for p in (data / "changes").iterdir()) == ["0001", "0002", "0003", "0004"]
        back = httpx.get(f"{base}/api/projects/{plan['project']}").json()
        assert back["geometry"]["coordinates"] == [round(c, 6) for c in plan["from"]]
        history = httpx.get(f"{base}/api/history", params={"feature": ZONE}).json()
        assert [(h["change"], h["action"], h["reverted_by"]) for h in history] == [("0004", "revert", None), ("0001", "edit", "0004")]
        listed = zonemap("history", plan["project"], env=env).stdout
        assert "0003" in listed and "reverted by 0003" in listed
    finally:
        proc.terminate()
        proc.wait(10)

"""What the tests share besides fixtures: the backend under test, the data folders, a database
factory, table snapshots and a served app. Importable from every test as ``zmtest``
(``tests/_lib`` is on pytest's ``pythonpath``)."""

from __future__ import annotations

import functools
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from webmap.settings import REPO_ROOT

TESTS_DIR = Path(__file__).resolve().parent.parent
BACKEND = os.environ.get("ZONEMAP_TEST_BACKEND", "spatialite")
DATA_DIR = REPO_ROOT / "data"
MINI_DIR = TESTS_DIR / "fixtures" / "mini"
MINI_SEEDS = MINI_DIR / "seeds"


def seeds_dir() -> Path:
    """The plan documents; their absence is a failure, never a skip."""
    for candidate in (os.environ.get("ZONEMAP_SEEDS_DIR"), REPO_ROOT.parent / "shared" / "seeds"):
        if candidate and Path(candidate).is_dir() and any(Path(candidate).glob("*.txt")):
            return Path(candidate)
    pytest.fail("the plan documents (shared/seeds beside the repository, or ZONEMAP_SEEDS_DIR) are missing")


class DatabaseFactory:
    """Creates empty databases on the backend under test: SpatiaLite files or PostGIS databases."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.created: list[str] = []
        if BACKEND == "postgis":
            self.admin_url = os.environ.get("ZONEMAP_TEST_DATABASE_URL")
            if not self.admin_url:
                pytest.fail("ZONEMAP_TEST_BACKEND=postgis needs ZONEMAP_TEST_DATABASE_URL (make test starts one)")
        elif BACKEND != "spatialite":
            pytest.fail(f"unknown ZONEMAP_TEST_BACKEND {BACKEND!r}")

    def new_url(self) -> str:
        name = f"zm_{uuid.uuid4().hex[:12]}"
        if BACKEND == "spatialite":
            return f"sqlite:///{self.tmp / (name + '.sqlite')}"
        admin = sa.create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f"CREATE DATABASE {name}"))
        admin.dispose()
        url = sa.make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)
        eng = sa.create_engine(url)
        with eng.begin() as conn:
            conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS postgis"))
        eng.dispose()
        self.created.append(name)
        return url

    def drop_all(self) -> None:
        if BACKEND != "postgis" or not self.created:
            return
        admin = sa.create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            for name in self.created:
                conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


def snapshot(url: str) -> dict[str, list]:
    """Every row of every zonemap table, as text, for before/after comparisons."""
    from geo.db import Base, make_engine

    engine = make_engine(url)
    out = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            cols = [sa.func.ST_AsText(c) if c.type.__class__.__name__ == "Geometry" else c for c in table.columns]
            rows = conn.execute(sa.select(*cols).order_by(*table.primary_key.columns)).all()
            out[table.name] = [tuple(str(v) for v in r) for r in rows]
    engine.dispose()
    return out


def serve_app(db_url: str, *args: str, **env_extra) -> tuple[subprocess.Popen, str]:
    """`zonemap serve` in its own process on a free loopback port; returns (process, base URL)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": db_url, "PORT": str(port), "ZONEMAP_BASEMAP_URL": "", **env_extra}
    # The server's log goes to a file: a pipe nobody reads fills up after a few hundred requests
    # (uvicorn logs each one) and then blocks the server.
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen([sys.executable, "-m", "webmap.cli", "serve", *args], env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    proc.log = log
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            if proc.poll() is not None:
                break
            time.sleep(0.2)
    proc.kill()
    log.seek(0)
    pytest.fail(f"zonemap serve did not start: {log.read().decode(errors='replace')[-2000:]}")


QGIS_PYTHON = "/usr/bin/python3"  # Debian's: QGIS's Python bindings are not importable from a venv


def run_pyqgis(script: Path, *args: str, timeout: int = 300) -> dict:
    """Run a PyQGIS script (headless QGIS) in its own process; the JSON of its last stdout line."""
    import json

    if subprocess.run([QGIS_PYTHON, "-c", "import qgis.core"], capture_output=True).returncode != 0:
        pytest.fail("QGIS (Debian python3-qgis) is not installed: make test installs it")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": "/tmp"}
    env.pop("PYTHONPATH", None)
    r = subprocess.run([QGIS_PYTHON, str(script), *args], capture_output=True, text=True, env=env, timeout=timeout)
    assert r.returncode == 0, r.stderr[-3000:]
    return json.loads(r.stdout.strip().splitlines()[-1])

def server_log(proc: subprocess.Popen, timeout: float = 10) -> str:
    """Everything a server started by :func:`serve_app` logged, once it has stopped."""
    proc.wait(timeout)
    proc.log.seek(0)
    return proc.log.read().decode(errors="replace")


def db_state(url: str):
    """What "unchanged" means for a database: the file's bytes (SpatiaLite), or every row of every
    table plus the list of schemas (PostGIS: no half-built or leftover schema either)."""
    import hashlib

    if BACKEND == "spatialite":
        path = Path(sa.make_url(url).database)
        return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None
    from geo.db import Base, make_engine

    engine = make_engine(url)
    with engine.connect() as conn:
        schemas = sorted(conn.execute(sa.text(
            "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'")).scalars())
        # Every row of every table, as the server prints it (geometries as hex EWKB), hashed there.
        rows = {t.name: tuple(conn.execute(sa.text(
            f"SELECT count(*), md5(coalesce(string_agg(r::text, E'\\n' ORDER BY r::text), '')) FROM {t.name} r")).one())
            for t in Base.metadata.sorted_tables}
    engine.dispose()
    return {"schemas": schemas, "rows": rows}


def run_zonemap(*args: str, preexec_fn=None, env_extra: dict | None = None, timeout: float = 180) -> subprocess.CompletedProcess:
    """The `zonemap` command in its own process (for limits, users and signals a test sets)."""
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "webmap.cli", *args], capture_output=True, text=True,
                          preexec_fn=preexec_fn, env=env, timeout=timeout, cwd=REPO_ROOT)


def without_root_powers() -> None:
    """``preexec_fn`` for a child that must meet file permissions although the tests run as root.

    The child stays root but loses CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from its capability
    bounding set, so the permission bits apply to it as to any owner — while it can still reach the
    interpreter in a checkout that other users may not enter (a 0700 temporary folder). Where the
    bounding set cannot be changed, it becomes the user nobody instead. Not root: nothing to do."""
    if os.geteuid() != 0:
        return
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    pr_capbset_drop, cap_dac_override, cap_dac_read_search = 24, 1, 2
    if all(libc.prctl(pr_capbset_drop, cap, 0, 0, 0) == 0 for cap in (cap_dac_override, cap_dac_read_search)):
        return
    os.setgid(65534)
    os.setuid(65534)


def mini_with_stated_zones(dst: Path) -> Path:
    """A copy of the mini data folder where the documents also state zones the points do not give:
    the unlocated park-c is stated in mini-north (text only) and market-d, whose point lies outside
    every zone, is stated on mini-axis (text only, with a zone_note explaining the disagreement).
    plot-a and tower-b keep their stated zones, which their points confirm (basis ``both``)."""
    shutil.copytree(MINI_DIR, dst, ignore=shutil.ignore_patterns("seeds"))
    path = dst / "catalog" / "mini.yaml"
    text = path.read_text(encoding="utf-8")
    for quote, stated in (("丙公园规划建设", "zone_as_written: 北区, zone: mini-north"),
                          ("推进丁市场搬迁", "zone_as_written: 长春路, zone: mini-axis, zone_note: the market lies off the axis as digitised")):
        assert text.count(f"quote: {quote}}}") == 1, quote
        text = text.replace(f"quote: {quote}}}", f"{stated}, quote: {quote}}}")
    path.write_text(text, encoding="utf-8")
    return dst


def _geometry_features(data_dir: Path, name: str) -> list[dict]:
    """Every feature of a geometry layer, over its split files (``zones*.geojson`` …)."""
    import json

    out = []
    for path in sorted((data_dir / "geometry").glob(f"{name}*.geojson")):
        if path.stem == name or path.stem.startswith(name + "_"):
            out += json.loads(path.read_text(encoding="utf-8"))["features"]
    return out


def geojson_zones(data_dir: Path) -> dict:
    """Zone polygons straight from the GeoJSON files (corridors buffered from their centrelines)."""
    from shapely.geometry import shape

    from geo.crs import buffer_metres

    zones = {f["properties"]["zone"]: shape(f["geometry"]) for f in _geometry_features(data_dir, "zones")}
    for f in _geometry_features(data_dir, "zone_lines"):
        zones[f["properties"]["zone"]] = buffer_metres(shape(f["geometry"]), f["properties"]["corridor_m"])
    return zones


def geojson_points(data_dir: Path) -> dict:
    """Project points straight from the GeoJSON files (a site without a point: its representative point)."""
    from shapely.geometry import shape

    points = {f["properties"]["project"]: shape(f["geometry"]) for f in _geometry_features(data_dir, "project_points")}
    for f in _geometry_features(data_dir, "project_sites"):
        points.setdefault(f["properties"]["project"], shape(f["geometry"]).representative_point())
    return points


def shapely_zone_pairs(data_dir: Path) -> set[tuple[str, str]]:
    """(project, zone) where the project's point lies in the zone, computed with shapely from the files."""
    zones, points = geojson_zones(data_dir), geojson_points(data_dir)
    return {(p, z) for p, pt in points.items() for z, poly in zones.items() if poly.intersects(pt)}


@functools.lru_cache(maxsize=4)
def catalog_projects(data_dir: Path) -> tuple[list[dict], list[dict]]:
    """Projects and mentions straight from the catalog YAML: mentions as ``{project, plan, zone, …}``.
    Cached per folder: callers must not change what they get."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    projects, mentions = [], []
    for path in sorted((data_dir / "catalog").glob("*.yaml")):
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}
        for p in doc.get("projects") or []:
            projects.append(p)
            mentions += [{**m, "project": p["id"]} for m in p.get("mentions") or []]
        mentions += list(doc.get("mentions") or [])
    return projects, mentions


def catalog_stated_zones(data_dir: Path) -> list[tuple[str, str]]:
    """(project, zone) of every mention that states a zone, read straight from the catalog YAML."""
    return [(m["project"], m["zone"]) for m in catalog_projects(data_dir)[1] if m.get("zone")]


def assert_ogc_error(response, parameter: str) -> None:
    """An OGC API exception for a bad parameter: 400 with ``{code, description}`` naming it."""
    body = response.json()
    assert response.status_code == 400, (response.status_code, body)
    assert body.get("code") and parameter in body.get("description", ""), body

"""The benchmark suite (issue 11): zonemap at 295 / 10 k / 100 k / 1 M projects, and tipg beside it.

    .venv/bin/python bench/suite.py                               # 295, 10 k and 100 k projects
    .venv/bin/python bench/suite.py --sizes 295,10000,100000,1000000   # 1 M too (an hour or more)
    .venv/bin/python bench/suite.py --sizes 10000 --parts http --duration 3
    .venv/bin/python bench/suite.py --workers 1,2,4 --parts workers
    .venv/bin/python bench/suite.py --join-only sqlite:///big.sqlite --join-only postgresql+psycopg://…  # a loaded database

For each size (total projects: the real 295, the rest from ``zonemap synth``'s generator, the same
data on both backends), one run measures:

- ``load``: the whole load (``write_dataset``) on SpatiaLite and PostGIS, and the project↔zone join
  alone beside its *SQL floor*: the same spatial pairs written by one plain ``INSERT … SELECT`` into
  a table with project_zones' primary key and zone index and nothing else (no foreign keys, no text
  memberships), using the spatial index the plain way on each backend; each formulation plain and
  sorted by the key (the fastest by CPU is the floor; the plain one is printed beside it). Both
  run on the same terms (see :func:`measure_join`) and each prints wall *and CPU* time: the
  SQLite work runs in this process (``time.process_time``), a local PostgreSQL backend's CPU is
  read from /proc — on a busy machine the CPU ratio says whether a target is met;
- ``http``: requests/s with ``wrk`` (16 connections, one wrk thread, ``Accept: */*``,
  ``Accept-Encoding: gzip``) against one worker of each server, in alternating rounds (three by
  default; each round runs every server once, in a rotated order): zonemap on PostGIS, zonemap on
  SpatiaLite, and tipg on the same PostGIS tables — items at limit 10/100/1000 on ``/ogc`` and
  ``/api``, the zone/bbox/near filters, MVT at z12 and z14 (9 tiles around 西岗区, cycled). First
  *computed per request* (zonemap's response and tile caches off, ``ZONEMAP_RESPONSE_CACHE_MB=0``,
  ``ZONEMAP_OGC_CACHE_ENTRIES=0``; tipg caches nothing), with the same GET answered 304 by its ETag
  beside it; then items and tiles *as served by default* (repeated requests from zonemap's caches);
- ``map``: the map's own benchmark (``bench/map_bench.py``, Chromium) on the synthetic SpatiaLite file,
  when that script is present;
- ``workers``: the items and tile requests against ``zonemap serve --workers N`` for each N.

PostGIS runs in a throwaway cluster (``scripts/postgis.sh``) started with the memory settings in
``PG_OPTIONS`` (fair for a 1 M join on this 24 GiB machine). tipg is the ``bench`` extra of
pyproject.toml: installed into ``.venv`` when missing (``pip install -e '.[bench]'``); ``wrk`` is a
Debian package, installed with apt-get when missing. Nothing of this is needed by ``make run`` or
``make test``.

Prints a table per size and a summary against issue 11's targets, and writes every measurement as
JSON (``--json``). The machine is shared: the load average is printed before and after each size;
compare figures taken at similar loads, and read the spread (min–max of the rounds).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PYTHON = sys.executable
# Memory for the benchmark cluster (scripts/postgis.sh passes them to the server).
PG_OPTIONS = ("-c shared_buffers=2GB -c work_mem=64MB -c maintenance_work_mem=1GB -c effective_cache_size=8GB "
              "-c max_wal_size=8GB -c checkpoint_timeout=30min -c max_connections=200")
CENTRE = (121.6185, 38.9155)  # 西岗区: the tiles and the bbox/near filters are taken around it
BBOX = "121.600,38.905,121.635,38.925"
NEAR = f"{CENTRE[0]},{CENTRE[1]},800"
DEFAULT_SIZES = "295,10000,100000"


# ---- tools ---------------------------------------------------------------------------------------

def ensure_wrk() -> str:
    """The wrk binary, installed from Debian's packages when missing (as scripts/system-deps.sh does)."""
    found = shutil.which("wrk")
    if found:
        return found
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    print("installing wrk (Debian package) …", flush=True)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-q", "--no-install-recommends", "wrk"], check=True,
                   env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    return shutil.which("wrk") or sys.exit("wrk could not be installed")


def ensure_tipg() -> None:
    """tipg in this venv: the ``bench`` extra of pyproject.toml."""
    if subprocess.run([PYTHON, "-c", "import tipg"], capture_output=True).returncode == 0:
        return
    print("installing the bench extra (tipg) into this venv …", flush=True)
    subprocess.run([PYTHON, "-m", "pip", "install", "-q", "-e", f"{ROOT}[bench]"], check=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load_average() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


class PostGIS:
    """A throwaway PostGIS cluster (scripts/postgis.sh) with the benchmark's memory settings."""

    def __init__(self, options: str = PG_OPTIONS):
        self.dir = Path(tempfile.mkdtemp(prefix="zonemap-bench-pg-"))
        env = {**os.environ, "ZONEMAP_PG_OPTIONS": options}
        out = subprocess.run(["bash", str(ROOT / "scripts/postgis.sh"), "start", str(self.dir)], env=env,
                             capture_output=True, text=True)
        if out.returncode:
            raise SystemExit(f"PostGIS did not start: {out.stderr}")
        self.admin_url = out.stdout.strip()

    def new_database(self, name: str) -> str:
        import sqlalchemy as sa

        admin = sa.create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            conn.execute(sa.text(f"CREATE DATABASE {name}"))
        admin.dispose()
        url = sa.make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS postgis"))
        engine.dispose()
        return url

    def stop(self) -> None:
        subprocess.run(["bash", str(ROOT / "scripts/postgis.sh"), "stop", str(self.dir)], capture_output=True)


# ---- servers -------------------------------------------------------------------------------------

@dataclass
class Server:
    name: str
    base: str
    proc: subprocess.Popen
    log: Path

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


def _start(name: str, cmd: list[str], env: dict, health: str, logdir: Path) -> Server:
    import httpx

    port = int(env["PORT"])
    log = logdir / f"{name}.log"
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 180
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{name} exited: {log.read_text()[-2000:]}")
        try:
            if httpx.get(base + health, timeout=5).status_code == 200:
                return Server(name, base, proc, log)
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    proc.kill()
    raise SystemExit(f"{name} did not start: {log.read_text()[-2000:]}")


def serve_supports_workers() -> bool:
    out = subprocess.run([PYTHON, "-m", "webmap.cli", "serve", "--help"], cwd=ROOT, capture_output=True, text=True)
    return "--workers" in out.stdout


def zonemap_server(name: str, url: str, logdir: Path, workers: int = 1, **env_extra) -> Server:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "PORT": str(port), "ZONEMAP_BASEMAP_URL": "", **env_extra}
    # No access log: tipg runs as uvicorn --log-level warning, which writes none either.
    cmd = [PYTHON, "-m", "webmap.cli", "serve", "--no-access-log"]
    if serve_supports_workers():
        cmd += ["--workers", str(workers)]
    elif workers != 1:
        raise SystemExit("zonemap serve has no --workers yet")
    return _start(name, cmd, env, "/healthz", logdir)


def tipg_server(pg_url: str, schema: str, logdir: Path) -> Server:
    import sqlalchemy as sa

    port = free_port()
    u = sa.make_url(pg_url)
    dsn = f"postgresql://{u.username}@{u.host}:{u.port}/{u.database}"
    env = {**os.environ, "DATABASE_URL": dsn, "TIPG_DB_SCHEMAS": json.dumps([schema]),
           "TIPG_DB_TABLES": json.dumps([f"{schema}.projects"]), "PORT": str(port),
           f"TIPG_TABLE_CONFIG__{schema}_projects__GEOMCOL": "geom", f"TIPG_TABLE_CONFIG__{schema}_projects__PK": "id",
           "TIPG_MAX_FEATURES_PER_QUERY": "10000"}
    cmd = [PYTHON, "-m", "uvicorn", "tipg.main:app", "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
           "--log-level", "warning"]
    return _start("tipg", cmd, env, f"/collections/{schema}.projects", logdir)


# ---- wrk -----------------------------------------------------------------------------------------

_UNITS = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}


def wrk(wrk_bin: str, base: str, paths: list[str], duration: float, connections: int,
        headers: dict[str, str] | None = None) -> dict:
    """Requests/s for ``paths`` (cycled through by a Lua script when several) against ``base``."""
    headers = {"Accept": "*/*", "Accept-Encoding": "gzip", **(headers or {})}
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    quoted = ", ".join(json.dumps(p) for p in paths)
    script.write(f"local paths = {{{quoted}}}\nlocal i = 0\n"
                 "request = function()\n  i = i % #paths + 1\n  return wrk.format(nil, paths[i])\nend\n")
    script.close()
    cmd = [wrk_bin, "-t1", f"-c{connections}", f"-d{max(1, round(duration))}s", "--timeout", "30s", "-s", script.name]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    out = subprocess.run([*cmd, base + paths[0]], capture_output=True, text=True).stdout
    os.unlink(script.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)) if "Requests/sec" in out else 0.0
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    total = re.search(r"(\d+) requests in", out)
    transfer = re.search(r"Transfer/sec:\s+([\d.]+)(\w+)", out)
    return {"rps": rps, "non_2xx_3xx": int(bad.group(1)) if bad else 0, "socket_errors": errors.group(1) if errors else "",
            "requests": int(total.group(1)) if total else 0,
            "bytes_per_request": (float(transfer.group(1)) * _UNITS.get(transfer.group(2), 1) / rps) if transfer and rps else 0}


# ---- what is measured ------------------------------------------------------------------------------

def tile_xy(z: int, lon: float, lat: float) -> tuple[int, int]:
    n = 2**z
    return int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)


def tiles_around(z: int, radius: int) -> list[tuple[int, int, int]]:
    x, y = tile_xy(z, *CENTRE)
    return [(z, x + dx, y + dy) for dy in range(-radius, radius + 1) for dx in range(-radius, radius + 1)]


@dataclass
class Case:
    """One HTTP measurement: the paths each server is asked (None: the server cannot answer it)."""

    key: str
    label: str
    zonemap_ogc: list[str] | None = None
    zonemap_api: list[str] | None = None
    tipg: list[str] | None = None
    headers: dict = field(default_factory=dict)


def http_cases(zone_id: str, tipg_id: str) -> list[Case]:
    cases = []
    for limit in (10, 100, 1000):
        cases.append(Case(f"items{limit}", f"items limit {limit}, computed per request",
                          zonemap_ogc=[f"/ogc/collections/projects/items?limit={limit}"],
                          zonemap_api=[f"/api/projects?limit={limit}"],
                          tipg=[f"/collections/{tipg_id}/items?limit={limit}"]))
    cases.append(Case("zone", f"zone filter ({zone_id}), limit 100", zonemap_api=[f"/api/projects?zone={zone_id}&limit=100"]))
    cases.append(Case("bbox", "bbox filter, limit 100", zonemap_ogc=[f"/ogc/collections/projects/items?bbox={BBOX}&limit=100"],
                      zonemap_api=[f"/api/projects?bbox={BBOX}&limit=100"],
                      tipg=[f"/collections/{tipg_id}/items?bbox={BBOX}&limit=100"]))
    cases.append(Case("near", "near filter (800 m), limit 100", zonemap_api=[f"/api/projects?near={NEAR}&limit=100"]))
    for z in (12, 14):
        tiles = tiles_around(z, 1)
        cases.append(Case(f"mvt{z}", f"MVT z{z} (9 tiles around 西岗区), rendered per request",
                          zonemap_ogc=[f"/ogc/collections/projects/tiles/WebMercatorQuad/{z}/{y}/{x}" for z, x, y in tiles],
                          tipg=[f"/collections/{tipg_id}/tiles/WebMercatorQuad/{z}/{x}/{y}" for z, x, y in tiles]))
    return cases


def etag_of(base: str, path: str) -> str:
    import httpx

    return httpx.get(base + path, headers={"Accept": "*/*", "Accept-Encoding": "gzip"}, timeout=60).headers.get("etag", "")


def run_http(wrk_bin: str, servers: dict[str, Server], cases: list[Case], rounds: int, duration: float,
             connections: int) -> list[dict]:
    """Every case against every server that answers it, ``rounds`` alternating rounds each."""
    results = []
    for case in cases:
        targets = []  # (series, server, paths, headers)
        for sname, server in servers.items():
            if sname == "tipg":
                if case.tipg:
                    targets.append(("tipg", server, case.tipg, case.headers))
                continue
            backend = sname.removeprefix("zonemap-")
            if case.zonemap_ogc:
                targets.append((f"ogc-{backend}", server, case.zonemap_ogc, case.headers))
            if case.zonemap_api:
                targets.append((f"api-{backend}", server, case.zonemap_api, case.headers))
        if not targets:
            continue
        for _, server, paths, headers in targets:  # warm-up: caches, connections, the plan cache
            wrk(wrk_bin, server.base, paths, 1, connections, headers)
        runs: dict[str, list[dict]] = {t[0]: [] for t in targets}
        for r in range(rounds):
            order = targets[r % len(targets):] + targets[:r % len(targets)]
            for series, server, paths, headers in order:
                runs[series].append(wrk(wrk_bin, server.base, paths, duration, connections, headers))
        for series, rs in runs.items():
            rps = [x["rps"] for x in rs]
            results.append({"case": case.key, "label": case.label, "series": series, "rps": statistics.median(rps),
                            "min": min(rps), "max": max(rps), "rounds": rps,
                            "errors": sum(x["non_2xx_3xx"] for x in rs), "socket_errors": [x["socket_errors"] for x in rs if x["socket_errors"]],
                            "bytes": statistics.median(x["bytes_per_request"] for x in rs)})
            print(f"  {case.key:10} {series:18} {statistics.median(rps):9.1f} req/s  ({min(rps):.1f}–{max(rps):.1f})"
                  f"  {results[-1]['bytes'] / 1024:7.1f} KiB/req" + (f"  {results[-1]['errors']} non-2xx/3xx!" if results[-1]["errors"] else ""),
                  flush=True)
    return results


def run_conditional(wrk_bin: str, servers: dict[str, Server], rounds: int, duration: float, connections: int) -> list[dict]:
    """The same GET uncached and answered 304 (If-None-Match with its ETag)."""
    results = []
    for sname, server in servers.items():
        if sname == "tipg":
            continue
        backend = sname.removeprefix("zonemap-")
        for path in ("/api/projects?limit=100", "/ogc/collections/projects/items?limit=100"):
            etag = etag_of(server.base, path)
            plain, cond = [], []
            wrk(wrk_bin, server.base, [path], 1, connections, {"If-None-Match": etag})
            for r in range(rounds):
                pair = [(plain, {}), (cond, {"If-None-Match": etag})]
                for bucket, headers in (pair if r % 2 == 0 else pair[::-1]):
                    bucket.append(wrk(wrk_bin, server.base, [path], duration, connections, headers)["rps"])
            key = "cond-api" if path.startswith("/api") else "cond-ogc"
            results.append({"case": key, "label": f"GET {path}", "series": backend, "uncached": statistics.median(plain),
                            "not_modified": statistics.median(cond), "ratio": statistics.median(cond) / max(statistics.median(plain), 1e-9),
                            "uncached_rounds": plain, "not_modified_rounds": cond})
            print(f"  304 vs 200 {backend:8} {path:45} {statistics.median(cond):8.1f} vs {statistics.median(plain):7.1f} req/s"
                  f" = {results[-1]['ratio']:.1f}×", flush=True)
    return results


def _timed(fn, repeat: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times


FLOOR_TABLE = "bench_floor_pairs"
_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _server_cpu(pid: int | None) -> float | None:
    """CPU seconds (user + system) a local PostgreSQL backend has used, from /proc; None when unreadable."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICK
    except (OSError, IndexError, ValueError):
        return None


class CpuClock:
    """Wall time and CPU time of the database work of one connection: the process's own CPU on
    SpatiaLite (the SQLite work runs in this process: ``time.process_time``), and on a PostgreSQL
    server on this machine the backend's CPU from /proc plus this process's (None when the server is
    elsewhere). A busy machine stretches wall time; the CPU time shows whether a target is met."""

    def __init__(self, conn):
        import sqlalchemy as sa

        self.pid = None
        if conn.dialect.name != "sqlite":
            self.pid = conn.execute(sa.text("SELECT pg_backend_pid()")).scalar()
            if _server_cpu(self.pid) is None:
                self.pid = -1

    def __enter__(self):
        self.wall0, self.cpu0, self.server0 = time.perf_counter(), time.process_time(), _server_cpu(self.pid)
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.wall0
        self.cpu = time.process_time() - self.cpu0
        if self.pid is not None:
            server = _server_cpu(self.pid)
            self.cpu = None if server is None or self.server0 is None else self.cpu + server - self.server0
        return False


def floor_statements(dialect: str) -> dict[str, str]:
    """The SQL floor of the project↔zone join: the spatial pairs by one plain INSERT … SELECT into a
    table with project_zones' primary key and nothing else, using the spatial index the plain way;
    each formulation plain and sorted by the key (as the join writes its rows)."""
    insert = f"INSERT INTO {FLOOR_TABLE} (project_id, zone_id) "
    if dialect == "sqlite":
        plain = {
            "rtree per zone": insert + """
                SELECT projects.id, zones.id FROM zones JOIN projects
                  ON projects.rowid IN (SELECT rowid FROM SpatialIndex WHERE f_table_name = 'projects'
                                        AND f_geometry_column = 'geom' AND search_frame = zones.geom)
                WHERE ST_Intersects(zones.geom, projects.geom) = 1""",
            "idx table": insert + """
                SELECT projects.id, zones.id FROM zones
                JOIN idx_projects_geom AS i ON i.xmin <= MbrMaxX(zones.geom) AND i.xmax >= MbrMinX(zones.geom)
                                          AND i.ymin <= MbrMaxY(zones.geom) AND i.ymax >= MbrMinY(zones.geom)
                JOIN projects ON projects.rowid = i.pkid
                WHERE ST_Intersects(zones.geom, projects.geom) = 1""",
        }
    else:
        plain = {"gist": insert + "SELECT projects.id, zones.id FROM zones JOIN projects ON ST_Intersects(zones.geom, projects.geom)"}
    return {**plain, **{f"{k}, sorted": v + " ORDER BY 1, 2" for k, v in plain.items()}}


def measure_join(url: str, repeat: int) -> dict:
    """The join as the loader runs it (projects.join.compute_project_zones) and its SQL floor, each in
    a transaction rolled back afterwards, on the same terms: into an empty table (PostgreSQL:
    project_zones truncated, as the load's new table is; the floor's table created in the
    transaction) with the same indexes (the floor table has project_zones' primary key and its zone
    index, built after the insert as the join builds its own), with the same memory
    (geo.db.bulk_memory), on tables analysed before the first run and vacuumed between runs.
    Wall and CPU time (:class:`CpuClock`) for each; the floor is the fastest formulation by CPU."""
    import sqlalchemy as sa

    from geo.db import bulk_memory, foreign_keys_off, make_engine
    from projects.join import compute_project_zones

    engine = make_engine(url)
    lite = engine.dialect.name == "sqlite"
    out: dict = {}

    def drop_floor():
        with engine.begin() as conn:
            conn.execute(sa.text(f"DROP TABLE IF EXISTS {FLOOR_TABLE}"))

    def maintenance(sql: str):
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text(sql))

    def in_rollback(work, connect=engine.connect):
        def run():
            drop_floor()  # (pysqlite does not roll DDL back)
            with connect() as conn:
                trans = conn.begin()
                try:
                    work(conn)
                finally:
                    trans.rollback()
            drop_floor()
            if not lite:  # the rolled-back rows are dead tuples that slowed each next run
                maintenance("VACUUM project_zones")
        return run

    if not lite:  # (SQLite: no statistics, as after a load; they would change its plans)
        maintenance("ANALYZE")  # both sides plan on the same statistics (the join gathers its own too, as in a load)
    joins: list[tuple[float, float | None]] = []

    def join(conn):  # as in a load: into an empty table (emptying the loaded pairs is not timed)
        conn.execute(sa.text("DELETE FROM project_zones" if lite else "TRUNCATE project_zones"))
        with CpuClock(conn) as clock:
            compute_project_zones(conn)
        joins.append((clock.wall, clock.cpu))

    for _ in range(repeat):  # on a connection as the loader's (SpatiaLite: foreign keys checked once, after)
        in_rollback(join, connect=lambda: foreign_keys_off(engine))()
    out["join_runs"] = joins
    out["join_s"] = statistics.median(w for w, _ in joins)
    out["join_cpu_s"] = statistics.median(c for _, c in joins) if all(c is not None for _, c in joins) else None

    floors = {}
    for name, sql in floor_statements(engine.dialect.name).items():
        runs: list[tuple[float, float | None]] = []

        def work(conn, sql=sql, runs=runs):
            conn.execute(sa.text(f"CREATE TABLE {FLOOR_TABLE} (project_id VARCHAR(96) NOT NULL, zone_id VARCHAR(64) NOT NULL, "
                                 "PRIMARY KEY (project_id, zone_id))"))
            with CpuClock(conn) as clock, bulk_memory(conn):
                conn.execute(sa.text(sql))
                conn.execute(sa.text(f"CREATE INDEX {FLOOR_TABLE}_zone ON {FLOOR_TABLE} (zone_id)"))
            runs.append((clock.wall, clock.cpu))

        run = in_rollback(work)
        for _ in range(repeat):
            run()
        floors[name] = {"wall_s": statistics.median(w for w, _ in runs),
                        "cpu_s": statistics.median(c for _, c in runs) if all(c is not None for _, c in runs) else None,
                        "runs": runs}
    by = "cpu_s" if all(f["cpu_s"] is not None for f in floors.values()) else "wall_s"
    best = min(floors, key=lambda k: floors[k][by])
    plain = min((k for k in floors if not k.endswith("sorted")), key=lambda k: floors[k][by])
    out.update(floor_s=floors[best]["wall_s"], floor_cpu_s=floors[best]["cpu_s"], floor_how=best, floors=floors,
               plain_floor_how=plain, plain_floor_s=floors[plain]["wall_s"], plain_floor_cpu_s=floors[plain]["cpu_s"])
    out["ratio"] = out["join_s"] / out["floor_s"]
    out["cpu_ratio"] = out["join_cpu_s"] / out["floor_cpu_s"] if out["join_cpu_s"] and out["floor_cpu_s"] else None
    out["plain_cpu_ratio"] = (out["join_cpu_s"] / out["plain_floor_cpu_s"]
                              if out["join_cpu_s"] and out["plain_floor_cpu_s"] else None)
    out["load_average"] = load_average()
    with engine.connect() as conn:
        out["pairs"] = conn.execute(sa.text("SELECT count(*) FROM project_zones")).scalar_one()
    engine.dispose()
    return out


JOIN_HEADER = ("| backend | load | join wall (CPU) | floor wall (CPU), fastest | join / floor: wall, CPU "
               "| join / plain floor, CPU | load average |")


def join_row(backend: str, load_s: float | None, j: dict | None) -> str:
    """A row of the join table (``load_s`` None: an existing database, not loaded by this run)."""
    load = f"{load_s:.1f} s" if load_s is not None else "–"
    if not j:
        return f"| {backend} | {load} | – | – | – | – | – |"

    def cpu(v):
        return f" ({v:.2f} s)" if v is not None else ""
    return (f"| {backend} | {load} | {j['join_s']:.2f} s{cpu(j.get('join_cpu_s'))} | {j['floor_s']:.2f} s{cpu(j.get('floor_cpu_s'))}"
            f" {j['floor_how']} | {j['ratio']:.2f}×, " + (f"{j['cpu_ratio']:.2f}×" if j.get("cpu_ratio") else "–")
            + f" | " + (f"{j['plain_cpu_ratio']:.2f}× ({j['plain_floor_how']})" if j.get("plain_cpu_ratio") else "–")
            + f" | {j.get('load_average', '')} |")


def join_line(backend: str, j: dict) -> str:
    """One printed line of a join measurement: wall and CPU beside the floor's, the ratios."""
    cpu = (f" (CPU {j['join_cpu_s']:.2f} s)" if j.get("join_cpu_s") is not None else "")
    fcpu = (f" (CPU {j['floor_cpu_s']:.2f} s)" if j.get("floor_cpu_s") is not None else "")
    ratios = f"{j['ratio']:.2f}× the floor by wall"
    if j.get("cpu_ratio"):
        ratios += f", {j['cpu_ratio']:.2f}× by CPU ({j['plain_cpu_ratio']:.2f}× the plain {j['plain_floor_how']})"
    return (f"  join {backend:4}: {j['join_s']:7.2f} s{cpu}; floor {j['floor_s']:7.2f} s{fcpu} ({j['floor_how']}) → "
            f"{ratios}; load average {j['load_average']}")


def data_schema(url: str) -> str:
    """The schema the PostGIS tables are in (the loader may keep them out of ``public``)."""
    import sqlalchemy as sa

    from geo.db import make_engine

    engine = make_engine(url)
    with engine.connect() as conn:
        schema = conn.execute(sa.text("SELECT table_schema FROM information_schema.tables WHERE table_name = 'projects' "
                                      "ORDER BY table_schema = 'public' LIMIT 1")).scalar_one()
    engine.dispose()
    return schema


def busiest_zone(url: str) -> str:
    import sqlalchemy as sa

    from geo.db import make_engine

    engine = make_engine(url)
    with engine.connect() as conn:
        zone = conn.execute(sa.text("SELECT zone_id FROM project_zones GROUP BY zone_id ORDER BY count(*) DESC, zone_id LIMIT 1")).scalar_one()
    engine.dispose()
    return zone


def render_cold(url: str) -> dict:
    """Tiles rendered in process, without any cache (ms per tile, median of the 9 tiles)."""
    from fastapi.testclient import TestClient

    from webmap.app import create_app
    from webmap.settings import Settings

    out = {}
    app = create_app(Settings(database_url=url))
    with TestClient(app) as client:
        for z in (12, 14):
            times = []
            for _, x, y in tiles_around(z, 1):
                path = f"/ogc/collections/projects/tiles/WebMercatorQuad/{z}/{y}/{x}"
                app.state.ogc_cache = None  # render, never serve from the cache
                t0 = time.perf_counter()
                r = client.get(path)
                times.append(time.perf_counter() - t0)
                assert r.status_code == 200, (path, r.status_code)
            out[f"z{z}_ms"] = statistics.median(times) * 1000
    return out


# ---- one size ------------------------------------------------------------------------------------

def run_size(size: int, args, pg: PostGIS | None, wrk_bin: str | None, workdir: Path) -> dict:
    from projects.dataset import read_dataset
    from projects.store import write_dataset
    from projects.synth import synthesize
    from webmap.settings import get_settings

    settings = get_settings()
    result: dict = {"size": size, "load_before": load_average()}
    print(f"\n=== {size:,} projects (load average {result['load_before']}) ===", flush=True)
    real = read_dataset(settings.data_dir, settings.seeds_dir)
    t0 = time.perf_counter()
    ds = synthesize(real, max(0, size - len(real.projects)), seed=args.seed)
    result["generate_s"] = time.perf_counter() - t0
    del real
    lite = f"sqlite:///{workdir / f'synth-{size}.sqlite'}"
    urls = {"lite": lite}
    if pg:
        urls["pg"] = pg.new_database(f"synth_{size}")
    result["load"] = {}
    for backend, url in urls.items():
        t0 = time.perf_counter()
        counts = write_dataset(url, ds)
        seconds = time.perf_counter() - t0
        result["load"][backend] = {"load_s": seconds, "projects": counts["projects"], "mentions": counts["mentions"],
                                   "pairs": counts.get("project_zones")}
        print(f"  load {backend:4}: {seconds:7.1f} s ({counts['projects']:,} projects, {counts['mentions']:,} mentions,"
              f" {counts.get('project_zones', 0):,} project↔zone pairs)", flush=True)
    del ds
    if "load" in args.parts:
        result["join"] = {}
        for backend, url in urls.items():
            j = measure_join(url, 1 if size >= 1_000_000 else 3)
            result["join"][backend] = j
            print(join_line(backend, j), flush=True)
    if "tiles" in args.parts or "http" in args.parts:
        result["render_cold"] = {b: render_cold(u) for b, u in urls.items()}
        for b, r in result["render_cold"].items():
            print(f"  tile render, no cache, {b:4}: z12 {r['z12_ms']:.1f} ms, z14 {r['z14_ms']:.1f} ms", flush=True)
    if "http" in args.parts and wrk_bin:
        logdir = workdir / f"logs-{size}"
        logdir.mkdir(exist_ok=True)
        schema = data_schema(urls["pg"]) if "pg" in urls else None
        cases = http_cases(busiest_zone(lite), f"{schema}.projects")
        if args.cases:
            cases = [c for c in cases if c.key in args.cases]
        tipg = tipg_server(urls["pg"], schema, logdir) if "pg" in urls and not args.no_tipg else None
        result["http"] = []
        try:
            # 1. Computed per request: zonemap's response and tile caches off (tipg has none).
            # (no warm-up either: the map feed it builds at start would share the first rounds' CPU)
            off = {"ZONEMAP_OGC_CACHE_ENTRIES": "0", "ZONEMAP_RESPONSE_CACHE_MB": "0", "ZONEMAP_WARM_UP": "0"}
            servers = _zonemap_servers(urls, logdir, "computed", **off)
            try:
                if tipg:
                    servers["tipg"] = tipg
                result["http"] += run_http(wrk_bin, servers, cases, args.rounds, args.duration, args.connections)
                # Conditional GETs: 304 by ETag against the same GET computed.
                if not args.cases or "conditional" in args.cases:
                    result["conditional"] = run_conditional(wrk_bin, {k: v for k, v in servers.items() if k != "tipg"},
                                                        args.rounds, args.duration, args.connections)
            finally:
                _stop(servers, keep=tipg)
            # 2. As served by default: repeated requests answered from the caches (per data fingerprint).
            if not args.cases or "cached" in args.cases:
                servers = _zonemap_servers(urls, logdir, "cached")
                try:
                    if tipg:
                        servers["tipg"] = tipg
                    served = [Case(c.key + "+cache", c.label.split(",")[0] + ", zonemap served from its caches" + (
                        " (9 tiles around 西岗区)" if c.key.startswith("mvt") else ""), zonemap_ogc=c.zonemap_ogc,
                                   zonemap_api=c.zonemap_api, tipg=c.tipg)
                              for c in cases if c.key.startswith(("items", "mvt"))]
                    result["http"] += run_http(wrk_bin, servers, served, args.rounds, args.duration, args.connections)
                finally:
                    _stop(servers, keep=tipg)
        finally:
            if tipg:
                tipg.stop()
    if "workers" in args.parts and wrk_bin:
        result["workers"] = run_workers(wrk_bin, urls, args, workdir / f"logs-{size}")
    if "map" in args.parts:
        result["map"] = run_map(lite, size)
    result["load_after"] = load_average()
    if not args.keep:
        for suffix in ("", "-journal"):
            Path(str(workdir / f"synth-{size}.sqlite") + suffix).unlink(missing_ok=True)
    return result


def _zonemap_servers(urls: dict[str, str], logdir: Path, tag: str, **env) -> dict[str, Server]:
    servers = {}
    try:
        for backend in ("pg", "lite"):
            if backend in urls:
                servers[f"zonemap-{backend}"] = zonemap_server(f"zonemap-{backend}-{tag}", urls[backend], logdir, **env)
    except BaseException:
        _stop(servers)
        raise
    return servers


def _stop(servers: dict[str, Server], keep: Server | None = None) -> None:
    for s in servers.values():
        if s is not keep:
            s.stop()


def run_workers(wrk_bin: str, urls: dict[str, str], args, logdir: Path) -> list[dict]:
    """Items and tiles against 1, 2, 4 … workers (PostGIS first: SpatiaLite readers share one file)."""
    logdir.mkdir(exist_ok=True)
    out = []
    paths = {"items100": ["/api/projects?limit=100"], "ogc-items100": ["/ogc/collections/projects/items?limit=100"],
             "mvt14": [f"/ogc/collections/projects/tiles/WebMercatorQuad/{z}/{y}/{x}" for z, x, y in tiles_around(14, 1)]}
    for backend, url in urls.items():
        for n in [int(w) for w in args.workers.split(",")]:
            server = zonemap_server(f"zonemap-{backend}-w{n}", url, logdir, workers=n,
                                    ZONEMAP_OGC_CACHE_ENTRIES="0", ZONEMAP_RESPONSE_CACHE_MB="0")
            try:
                for key, ps in paths.items():
                    wrk(wrk_bin, server.base, ps, 1, args.connections)
                    rps = [wrk(wrk_bin, server.base, ps, args.duration, args.connections)["rps"] for _ in range(args.rounds)]
                    out.append({"backend": backend, "workers": n, "case": key, "rps": statistics.median(rps), "rounds": rps})
                    print(f"  workers {n} {backend:4} {key:12} {statistics.median(rps):8.1f} req/s ({min(rps):.1f}–{max(rps):.1f})", flush=True)
            finally:
                server.stop()
    return out


def run_map(sqlite_url: str, size: int) -> dict | None:
    script = ROOT / "bench" / "map_bench.py"
    if not script.exists():
        print("  map: bench/map_bench.py is not here yet (the map branch has it)", flush=True)
        return None
    path = sqlite_url.removeprefix("sqlite:///")
    out = subprocess.run([PYTHON, str(script), "--db", path, "--runs", "3"], cwd=ROOT, capture_output=True, text=True)
    print("  map:\n" + "\n".join("    " + line for line in out.stdout.strip().splitlines()), flush=True)
    return {"size": size, "stdout": out.stdout, "returncode": out.returncode}


# ---- report --------------------------------------------------------------------------------------

def report(results: list[dict]) -> str:
    lines = ["", "## Results", ""]
    for r in results:
        lines.append(f"### {r['size']:,} projects (load average before {r['load_before']}, after {r['load_after']})")
        lines.append("")
        lines.append(JOIN_HEADER)
        lines.append("|---|---|---|---|---|---|---|")
        for b, load in r["load"].items():
            lines.append(join_row(b, load.get("load_s"), r.get("join", {}).get(b)))
        if r.get("http"):
            series = sorted({h["series"] for h in r["http"]}, key=lambda s: ("ogc-pg", "api-pg", "ogc-lite", "api-lite", "tipg").index(s) if s in ("ogc-pg", "api-pg", "ogc-lite", "api-lite", "tipg") else 9)
            lines += ["", "| request (req/s, median of rounds; ×tipg) | " + " | ".join(series) + " |",
                      "|---|" + "---|" * len(series)]
            for key in dict.fromkeys(h["case"] for h in r["http"]):
                row = {h["series"]: h for h in r["http"] if h["case"] == key}
                tipg = row.get("tipg", {}).get("rps")
                label = next(h["label"] for h in r["http"] if h["case"] == key)
                cells = []
                for s in series:
                    h = row.get(s)
                    if not h:
                        cells.append("–")
                        continue
                    ratio = f" ({h['rps'] / tipg:.2f}×)" if tipg and s != "tipg" else ""
                    cells.append(f"{h['rps']:.0f}{ratio}")
                lines.append(f"| {label} | " + " | ".join(cells) + " |")
        if r.get("conditional"):
            lines += ["", "| conditional GET | backend | 200 req/s | 304 req/s | 304 / 200 |", "|---|---|---|---|---|"]
            for c in r["conditional"]:
                lines.append(f"| {c['label']} | {c['series']} | {c['uncached']:.0f} | {c['not_modified']:.0f} | {c['ratio']:.1f}× |")
        if r.get("render_cold"):
            lines += ["", "tile rendering without cache (in process, median of 9 tiles): " + "; ".join(
                f"{b}: z12 {v['z12_ms']:.1f} ms, z14 {v['z14_ms']:.1f} ms" for b, v in r["render_cold"].items())]
        if r.get("workers"):
            lines += ["", "| workers | backend | request | req/s |", "|---|---|---|---|"]
            for w in r["workers"]:
                lines.append(f"| {w['workers']} | {w['backend']} | {w['case']} | {w['rps']:.0f} |")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default=DEFAULT_SIZES, help=f"total projects per run, comma-separated (default {DEFAULT_SIZES})")
    ap.add_argument("--parts", default="load,tiles,http", help="load, tiles, http, workers, map (comma-separated)")
    ap.add_argument("--cases", default="", help="http part: only these cases (comma-separated keys: items10, items100, "
                    "items1000, zone, bbox, near, mvt12, mvt14; 'conditional' and 'cached' for those runs); default all")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--duration", type=float, default=5, help="seconds per wrk run")
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--workers", default="1,2,4", help="worker counts for the workers part")
    ap.add_argument("--no-postgis", action="store_true", help="SpatiaLite only (and no tipg)")
    ap.add_argument("--no-tipg", action="store_true")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", action="store_true", help="keep the SpatiaLite files and logs")
    ap.add_argument("--json", help="write every measurement to this file")
    ap.add_argument("--join-only", metavar="URL", action="append", default=[],
                    help="measure the join and its floor on this already loaded database (repeatable); nothing else")
    args = ap.parse_args()
    args.parts = set(args.parts.split(","))
    args.cases = set(filter(None, args.cases.split(",")))
    if args.join_only:
        print(f"join against its floor on {len(args.join_only)} loaded database(s); {os.cpu_count()} cores; "
              f"load average {load_average()}", flush=True)
        lines, measured = ["", JOIN_HEADER, "|---|---|---|---|---|---|---|"], []
        for url in args.join_only:
            import sqlalchemy as sa

            j = measure_join(url, args.rounds)
            name = sa.make_url(url).database
            print(join_line(name, j), flush=True)
            lines.append(join_row(name, None, j))
            measured.append({"database": name, **j})
            if args.json:
                Path(args.json).write_text(json.dumps(measured, indent=1, default=str))
        print("\n".join(lines))
        return
    # A kill stops the servers and the cluster it started, as Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    wrk_bin = ensure_wrk() if args.parts & {"http", "workers"} else None
    if "http" in args.parts and not (args.no_tipg or args.no_postgis):
        ensure_tipg()
    workdir = Path(tempfile.mkdtemp(prefix="zonemap-bench-"))
    pg = None if args.no_postgis else PostGIS()
    print(f"zonemap benchmark suite: sizes {args.sizes}; parts {','.join(sorted(args.parts))}; wrk -t1 -c{args.connections} "
          f"{args.duration:g} s × {args.rounds} rounds; {os.cpu_count()} cores; load average {load_average()}", flush=True)
    if pg:
        print(f"PostGIS: throwaway cluster with {PG_OPTIONS}", flush=True)
    results = []
    try:
        for size in [int(s) for s in args.sizes.split(",")]:
            results.append(run_size(size, args, pg, wrk_bin, workdir))
            if args.json:
                Path(args.json).write_text(json.dumps(results, indent=1, default=str))
    finally:
        if pg:
            pg.stop()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print(report(results))
    if args.json:
        print(f"(every measurement: {args.json})")


if __name__ == "__main__":
    main()

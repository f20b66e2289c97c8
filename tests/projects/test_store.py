"""zonemap load writes everything, verified, or changes nothing: full disks, file size limits,
read-only files, folders and file systems, killed loads, a database that refuses a row, and a new
database that does not hold what was written. Real files, real limits, real PostGIS."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from geo.errors import WriteError
from projects.dataset import read_dataset
from projects.store import _verify, _written, temp_path, write_dataset
from zmtest import BACKEND, MINI_DIR, MINI_SEEDS, REPO_ROOT, db_state, run_zonemap, snapshot, without_root_powers

lite_only = pytest.mark.skipif(BACKEND != "spatialite", reason="SpatiaLite file behaviour (the PostGIS run has its own cases)")
postgis_only = pytest.mark.skipif(BACKEND != "postgis", reason="PostGIS behaviour (SpatiaLite does not enforce it)")
IS_ROOT = os.geteuid() == 0


def _load_args(url: str, data: Path = MINI_DIR) -> list[str]:
    return ["load", "--data-dir", str(data), "--seeds-dir", str(MINI_SEEDS), "--database-url", url]


def _leftovers(url: str) -> list[str]:
    path = Path(sa.make_url(url).database)
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith(f".{path.name}."))


@pytest.fixture
def lite_db(tmp_path) -> str:
    """A SpatiaLite file holding the mini data, in a folder of its own."""
    folder = tmp_path / "db"
    folder.mkdir()
    url = f"sqlite:///{folder / 'zonemap.sqlite'}"
    write_dataset(url, read_dataset(MINI_DIR, MINI_SEEDS))
    return url


def _file_size_limit(limit: int):
    def limit_file_size():
        # A write beyond the limit fails with EFBIG (SIGXFSZ ignored), as a full disk fails a write.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return limit_file_size


@lite_only
@pytest.mark.parametrize("limit_kib", [64, 6600, 7150])
def test_file_size_limit_mid_load_changes_nothing(lite_db, limit_kib):
    """The limit stops the load at a different stage each time (spatial metadata, tables, spatial
    indexes, rows): exit 1, a message naming the cause, the old file byte-identical, no temp file."""
    before = db_state(lite_db)
    r = run_zonemap(*_load_args(lite_db), preexec_fn=_file_size_limit(limit_kib * 1024))
    assert r.returncode == 1, r.stdout + r.stderr
    assert "zonemap load: nothing changed:" in r.stderr
    assert f"file size limit (ulimit -f) is {limit_kib / 1024:.1f} MiB" in r.stderr and "MiB free" in r.stderr
    assert "Traceback" not in r.stderr
    assert db_state(lite_db) == before
    assert _leftovers(lite_db) == []


@pytest.fixture
def small_file_system(tmp_path):
    """A 16 MiB tmpfs: a real file system that fills up (needs root to mount)."""
    if not IS_ROOT:
        pytest.skip("mounting a small tmpfs needs root; test_file_size_limit_mid_load_changes_nothing covers the full disk")
    mnt = tmp_path / "small"
    mnt.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mnt)], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], check=False)


@lite_only
@pytest.mark.parametrize("free_kib", [256, 7000])
def test_disk_full_changes_nothing(small_file_system, free_kib):
    url = f"sqlite:///{small_file_system / 'zonemap.sqlite'}"
    write_dataset(url, read_dataset(MINI_DIR, MINI_SEEDS))
    before = db_state(url)
    free = shutil.disk_usage(small_file_system).free
    with open(small_file_system / "filler", "wb") as f:
        f.truncate(0)
        os.posix_fallocate(f.fileno(), 0, free - free_kib * 1024)
    r = run_zonemap(*_load_args(url))
    assert r.returncode == 1, r.stdout + r.stderr
    assert "zonemap load: nothing changed:" in r.stderr
    assert "MiB free" in r.stderr and (f"no space left on the device of {small_file_system}" in r.stderr
                                       or "could not initialise its spatial metadata" in r.stderr)
    assert db_state(url) == before
    assert sorted(p.name for p in small_file_system.iterdir()) == ["filler", "zonemap.sqlite"]


@lite_only
def test_read_only_database_file_is_left_alone(lite_db):
    path = Path(sa.make_url(lite_db).database)
    path.chmod(0o444)
    before = db_state(lite_db)
    r = run_zonemap(*_load_args(lite_db))
    assert r.returncode == 1
    assert f"the database file {path} is read-only" in r.stderr
    assert db_state(lite_db) == before and (path.stat().st_mode & 0o777) == 0o444
    assert _leftovers(lite_db) == []


@lite_only
def test_read_only_folder(tmp_path):
    """A folder the user may not write: the message says so, the old file stays."""
    folder = Path(tempfile.mkdtemp(prefix="zm-ro-"))  # traversable by an unprivileged user
    try:
        folder.chmod(0o755)
        url = f"sqlite:///{folder / 'zonemap.sqlite'}"
        write_dataset(url, read_dataset(MINI_DIR, MINI_SEEDS))
        (folder / "zonemap.sqlite").chmod(0o666)
        folder.chmod(0o555)
        before = db_state(url)
        r = run_zonemap(*_load_args(url), preexec_fn=without_root_powers, env_extra={"HOME": str(folder)})
        assert r.returncode == 1, r.stdout + r.stderr
        assert f"cannot create files in {folder}: permission denied" in r.stderr
        assert db_state(url) == before and _leftovers(url) == []
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


@lite_only
def test_read_only_file_system(small_file_system):
    url = f"sqlite:///{small_file_system / 'zonemap.sqlite'}"
    write_dataset(url, read_dataset(MINI_DIR, MINI_SEEDS))
    before = db_state(url)
    subprocess.run(["mount", "-o", "remount,ro", str(small_file_system)], check=True)
    try:
        r = run_zonemap(*_load_args(url))
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_file_system)], check=True)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "read-only file system" in r.stderr
    assert db_state(url) == before and _leftovers(url) == []


@lite_only
def test_stale_temp_files_of_dead_loads_are_removed_at_the_next_load(lite_db):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    target = Path(sa.make_url(lite_db).database)
    stale = [temp_path(target, dead.pid), temp_path(target, dead.pid).with_name(temp_path(target, dead.pid).name + "-journal")]
    live = temp_path(target, os.getppid())  # a running process: maybe a load in progress, kept
    for p in [*stale, live]:
        p.write_bytes(b"x" * 4096)
    r = run_zonemap(*_load_args(lite_db))
    assert r.returncode == 0, r.stderr
    assert not any(p.exists() for p in stale)
    assert live.exists()
    live.unlink()


@lite_only
def test_killed_load_leaves_no_temp_file_for_good(lite_db):
    """SIGKILL in the middle of a load: the old database is intact, and the next start of
    `zonemap serve` removes what the load left."""
    before = db_state(lite_db)
    target = Path(sa.make_url(lite_db).database)
    proc = subprocess.Popen([sys.executable, "-m", "webmap.cli", *_load_args(lite_db)], cwd=REPO_ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    tmp = temp_path(target, proc.pid)
    deadline = time.monotonic() + 60
    while not tmp.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert tmp.exists(), "the load never started writing"
    # At once: from the temporary file's creation to its rename a load takes well over 100 ms
    # (spatial metadata, tables, rows, verification); the polling above sees it within 5 ms.
    proc.send_signal(signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL
    assert tmp.exists()  # what a killed process leaves
    assert db_state(lite_db) == before
    server = subprocess.Popen([sys.executable, "-m", "webmap.cli", "serve", "--port", "0"], cwd=REPO_ROOT,
                              env={**os.environ, "DATABASE_URL": lite_db}, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while tmp.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _leftovers(lite_db) == []
    finally:
        server.terminate()
        _, err = server.communicate(timeout=20)
    assert f"removed the stale temporary file {tmp}" in err


def test_verification_catches_a_missing_spatial_index_and_a_lost_geometry(databases):
    """The verifier itself: a database without a spatial index, or with a geometry turned NULL
    (SpatiaLite's WKT parser did that to a 1M-vertex polygon), is refused with what is wrong."""
    url = databases.new_url()
    ds = read_dataset(MINI_DIR, MINI_SEEDS)
    write_dataset(url, ds)
    from geo.db import DATA_SCHEMA, make_engine

    engine = make_engine(url, loader=True)
    with engine.begin() as conn:
        if BACKEND == "spatialite":
            conn.execute(sa.text("SELECT DisableSpatialIndex('zones', 'geom')"))
            conn.execute(sa.text("DROP TABLE idx_zones_geom"))
        else:
            conn.execute(sa.text("DROP INDEX idx_zones_geom"))
        conn.execute(sa.text("UPDATE zones SET geom = NULL WHERE id = 'mini-north'"))
        with pytest.raises(WriteError) as err:
            _verify(conn, ds, _written(ds), schema=DATA_SCHEMA)
        conn.rollback()
    engine.dispose()
    msg = str(err.value)
    assert "failed its verification" in msg
    assert "spatial index of zones.geom" in msg or "GiST index of zones.geom is missing" in msg
    assert "table zones: 3 geom geometries written, 2 read back" in msg


@postgis_only
def test_read_only_postgis_database(databases):
    url = databases.new_url()
    write_dataset(url, read_dataset(MINI_DIR, MINI_SEEDS))
    before = db_state(url)
    name = sa.make_url(url).database
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"ALTER DATABASE {name} SET default_transaction_read_only = on"))
    admin.dispose()
    r = run_zonemap(*_load_args(url))
    assert r.returncode == 1, r.stdout + r.stderr
    assert "zonemap load: nothing changed: the database is read-only" in r.stderr
    assert db_state(url) == before


@postgis_only
def test_database_refusal_is_one_short_line_without_row_data(databases):
    """Past the validator (which knows the column sizes), the database's own refusal is still a
    short message naming the table — not 12 KB of row data — and nothing changes."""
    url = databases.new_url()
    ds = read_dataset(MINI_DIR, MINI_SEEDS)
    write_dataset(url, ds)
    before = db_state(url)
    ds.plans[0]["district"] = "区" * 5000  # a String(32) column
    with pytest.raises(WriteError) as err:
        write_dataset(url, ds)
    msg = str(err.value)
    assert msg.startswith("the database refused a row of table plans: value too long for type character varying(32)")
    assert len(msg) < 300 and "区区区" not in msg
    assert db_state(url) == before


def test_load_is_verified_and_fingerprinted_from_what_was_stored(databases):
    """The fingerprint is the same for the same data on either database (computed from the rows
    read back), and /healthz shows it; beside it, the number of projects the load wrote."""
    from projects.store import fingerprint

    url = databases.new_url()
    ds = read_dataset(MINI_DIR, MINI_SEEDS)
    counts = write_dataset(url, ds)
    assert counts["fingerprint"] == fingerprint(ds)
    assert snapshot(url)["dataset_info"] == [("1", fingerprint(ds), str(len(ds.projects)))]


@pytest.mark.parametrize("rel", ["catalog/mini.yaml", "geometry/streets.geojson"])
def test_unreadable_file_is_named(rel):
    """A file the user may not read: file and reason, no traceback (as an unprivileged user when
    the tests run as root, who may read anything)."""
    folder = Path(tempfile.mkdtemp(prefix="zm-unreadable-"))
    try:
        folder.chmod(0o755)
        data = folder / "data"
        shutil.copytree(MINI_DIR, data, ignore=shutil.ignore_patterns("seeds"))
        for p in [data, *data.rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)
        (data / rel).chmod(0o000)
        r = run_zonemap("check", "--data-dir", str(data), "--seeds-dir", str(MINI_SEEDS), preexec_fn=without_root_powers,
                        env_extra={"HOME": str(folder)})
        assert r.returncode == 1, r.stdout + r.stderr
        assert f"{rel}: cannot read the file: Permission denied" in r.stderr
        assert "Traceback" not in r.stderr
    finally:
        shutil.rmtree(folder)


@lite_only
def test_join_row_with_a_broken_foreign_key_fails_the_load(lite_db, monkeypatch):
    """SpatiaLite writes the join's rows with its per-row foreign key checks off and checks them once
    after (geo.db.foreign_keys_off / foreign_keys_checked_after): a row that points nowhere still
    fails the load with a message naming the table, the old file untouched and no temp file left."""
    from contextlib import contextmanager

    import projects.join as join

    built_after = join.indexes_built_after

    @contextmanager
    def with_a_stray_row(conn, table):  # the stray row goes in beside the join's own, before the check
        with built_after(conn, table):
            yield
            conn.execute(sa.text("INSERT INTO project_zones (project_id, zone_id, basis) "
                                 "VALUES ('no-such-project', 'mini-north', 'spatial')"))

    monkeypatch.setattr(join, "indexes_built_after", with_a_stray_row)
    before = db_state(lite_db)
    with pytest.raises(WriteError) as err:
        write_dataset(lite_db, read_dataset(MINI_DIR, MINI_SEEDS))
    assert "failed its verification, so it was not put in place" in str(err.value)
    assert "project_zones: 1 row(s) refer to rows that do not exist" in str(err.value)
    assert "missing row of projects" in str(err.value)
    assert db_state(lite_db) == before
    assert _leftovers(lite_db) == []

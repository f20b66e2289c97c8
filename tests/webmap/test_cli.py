"""The zonemap command: check prints the consistency report; exit codes tell a script what happened."""

from __future__ import annotations

import subprocess
import sys

from zmtest import MINI_DIR, MINI_SEEDS
from webmap.cli import main as zonemap


def test_check_reports_counts_per_document(capsys):
    assert zonemap(["check", "--data-dir", str(MINI_DIR), "--seeds-dir", str(MINI_SEEDS)]) == 0
    out = capsys.readouterr().out
    assert "1 plans, 1 layouts, 3 zones" in out
    line = next(line for line in out.splitlines() if line.strip().startswith("mini-plan"))
    # projects, mentions, facts, targets, then completed / under construction / preparation / planned / unknown
    assert line.split()[1:] == ["4", "4", "2", "2", "1", "1", "1", "1", "0"]
    assert "Projects without a location (unlocated): 1 of 4" in out and "park-c" in out
    assert "0 error(s)" in out


def test_check_lists_stated_zones_missing_from_the_catalog(mini_copy, capsys):
    path = mini_copy / "catalog" / "mini.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "status_words: 规划建设, quote", "status_words: 规划建设, zone_as_written: 东区, quote"), encoding="utf-8")
    assert zonemap(["check", "--data-dir", str(mini_copy), "--seeds-dir", str(MINI_SEEDS)]) == 0
    out = capsys.readouterr().out
    assert "Mentions whose stated zone is not a zone of the catalog: 1" in out
    assert "park-c in mini-plan: 东区" in out


def test_check_fails_on_zone_disagreement(mini_copy, capsys):
    path = mini_copy / "catalog" / "mini.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("zone: mini-north", "zone: mini-south"), encoding="utf-8")
    assert zonemap(["check", "--data-dir", str(mini_copy), "--seeds-dir", str(MINI_SEEDS)]) == 1
    out = capsys.readouterr().out
    assert "ERROR plot-a is listed under mini-south by mini-plan, but its point lies outside that zone" in out


def test_check_fails_on_invalid_data_naming_the_entry(mini_copy, capsys):
    path = mini_copy / "catalog" / "mini.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("kind: park", "kind: palace"), encoding="utf-8")
    assert zonemap(["check", "--data-dir", str(mini_copy), "--seeds-dir", str(MINI_SEEDS)]) == 1
    err = capsys.readouterr().err
    assert "catalog/mini.yaml: park-c: field 'kind': expected one of" in err


def test_installed_command_runs(tmp_path):
    """The console script itself (not just the function) loads data and exits 0."""
    exe = [sys.executable, "-m", "webmap.cli"]
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    r = subprocess.run([*exe, "load", "--data-dir", str(MINI_DIR), "--seeds-dir", str(MINI_SEEDS), "--database-url", url],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "4 projects" in r.stdout and "2 project zones" in r.stdout


def _self_link(base: str, **headers) -> str:
    import httpx

    body = httpx.get(f"{base}/api/projects", params={"limit": 1}, headers=headers, timeout=30).json()
    return next(link["href"] for link in body["links"] if link["rel"] == "self")


def test_serve_trusts_forwarded_headers_only_as_configured(mini_db):
    """`zonemap serve` (uvicorn, not a test client): only ZONEMAP_TRUSTED_PROXIES decides whose
    X-Forwarded-* headers count. uvicorn's own proxy-header handling (on by default for 127.0.0.1)
    would honour X-Forwarded-Proto from anyone on the machine, and replace the client address by
    X-Forwarded-For before the trust check — so a local client could pose as a trusted proxy,
    and a real proxy on loopback, which appends X-Forwarded-For, would no longer be recognised."""
    from zmtest import serve_app, server_log

    proxy = {"X-Forwarded-Host": "maps.example.org", "X-Forwarded-Proto": "https", "X-Forwarded-Prefix": "/zm"}
    # no trusted proxy configured (the default): every forwarded header is ignored
    proc, base = serve_app(mini_db, "--workers", "1", ZONEMAP_TRUSTED_PROXIES="")
    try:
        assert _self_link(base, **{"X-Forwarded-Proto": "https"}).startswith(f"{base}/api/projects?")
        assert _self_link(base, **proxy, **{"X-Forwarded-For": "10.9.9.9"}).startswith(f"{base}/api/projects?")
    finally:
        proc.terminate()
        server_log(proc)
    # a proxy on loopback is trusted; one that appends the client's address (nginx's
    # $proxy_add_x_forwarded_for) is still recognised, and nobody can pose as 10.9.9.9
    proc, base = serve_app(mini_db, "--workers", "1", ZONEMAP_TRUSTED_PROXIES="127.0.0.1,10.9.9.9/32")
    try:
        assert _self_link(base, **proxy).startswith("https://maps.example.org/zm/api/projects?")
        assert _self_link(base, **proxy, **{"X-Forwarded-For": "203.0.113.9"}).startswith("https://maps.example.org/zm/api/projects?")
    finally:
        proc.terminate()
        server_log(proc)


def test_a_dependency_missing_from_an_old_environment_is_named_not_a_traceback():
    """An environment installed before pyproject.toml gained a package (seen: orjson, after a pull):
    `zonemap check` names the package and the fix. The child hides orjson as if it were not installed."""
    code = ("import sys; sys.modules['orjson'] = None; from webmap.cli import main; "
            f"sys.exit(main(['check', '--data-dir', {str(MINI_DIR)!r}, '--seeds-dir', {str(MINI_SEEDS)!r}]))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "zonemap check: the Python package 'orjson' is not installed in this environment" in r.stderr
    assert "make venv" in r.stderr and "Traceback" not in r.stderr

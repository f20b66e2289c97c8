"""Start `zonemap serve` for a benchmark: a free loopback port, wait for /healthz, hand back the
process and its base URL (the benchmarks' one copy; the tests have theirs in tests/_lib/zmtest.py)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def serve(database_url: str, *args: str, log=subprocess.DEVNULL, environ: dict | None = None) -> tuple[subprocess.Popen, str]:
    """`zonemap serve --port <free> *args` on ``database_url``; ``environ`` replaces the inherited
    environment (e.g. to keep a user's ZONEMAP_* settings out of a measurement). Exits the
    benchmark when the server does not answer within a minute."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**(os.environ if environ is None else environ), "DATABASE_URL": database_url}
    proc = subprocess.Popen([sys.executable, "-m", "webmap.cli", "serve", "--port", str(port), *args], env=env, cwd=ROOT,
                            stdout=log, stderr=subprocess.STDOUT if log is not subprocess.DEVNULL else subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            if proc.poll() is not None:
                break
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("zonemap serve did not start")

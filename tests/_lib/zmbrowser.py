"""What the browser tests share: Chromium's path and flags, the page helpers that know the map's
CSP (no eval: polls go through page.evaluate), and a page that records what it requested."""

from __future__ import annotations

import shutil
import time
from urllib.parse import urlparse

import httpx

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
DESKTOP = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}
LOOPBACK = ("127.0.0.1", "localhost")


class Opened:
    """A page with what it requested, what failed and the script errors it raised."""

    def __init__(self, browser, viewport=DESKTOP, **context):
        self.context = browser.new_context(viewport=viewport, **context)
        self.page = self.context.new_page()
        self.requested, self.failed, self.errors = [], [], []
        self.page.on("request", lambda r: self.requested.append(r.url))
        self.page.on("response", lambda r: self.failed.append(r.url) if r.status >= 400 else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def map(self, url: str):
        self.page.goto(url, wait_until="load")
        self.page.wait_for_selector("body[data-ready='1']", timeout=20000)
        return self.page

    def outside(self) -> list[str]:
        return [u for u in self.requested if not u.startswith("data:") and urlparse(u).hostname not in LOOPBACK]

    def close(self):
        self.context.close()


def api(server, **params) -> dict:
    return httpx.get(f"{server}/api/projects", params={"limit": 10000, **params}).json()


def wait_until(page, expression: str, seconds: float) -> None:
    """Poll a condition with page.evaluate (the page's CSP forbids the eval wait_for_function uses)."""
    end = time.monotonic() + seconds
    while not page.evaluate(expression):
        assert time.monotonic() < end, f"not true within {seconds} s: {expression}"
        page.wait_for_timeout(100)


def run(page, code: str) -> None:
    """Run statements in the page (Leaflet calls return the map, which is not serialisable)."""
    page.evaluate(f"() => {{ {code}; }}")

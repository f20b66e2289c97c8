"""/docs (Swagger UI) and /redoc (ReDoc) in a real headless Chromium: they render the endpoints from
the app's own files, with nothing requested beyond 127.0.0.1 and no CSP violation."""

from __future__ import annotations

from urllib.parse import urlparse

import httpx
import pytest

pytestmark = pytest.mark.browser

def _open(browser, url: str):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.requested, page.console, page.failed = [], [], []
    page.on("request", lambda r: page.requested.append(r.url))
    page.on("console", lambda m: page.console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.console.append(str(e)))
    page.on("response", lambda r: page.failed.append(r.url) if r.status >= 400 else None)
    page.goto(url, wait_until="networkidle")
    return context, page


def _outside(page) -> list[str]:
    return [u for u in page.requested if urlparse(u).scheme not in ("data", "blob")
            and urlparse(u).hostname not in ("127.0.0.1", "localhost")]


def _operations(server) -> list[tuple[str, str]]:
    doc = httpx.get(f"{server}/openapi.json").json()
    return [(method.upper(), path) for path, item in doc["paths"].items() for method in item]


def test_swagger_ui_lists_every_endpoint_offline(browser, server):
    context, page = _open(browser, f"{server}/docs")
    page.wait_for_selector(".opblock", timeout=20000)
    summaries = page.eval_on_selector_all(
        ".opblock", "els => els.map(e => [e.querySelector('.opblock-summary-method').innerText.trim(),"
        " e.querySelector('.opblock-summary-path').getAttribute('data-path')])")
    shown = {tuple(s) for s in summaries}
    expected = set(_operations(server))
    assert expected <= shown, expected - shown
    assert _outside(page) == [] and page.failed == [], (_outside(page), page.failed)
    assert not [m for m in page.console if "Content Security Policy" in m], page.console
    context.close()


def test_redoc_lists_every_endpoint_offline(browser, server):
    context, page = _open(browser, f"{server}/redoc")
    page.wait_for_selector("[data-section-id^='tag/']", timeout=30000)
    text = page.inner_text("body")
    for method, path in _operations(server):
        assert path in text, (method, path)
    assert _outside(page) == [] and page.failed == [], (_outside(page), page.failed)
    assert not [m for m in page.console if "Content Security Policy" in m], page.console
    context.close()

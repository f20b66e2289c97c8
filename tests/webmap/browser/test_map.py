"""The map page in a real headless Chromium: markers, popups, layer control, nothing from outside."""

from __future__ import annotations

import os
import shutil
from urllib.parse import urlparse

import httpx
import pytest

from zmtest import serve_app

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium is not installed (make test installs Debian's chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.requested = []
    page.on("request", lambda r: page.requested.append(r.url))
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.failed = []
    page.on("response", lambda r: page.failed.append(r.url) if r.status >= 400 else None)
    page.goto(server + "/", wait_until="networkidle")
    page.wait_for_function("typeof L !== 'undefined' && document.querySelectorAll('.leaflet-pane').length > 0")
    yield page
    context.close()


def _map_js(expr: str) -> str:
    return f"(() => {{ const map = window[Object.keys(window).find(k => /^map_[0-9a-f]+$/.test(k))]; return {expr}; }})()"


def test_markers_equal_located_projects(page, server):
    fc = httpx.get(f"{server}/api/projects", params={"limit": 10000}).json()
    located = [f for f in fc["features"] if f["geometry"] is not None]
    assert located, "no located project to show"
    markers = page.evaluate("document.querySelectorAll('path.zm-project').length")
    assert markers == len(located)
    assert page.errors == [] and page.failed == []


def test_popup_shows_zone_and_status(page, server):
    fc = httpx.get(f"{server}/api/projects", params={"limit": 10000, "located": "true"}).json()
    in_zone = [f for f in fc["features"] if f["properties"]["zones"] and f["properties"]["status_words"]]
    assert in_zone, "no located project inside a zone"
    target = in_zone[0]
    zones = {z["id"]: z["properties"]["name_zh"] for z in httpx.get(f"{server}/api/zones").json()["features"]}
    lon, lat = target["geometry"]["coordinates"]
    page.evaluate(_map_js(f"map.setView([{lat}, {lon}], 18, {{animate: false}})"))
    page.wait_for_timeout(300)
    page.click(f"path.zm-p-{target['id']}", force=True)
    popup = page.wait_for_selector(".leaflet-popup-content", timeout=5000)
    text = popup.inner_text()
    props = target["properties"]
    assert props["name_zh"] in text
    assert props["status_words"] in text and props["status_en"] in text
    assert zones[props["zone_ids"][0]] in text
    assert props["status_source_file"] in text
    # The popup leads to the project's status history.
    with page.context.expect_page() as opened:
        page.click(".leaflet-popup-content a[href^='/projects/']")
    history = opened.value
    history.wait_for_selector(".zm-history")
    assert props["name_zh"] in history.inner_text("h1")
    assert history.locator(".zm-history tbody tr").count() == props["mentions"]


def test_layer_control_toggles_a_status_layer(page):
    before = page.evaluate("document.querySelectorAll('path.zm-project').length")
    label = page.locator(".leaflet-control-layers-overlays label", has_text="Projects").first
    count = page.evaluate("document.querySelectorAll('path.zm-project').length")
    label.locator("input").uncheck()
    after = page.evaluate("document.querySelectorAll('path.zm-project').length")
    assert before == count and after < before


def test_legend_and_zones_are_drawn(page):
    legend = page.inner_text("#zm-legend")
    assert "Completed" in legend and "站北商贸商务文化区" in legend
    assert page.evaluate("document.querySelectorAll('path.zm-zone').length") >= 6
    assert page.evaluate("document.querySelectorAll('path.zm-street').length") >= 5


def test_nothing_requested_outside_loopback(page):
    page.wait_for_timeout(500)
    outside = [u for u in page.requested if urlparse(u).hostname not in ("127.0.0.1", "localhost") and not u.startswith("data:")]
    assert outside == []
    assert any(u.endswith("/static/vendor/leaflet/leaflet.js") for u in page.requested)


def test_unreachable_basemap_does_not_break_the_overlays(browser, real_db):
    """With no internet a configured basemap fails to load; zones and markers still draw."""
    proc, base = serve_app(real_db, ZONEMAP_BASEMAP_URL="http://127.0.0.1:9/tiles/{z}/{x}/{y}.png",
                        ZONEMAP_BASEMAP_ATTRIBUTION="unreachable test tiles")
    try:
        page = browser.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(base + "/", wait_until="load")
        page.wait_for_function("document.querySelectorAll('path.zm-project').length > 0", timeout=10000)
        assert page.evaluate("document.querySelectorAll('img.leaflet-tile').length") > 0
        assert page.evaluate("document.querySelectorAll('path.zm-zone').length") >= 6
        assert errors == []
        page.close()
    finally:
        proc.terminate()
        proc.wait(10)


def test_search_finds_a_project_and_opens_its_popup(page):
    page.fill("#zm-search-input", "恒隆")
    page.click("#zm-search-results li >> nth=0")
    popup = page.wait_for_selector(".leaflet-popup-content", timeout=5000)
    assert "恒隆广场" in popup.inner_text()
    # Unlocated projects are found too, marked as such.
    page.fill("#zm-search-input", "档案馆")
    assert "not located" in page.inner_text("#zm-search-results")

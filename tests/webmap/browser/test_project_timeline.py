"""The project page's status timeline strip in a real headless Chromium, on a 390 px phone."""

from __future__ import annotations

import os

import pytest

from webmap.labels import STATUS_COLOURS
from zmbrowser import CHROMIUM

pytestmark = pytest.mark.browser



def _rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def test_timeline_strip_on_a_phone(server):
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium is not installed (make test installs Debian's chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(f"{server}/projects/dongguan-street-renewal", wait_until="networkidle")
        strip = page.locator(".zm-tl-strip")
        cells = strip.locator("li")
        assert cells.count() == 11  # 2015 … 2025
        box = strip.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        assert page.evaluate("(() => { const s = document.querySelector('.zm-tl-strip'); return s.scrollWidth <= s.clientWidth; })()")
        tops = {round(cells.nth(i).bounding_box()["y"]) for i in range(cells.count())}
        assert len(tops) == 1, "the eleven years stay on one line"
        # coloured like the map: preparation from 2015, under construction from 2020
        colour = lambda i: cells.nth(i).evaluate("e => getComputedStyle(e).backgroundColor")  # noqa: E731
        assert colour(0) == _rgb(STATUS_COLOURS["preparation"]) and colour(5) == _rgb(STATUS_COLOURS["under_construction"])
        browser.close()

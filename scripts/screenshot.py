"""Screenshot a zonemap page in headless Chromium: python scripts/screenshot.py URL OUT.png [WxH].

Waits for the map to say it is ready (``data-ready`` on the body) when the page is the map."""

import sys

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def main() -> None:
    url, out = sys.argv[1], sys.argv[2]
    w, h = (int(v) for v in (sys.argv[3] if len(sys.argv) > 3 else "1400x900").split("x"))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": w, "height": h}, is_mobile=w < 700, has_touch=w < 700)
        page.goto(url, wait_until="load")
        if page.evaluate("!!document.getElementById('zm-config')"):
            page.wait_for_selector("body[data-ready='1']", timeout=30000)
        page.wait_for_timeout(800)
        page.screenshot(path=out)
        browser.close()


if __name__ == "__main__":
    main()

"""The map drawing projects from the server's tiles (what it does beyond ``map_tiles_above`` located
projects), here forced on the real data (``ZONEMAP_MAP_TILES_ABOVE=0``) so that what it draws can
be compared with the API: every located project the view selects is drawn once, the filters and
the time slider reach the tiles, clusters zoom in, points open their popup, nothing leaves 127.0.0.1."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlparse

import pytest

from zmbrowser import DESKTOP, Opened, api, run, wait_until
from zmtest import serve_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def tile_server(real_db):
    proc, base = serve_app(real_db, ZONEMAP_MAP_TILES_ABOVE="0")
    yield base
    proc.terminate()
    proc.wait(10)


@pytest.fixture
def opened(browser):
    o = Opened(browser, viewport=DESKTOP)
    yield o
    o.close()


def fit_everything(page, server) -> None:
    """Fit the map to every located project and wait for the tiles in view."""
    pts = [f["geometry"]["coordinates"] for f in api(server, located="true")["features"]]
    lons, lats = [p[0] for p in pts], [p[1] for p in pts]
    run(page, f"zonemap.map.fitBounds([[{min(lats)}, {min(lons)}], [{max(lats)}, {max(lons)}]], {{padding: [40, 40], animate: false}})")
    settle(page)


def settle(page) -> None:
    """Wait until every tile asked for has arrived and been drawn (the draw after the last one
    runs on the next animation frame): what is on the canvas is then the layer's own doing."""
    page.evaluate("zonemap.markers.whenLoaded()")
    wait_until(page, "!zonemap.markers.pending.size", 10)
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def on_canvas(page) -> int:
    """Projects drawn on the canvas (cluster members included)."""
    return int(page.eval_on_selector(".zm-project-tiles", "c => c.dataset.drawn"))


def tile_queries(opened) -> list[dict]:
    return [parse_qs(urlparse(u).query) for u in opened.requested if "/map/tiles/" in u]


def test_tiles_draw_what_the_api_selects_through_filters_and_time(opened, tile_server):
    page = opened.map(tile_server + "/")
    assert page.evaluate("document.body.dataset.projectsFrom") == "tiles"
    located = api(tile_server, located="true")["numberMatched"]
    assert page.evaluate("zonemap.markers.count()") == located > 100
    assert page.evaluate("document.querySelectorAll('.leaflet-marker-icon').length") == 0  # no markers built
    fit_everything(page, tile_server)
    assert on_canvas(page) == located
    # A status filter through the panel: the tiles are asked for with it, and draw the API's count.
    page.check("input[data-status=completed]")
    page.check("input[data-status=planned]")
    settle(page)
    want = sum(api(tile_server, status=s, located="true")["numberMatched"] for s in ("completed", "planned"))
    assert on_canvas(page) == page.evaluate("zonemap.markers.count()") == want
    assert any(q.get("status") == ["completed,planned"] for q in tile_queries(opened))
    page.uncheck("input[data-status=completed]")
    page.uncheck("input[data-status=planned]")
    # The slider: statuses at the end of 2016 (as_of), projects not yet mentioned left out.
    page.fill("input.zm-year", "2016")
    page.dispatch_event("input.zm-year", "input")
    settle(page)
    assert on_canvas(page) == api(tile_server, as_of=2016, located="true")["numberMatched"] < located
    assert any(q.get("as_of") == ["2016"] for q in tile_queries(opened))
    assert opened.outside() == [] and opened.errors == [] and opened.failed == []


def test_a_cluster_zooms_in_and_a_point_opens_its_popup(opened, tile_server):
    page = opened.map(tile_server + "/")
    fit_everything(page, tile_server)
    box = page.eval_on_selector(".folium-map", "e => { const r = e.getBoundingClientRect(); return [r.left, r.top]; }")

    def screen(item_js: str) -> tuple[float, float]:
        x, y = page.evaluate(f"(() => {{ const it = {item_js}; const p = zonemap.map.layerPointToContainerPoint(it.pt); return [p.x, p.y]; }})()")
        return box[0] + x, box[1] + y

    zoom = page.evaluate("zonemap.map.getZoom()")
    biggest = "zonemap.markers.items.filter(i => i.row[2] > 1).sort((a, b) => b.row[2] - a.row[2])[0]"
    page.mouse.move(*screen(biggest))
    n = page.evaluate(f"{biggest}.row[2]")
    assert str(n) in page.inner_text(".zm-tile-tip")
    page.mouse.click(*screen(biggest))
    wait_until(page, f"zonemap.map.getZoom() === {zoom + 2}", 5)  # zoomed in (animated) on the cluster
    # A project opened by its link is shown where every project is drawn, with its popup.
    feat = next(f for f in api(tile_server, located="true", district="西岗区")["features"])
    page.goto(f"{tile_server}/?project={feat['id']}")
    page.wait_for_selector("body[data-ready='1']")
    popup = page.wait_for_selector(".zm-popup .zm-pop")
    assert popup.get_attribute("data-project") == feat["id"]
    assert feat["properties"]["name_zh"] in popup.inner_text()
    assert page.evaluate("zonemap.map.getZoom()") >= 17
    # Close it, then hover and click the point itself.
    run(page, "zonemap.map.closePopup()")
    settle(page)
    single = f"zonemap.markers.items.find(i => i.row[3] === {json.dumps(feat['id'])})"
    page.mouse.move(*screen(single))
    page.wait_for_selector(".zm-tile-tip")
    page.mouse.click(*screen(single))
    popup = page.wait_for_selector(".zm-popup .zm-pop")
    assert popup.get_attribute("data-project") == feat["id"]
    assert f"project={feat['id']}" in page.url and "zone=" not in page.url  # the zone below did not take the click
    run(page, "zonemap.map.closePopup()")
    # The canvas lets the pointer through where no project is: a zone there still opens its popup.
    run(page, "zonemap.map.setZoom(15, {animate: false})")
    settle(page)
    spot = page.evaluate("""(() => { const map = zonemap.map, r = map.getContainer().getBoundingClientRect();
      for (let y = 80; y < r.height - 80; y += 13) for (let x = 80; x < r.width - 80; x += 13) {
        const el = document.elementFromPoint(r.left + x, r.top + y);
        if (!el || el.tagName !== 'path' || !el.classList.contains('leaflet-interactive') || el.classList.contains('zm-street')) continue;
        const pt = map.containerPointToLayerPoint([x, y]);
        if (zonemap.markers.items.some(i => i.pt.distanceTo(pt) < i.r + 12)) continue;
        return [r.left + x, r.top + y];
      } return null; })()""")
    assert spot, "a zone with room between its projects at zoom 15"
    page.mouse.click(*spot)
    page.wait_for_selector(".zm-popup .zm-pop a[href^='/zones/']")
    assert "zone=" in page.url
    assert opened.outside() == [] and opened.errors == []


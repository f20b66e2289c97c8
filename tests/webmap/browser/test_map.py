"""The map in a real headless Chromium (desktop 1400×900, phone 390×844), checked against the API's
own numbers: filters, time slider, comparison, shareable URLs, phone, print, search, basemaps,
and that no page requests anything outside 127.0.0.1. One browser and one server per module."""

from __future__ import annotations

import json
import math

import httpx
import pytest

from zmbrowser import PHONE, Opened, api, run, wait_until
from zmtest import serve_app

pytestmark = pytest.mark.browser

@pytest.fixture
def opened(browser):
    o = Opened(browser)
    yield o
    o.close()




def drawn(page) -> int:
    return page.evaluate("zonemap.markers.count()")


def marker_colour(page, pid: str) -> str | None:
    """The fill colour a project's marker is drawn with (None when it is not drawn)."""
    return page.evaluate(f"""(() => {{ const m = zonemap.markers.markers.get({json.dumps(pid)});
      return m && zonemap.markers.cluster.hasLayer(m) ? m.options.fillColor : null; }})()""")






def config(page) -> dict:
    return page.evaluate("zonemap.config")


# --- filters ------------------------------------------------------------------------------------

def test_each_filter_draws_what_the_api_counts(opened, server):
    """Through the panel's own controls: the markers drawn equal the API's located projects for the
    same filter, and the panel's counts say the same."""
    page = opened.map(server + "/")
    everything = api(server, located="true")["numberMatched"]
    assert drawn(page) == everything > 100
    assert int(page.inner_text(".zm-count-drawn")) == everything
    for status in ("completed", "under_construction", "planned"):
        page.check(f"input[data-status={status}]")
        expected = api(server, status=status, located="true")["numberMatched"]
        assert drawn(page) == expected, status
        assert int(page.inner_text(f".zm-count[data-value={status}]")) == api(server, status=status)["numberMatched"]
        page.uncheck(f"input[data-status={status}]")
    # Each select: the option with the most projects (listed first), against the API's parameter.
    for facet, parameter in (("industry", "industry"), ("plan", "plan"), ("kind", "kind"), ("district", "district")):
        value = page.eval_on_selector(f"select[data-state={facet}]", "s => s.options[1].value")
        label = page.eval_on_selector(f"select[data-state={facet}]", "s => s.options[1].textContent")
        page.select_option(f"select[data-state={facet}]", value)
        located = api(server, located="true", **{parameter: value})["numberMatched"]
        everyone = api(server, **{parameter: value})["numberMatched"]
        assert drawn(page) == located, (facet, value)
        assert label.endswith(f"({everyone})"), (facet, label)
        assert int(page.inner_text(".zm-count-not-drawn")) == everyone - located
        page.select_option(f"select[data-state={facet}]", "")
    # Two filters together.
    page.check("input[data-status=completed]")
    page.select_option("select[data-state=district]", "西岗区")
    assert drawn(page) == api(server, status="completed", district="西岗区", located="true")["numberMatched"]
    assert opened.errors == [] and opened.failed == []


def test_not_drawn_projects_are_listed_by_their_stated_zone(opened, server):
    page = opened.map(server + "/")
    # The panel's honest counts are the service's: located, placed in a zone by text only, not placed.
    placed = httpx.get(f"{server}/healthz").json()["placed"]
    summary = page.eval_on_selector(".zm-section-summary", "e => ({...e.dataset})")
    assert {k: int(v) for k, v in summary.items()} == {"located": placed["located"], "textOnly": placed["text_only"],
                                                      "unplaced": placed["unplaced"]}
    unlocated = api(server, located="false")["features"]
    page.click(".zm-tabs button[data-tab=notdrawn]")
    listed = page.eval_on_selector_all(".zm-list-not-drawn li[data-project]", "els => els.map(e => e.dataset.project)")
    assert set(listed) == {f["id"] for f in unlocated}
    # A click opens the project's card, which leads to its page.
    first = unlocated[0]
    group = page.locator(f".zm-list-not-drawn details:has(li[data-project='{first['id']}'])").first
    if not group.evaluate("d => d.open"):
        group.locator("summary").click()
    group.locator(f"li[data-project='{first['id']}']").click()
    card = page.wait_for_selector(".zm-detail:not([hidden])")
    assert first["properties"]["name_zh"] in card.inner_text()
    assert page.get_attribute(".zm-detail a", "href") == f"/projects/{first['id']}"


# --- time -----------------------------------------------------------------------------------------

def _timeline_status(timeline: list[dict], year: int) -> str | None:
    s = None
    for step in sorted(timeline, key=lambda x: x["year"]):
        if step["year"] <= year:
            s = step["status"]
    return s


def test_time_slider_colours_projects_as_their_timeline_says(opened, server):
    """At 2015 and at 2021 a project with a changing timeline takes the status its timeline (API)
    gives for the end of that year; one not yet mentioned is faded; the count is the API's as_of."""
    feats = api(server, located="true")["features"]
    changing = [f for f in feats if len({s["status"] for s in f["properties"]["status_timeline"]}) > 1
                and _timeline_status(f["properties"]["status_timeline"], 2015) is not None]
    later = [f for f in feats if _timeline_status(f["properties"]["status_timeline"], 2015) is None]
    assert changing and later, "the real data have projects whose status changes, and some first mentioned after 2015"
    page = opened.map(server + "/")
    colours = {k: v["colour"] for k, v in config(page)["vocab"]["status"].items()}
    for year in (2015, 2021):
        page.fill("input.zm-year", str(year))
        page.dispatch_event("input.zm-year", "input")
        assert page.inner_text(".zm-year-label").startswith(str(year))
        for f in changing[:5]:
            expected = _timeline_status(f["properties"]["status_timeline"], year)
            assert marker_colour(page, f["id"]) == colours[expected], (f["id"], year)
        if year == 2015:
            assert marker_colour(page, later[0]["id"]) == "#b8b8b8"  # faded: not mentioned by the end of 2015
        assert drawn(page) - page.evaluate("zonemap.part.faded.length") == api(server, as_of=year, located="true")["numberMatched"]
    assert "year=2021" in page.url


def test_play_steps_through_the_years(opened, server):
    page = opened.map(server + "/?year=2022")
    run(page, "window.__steps = []; zonemap.store.subscribe((s, changed) => changed.has('year') && __steps.push(s.year))")
    page.evaluate("zonemap.time.play()")
    wait_until(page, "__steps.includes(2024)", 8)
    page.evaluate("zonemap.time.stop()")
    steps = page.evaluate("__steps")
    assert steps[:2] == [2023, 2024]  # from the year shown, one year per step


# --- comparison -----------------------------------------------------------------------------------

def test_comparison_shows_both_layouts_with_their_own_legends(opened, server):
    a, b = "xg13-one-axis-six-zones", "xg14-axis-bays-streets-areas"
    page = opened.map(f"{server}/?layout={a}&compare={b}")
    assert page.is_visible("#zm-map-b") and page.is_visible("#zm-legend-b")
    # Side by side, neither map under the open panel, and the first layout's zones all in view.
    panel, map_a, map_b = (page.locator(s).bounding_box() for s in ("#zm-panel", ".folium-map", "#zm-map-b"))
    assert panel["x"] + panel["width"] <= map_a["x"] + 1 and map_a["x"] + map_a["width"] <= map_b["x"] + 1
    assert page.evaluate("zonemap.map.getBounds().contains(zonemap.zones.bounds())")
    zones = {z["id"]: z["properties"] for z in httpx.get(f"{server}/api/zones").json()["features"]}
    legend_a, legend_b = page.inner_text("#zm-legend"), page.inner_text("#zm-legend-b")
    for zid, p in zones.items():
        if p["layout"] == a and p.get("unmapped_reason") is None:
            assert p["name_zh"] in legend_a and p["name_zh"] not in legend_b.split("一轴、两湾")[-1] or p["name_zh"] in legend_b
        if p["layout"] == b:
            assert p["name_zh"] in legend_b
    # Each map draws its own layout's zones; the two palettes start with different colours.
    counts = page.evaluate("[zonemap.zones.layers.size, zonemap.comparison.zones.layers.size]")
    assert counts == [sum(p["layout"] == a for p in zones.values()), sum(p["layout"] == b for p in zones.values())]
    first = page.evaluate("[[...zonemap.zones.colours.values()][0], [...zonemap.comparison.zones.colours.values()][0]]")
    assert first[0] != first[1]
    # The maps move together.
    run(page, "zonemap.map.setView([38.91, 121.62], 15, {animate: false})")
    page.wait_for_timeout(300)
    assert page.evaluate("zonemap.comparison.map.getZoom()") == 15
    # Each side colours a project as its document states it (as_seen_by).
    colours = {k: v["colour"] for k, v in config(page)["vocab"]["status"].items()}
    for side, layout in (("markers", a), ("comparison.markers", b)):
        plan = next(x for x in httpx.get(f"{server}/api/layouts").json() if x["id"] == layout)["plan"]
        seen = {f["id"]: f["properties"]["status"] for f in api(server, as_seen_by=plan, located="true")["features"]}
        sample = list(seen.items())[:8]
        got = page.evaluate(f"{json.dumps([pid for pid, _ in sample])}.map(id => zonemap.{side}.markers.get(id)?.options.fillColor)")
        assert got == [colours[s] for _, s in sample], layout
    # The table lists projects both documents mention whose status or zone differs.
    rows = page.eval_on_selector_all(".zm-compare-table tbody tr[data-project]", "els => els.map(e => e.dataset.project)")
    assert rows
    assert opened.errors == []


# --- shareable views, print, phone ------------------------------------------------------------------

def test_a_copied_url_restores_the_view(browser, server):
    first = Opened(browser)
    page = first.map(server + "/")
    page.check("input[data-layout=xg14-subdistricts]")
    page.check("input[data-status=completed]")
    page.select_option("select[data-state=district]", "西岗区")
    page.select_option("select[data-state=choropleth]", "all")
    page.fill("input.zm-year", "2019")
    page.dispatch_event("input.zm-year", "input")
    target = api(server, status="completed", district="西岗区", located="true")["features"][0]["id"]
    page.evaluate(f"zonemap.selectProject({json.dumps(target)})")
    page.wait_for_selector(".leaflet-popup-content")
    page.wait_for_timeout(600)
    url = page.url
    before = page.evaluate("[zonemap.store.get(), zonemap.map.getZoom(), zonemap.map.getCenter(), zonemap.markers.count()]")
    first.close()
    second = Opened(browser)
    page = second.map(url)
    page.wait_for_selector(".leaflet-popup-content", timeout=5000)
    after = page.evaluate("[zonemap.store.get(), zonemap.map.getZoom(), zonemap.map.getCenter(), zonemap.markers.count()]")
    assert after[0] == before[0]
    assert after[1] == before[1] and math.isclose(after[2]["lat"], before[2]["lat"], abs_tol=1e-4)
    assert after[3] == before[3]
    assert target in page.inner_html(".leaflet-popup-content")
    assert page.is_checked("input[data-layout=xg14-subdistricts]") and page.is_checked("input[data-status=completed]")
    second.close()


def test_plan_filter_in_the_url_is_the_apis_plan(browser, server):
    """`plan=` names the plan as /api/projects does; `document=` (the older name) still opens."""
    expected = api(server, plan="xigang-services-14th", located="true")["numberMatched"]
    for name in ("plan", "document"):
        opened = Opened(browser)
        page = opened.map(server + f"/?{name}=xigang-services-14th")
        assert page.eval_on_selector("select[data-state=plan]", "s => s.value") == "xigang-services-14th"
        assert drawn(page) == expected < api(server, located="true")["numberMatched"]
        page.select_option("select[data-state=plan]", "")
        page.select_option("select[data-state=plan]", "xigang-services-14th")
        assert "plan=xigang-services-14th" in page.url and "document=" not in page.url
        opened.close()


def test_print_shows_map_legend_and_title_without_controls(opened, server):
    page = opened.map(server + "/?compare=xg14-axis-bays-streets-areas")
    page.emulate_media(media="print")
    hidden = page.evaluate("""['.zm-panel', '.zm-topbar', '.leaflet-control-zoom', '.zm-legend-toggle']
        .map(s => [...document.querySelectorAll(s)].every(e => getComputedStyle(e).display === 'none'))""")
    assert all(hidden)
    assert page.is_visible("#zm-print-title") and "一轴六区" in page.inner_text("#zm-print-title")
    assert page.is_visible("#zm-legend .zm-legend-body") and page.is_visible(".folium-map")
    # Without the comparison: the map takes the panel's room and knows its new size; one legend.
    page.emulate_media(media="screen")
    page = opened.map(server + "/")
    page.emulate_media(media="print")
    page.wait_for_timeout(300)
    assert page.locator(".folium-map").bounding_box()["x"] == 0
    assert page.evaluate("zonemap.map.getSize().x") == page.evaluate("innerWidth")
    assert page.is_visible("#zm-legend") and not page.is_visible("#zm-legend-b")


def _free_map_share(page) -> float:
    """Share of the window where a tap reaches the map itself (not a control, panel or legend)."""
    return page.evaluate("""(() => {
      let free = 0, n = 0;
      for (let x = 2; x < innerWidth; x += 8) for (let y = 2; y < innerHeight; y += 8) {
        n++;
        const el = document.elementFromPoint(x, y);
        if (el && el.closest('.folium-map') && !el.closest('.leaflet-control-container')) free++;
      }
      return free / n; })()""")


def test_phone_keeps_the_map_free_and_popups_fit(browser, server):
    o = Opened(browser, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = o.map(server + "/")
    assert not page.evaluate("document.body.classList.contains('zm-panel-open')")
    assert _free_map_share(page) >= 0.8
    # The drawer opens and closes; the search box stays reachable.
    page.click("#zm-panel-toggle")
    assert page.is_visible(".zm-section-filters") and page.is_visible("#zm-search-input")
    page.click(".zm-close")
    page.wait_for_timeout(300)
    assert _free_map_share(page) >= 0.8
    # A popup fits the screen.
    pid = api(server, located="true")["features"][0]["id"]
    page.evaluate(f"zonemap.selectProject({json.dumps(pid)})")
    box = page.wait_for_selector(".leaflet-popup-content-wrapper").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    # Pinch-zoom: a real two-finger gesture zooms the map.
    run(page, "zonemap.map.closePopup(); zonemap.map.setView([38.915, 121.617], 13, {animate: false})")
    cdp = o.context.new_cdp_session(page)
    cdp.send("Input.synthesizePinchGesture", {"x": 195, "y": 420, "scaleFactor": 2.5, "relativeSpeed": 400})
    page.wait_for_timeout(800)
    assert page.evaluate("zonemap.map.getZoom()") > 13
    # A shared link to a project opens its popup on the phone too, and the popup stays open
    # (markers load in chunks: it must not open before its marker joins its cluster).
    page.goto(f"{server}/?project={pid}")
    page.wait_for_selector("body[data-ready='1']")
    page.wait_for_selector(".leaflet-popup-content", timeout=5000)
    page.wait_for_timeout(1500)
    assert pid in page.inner_html(".leaflet-popup-content") and f"project={pid}" in page.url
    # The project page's history reads without sideways scrolling: the project with the most mentions.
    most = max(api(server)["features"], key=lambda f: f["properties"]["mentions"])
    page.goto(f"{server}/projects/{most['id']}")
    rows = page.locator(".zm-history tbody tr")
    assert rows.count() == most["properties"]["mentions"] > 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.locator(".zm-history").bounding_box()["width"] <= PHONE["width"]
    o.close()


# --- bearings, search, selection -------------------------------------------------------------------

def test_search_by_pinyin_initials_opens_the_popup(opened, server):
    page = opened.map(server + "/")
    page.fill("#zm-search-input", "hlgc")
    page.click("#zm-search-results li[data-type=project] >> nth=0")
    popup = page.wait_for_selector(".leaflet-popup-content", timeout=5000)
    assert "恒隆广场" in popup.inner_text()
    assert "project=hanglung-plaza" in page.url
    # A zone by its pinyin: its layout switches on and its popup opens with its counts.
    page.fill("#zm-search-input", "xianglujiaoguoji")
    page.click("#zm-search-results li[data-type=zone] >> nth=0")
    zone_popup = page.wait_for_selector(".leaflet-popup-content .zm-mini", timeout=5000)
    assert zone_popup


def test_coincident_markers_stay_clickable(opened, server):
    feats = api(server, located="true")["features"]
    by_point: dict = {}
    for f in feats:
        by_point.setdefault(tuple(f["geometry"]["coordinates"]), []).append(f)
    group = next(g for g in by_point.values() if len(g) >= 2)
    page = opened.map(server + "/")
    for f in group:
        run(page, "zonemap.map.closePopup()")
        page.evaluate(f"zonemap.selectProject({json.dumps(f['id'])})")
        popup = page.wait_for_selector(f".zm-pop[data-project='{f['id']}']", timeout=8000)
        assert f["properties"]["name_zh"] in popup.inner_text()
    # At the deepest zoom, a click on their cluster spreads them out (spiderfy).
    lon, lat = group[0]["geometry"]["coordinates"]
    run(page, f"zonemap.map.closePopup(); zonemap.map.setView([{lat}, {lon}], 18, {{animate: false}})")
    page.wait_for_timeout(400)
    at = page.evaluate(f"""(() => {{ const p = zonemap.map.latLngToContainerPoint([{lat}, {lon}]);
        const r = zonemap.map.getContainer().getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }})()""")
    page.mouse.click(*at)
    wait_until(page, "Boolean(zonemap.markers.cluster._spiderfied)", 5)


def test_selected_uncertain_point_shows_its_accuracy_circle(opened, server):
    feats = api(server, located="true")["features"]
    uncertain = next(f for f in feats if (f["properties"]["location_accuracy_m"] or 0) >= 500)
    page = opened.map(server + "/")
    page.evaluate(f"zonemap.selectProject({json.dumps(uncertain['id'])})")
    page.wait_for_selector(".leaflet-popup-content")
    page.wait_for_timeout(300)
    radius = page.evaluate("zonemap.markers.circle && zonemap.markers.circle.getRadius()")
    assert radius == uncertain["properties"]["location_accuracy_m"]
    run(page, "zonemap.map.closePopup()")
    assert page.evaluate("zonemap.markers.circle") is None


def test_labels_and_street_names_by_zoom(opened, server):
    page = opened.map(server + "/?at=12/38.915/121.617")
    assert page.locator(".zm-label-district", has_text="西岗区").count() == 1
    # At city zoom the zone names are off; elements of labels shown during the first fit may take a
    # moment to leave the page (Leaflet removes them after its fade), so wait for them to go.
    assert not page.evaluate("zonemap.map.hasLayer(zonemap.zones.labels)")
    wait_until(page, "document.querySelectorAll('.zm-label-zone').length === 0", 5)
    run(page, "zonemap.map.setZoom(16, {animate: false})")
    page.wait_for_timeout(300)
    assert page.locator(".zm-label-zone").count() > 0
    names = page.evaluate("[...document.querySelectorAll('textPath')].map(t => t.textContent.trim())")
    streets = {f["properties"]["name_zh"] for f in httpx.get(f"{server}/api/streets").json()["features"]}
    assert names and set(names) <= streets
    # Names never overprint each other: where two would meet, one gives way (hover still names it).
    page.goto(server + "/?layout=xg13-one-axis-six-zones,xg14-axis-bays-streets-areas&at=14/38.915/121.617")
    page.wait_for_selector("body[data-ready='1']")
    boxes = page.evaluate("""[...document.querySelectorAll('.zm-label')].filter(e => getComputedStyle(e).visibility !== 'hidden')
        .map(e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })""")
    assert len(boxes) > 5
    hidden = page.evaluate("[...document.querySelectorAll('.zm-label')].filter(e => getComputedStyle(e).visibility === 'hidden').length")
    assert hidden > 0, "two layouts' names at zoom 14 do meet somewhere"
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)


def test_english_interface_names_not_ids(opened, server):
    page = opened.map(server + "/?lang=en&kind=building")
    text = page.inner_text("#zm-panel")
    assert "Filters" in text and "Building" in text and "building (" not in text
    assert "One Axis, Six Zones" in page.inner_text("#zm-legend")
    page.click(".zm-lang")
    assert "筛选" in page.inner_text("#zm-panel") and "lang=en" not in page.url


def test_layout_without_drawn_zones_says_so(opened, server):
    page = opened.map(server + "/?layout=xg12-one-axis-eight-areas-safety")
    legend = page.inner_text("#zm-legend")
    assert "此布局没有绘制的区域" in legend
    page.goto(server + "/?layout=dl18-key-areas&lang=en")
    page.wait_for_selector("body[data-ready='1']")
    zones = httpx.get(f"{server}/api/zones", params={"layout": "dl18-key-areas"}).json()["features"]
    legend = page.inner_text("#zm-legend")
    for z in zones:
        if z["geometry"] is None:
            assert z["properties"]["unmapped_reason"][:30] in legend


def test_choropleth_classes_match_the_zone_counts(opened, server):
    page = opened.map(server + "/?choropleth=all")
    classes = page.evaluate("zonemap.zones.cls")
    assert classes[0]["zero"] and len(classes) >= 2
    assert page.locator("#zm-legend .zm-class").count() == len(classes)
    for zid in ("xg13-zhanbei", "xg13-olympic"):
        n = api(server, zone=zid)["numberMatched"]
        fill = page.evaluate(f"zonemap.zones.layers.get('{zid}').getLayers()[0].options.fillColor")
        cls = next(c for c in classes if (n == 0 and c.get("zero")) or (not c.get("zero") and c["from"] < n <= c["to"]))
        assert fill == cls["colour"], zid


# --- basemaps and GCJ-02 ----------------------------------------------------------------------------

def test_gcj02_in_the_browser_equals_geo_crs(opened, server):
    from geo.crs import gcj02_to_wgs84, wgs84_to_gcj02

    page = opened.map(server + "/")
    points = [(121.617, 38.9155), (121.58, 38.88), (121.66, 38.95), (122.0, 39.5), (116.39, 39.91)]
    got = page.evaluate(f"""import('/static/js/gcj02.js').then(g => {json.dumps(points)}.map(([x, y]) =>
        [g.wgs84ToGcj02(x, y), g.gcj02ToWgs84(...g.wgs84ToGcj02(x, y))]))""")
    for (lon, lat), (forward, back) in zip(points, got):
        assert forward == pytest.approx(wgs84_to_gcj02(lon, lat), abs=1e-9)
        assert back == pytest.approx(gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat)), abs=1e-9)
        assert back == pytest.approx((lon, lat), abs=1e-7)


def test_unreachable_basemaps_leave_the_overlays_and_gcj02_shifts_them(browser, real_db):
    """With no internet the configured basemaps fail; zones and markers still draw. Over GCJ-02
    tiles the overlays are drawn shifted (the point lands where the GCJ-02 coordinate projects)."""
    from geo.crs import wgs84_to_gcj02

    tiles = [{"id": "local", "url": "http://127.0.0.1:9/{z}/{x}/{y}.png", "crs": "wgs84"},
             {"id": "gcj", "url": "http://127.0.0.1:9/g/{z}/{x}/{y}.png", "crs": "gcj02"}]
    proc, base = serve_app(real_db, ZONEMAP_BASEMAPS=json.dumps(tiles))
    o = Opened(browser)
    try:
        page = o.map(base + "/")
        before = drawn(page)
        assert page.evaluate("document.querySelectorAll('img.leaflet-tile').length") == 0  # none by default
        page.check("input[data-basemap=local]")
        page.wait_for_selector("#zm-notice:not([hidden])", timeout=8000)
        assert page.evaluate("document.querySelectorAll('img.leaflet-tile').length") > 0
        assert drawn(page) == before and page.evaluate("zonemap.zones.layers.size") >= 6
        lon, lat = 121.617, 38.9155
        plain = page.evaluate(f"zonemap.map.project([{lat}, {lon}], 15)")
        page.check("input[data-basemap=gcj]")
        assert "basemap=gcj" in page.url
        glon, glat = wgs84_to_gcj02(lon, lat)
        shifted = page.evaluate(f"zonemap.map.project([{lat}, {lon}], 15)")
        expected = page.evaluate(f"L.CRS.EPSG3857.latLngToPoint(L.latLng({glat}, {glon}), 15)")
        assert shifted["x"] == pytest.approx(expected["x"], abs=0.01) and shifted["y"] == pytest.approx(expected["y"], abs=0.01)
        assert math.hypot(shifted["x"] - plain["x"], shifted["y"] - plain["y"]) > 50  # ~500 m at z15 is ~100 px
        assert drawn(page) == before and o.errors == []
    finally:
        o.close()
        proc.terminate()
        proc.wait(10)


# --- nothing from outside, on any page ----------------------------------------------------------------

def test_no_page_requests_anything_outside_loopback(opened, server):
    page = opened.map(server + "/?compare=xg14-axis-bays-streets-areas&choropleth=all")
    page.wait_for_timeout(300)
    pid = api(server, located="true")["features"][0]["id"]
    page.evaluate(f"zonemap.selectProject({json.dumps(pid)})")
    page.wait_for_selector(".zm-pop-detail small", timeout=5000)
    for path in ("/projects/dongguan-street-renewal", "/zones/xg13-zhanbei", "/zones/no-such", "/projects/no-such",
                 "/?layout=no-such", "/nothing/here"):
        r = page.goto(server + path, wait_until="load")
        assert r.headers["content-type"].startswith("text/html"), path
    assert opened.outside() == []
    assert any(u.endswith("/static/vendor/leaflet/leaflet.js") for u in opened.requested)
    assert opened.errors == []

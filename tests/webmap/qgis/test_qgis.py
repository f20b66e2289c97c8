"""GIS files and the OGC API opened in a real QGIS (headless), as GIS staff would."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import httpx
import pytest


pytestmark = pytest.mark.qgis
PROBE = Path(__file__).with_name("qgis_probe.py")
SYSTEM_PYTHON = "/usr/bin/python3"


def run_qgis(*layers: str) -> dict:
    """Open each NAME=PROVIDER=URI in QGIS in a separate process; its report per layer."""
    if subprocess.run([SYSTEM_PYTHON, "-c", "import qgis.core"], capture_output=True).returncode != 0:
        pytest.fail("QGIS (Debian python3-qgis) is not installed: make test installs it")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": "/tmp"}
    env.pop("PYTHONPATH", None)
    r = subprocess.run([SYSTEM_PYTHON, str(PROBE), *layers], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    return json.loads(r.stdout.strip().splitlines()[-1])


def test_geopackage_in_qgis(server, tmp_path):
    gpkg = tmp_path / "zonemap.gpkg"
    gpkg.write_bytes(httpx.get(f"{server}/api/export/zonemap.gpkg", timeout=60).content)
    # only /api/projects pages (an unknown parameter is a 422 since the strict parameter rule)
    api = {name: httpx.get(f"{server}/api/{name}", params={"limit": 10000} if name == "projects" else None).json()["features"]
           for name in ("zones", "streets", "projects")}
    seen = run_qgis(*(f"{n}=ogr={gpkg}|layername={n}" for n in ("zones", "streets", "projects", "districts")))
    for name in ("zones", "streets", "projects"):
        assert seen[name]["valid"], seen[name]
        assert seen[name]["features"] == len(api[name])
        assert seen[name]["crs"] == "EPSG:4326"
    assert seen["zones"]["geometry"] == "MultiPolygon"
    assert seen["streets"]["geometry"] == "MultiLineString"
    assert seen["projects"]["geometry"] == "Point"
    located = sum(1 for f in api["projects"] if f["geometry"])
    assert seen["projects"]["with_geometry"] == located
    assert {"id", "name_zh", "status", "zones", "location_accuracy_m"} <= set(seen["projects"]["fields"])
    assert seen["districts"]["features"] == 11


def test_geojson_export_in_qgis(server, tmp_path):
    path = tmp_path / "zones.geojson"
    path.write_bytes(httpx.get(f"{server}/api/export/zones.geojson").content)
    seen = run_qgis(f"zones=ogr={path}")["zones"]
    assert seen["valid"] and seen["crs"] == "EPSG:4326" and seen["geometry"] == "MultiPolygon"
    # Chinese names survive the trip.
    assert any("\u4e00" <= ch <= "\u9fff" for ch in seen["sample"]["name_zh"])


def test_ogc_api_features_in_qgis(server):
    """QGIS's OAPIF provider reads the landing page, OpenAPI, collections, and pages through items."""
    expected = httpx.get(f"{server}/ogc/collections/projects/items", params={"limit": 1}).json()["numberMatched"]
    seen = run_qgis(
        f"projects=OAPIF=url='{server}/ogc' typename='projects'",
        f"zones=OAPIF=url='{server}/ogc' typename='zones'",
    )
    assert seen["projects"]["valid"], seen["projects"]
    assert seen["projects"]["features"] == expected
    assert seen["zones"]["valid"] and seen["zones"]["features"] == len(httpx.get(f"{server}/api/zones").json()["features"])
    assert seen["zones"]["crs"] in ("EPSG:4326", "OGC:CRS84")


# --- OGC API Part 2 and 3, vector tiles and CRS exports, as QGIS 3.22 really uses them -----------

EPSG = "http://www.opengis.net/def/crs/EPSG/0/"


def _stored_points(url: str) -> dict:
    import sqlalchemy as sa
    from shapely import wkb

    from geo.db import make_engine

    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT id, ST_AsBinary(geom) FROM projects WHERE geom IS NOT NULL")).all()
    engine.dispose()
    return {r[0]: wkb.loads(bytes(r[1])) for r in rows}


def _spec(**kw) -> str:
    return json.dumps(kw)


def test_oapif_coordinates_in_cgcs2000_and_web_mercator(server, real_db, tmp_path):
    """QGIS 3.22's OAPIF provider has no Part 2 of its own (it always reads CRS84): GIS staff get
    CGCS2000 or Web Mercator by QGIS transforming on the fly, by asking the server (the service URL
    may carry ``?crs=``; QGIS passes it on, the layer's CRS is then set by hand), or from the GeoJSON
    export with ``crs=`` (its ``crs`` member sets the layer's CRS). All agree with pyproj within 1 cm."""
    from pyproj import Transformer

    truth = _stored_points(real_db)
    merc_uri = f"{EPSG}3857"
    export = {}
    for code in (3857, 4490):
        path = tmp_path / f"projects-{code}.geojson"
        path.write_bytes(httpx.get(f"{server}/api/export/projects.geojson", params={"crs": str(code)}, timeout=60).content)
        export[code] = path
    seen = run_qgis(
        _spec(name="wgs84", provider="OAPIF", uri=f"url='{server}/ogc' typename='projects'", to_crs="EPSG:3857"),
        _spec(name="cgcs2000", provider="OAPIF", uri=f"url='{server}/ogc' typename='projects'", to_crs="EPSG:4490"),
        _spec(name="served3857", provider="OAPIF", uri=f"url='{server}/ogc?crs={merc_uri}' typename='projects'",
              as_crs="EPSG:3857", to_crs="EPSG:3857"),
        _spec(name="file3857", provider="ogr", uri=str(export[3857]), to_crs="EPSG:3857"),
        _spec(name="file4490", provider="ogr", uri=str(export[4490]), to_crs="EPSG:4490"),
    )
    assert seen["wgs84"]["crs"] in ("EPSG:4326", "OGC:CRS84")  # 3.22 never asks for another CRS
    assert seen["file3857"]["crs"] == "EPSG:3857" and seen["file4490"]["crs"] == "EPSG:4490"
    server_merc = {f["id"]: f["geometry"]["coordinates"] for f in
                   httpx.get(f"{server}/ogc/collections/projects/items", params={"crs": merc_uri, "limit": 10000}).json()["features"] if f["geometry"]}
    server_cgcs = {f["id"]: f["geometry"]["coordinates"] for f in
                   httpx.get(f"{server}/ogc/collections/projects/items", params={"crs": f"{EPSG}4490", "limit": 10000}).json()["features"] if f["geometry"]}
    to_merc = Transformer.from_crs(4326, 3857, always_xy=True)
    for name in ("wgs84", "served3857", "file3857"):
        pts = seen[name]["points"]
        assert len(pts) == len(truth), name
        for pid, (x, y) in pts.items():
            ex, ey = to_merc.transform(truth[pid].x, truth[pid].y)
            assert abs(x - ex) <= 0.01 and abs(y - ey) <= 0.01, (name, pid)
            assert abs(x - server_merc[pid][0]) <= 0.01 and abs(y - server_merc[pid][1]) <= 0.01
    for name in ("cgcs2000", "file4490"):
        for pid, (lon, lat) in seen[name]["points"].items():
            assert abs(lon - truth[pid].x) <= 1e-7 and abs(lat - truth[pid].y) <= 1e-7, (name, pid)
            assert server_cgcs[pid] == [round(lat, 8), round(lon, 8)] or \
                (abs(server_cgcs[pid][0] - lat) <= 1e-7 and abs(server_cgcs[pid][1] - lon) <= 1e-7)  # Part 2: lat/lon


def test_cql2_filter_through_qgis_oapif(real_db):
    """What QGIS 3.22 does with filters, read from the server's access log: a layer filter
    (subset string) is evaluated by QGIS itself after downloading everything (3.22 sends no CQL2),
    while a CQL2 filter in the service URL travels with every request and is applied by the server."""
    from urllib.parse import quote

    from zmtest import serve_app, server_log

    proc, base = serve_app(real_db)
    try:
        cql = "status = 'completed' AND status_year >= 2016"
        expected = httpx.get(f"{base}/ogc/collections/projects/items", params={"filter": cql, "limit": 10000}).json()
        completed = httpx.get(f"{base}/ogc/collections/projects/items", params={"status": "completed", "limit": 10000}).json()
        seen = run_qgis(
            _spec(name="url_filter", provider="OAPIF", uri=f"url='{base}/ogc?filter={quote(cql)}&filter-lang=cql2-text' typename='projects'"),
            _spec(name="subset", provider="OAPIF", uri=f"url='{base}/ogc' typename='projects'", subset="\"status\" = 'completed'"),
        )
    finally:
        proc.terminate()
        log = server_log(proc)
    assert seen["url_filter"]["valid"], seen["url_filter"]
    assert seen["url_filter"]["features"] == expected["numberMatched"] > 10
    assert seen["url_filter"]["ids"] == sorted(f["id"] for f in expected["features"])
    assert seen["subset"]["subset_accepted"] and seen["subset"]["ids"] == sorted(f["id"] for f in completed["features"])
    items = [line for line in log.splitlines() if "/collections/projects/items" in line]
    assert any("filter=" in line for line in items)  # the URL's CQL2 reached the server …
    assert any("filter=" not in line and "status=" not in line for line in items)  # … the subset string did not


def test_vector_tiles_in_qgis(server):
    """QGIS loads the projects and zones as XYZ vector tile layers and decodes the tiles it needs
    for a view over 西岗区; each tile holds as many features as the API's tile, decoded here."""
    from geo.tiles import decode

    x0, y0 = 13538500, 4709500  # Web Mercator metres, over 西岗区
    layers = [_spec(name=cid, provider="vectortile", size=512, extent=[x0, y0, x0 + 4800, y0 + 4800],
                    uri=f"type=xyz&url={server}/ogc/collections/{cid}/tiles/WebMercatorQuad/{{z}}/{{y}}/{{x}}&zmin=0&zmax=22")
              for cid in ("projects", "zones")]
    seen = run_qgis(*layers)
    for cid in ("projects", "zones"):
        assert seen[cid]["valid"] and not seen[cid]["errors"], seen[cid]
        tiles = seen[cid]["tiles"]
        assert tiles, seen[cid]
        for key, counts in tiles.items():
            z, y, x = key.split("/")
            data = httpx.get(f"{server}/ogc/collections/{cid}/tiles/WebMercatorQuad/{z}/{y}/{x}").content
            assert counts.get(cid, 0) == len(decode(data).get(cid, {}).get("features", [])), (cid, key)
        assert max(c.get(cid, 0) for c in tiles.values()) > 5


def test_status_view_through_qgis_oapif(server):
    """GIS staff see the projects as of a year by putting ``as_of`` in the connection URL (QGIS 3.22
    passes its query on to every request); QGIS's own filter and a CQL2 filter beside it both
    mean the status of that year."""
    from urllib.parse import quote

    items = f"{server}/ogc/collections/projects/items"
    view = httpx.get(items, params={"as_of": 2016, "limit": 10000}).json()
    now = {f["id"]: f["properties"]["status"] for f in httpx.get(items, params={"limit": 10000}).json()["features"]}
    completed = sorted(f["id"] for f in view["features"] if f["properties"]["status"] == "completed")
    cql = "status = 'planned'"
    planned = httpx.get(items, params={"as_of": 2016, "filter": cql, "limit": 10000}).json()
    url = f"{server}/ogc?as_of=2016"
    seen = run_qgis(
        _spec(name="as_of", provider="OAPIF", uri=f"url='{url}' typename='projects'"),
        _spec(name="as_of_subset", provider="OAPIF", uri=f"url='{url}' typename='projects'", subset="\"status\" = 'completed'"),
        _spec(name="as_of_cql", provider="OAPIF", uri=f"url='{url}&filter={quote(cql)}' typename='projects'"),
    )
    for name in seen:
        assert seen[name]["valid"], seen[name]
    assert seen["as_of"]["features"] == view["numberMatched"] < len(now)  # projects not mentioned by 2016 left out
    assert seen["as_of"]["ids"] == sorted(f["id"] for f in view["features"])
    assert seen["as_of_subset"]["ids"] == completed
    assert seen["as_of_cql"]["ids"] == sorted(f["id"] for f in planned["features"]) and planned["numberMatched"] > 10
    # the statuses of 2016, not today's: some planned then are further along now
    assert any(now[i] != "planned" for i in seen["as_of_cql"]["ids"])

"""Edits back into data/: read (any CRS), diff (metres, memberships by the real join), validate with
the loader's rules, apply all or nothing, log, revert byte for byte. On copies of the data folders."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import shapely
import shapely.affinity
from pyproj import Geod, Transformer
from shapely.geometry import Point, shape

from geo import crs as gcrs
from geo.errors import DataError
from geo.geometry import parse_geometry
from geo.overrides import dumps
from projects import changelog, edits
from projects.dataset import read_dataset
from zmtest import BACKEND, DATA_DIR, MINI_DIR, MINI_SEEDS, seeds_dir

# Files in, files out, the join on a throwaway SpatiaLite database whatever the deployment's backend:
# nothing here depends on the backend under test (the HTTP tests, which reload it, run on both).
pytestmark = pytest.mark.skipif(BACKEND != "spatialite", reason="backend-independent (data files and a throwaway "
                                "SpatiaLite join): run once, in the SpatiaLite run")
GEOD = Geod(ellps="WGS84")


def canonical_copy(src: Path, dst: Path) -> Path:
    """A copy of a data folder whose GeoJSON files are in the data folder's text layout."""
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("seeds"))
    for p in (dst / "geometry").glob("*.geojson"):
        p.write_text(dumps(json.loads(p.read_text(encoding="utf-8"))), encoding="utf-8")
    return dst


@pytest.fixture
def mini(tmp_path) -> Path:
    return canonical_copy(MINI_DIR, tmp_path / "data")


def digest(data: Path) -> dict[str, str]:
    """Every file of the data folder but the change log, by content."""
    return {p.relative_to(data).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(data.rglob("*")) if p.is_file() and "changes" not in p.relative_to(data).parts}


def fc(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def feat(fid, geometry, **props) -> dict:
    return {"type": "Feature", "properties": {"id": fid, **props}, "geometry": geometry}


def point(lon, lat) -> dict:
    return {"type": "Point", "coordinates": [lon, lat]}


def import_(data, layer, content, crs=None, seeds=MINI_SEEDS, **kw):
    source = edits.read_source(content, "edit.geojson", layer, crs=crs)
    kw.setdefault("author", "li.wei")
    kw.setdefault("note", "moved onto the surveyed corner")
    return edits.plan_import(data, seeds, layer, source, via="test", **kw)


def record(data: Path, rel: str, id_property: str, fid: str) -> dict | None:
    doc = json.loads((data / rel).read_text(encoding="utf-8"))
    return next((f for f in doc["features"] if f["properties"][id_property] == fid), None)


def zone_of(data: Path, zid: str):
    return shape(record(data, "geometry/zones.geojson", "zone", zid)["geometry"])


# ---- moving a project point ------------------------------------------------------------------------

def test_moving_a_point_changes_its_zone_and_is_logged(mini):
    south = zone_of(mini, "mini-south")
    target = south.representative_point()
    assert not zone_of(mini, "mini-north").contains(target)
    before = digest(mini)
    plan = import_(mini, "projects", fc(feat("plot-a", point(round(target.x, 6), round(target.y, 6)))))
    assert digest(mini) == before  # planning writes nothing
    [f] = plan.change["features"]
    old = record(mini, "geometry/project_points.geojson", "project", "plot-a")
    # the distance, independently: geodesic on WGS84
    _, _, metres = GEOD.inv(*old["geometry"]["coordinates"], round(target.x, 6), round(target.y, 6))
    assert f["moved_m"] == pytest.approx(metres, rel=2e-3)
    # memberships by the join: plot-a now in the south zone (its point lies there), no longer
    # spatially in the north one (the text may still place it there)
    changed = {(m["project"], m["zone"]): m for m in plan.memberships}
    assert changed[("plot-a", "mini-south")]["before"] is None and changed[("plot-a", "mini-south")]["after"] is not None
    assert changed[("plot-a", "mini-north")]["before"] != changed[("plot-a", "mini-north")]["after"]
    assert f["memberships"] == [m for m in plan.memberships if m["project"] == "plot-a"]

    edits.apply(plan)
    new = record(mini, "geometry/project_points.geojson", "project", "plot-a")
    assert new["geometry"]["coordinates"] == [round(target.x, 6), round(target.y, 6)]
    assert new["properties"]["placement"] == "edited in QGIS by li.wei on " + plan.change["time"][:10] + \
        ": moved onto the surveyed corner (change 0001)"
    assert new["properties"]["accuracy_m"] == old["properties"]["accuracy_m"]  # kept
    assert [p.name for p in (mini / "changes").iterdir()] == ["0001-projects-plot-a.json"]
    logged = json.loads((mini / "changes/0001-projects-plot-a.json").read_text(encoding="utf-8"))
    assert logged["author"] == "li.wei" and logged["note"] == "moved onto the surveyed corner" and logged["files"][0]["before"] == old
    ds = read_dataset(mini, MINI_SEEDS)  # the loader accepts the result and carries the log
    assert [r["feature_id"] for r in ds.changes] == ["plot-a"] and ds.changes[0]["moved_m"] == f["moved_m"]


def test_unchanged_features_are_ignored(mini):
    same = record(mini, "geometry/project_points.geojson", "project", "plot-a")
    plan = import_(mini, "projects", fc(feat("plot-a", same["geometry"], location_accuracy_m=100.0, confidence="high")))
    assert plan.empty and "nothing to change" in plan.warnings[-1]
    assert edits.apply(plan).applied is False and not (mini / "changes").exists()


def test_accuracy_and_confidence_from_the_editor(mini):
    """The options set the features that move; a value changed in the attribute table is that
    feature's own (it changes even where the geometry does not)."""
    a = record(mini, "geometry/project_points.geojson", "project", "plot-a")
    b = record(mini, "geometry/project_points.geojson", "project", "tower-b")
    moved = point(b["geometry"]["coordinates"][0] + 0.001, b["geometry"]["coordinates"][1])
    plan = edits.apply(import_(mini, "projects", fc(feat("plot-a", a["geometry"], location_accuracy_m=15.0, confidence="high"),
                                                    feat("tower-b", moved, location_accuracy_m=100.0)),
                               accuracy_m=8, confidence="medium"))
    by_id = {f["id"]: f for f in plan.change["features"]}
    assert by_id["plot-a"]["moved_m"] == 0 and by_id["plot-a"]["after"]["accuracy_m"] == 15
    assert by_id["plot-a"]["after"]["confidence"] == "high"  # not moved: the option is not its
    assert by_id["tower-b"]["after"]["accuracy_m"] == 8 and by_id["tower-b"]["after"]["confidence"] == "medium"
    # an option alone does not touch the features that do not move
    assert import_(mini, "projects", fc(feat("tower-b", moved)), accuracy_m=3).empty


# ---- the loader's rules, the loader's messages --------------------------------------------------

def test_invalid_geometry_refused_with_the_loaders_message(mini):
    bow_tie = {"type": "Polygon", "coordinates": [[[121.605, 38.918], [121.62, 38.925], [121.62, 38.918], [121.605, 38.925], [121.605, 38.918]]]}
    before = digest(mini)
    with pytest.raises(edits.EditError) as err:
        import_(mini, "zones", fc(feat("mini-north", bow_tie)))
    [problem] = err.value.problems
    with pytest.raises(ValueError) as loader:
        parse_geometry(bow_tie, "MultiPolygon")  # the loader's own rule on the same input
    assert (problem.file, problem.item, problem.field, problem.message) == ("edit.geojson", "mini-north", "geometry", str(loader.value))
    assert digest(mini) == before


@pytest.mark.parametrize("geometry, expected", [
    (point(38.92, 121.61), "latitude and longitude swapped"),
    (point(116.39, 39.9), "outside Dalian"),
    ({"type": "LineString", "coordinates": [[121.61, 38.92], [121.62, 38.92]]}, "expected a Point"),
])
def test_bad_points(mini, geometry, expected):
    with pytest.raises(edits.EditError) as err:
        import_(mini, "projects", fc(feat("plot-a", geometry)))
    assert expected in err.value.problems[0].message and err.value.problems[0].item == "plot-a"


def test_an_open_ring_and_strict_json_by_the_loaders_rules(mini):
    open_ring = {"type": "Polygon", "coordinates": [[[121.605, 38.918], [121.62, 38.918], [121.62, 38.925], [121.605, 38.925]]]}
    with pytest.raises(edits.EditError) as err:
        import_(mini, "zones", fc(feat("mini-north", open_ring)))
    assert "is not closed" in err.value.problems[0].message
    with pytest.raises(edits.EditError) as err:
        import_(mini, "zones", b'{"type": "FeatureCollection", "type": "x", "features": []}')
    assert "duplicate key" in err.value.problems[0].message


def test_every_problem_at_once_and_nothing_written(mini):
    before = digest(mini)
    with pytest.raises(edits.EditError) as err:
        import_(mini, "projects", fc(
            feat("no-such-project", point(121.61, 38.92)),
            {"type": "Feature", "properties": {}, "geometry": point(121.61, 38.92)},
            feat("plot-a", point(121.61, 38.92)), feat("plot-a", point(121.611, 38.92)),
        ), note=" ")
    fields = sorted((p.item, p.field) for p in err.value.problems)
    assert fields == [(None, "note")]  # the note is checked first, alone
    with pytest.raises(edits.EditError) as err:
        import_(mini, "projects", fc(
            feat("no-such-project", point(121.61, 38.92)),
            {"type": "Feature", "properties": {}, "geometry": point(121.61, 38.92)},
            feat("plot-a", point(121.61, 38.92)), feat("plot-a", point(121.611, 38.92)),
        ))
    messages = {(p.item, p.field): p.message for p in err.value.problems}
    assert "not in the catalog" in messages[("no-such-project", "id")]
    assert "missing" in messages[("feature #2", "id")]
    assert "twice" in messages[("plot-a", "id")]
    assert digest(mini) == before


def test_would_be_data_validated_by_the_loader(mini):
    """What the import does not check itself (a confidence typed in QGIS's attribute table) the
    loader refuses, on the would-be data, with its own message naming the data file."""
    with pytest.raises(edits.EditError) as err:
        import_(mini, "projects", fc(feat("plot-a", point(121.611, 38.921), confidence="very high")))
    [problem] = err.value.problems
    assert (problem.file, problem.item, problem.field) == ("geometry/project_points.geojson", "plot-a", "confidence")
    assert "expected one of high, medium, low" in problem.message
    with pytest.raises(edits.EditError) as err:
        import_(mini, "projects", fc(feat("plot-a", point(121.611, 38.921))), accuracy_m=float("nan"))
    assert err.value.problems[0].field == "accuracy_m"


# ---- placing an unlocated project ----------------------------------------------------------------

def test_placing_an_unlocated_project_and_reverting_it(mini):
    ds = read_dataset(mini, MINI_SEEDS)
    unlocated = next(p["id"] for p in ds.projects if p["geom"] is None)
    before = digest(mini)
    with pytest.raises(edits.EditError) as err:
        import_(mini, "projects", fc(feat(unlocated, point(121.61, 38.92))))
    assert {p.field for p in err.value.problems} == {"accuracy_m", "confidence"}
    plan = edits.apply(import_(mini, "projects", fc(feat(unlocated, point(121.61, 38.92))), accuracy_m=30, confidence="medium"))
    assert plan.change["features"][0]["action"] == "place" and plan.change["features"][0]["moved_m"] is None
    placed = record(mini, f"geometry/{edits.NEW_POINTS_FILE}", "project", unlocated)
    assert placed["properties"]["accuracy_m"] == 30 and placed["properties"]["name_zh"]
    assert next(p for p in read_dataset(mini, MINI_SEEDS).projects if p["id"] == unlocated)["geom"] is not None
    edits.apply(edits.plan_revert(mini, MINI_SEEDS, "0001", author="li.wei", note="placed on the wrong plot", via="test"))
    assert digest(mini) == before  # the new points file is gone again
    assert next(p for p in read_dataset(mini, MINI_SEEDS).projects if p["id"] == unlocated)["geom"] is None


# ---- coordinate systems ------------------------------------------------------------------------------

def test_gcj02_declared_is_converted(mini):
    lon, lat = 121.6125, 38.9215
    glon, glat = gcrs.wgs84_to_gcj02(lon, lat)
    plan = import_(mini, "projects", fc(feat("plot-a", point(glon, glat))), crs="gcj02")
    stored = plan.change["features"][0]["after"]["geometry"]["coordinates"]
    assert GEOD.inv(lon, lat, *stored)[2] < 0.5
    assert not any("offset" in w for w in plan.warnings)


def test_gcj02_read_as_wgs84_is_flagged(mini):
    """The GCJ-02 trap: the same coordinates without crs move the point by the offset; the diff says so."""
    old = record(mini, "geometry/project_points.geojson", "project", "plot-a")["geometry"]["coordinates"]
    glon, glat = gcrs.wgs84_to_gcj02(*old)
    plan = import_(mini, "projects", fc(feat("plot-a", point(glon, glat))))
    assert 300 < plan.change["features"][0]["moved_m"] < 700
    assert any("gcj02" in w for w in plan.warnings)


def test_projected_file_with_a_crs_member(mini):
    """A GeoJSON in Web Mercator, as QGIS writes it (a GeoJSON-2008 crs member): converted by pyproj."""
    lon, lat = 121.6125, 38.9215
    x, y = Transformer.from_crs(4326, 3857, always_xy=True).transform(lon, lat)
    doc = {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}},
           "features": [feat("plot-a", point(x, y))]}
    plan = import_(mini, "projects", json.dumps(doc).encode())
    assert GEOD.inv(lon, lat, *plan.change["features"][0]["after"]["geometry"]["coordinates"])[2] < 0.01
    with pytest.raises(edits.EditError) as err:  # the file says 3857, the caller says 4490: refuse
        import_(mini, "projects", json.dumps(doc).encode(), crs="4490")
    assert err.value.problems[0].field == "crs"


def test_geopackage_input(mini, tmp_path):
    """A GeoPackage (as QGIS saves one): read by GDAL in a child process, layer by name."""
    from geo.export import geopackage_bytes

    moved = feat("plot-a", point(121.6125, 38.9215), name_zh="甲", location_accuracy_m=100.0)
    content = geopackage_bytes({"projects": [moved], "zones": [feat("mini-north", json.loads(json.dumps(
        record(mini, "geometry/zones.geojson", "zone", "mini-north")["geometry"])))]})
    source = edits.read_source(content, "zonemap.gpkg", "projects")
    assert source.layer == "projects" and source.crs == "EPSG:4326"
    plan = edits.plan_import(mini, MINI_SEEDS, "projects", source, author="li.wei", note="n", via="test")
    assert plan.change["features"][0]["after"]["geometry"]["coordinates"] == [121.6125, 38.9215]
    with pytest.raises(edits.EditError) as err:
        edits.read_source(content, "zonemap.gpkg", "streets")
    assert "name one" in err.value.problems[0].message or "no layer" in err.value.problems[0].message


# ---- generated layers: overrides -----------------------------------------------------------------

def test_zone_edit_goes_through_an_override(mini):
    north = record(mini, "geometry/zones.geojson", "zone", "mini-north")
    geometry = json.loads(json.dumps(north["geometry"]))
    geometry["coordinates"][0][0][1] = [121.622, 38.918]  # the south-east corner 170 m east
    plan = edits.apply(import_(mini, "zones", fc(feat("mini-north", geometry))))
    [f] = plan.change["features"]
    assert f["vertices_moved"] == 1 and f["max_vertex_move_m"] == pytest.approx(GEOD.inv(121.62, 38.918, 121.622, 38.918)[2], rel=2e-3)
    assert f["area_after_m2"] > f["area_before_m2"]
    override = record(mini, "geometry/overrides/zones.geojson", "zone", "mini-north")
    patched = record(mini, "geometry/zones.geojson", "zone", "mini-north")
    assert override["geometry"] == patched["geometry"] and override["properties"]["change"] == "0001"
    assert {k: override["properties"][k] for k in ("author", "note")} == {"author": "li.wei", "note": "moved onto the surveyed corner"}
    read_dataset(mini, MINI_SEEDS)  # the override is applied: valid


def test_an_override_the_generated_file_lost_is_an_error(mini):
    north = record(mini, "geometry/zones.geojson", "zone", "mini-north")
    geometry = json.loads(json.dumps(north["geometry"]))
    geometry["coordinates"][0][0][1] = [121.622, 38.918]
    edits.apply(import_(mini, "zones", fc(feat("mini-north", geometry))))
    doc = json.loads((mini / "geometry/zones.geojson").read_text(encoding="utf-8"))
    doc["features"][0] = north  # a script re-run without the override, in effect
    (mini / "geometry/zones.geojson").write_text(dumps(doc), encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_dataset(mini, MINI_SEEDS)
    assert any(p.file == "geometry/zones.geojson" and p.item == "mini-north" and "override" in p.message for p in err.value.problems)


def test_a_broken_override_file_is_reported_not_a_crash(mini):
    north = record(mini, "geometry/zones.geojson", "zone", "mini-north")
    geometry = json.loads(json.dumps(north["geometry"]))
    geometry["coordinates"][0][0][1] = [121.622, 38.918]
    edits.apply(import_(mini, "zones", fc(feat("mini-north", geometry))))
    path = mini / "geometry" / "overrides" / "zones.geojson"
    for text, expected in (("{not json", "not valid JSON"), (path.read_text(encoding="utf-8").replace('"note"', '"notes"'), "notes")):
        path.write_text(text, encoding="utf-8")
        with pytest.raises(DataError) as err:
            read_dataset(mini, MINI_SEEDS)
        assert any(p.file == "geometry/overrides/zones.geojson" and expected in str(p) for p in err.value.problems), err.value


def test_corridor_polygon_is_edited_through_its_centreline(mini):
    ds = read_dataset(mini, MINI_SEEDS)
    axis = next(z for z in ds.zones if z["id"] == "mini-axis")
    shifted = shapely.affinity.translate(axis["geom"], 0.001, 0)
    with pytest.raises(edits.EditError) as err:
        import_(mini, "zones", fc(feat("mini-axis", shapely.geometry.mapping(shifted))))
    assert "centreline" in err.value.problems[0].message
    # the unchanged polygon (as the export gives it, rounded) is no edit
    same = json.loads(json.dumps(shapely.geometry.mapping(shapely.set_precision(axis["geom"], 1e-6))))
    assert import_(mini, "zones", fc(feat("mini-axis", same))).empty
    line = shapely.affinity.translate(axis["centreline"], 0.002, 0)
    plan = edits.apply(import_(mini, "corridors", fc(feat("mini-axis", shapely.geometry.mapping(line)))))
    assert plan.change["features"][0]["moved_m"] == pytest.approx(GEOD.inv(121.6, 38.92, 121.602, 38.92)[2], rel=0.01)
    after = next(z for z in read_dataset(mini, MINI_SEEDS).zones if z["id"] == "mini-axis")
    assert after["geom"].centroid.x == pytest.approx(axis["geom"].centroid.x + 0.002, abs=1e-4)


# ---- apply: all or nothing, one at a time ----------------------------------------------------------

def test_a_plan_made_stale_by_another_edit_is_refused(mini):
    first = import_(mini, "projects", fc(feat("plot-a", point(121.6125, 38.9215))))
    second = import_(mini, "projects", fc(feat("tower-b", point(121.6126, 38.9125))))
    edits.apply(second)
    with pytest.raises(edits.EditConflict):
        edits.apply(first)
    assert [p.name[:4] for p in (mini / "changes").iterdir()] == ["0001"]


# ---- revert -------------------------------------------------------------------------------------------

def test_revert_restores_the_files_byte_for_byte(mini):
    before = digest(mini)
    north = record(mini, "geometry/zones.geojson", "zone", "mini-north")
    geometry = json.loads(json.dumps(north["geometry"]))
    geometry["coordinates"][0][0][1] = [121.622, 38.918]
    edits.apply(import_(mini, "zones", fc(feat("mini-north", geometry))))
    edits.apply(import_(mini, "projects", fc(feat("plot-a", point(121.6125, 38.9215)))))
    # reverting the zone edit first is fine (the two touch different records)
    r1 = edits.apply(edits.plan_revert(mini, MINI_SEEDS, "0001", author="wang", note="wrong corner", via="test"))
    assert r1.change["reverts"] == "0001" and r1.change["features"][0]["action"] == "revert"
    with pytest.raises(edits.EditConflict, match="already reverted by 0003"):
        edits.plan_revert(mini, MINI_SEEDS, "0001", author="wang", note="again", via="test")
    edits.apply(edits.plan_revert(mini, MINI_SEEDS, "0002", author="wang", note="wrong point", via="test"))
    assert digest(mini) == before
    assert not (mini / "geometry" / "overrides").exists()
    # a revert of a revert re-applies
    edits.apply(edits.plan_revert(mini, MINI_SEEDS, "0003", author="wang", note="it was right", via="test"))
    assert record(mini, "geometry/zones.geojson", "zone", "mini-north")["geometry"] == geometry
    rows = read_dataset(mini, MINI_SEEDS).changes
    assert [(r["change_id"], r["feature_id"], r["action"], r["reverts"]) for r in rows] == [
        ("0001", "mini-north", "edit", None), ("0002", "plot-a", "edit", None), ("0003", "mini-north", "revert", "0001"),
        ("0004", "plot-a", "revert", "0002"), ("0005", "mini-north", "revert", "0003")]


def test_revert_refused_when_the_feature_changed_again(mini):
    edits.apply(import_(mini, "projects", fc(feat("plot-a", point(121.6125, 38.9215)))))
    edits.apply(import_(mini, "projects", fc(feat("plot-a", point(121.6127, 38.9215)))))
    with pytest.raises(edits.EditConflict, match="changed again by change 0002"):
        edits.plan_revert(mini, MINI_SEEDS, "0001", author="wang", note="n", via="test")
    with pytest.raises(edits.UnknownChange):
        edits.plan_revert(mini, MINI_SEEDS, "0009", author="wang", note="n", via="test")


# ---- the log, validated by the loader --------------------------------------------------------------

def test_the_loader_validates_the_change_log(mini):
    edits.apply(import_(mini, "projects", fc(feat("plot-a", point(121.6125, 38.9215)))))
    path = mini / "changes" / "0001-projects-plot-a.json"
    good = json.loads(path.read_text(encoding="utf-8"))
    for broken, field in (({**good, "note": ""}, "note"), ({**good, "time": "yesterday"}, "time"),
                          ({**good, "action": "revert"}, "reverts"), ({**good, "id": "0002"}, "id")):
        path.write_text(dumps(broken), encoding="utf-8")
        with pytest.raises(DataError) as err:
            read_dataset(mini, MINI_SEEDS)
        assert any(p.file == "changes/0001-projects-plot-a.json" and p.field == field for p in err.value.problems), field
    path.write_text(dumps(good), encoding="utf-8")
    shutil.copy(path, mini / "changes" / "0001-projects-tower-b.json")
    with pytest.raises(DataError, match="two changes numbered 0001"):
        read_dataset(mini, MINI_SEEDS)


# ---- the product's own data ------------------------------------------------------------------------

def test_data_files_are_in_the_layout_edits_write():
    """Every geometry file is in the text layout edits write (geo.overrides.dumps): an edit and its
    revert then leave a file byte for byte as it was."""
    for path in sorted((DATA_DIR / "geometry").rglob("*.geojson")):
        text = path.read_text(encoding="utf-8")
        assert dumps(json.loads(text)) == text, path


def test_rerunning_the_generator_keeps_an_edit(tmp_path):
    """On a copy of the product's data: a zone corrected by import survives its script being run
    again — the script applies the override and writes the very same file."""
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    zid = "xg13-olympic"
    old = record(data, "geometry/zones_xigang.geojson", "zone", zid)
    geometry = json.loads(json.dumps(old["geometry"]))
    x, y = geometry["coordinates"][0][0][3]
    geometry["coordinates"][0][0][3] = [x - 0.0008, y]
    plan = edits.apply(import_(data, "zones", fc(feat(zid, geometry)), seeds=seeds_dir()))
    assert plan.change["features"][0]["generator"] == "geometry/src/zones_xigang.py"
    imported = (data / "geometry/zones_xigang.geojson").read_bytes()
    script = data / "geometry" / "src" / "zones_xigang.py"
    subprocess.run([sys.executable, str(script)], check=True, capture_output=True, timeout=300)
    assert (data / "geometry/zones_xigang.geojson").read_bytes() == imported
    assert record(data, "geometry/zones_xigang.geojson", "zone", zid)["geometry"] == geometry
    assert Point(x - 0.0008, y).distance(shape(record(data, "geometry/zones_xigang.geojson", "zone", zid)["geometry"])) < 1e-9


@pytest.mark.parametrize("crs", ["gcj02", "bd09", "3857", "4490"])
def test_an_export_in_any_crs_comes_back_unchanged(mini, mini_client, crs):
    """The GeoJSON export in another system (its crs or coordinate_system member says which) is
    read back to the same data: no change; moving one point in it is one change, in WGS84."""
    body = mini_client.get("/api/export/projects.geojson", params={"crs": crs}).content
    assert import_(mini, "projects", body).empty
    doc = json.loads(body)
    f = next(f for f in doc["features"] if f["properties"]["id"] == "plot-a")
    x, y = f["geometry"]["coordinates"]
    f["geometry"]["coordinates"] = [x + (50 if crs == "3857" else 0.0005), y]
    plan = import_(mini, "projects", json.dumps(doc).encode())
    assert [g["id"] for g in plan.change["features"]] == ["plot-a"] and 30 < plan.change["features"][0]["moved_m"] < 60
    assert plan.change["source"]["crs"] == {"3857": "EPSG:3857", "4490": "EPSG:4490"}.get(crs, crs)


def test_a_vertex_moved_in_a_shifted_file_moves_alone(mini, mini_client):
    """A zone sent back in BD-09 with one vertex moved: that vertex changes, every other keeps its
    exact stored coordinates (the few centimetres of the BD-09 round trip are no edit)."""
    doc = json.loads(mini_client.get("/api/export/zones.geojson", params={"crs": "bd09"}).content)
    f = next(f for f in doc["features"] if f["properties"]["id"] == "mini-north")
    ring = f["geometry"]["coordinates"][0][0]
    ring[1] = [ring[1][0] + 0.002, ring[1][1]]
    plan = import_(mini, "zones", json.dumps(doc).encode())
    [changed] = plan.change["features"]
    assert changed["id"] == "mini-north" and changed["vertices_moved"] == 1 and 150 < changed["max_vertex_move_m"] < 200
    old = record(mini, "geometry/zones.geojson", "zone", "mini-north")["geometry"]["coordinates"][0][0]
    new = changed["after"]["geometry"]["coordinates"][0][0]
    assert [c for i, c in enumerate(new) if i != 1] == [c for i, c in enumerate(old) if i != 1] and new[1] != old[1]

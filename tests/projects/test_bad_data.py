"""The bad-data corpus: one case per way the data folder can be wrong. Each case breaks a copy of
the mini data, then `zonemap load` must exit 1 naming the file, the entry, the field and what was
expected — and leave the database exactly as it was (the file's bytes on SpatiaLite; every row of
every table and the list of schemas on PostGIS) — and `zonemap check` must fail the same way.
System cases (full disks, read-only files, killed loads …) are in test_store.py."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Callable

import pytest
import yaml

from projects.dataset import read_dataset
from projects.store import write_dataset
from webmap.cli import main as zonemap
from zmtest import MINI_DIR, MINI_SEEDS, db_state

CATALOG = "catalog/mini.yaml"
ZONES = "geometry/zones.geojson"
POINTS = "geometry/project_points.geojson"
LINES = "geometry/zone_lines.geojson"
STREETS = "geometry/streets.geojson"
DISTRICTS = "reference/dalian_districts.geojson"


class _PlainDumper(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


def yaml_edit(fn: Callable[[dict], None], rel: str = CATALOG) -> Callable[[Path], None]:
    def run(data: Path) -> None:
        path = data / rel
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        fn(doc)
        path.write_text(yaml.dump(doc, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return run


def json_edit(rel: str, fn: Callable[[dict], None]) -> Callable[[Path], None]:
    def run(data: Path) -> None:
        path = data / rel
        doc = json.loads(path.read_text(encoding="utf-8"))
        fn(doc)
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return run


def text_edit(rel: str, fn: Callable[[str], str]) -> Callable[[Path], None]:
    def run(data: Path) -> None:
        path = data / rel
        new = fn(path.read_text(encoding="utf-8"))
        assert new != path.read_text(encoding="utf-8"), "the edit changed nothing"
        path.write_text(new, encoding="utf-8")
    return run


def project(doc, pid):
    return next(p for p in doc["projects"] if p["id"] == pid)


def feature(doc, key, value):
    return next(f for f in doc["features"] if f["properties"].get(key) == value)


def district(doc, name):
    return next(f for f in doc["features"] if f["properties"]["name_zh"] == name)


def setitem(getter, key, value):
    def fn(doc):
        getter(doc)[key] = value
    return fn


def delitem(getter, key):
    def fn(doc):
        del getter(doc)[key]
    return fn


def mention(pid, n=0):
    return lambda doc: project(doc, pid)["mentions"][n]


def zone_record(zid):
    return lambda doc: next(z for z in doc["layouts"][0]["zones"] if z["id"] == zid)


def swap_lon_lat(geom):
    def swap(c):
        return [swap(x) for x in c] if isinstance(c[0], list) else [c[1], c[0]]
    geom["coordinates"] = swap(geom["coordinates"])


def remove(rel):
    def run(data: Path):
        (data / rel).unlink()
    return run


def write(rel, content: bytes | str):
    def run(data: Path):
        path = data / rel
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return run


def both(*edits):
    def run(data: Path):
        for e in edits:
            e(data)
    return run


ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))

LONG = "x" * 12000

# name → (edit of the data folder, fragments the message must contain: file, entry, field, expected)
CASES: dict[str, tuple[Callable[[Path], None], list[str]]] = {
    # --- catalog: fields that do not exist (a typo must not be silently ignored) ---
    "unknown mention field (statuss)": (yaml_edit(setitem(mention("plot-a"), "statuss", "completed")),
                                        [CATALOG, "plot-a mention #1", "field 'statuss'", "unknown field (did you mean 'status'?)"]),
    "unknown project field": (yaml_edit(setitem(lambda d: project(d, "tower-b"), "kinds", "building")),
                              [CATALOG, "tower-b", "field 'kinds'", "unknown field (did you mean 'kind'?)"]),
    "unknown cite field": (yaml_edit(setitem(lambda d: d["layouts"][0]["cite"], "qoute", "x")),
                           [CATALOG, "mini-two-zones", "field 'cite.qoute'", "unknown field (did you mean 'quote'?)"]),
    "unknown zone field": (yaml_edit(setitem(zone_record("mini-north"), "industry", ["tourism"])),
                           [CATALOG, "mini-north", "field 'industry'", "unknown field (did you mean 'industries'?)"]),
    "unknown plan field": (yaml_edit(setitem(lambda d: d["plans"][0], "titel_zh", "x")),
                           [CATALOG, "mini-plan", "field 'titel_zh'", "unknown field (did you mean 'title_zh'?)"]),
    "unknown section": (yaml_edit(lambda d: d.update(project=[])),
                        [CATALOG, "field 'project'", "unknown section; expected one of plans"]),
    # --- YAML itself ---
    "duplicate YAML key": (text_edit(CATALOG, lambda t: t.replace("    kind: park\n", "    kind: park\n    kind: market\n")),
                           [CATALOG, "not valid YAML at line 45, column 5", "duplicate key 'kind' (first at line 44)"]),
    "YAML alias bomb": (write(CATALOG, ALIAS_BOMB), [CATALOG, "not valid YAML at line 1, column 4", "anchors (&a) are not allowed"]),
    "YAML alias": (text_edit(CATALOG, lambda t: t.replace("kind: market\n", "kind: *k\n")),
                   [CATALOG, "not valid YAML at line 50, column 11", "aliases (*k) are not allowed"]),
    "YAML syntax error": (write(CATALOG, "projects: [unclosed\n"), [CATALOG, "not valid YAML at line 2, column 1"]),
    "not UTF-8": (write(CATALOG, "plans: []\nname: \xe6\xb5\x8b".encode("latin-1") + b"\xff\xfe"), [CATALOG, "not valid UTF-8: byte 0xff at position"]),
    "empty catalog file": (write(CATALOG, "# nothing here\n"), [CATALOG, "the file is empty"]),
    "catalog top level is a list": (write(CATALOG, "- plans\n- projects\n"), [CATALOG, "expected a mapping of sections", "found ['plans', 'projects']"]),
    "section is not a list": (yaml_edit(lambda d: d.update(streets={"id": "x"})), [CATALOG, "field 'streets'", "expected a list of entries, found {'id': 'x'}"]),
    "entry is not a mapping": (yaml_edit(lambda d: d["projects"].append("just a name")), [CATALOG, "expected a mapping of fields, found str 'just a name'"]),
    ".yml file beside the catalog": (write("catalog/extra.yml", "projects: []\n"), ["catalog/extra.yml", "catalog files end in .yaml"]),
    # --- dates and numbers ---
    "date 2016-13-45": (text_edit(CATALOG, lambda t: t.replace("date: 2016-06-01", "date: 2016-13-45")),
                        [CATALOG, "mini-plan", "field 'date'", "expected a date YYYY-MM-DD that exists, found '2016-13-45'"]),
    "date as words": (yaml_edit(setitem(lambda d: d["plans"][0], "date", "June 2016")),
                      [CATALOG, "mini-plan", "field 'date'", "expected a date YYYY-MM-DD that exists, found 'June 2016'"]),
    "year out of range": (yaml_edit(setitem(mention("tower-b"), "year", 3000)),
                          [CATALOG, "tower-b mention #1", "field 'year'", "expected a whole number between 1949 and 2100, found 3000"]),
    "year as text": (yaml_edit(setitem(lambda d: d["plans"][0], "year", "2016年")),
                     [CATALOG, "mini-plan", "field 'year'", "expected a whole number between 1949 and 2100, found '2016年'"]),
    "investment as true": (yaml_edit(setitem(mention("plot-a"), "investment", True)),
                           [CATALOG, "plot-a mention #1", "field 'investment'", "expected text, found bool True"]),
    # --- lengths come from the database columns (the validator and the schema agree) ---
    "97-character project id": (yaml_edit(lambda d: (setitem(lambda d: project(d, "market-d"), "id", "m" * 97)(d))),
                                [CATALOG, "m" * 40, "field 'id'", "too long: 97 characters, at most 96 (database column projects.id)"]),
    "42-character district": (yaml_edit(setitem(lambda d: project(d, "park-c"), "district", "区" * 42)),
                              [CATALOG, "park-c", "field 'district'", "too long: 42 characters, at most 32 (database column projects.district)"]),
    "65-character zone id": (both(yaml_edit(setitem(zone_record("mini-axis"), "id", "z" * 65)), remove(LINES)),
                             [CATALOG, "field 'id'", "too long: 65 characters, at most 64 (database column zones.id)"]),
    "long source file name": (yaml_edit(setitem(lambda d: d["plans"][0], "source_file", "f" * 200 + ".txt")),
                              [CATALOG, "mini-plan", "field 'source_file'", "at most 128 (database column plans.source_file)"]),
    "12 KB id is quoted short": (yaml_edit(setitem(lambda d: project(d, "park-c"), "id", LONG)),
                                 [CATALOG, "field 'id'", "too long: 12000 characters, at most 96", "(12002 characters)"]),
    "quote longer than 80": (yaml_edit(setitem(mention("park-c"), "quote", "丙公园规划建设" * 12)),
                             [CATALOG, "park-c mention #1", "field 'quote'", "too long: 84 characters, at most 80"]),
    # --- values ---
    "kind not in the vocabulary": (yaml_edit(setitem(lambda d: project(d, "park-c"), "kind", "parks")),
                                   [CATALOG, "park-c", "field 'kind'", "expected one of plot_redevelopment", "(did you mean 'park'?)"]),
    "id not a slug": (yaml_edit(setitem(lambda d: project(d, "park-c"), "id", "Park C")),
                      [CATALOG, "field 'id'", "expected an ASCII slug like 'xg13-zhanbei' ([a-z0-9-]), found 'Park C'"]),
    "name missing": (yaml_edit(delitem(lambda d: project(d, "park-c"), "name_zh")), [CATALOG, "park-c", "field 'name_zh'", "missing: expected text"]),
    "name is a number": (yaml_edit(setitem(lambda d: project(d, "park-c"), "name_zh", 42)), [CATALOG, "park-c", "field 'name_zh'", "expected text, found int 42"]),
    "no mentions": (yaml_edit(setitem(lambda d: project(d, "park-c"), "mentions", [])),
                    [CATALOG, "park-c", "field 'mentions'", "expected at least one mention"]),
    "aliases not a list": (yaml_edit(setitem(lambda d: project(d, "tower-b"), "aliases", "乙楼")),
                           [CATALOG, "tower-b", "field 'aliases'", "expected a list of names, found '乙楼'"]),
    "explicit status without a note": (yaml_edit(setitem(mention("park-c"), "status", "completed")),
                                       [CATALOG, "park-c mention #1", "field 'status_note'", "say why"]),
    "duplicate project id": (yaml_edit(lambda d: d["projects"].append(dict(project(d, "plot-a")))),
                             [CATALOG, "plot-a", "field 'id'", "duplicate project id; first defined in catalog/mini.yaml"]),
    "dangling zone": (yaml_edit(setitem(mention("plot-a"), "zone", "no-such-zone")), [CATALOG, "plot-a", "field 'zone'", "unknown zone 'no-such-zone'"]),
    "unknown status": (yaml_edit(lambda d: mention("tower-b")(d).update(status="finished", status_note="typo on purpose")),
                       [CATALOG, "tower-b", "field 'status'", "expected one of completed", "found 'finished'"]),
    "unknown document": (yaml_edit(setitem(mention("park-c"), "plan", "no-such-plan")), [CATALOG, "park-c", "field 'plan'", "unknown plan 'no-such-plan'"]),
    "quote not in the document": (yaml_edit(setitem(mention("park-c"), "quote", "丙公园已经建成开放")),
                                  [CATALOG, "park-c", "field 'quote'", "not a verbatim substring of mini-plan.txt"]),
    "unknown industry": (yaml_edit(setitem(lambda d: project(d, "plot-a"), "industries", ["no-such-industry"])),
                         [CATALOG, "plot-a", "field 'industries'", "unknown industry 'no-such-industry'"]),
    # --- zones and their geometry ---
    "zone without polygon or reason": (json_edit(ZONES, lambda d: d["features"].remove(feature(d, "zone", "mini-south"))),
                                       [CATALOG, "mini-south", "field 'geometry'", "no polygon in geometry/zones*.geojson", "no unmapped_reason"]),
    "zones file missing": (remove(ZONES), ["geometry/zones.geojson (or zones_*.geojson): missing: this layer is required",
                                           "mini-north: field 'geometry': the zone has no polygon"]),
    "zone has a polygon and a reason": (yaml_edit(setitem(zone_record("mini-north"), "unmapped_reason", "none")),
                                        [CATALOG, "mini-north", "field 'unmapped_reason'", "the zone has geometry now"]),
    "zone has a polygon and a corridor": (json_edit(LINES, lambda d: feature(d, "zone", "mini-axis")["properties"].update(zone="mini-north")),
                                          [LINES, "mini-north", "field 'zone'", "both a polygon (in geometry/zones.geojson) and a corridor line"]),
    "corridor width out of range, named by its real file": (
        both(json_edit(LINES, lambda d: feature(d, "zone", "mini-axis")["properties"].update(corridor_m=6000)),
             lambda data: (data / LINES).rename(data / "geometry/zone_lines_hand.geojson")),
        ["geometry/zone_lines_hand.geojson: mini-axis: field 'corridor_m'", "half-width in metres (0–5000), found 6000"]),
    # --- GeoJSON geometry ---
    "self-intersecting polygon": (json_edit(ZONES, lambda d: feature(d, "zone", "mini-north").update(geometry={"type": "MultiPolygon", "coordinates": [[[
        [121.605, 38.918], [121.62, 38.925], [121.62, 38.918], [121.605, 38.925], [121.605, 38.918]]]]})),
        [ZONES, "mini-north", "field 'geometry'", "not valid: Self-intersection"]),
    "unclosed ring": (json_edit(ZONES, lambda d: feature(d, "zone", "mini-south")["geometry"]["coordinates"][0][0].pop()),
                      [ZONES, "mini-south", "field 'geometry'", "ring 1 of polygon 1 is not closed: its last position [121.605, 38.915] must repeat its first [121.605, 38.905]"]),
    "ring of three positions": (json_edit(ZONES, lambda d: feature(d, "zone", "mini-south")["geometry"].update(coordinates=[[[[121.605, 38.905], [121.62, 38.905], [121.605, 38.905]]]])),
                                [ZONES, "mini-south", "field 'geometry'", "ring 1 of polygon 1 needs at least 4 positions"]),
    "lat/lon swapped point": (json_edit(POINTS, lambda d: feature(d, "project", "plot-a")["geometry"].update(coordinates=[38.922, 121.618])),
                              [POINTS, "plot-a", "field 'geometry'", "out of WGS84 range", "swapped?"]),
    "far from Dalian": (json_edit(POINTS, lambda d: feature(d, "project", "market-d")["geometry"].update(coordinates=[116.39, 39.91])),
                        [POINTS, "market-d", "field 'geometry'", "outside Dalian"]),
    "projected metres": (json_edit(POINTS, lambda d: feature(d, "project", "tower-b")["geometry"].update(coordinates=[531000.0, 4309000.0])),
                         [POINTS, "tower-b", "field 'geometry'", "out of WGS84 range"]),
    "wrong geometry type": (json_edit(POINTS, lambda d: feature(d, "project", "plot-a").update(geometry={"type": "LineString", "coordinates": [[121.61, 38.92], [121.62, 38.92]]})),
                            [POINTS, "plot-a", "field 'geometry'", "expected a Point, found a LineString"]),
    "null zone geometry": (json_edit(ZONES, lambda d: feature(d, "zone", "mini-north").update(geometry=None)),
                           [ZONES, "mini-north", "field 'geometry'", "geometry is missing (null)"]),
    "geometry with text coordinates": (json_edit(POINTS, lambda d: feature(d, "project", "plot-a")["geometry"].update(coordinates=["121.6", "38.9"])),
                                       [POINTS, "plot-a", "field 'geometry'", "the point: expected positions [longitude, latitude] of numbers"]),
    "NaN coordinate": (json_edit(POINTS, lambda d: feature(d, "project", "plot-a")["geometry"].update(coordinates=[float("nan"), 38.9])),
                       [POINTS, "not valid JSON: NaN is not a number in JSON"]),
    "line with one number per position": (json_edit(STREETS, lambda d: feature(d, "street", "changchun-road")["geometry"].update(coordinates=[[121.6, 121.7]])),
                                          [STREETS, "changchun-road", "field 'geometry'", "line 1: expected positions [longitude, latitude] of numbers"]),
    # --- GeoJSON properties and structure ---
    "unknown property (acuracy_m)": (json_edit(POINTS, lambda d: feature(d, "project", "tower-b")["properties"].update(acuracy_m=5)),
                                     [POINTS, "tower-b", "field 'acuracy_m'", "unknown property (did you mean 'accuracy_m'?)"]),
    "missing accuracy": (json_edit(ZONES, lambda d: feature(d, "zone", "mini-south")["properties"].pop("accuracy_m")),
                         [ZONES, "mini-south", "field 'accuracy_m'", "expected a positive number of metres, found None"]),
    "negative accuracy": (json_edit(POINTS, lambda d: feature(d, "project", "plot-a")["properties"].update(accuracy_m=-5)),
                          [POINTS, "plot-a", "field 'accuracy_m'", "expected a positive number of metres, found -5"]),
    "accuracy as text": (json_edit(POINTS, lambda d: feature(d, "project", "plot-a")["properties"].update(accuracy_m="50 m")),
                         [POINTS, "plot-a", "field 'accuracy_m'", "found '50 m'"]),
    "confidence not in the vocabulary": (json_edit(STREETS, lambda d: feature(d, "street", "changchun-road")["properties"].update(confidence="certain")),
                                         [STREETS, "changchun-road", "field 'confidence'", "expected one of high, medium, low, found 'certain'"]),
    "empty placement": (json_edit(STREETS, lambda d: feature(d, "street", "changchun-road")["properties"].update(placement=" ")),
                        [STREETS, "changchun-road", "field 'placement'", "missing: say how the feature was placed"]),
    "feature without its id": (json_edit(POINTS, lambda d: feature(d, "project", "plot-a")["properties"].pop("project")),
                               [POINTS, "feature #1", "field 'project'", "missing: every feature names the catalog id"]),
    "feature id is a number": (json_edit(POINTS, lambda d: feature(d, "project", "plot-a")["properties"].update(project=7)),
                               [POINTS, "feature #1", "field 'project'", "found 7"]),
    "point of an unknown project": (json_edit(POINTS, lambda d: feature(d, "project", "plot-a")["properties"].update(project="no-such-project")),
                                    [POINTS, "no-such-project", "field 'project'", "unknown project id: not in the catalog"]),
    "two points for one project": (write("geometry/project_points_extra.geojson", json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"project": "plot-a", "placement": "x", "accuracy_m": 5, "confidence": "low"},
         "geometry": {"type": "Point", "coordinates": [121.61, 38.92]}}]})),
        ["geometry/project_points_extra.geojson", "plot-a", "field 'project'", "more than one feature for this project (also in geometry/project_points.geojson)"]),
    "properties null": (json_edit(POINTS, lambda d: d["features"][0].update(properties=None)),
                        [POINTS, "feature #1", "field 'properties'", "expected an object of properties, found None"]),
    "feature of another type": (json_edit(POINTS, lambda d: d["features"][0].update(type="Point")),
                                [POINTS, "feature #1", "field 'type'", "expected a GeoJSON Feature"]),
    "not a FeatureCollection": (json_edit(POINTS, lambda d: d.update(type="GeometryCollection")),
                                [POINTS, "field 'type'", "expected a GeoJSON FeatureCollection, found 'GeometryCollection'"]),
    "no features": (json_edit(STREETS, lambda d: d.update(features=[])), [STREETS, "field 'features'", "the file has no features"]),
    "crs member": (json_edit(POINTS, lambda d: d.update(crs={"type": "name", "properties": {"name": "EPSG:4326"}})),
                   [POINTS, "field 'crs'", "RFC 7946 GeoJSON has no 'crs' member"]),
    "duplicate JSON key": (text_edit(POINTS, lambda t: t.replace('"accuracy_m": 100,', '"accuracy_m": 100, "accuracy_m": 5,', 1)),
                           [POINTS, "not valid JSON: duplicate key 'accuracy_m' in one object"]),
    "JSON syntax error": (write(POINTS, '{"type": "FeatureCollection", "features": [\n  {"type": "Feature",}\n]}'),
                          [POINTS, "not valid JSON at line 2, column 22"]),
    "empty GeoJSON file": (write(STREETS, ""), [STREETS, "not valid JSON at line 1, column 1"]),
    "stray geometry file": (write("geometry/zone.geojson", '{"type": "FeatureCollection", "features": []}'),
                            ["geometry/zone.geojson", "belongs to no layer (it would be ignored)"]),
    "required layer missing": (remove(POINTS), ["geometry/project_points.geojson (or project_points_*.geojson): missing: this layer is required"]),
    # --- district outlines: validated like every other layer ---
    "lat/lon-swapped 西岗区": (json_edit(DISTRICTS, lambda d: swap_lon_lat(district(d, "西岗区")["geometry"])),
                              [DISTRICTS, "210203", "field 'geometry'", "out of WGS84 range", "swapped?"]),
    "null district geometry": (json_edit(DISTRICTS, lambda d: district(d, "沙河口区").update(geometry=None)),
                               [DISTRICTS, "210204", "field 'geometry'", "geometry is missing (null)"]),
    "unknown district property": (json_edit(DISTRICTS, lambda d: district(d, "中山区")["properties"].update(area_km2=40)),
                                  [DISTRICTS, "210202", "field 'area_km2'", "unknown property"]),
    "district without adcode": (json_edit(DISTRICTS, lambda d: district(d, "中山区")["properties"].pop("adcode")),
                                [DISTRICTS, "feature #2", "field 'adcode'", "missing: every feature names the catalog id"]),
    "duplicate adcode": (json_edit(DISTRICTS, lambda d: district(d, "中山区")["properties"].update(adcode="210203")),
                         [DISTRICTS, "210203", "field 'adcode'", "more than one outline with this adcode"]),
    "district level unknown": (json_edit(DISTRICTS, lambda d: district(d, "中山区")["properties"].update(level="region")),
                               [DISTRICTS, "210202", "field 'level'", "expected one of city, district", "found 'region'"]),
    "district file missing": (remove(DISTRICTS), ["reference/dalian_districts.geojson: missing: this layer is required"]),
    # --- files that are not files ---
    "directory named like a catalog file": (lambda data: (data / "catalog/more.yaml").mkdir(),
                                            ["catalog/more.yaml", "is a directory; expected a YAML file"]),
    "directory named like a geometry file": (lambda data: (data / "geometry/project_points_more.geojson").mkdir(),
                                             ["geometry/project_points_more.geojson", "is a directory; expected a GeoJSON file"]),
    "file vanished (broken link)": (lambda data: os.symlink(data / "catalog/gone.yaml.orig", data / "catalog/gone.yaml"),
                                    ["catalog/gone.yaml", "the file vanished while the data was being read (or is a broken link)"]),
    "pipe named like a catalog file": (lambda data: os.mkfifo(data / "catalog/pipe.yaml"),
                                       ["catalog/pipe.yaml", "not a regular file (a pipe, socket or device)"]),
    "17 MiB catalog file": (write("catalog/huge.yaml", "# " + "x" * (17 * 2**20) + "\n"),
                            ["catalog/huge.yaml", "the file is 17.0 MiB; a YAML file may have at most 16 MiB"]),
    "no catalog folder": (lambda data: shutil.rmtree(data / "catalog"), ["catalog: no catalog files (*.yaml) found"]),
}


@pytest.fixture(scope="module")
def loaded(databases) -> str:
    """One database holding the mini data for every case: a refused load must not change it."""
    url = databases.new_url()
    write_dataset(url, read_dataset(MINI_DIR, MINI_SEEDS))
    return url


@pytest.mark.parametrize("case", list(CASES))
def test_bad_data_is_refused_by_name_and_changes_nothing(case, loaded, tmp_path, capsys):
    edit, expected = CASES[case]
    data = tmp_path / "data"
    shutil.copytree(MINI_DIR, data, ignore=shutil.ignore_patterns("seeds"))
    edit(data)
    before = db_state(loaded)
    capsys.readouterr()

    assert zonemap(["load", "--data-dir", str(data), "--seeds-dir", str(MINI_SEEDS), "--database-url", loaded]) == 1
    err = capsys.readouterr().err
    assert err.startswith("zonemap load: nothing written.")
    for text in expected:
        assert text in err, f"{text!r} missing from:\n{err}"
    assert "Traceback" not in err and max(len(line) for line in err.splitlines()) < 600
    assert db_state(loaded) == before

    assert zonemap(["check", "--data-dir", str(data), "--seeds-dir", str(MINI_SEEDS)]) == 1
    check_err = capsys.readouterr().err
    for text in expected:
        assert text in check_err


def test_the_corpus_is_broad():
    assert len(CASES) >= 70

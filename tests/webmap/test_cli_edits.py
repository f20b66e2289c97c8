"""`zonemap import`, `revert` and `history` as a person types them: messages and exit codes."""

from __future__ import annotations

import json
import shutil

import pytest

from geo.overrides import dumps
from webmap.cli import main
from zmtest import BACKEND, MINI_DIR, MINI_SEEDS

pytestmark = pytest.mark.skipif(BACKEND != "spatialite", reason="backend-independent (data files; --load is tested by the "
                                "QGIS round trip and the HTTP edits on both backends): run once")


@pytest.fixture
def data(tmp_path):
    dst = tmp_path / "data"
    shutil.copytree(MINI_DIR, dst, ignore=shutil.ignore_patterns("seeds"))
    for p in (dst / "geometry").glob("*.geojson"):
        p.write_text(dumps(json.loads(p.read_text(encoding="utf-8"))), encoding="utf-8")
    return dst


def _file(tmp_path, features):
    path = tmp_path / "edit.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return str(path)


def test_import_dry_run_apply_history_revert(data, tmp_path, capsys):
    f = _file(tmp_path, [{"type": "Feature", "properties": {"id": "plot-a"}, "geometry": {"type": "Point", "coordinates": [121.6125, 38.9125]}}])
    common = ["--data-dir", str(data), "--seeds-dir", str(MINI_SEEDS)]
    assert main(["import", f, "--layer", "projects", "--author", "li.wei", "--note", "surveyed", "--dry-run", *common]) == 0
    out = capsys.readouterr().out
    assert "change 0001: 1 projects feature(s) would change" in out and "dry run, nothing written" in out
    assert "+ plot-a ∈ mini-south" in out and not (data / "changes").exists()
    assert main(["import", f, "--layer", "projects", "--author", "li.wei", "--note", "surveyed", *common]) == 0
    assert "run `zonemap load`" in capsys.readouterr().out
    assert main(["history", "plot-a", "--data-dir", str(data)]) == 0
    assert "0001" in capsys.readouterr().out
    assert main(["revert", "0001", "--author", "li.wei", "--note", "wrong", *common]) == 0
    assert main(["revert", "0001", "--author", "li.wei", "--note", "again", *common]) == 1
    assert "already reverted by 0002" in capsys.readouterr().err
    assert main(["revert", "0099", "--author", "li.wei", "--note", "n", *common]) == 1
    assert "no change '0099'" in capsys.readouterr().err


def test_import_refused_names_file_feature_field(data, tmp_path, capsys):
    f = _file(tmp_path, [{"type": "Feature", "properties": {"id": "plot-a"}, "geometry": {"type": "Point", "coordinates": [38.92, 121.61]}}])
    before = sorted(p.read_bytes() for p in data.rglob("*.geojson"))
    assert main(["import", f, "--layer", "projects", "--author", "li.wei", "--note", "n", "--data-dir", str(data),
                 "--seeds-dir", str(MINI_SEEDS)]) == 1
    err = capsys.readouterr().err
    assert "nothing written" in err and "edit.geojson: plot-a: field 'geometry'" in err and "swapped" in err
    assert sorted(p.read_bytes() for p in data.rglob("*.geojson")) == before
    assert main(["import", str(tmp_path / "missing.gpkg"), "--layer", "zones", "--author", "a", "--note", "n",
                 "--data-dir", str(data)]) == 1
    assert "cannot read" in capsys.readouterr().err

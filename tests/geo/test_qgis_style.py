"""QML and SLD written without QGIS: well-formed, and carrying the renderer, classes and labels."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from geo.qgis_style import Category, Labels, LayerStyle, Symbol

SE = "{http://www.opengis.net/se}"
OGC = "{http://www.opengis.net/ogc}"


def _style():
    return LayerStyle("zonemap", "by status", attribute="status", categories=(
        Category("completed", "已建成 Completed", Symbol("marker", "#1a9850")),
        Category("planned", "规划 <Planned> & co", Symbol("marker", "#9e5ec9", outline="#ffffff")),
    ), labels=Labels("name_zh"))


def test_qml_categorised_renderer_and_labels():
    root = ET.fromstring(_style().qml().split("\n", 1)[1])  # after the DOCTYPE line
    assert root.tag == "qgis" and root.get("labelsEnabled") == "1"
    renderer = root.find("renderer-v2")
    assert renderer.get("type") == "categorizedSymbol" and renderer.get("attr") == "status"
    cats = renderer.findall("categories/category")
    assert [(c.get("value"), c.get("label"), c.get("symbol")) for c in cats] == [
        ("completed", "已建成 Completed", "0"), ("planned", "规划 <Planned> & co", "1")]
    colours = {s.get("name"): s.find("layer/Option/Option[@name='color']").get("value") for s in renderer.findall("symbols/symbol")}
    assert colours == {"0": "26,152,80,255", "1": "158,94,201,255"}
    # the old prop pairs carry the same values (QGIS before 3.18 reads only those)
    assert renderer.find("symbols/symbol[@name='1']/layer/prop[@k='outline_color']").get("v") == "255,255,255,255"
    assert root.find("labeling/settings/text-style").get("fieldName") == "name_zh"


def test_qml_single_symbol_fill_opacity():
    style = LayerStyle("zonemap", "outlines", symbol=Symbol("fill", "#f2efe9", opacity=0.6, outline="#555555"))
    root = ET.fromstring(style.qml().split("\n", 1)[1])
    assert root.get("labelsEnabled") == "0" and root.find("labeling") is None
    layer = root.find("renderer-v2/symbols/symbol/layer")
    assert layer.get("class") == "SimpleFill"
    assert layer.find("Option/Option[@name='color']").get("value") == "242,239,233,153"
    assert layer.find("Option/Option[@name='outline_color']").get("value") == "85,85,85,255"


def test_sld_rules_filters_and_text():
    root = ET.fromstring(_style().sld("projects").split("\n", 1)[1])
    rules = root.findall(f".//{SE}Rule")
    assert len(rules) == 3  # two classes and the labels
    filters = [(r.find(f"{OGC}Filter/{OGC}PropertyIsEqualTo/{OGC}PropertyName").text,
                r.find(f"{OGC}Filter/{OGC}PropertyIsEqualTo/{OGC}Literal").text) for r in rules[:2]]
    assert filters == [("status", "completed"), ("status", "planned")]
    fills = [r.find(f".//{SE}Mark/{SE}Fill/{SE}SvgParameter").text for r in rules[:2]]
    assert fills == ["#1a9850", "#9e5ec9"]
    assert rules[2].find(f"{SE}TextSymbolizer/{SE}Label/{OGC}PropertyName").text == "name_zh"


def test_style_needs_one_renderer():
    with pytest.raises(ValueError):
        LayerStyle("x", "neither")
    with pytest.raises(ValueError):
        Symbol("hexagon", "#000000")

"""QGIS layer styles written without QGIS: QML (QGIS's own style format) and SLD 1.1 (the OGC one).

A GeoPackage carries styles in a ``layer_styles`` table (the table QGIS itself creates when one
saves a style "in the database"): one row per layer with the QML, the SLD and ``useAsDefault``.
QGIS applies the default row when the layer is opened. The XML written here follows what QGIS
3.22 writes (read from a style QGIS saved), reduced to the elements that carry meaning; QGIS fills
in its defaults for the rest. Symbol layers carry both the ``<Option>`` map (QGIS ≥ 3.18) and the
older ``<prop>`` pairs, so older QGIS versions read them too.

Only what zonemap needs: a single-symbol or categorised renderer of simple fills, lines or
circle markers, and simple labels from one field.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

QGIS_VERSION = "3.22.0"  # the format written; newer versions read it
LABEL_FONT = "Noto Sans CJK SC"  # a font with the Chinese glyphs; Qt falls back when it is missing

# Label placement per geometry (QgsPalLayerSettings::Placement): cartographic around a point,
# curved along a line, over the centroid of a polygon.
_PLACEMENT = {"marker": ("6", "10"), "line": ("3", "10"), "fill": ("1", "10")}


@dataclass(frozen=True)
class Symbol:
    """A simple symbol: ``fill`` (polygons), ``line`` or ``marker`` (a circle)."""

    kind: str
    colour: str  # "#rrggbb"
    opacity: float = 1.0  # of the fill colour (fills) or the whole symbol (lines, markers)
    outline: str | None = None  # outline colour of fills and markers; default: the colour itself
    width_mm: float = 0.26  # line width, or outline width of fills and markers
    size_mm: float = 2.6  # marker diameter
    dashed: bool = False

    def __post_init__(self):
        if self.kind not in _PLACEMENT:
            raise ValueError(f"unknown symbol kind {self.kind!r}")


@dataclass(frozen=True)
class Category:
    """One class of a categorised renderer: features whose attribute equals ``value``."""

    value: str
    label: str
    symbol: Symbol


@dataclass(frozen=True)
class Labels:
    """Labels from one field, with a white halo so they read over any fill."""

    field: str
    size_pt: float = 9.0
    colour: str = "#222222"
    halo_mm: float = 0.8
    bold: bool = False
    min_scale: float | None = None  # labels shown only at scales larger than 1:min_scale


@dataclass(frozen=True)
class LayerStyle:
    """The style of one layer: a single symbol, or categories by ``attribute``; optional labels."""

    name: str  # the style's name in QGIS's style manager
    description: str
    symbol: Symbol | None = None
    attribute: str | None = None
    categories: tuple[Category, ...] = field(default_factory=tuple)
    labels: Labels | None = None
    # QGIS's temporal controller: each feature shown from the date in this field for one year
    temporal_field: str | None = None

    def __post_init__(self):
        if (self.symbol is None) == (self.attribute is None):
            raise ValueError("give either a single symbol or an attribute with categories")

    @property
    def renderer_type(self) -> str:
        return "singleSymbol" if self.symbol is not None else "categorizedSymbol"

    def qml(self) -> str:
        """The style as QML (what QGIS stores in ``layer_styles.styleQML``)."""
        return qml(self)

    def sld(self, layer: str) -> str:
        """The style as an SLD 1.1 document for ``layer``."""
        return sld(self, layer)


# ---- QML ------------------------------------------------------------------------------------------

def _rgba(colour: str, alpha: float = 1.0) -> str:
    c = colour.lstrip("#")
    if len(c) != 6:
        raise ValueError(f"expected a colour #rrggbb, found {colour!r}")
    r, g, b = (int(c[i:i + 2], 16) for i in (0, 2, 4))
    return f"{r},{g},{b},{round(255 * alpha)}"


def _options(parent: ET.Element, props: dict[str, str]) -> None:
    """QGIS ≥ 3.18 reads the Option map; older ones the prop pairs. Both, as QGIS writes them."""
    opt = ET.SubElement(parent, "Option", type="Map")
    for k, v in props.items():
        ET.SubElement(opt, "Option", type="QString", name=k, value=v)
    for k, v in props.items():
        ET.SubElement(parent, "prop", k=k, v=v)


def _symbol_props(s: Symbol) -> tuple[str, dict[str, str]]:
    outline = s.outline or s.colour
    if s.kind == "fill":
        return "SimpleFill", {
            "color": _rgba(s.colour, s.opacity), "style": "solid", "joinstyle": "bevel",
            "outline_color": _rgba(outline), "outline_style": "dash" if s.dashed else "solid",
            "outline_width": f"{s.width_mm:g}", "outline_width_unit": "MM",
        }
    if s.kind == "line":
        return "SimpleLine", {
            "line_color": _rgba(s.colour), "line_style": "dash" if s.dashed else "solid",
            "line_width": f"{s.width_mm:g}", "line_width_unit": "MM", "capstyle": "round", "joinstyle": "round",
        }
    return "SimpleMarker", {
        "name": "circle", "color": _rgba(s.colour), "size": f"{s.size_mm:g}", "size_unit": "MM",
        "outline_color": _rgba(outline), "outline_style": "solid", "outline_width": f"{s.width_mm:g}",
        "outline_width_unit": "MM", "angle": "0", "scale_method": "diameter", "joinstyle": "bevel",
    }


def _symbol(parent: ET.Element, name: str, s: Symbol) -> None:
    alpha = s.opacity if s.kind != "fill" else 1.0
    el = ET.SubElement(parent, "symbol", type=s.kind, name=name, alpha=f"{alpha:g}", clip_to_extent="1", force_rhr="0")
    cls, props = _symbol_props(s)
    layer = ET.SubElement(el, "layer", attrib={"class": cls, "enabled": "1", "locked": "0", "pass": "0"})
    _options(layer, props)


def _labeling(root: ET.Element, labels: Labels, kind: str) -> None:
    lab = ET.SubElement(root, "labeling", type="simple")
    settings = ET.SubElement(lab, "settings", calloutType="simple")
    style = ET.SubElement(settings, "text-style", {
        "fieldName": labels.field, "isExpression": "0", "fontFamily": LABEL_FONT, "fontSize": f"{labels.size_pt:g}",
        "fontSizeUnit": "Point", "fontWeight": "75" if labels.bold else "50", "fontItalic": "0",
        "textColor": _rgba(labels.colour), "textOpacity": "1", "namedStyle": "", "multilineHeight": "1",
        "allowHtml": "0", "capitalization": "0", "blendMode": "0", "previewBkgrdColor": "255,255,255,255",
    })
    ET.SubElement(style, "text-buffer", {
        "bufferDraw": "1" if labels.halo_mm > 0 else "0", "bufferSize": f"{labels.halo_mm:g}", "bufferSizeUnits": "MM",
        "bufferColor": "255,255,255,255", "bufferOpacity": "0.9", "bufferNoFill": "1", "bufferJoinStyle": "128", "bufferBlendMode": "0",
    })
    ET.SubElement(settings, "text-format", {"wrapChar": "", "multilineAlign": "3", "autoWrapLength": "0",
                                            "useMaxLineLengthForAutoWrap": "1", "formatNumbers": "0", "decimals": "3", "plussign": "0"})
    placement, flags = _PLACEMENT[kind]
    ET.SubElement(settings, "placement", {
        "placement": placement, "placementFlags": flags, "centroidInside": "1", "centroidWhole": "0", "dist": "0.8" if kind == "marker" else "0",
        "distUnits": "MM", "priority": "5", "maxCurvedCharAngleIn": "25", "maxCurvedCharAngleOut": "-25",
        "repeatDistance": "0", "repeatDistanceUnits": "MM", "offsetType": "0", "quadOffset": "4",
        "predefinedPositionOrder": "TR,TL,BR,BL,R,L,TSR,BSR", "fitInPolygonOnly": "0", "overrunDistance": "0",
    })
    visible = labels.min_scale is not None
    ET.SubElement(settings, "rendering", {
        "drawLabels": "1", "scaleVisibility": "1" if visible else "0", "scaleMin": "0",
        "scaleMax": f"{labels.min_scale:g}" if visible else "0", "obstacle": "1", "obstacleFactor": "1", "obstacleType": "1",
        "displayAll": "0", "upsidedownLabels": "0", "labelPerPart": "0", "mergeLines": "1" if kind == "line" else "0",
        "limitNumLabels": "0", "maxNumLabels": "2000", "minFeatureSize": "0", "zIndex": "0", "fontLimitPixelSize": "0",
        "fontMinPixelSize": "3", "fontMaxPixelSize": "10000", "unplacedVisibility": "0",
    })


def qml(style: LayerStyle) -> str:
    """A QML document QGIS 3.x reads as the layer's symbology and labels."""
    root = ET.Element("qgis", {
        "version": QGIS_VERSION, "styleCategories": "Symbology|Labeling|Temporal" if style.temporal_field else "Symbology|Labeling", "labelsEnabled": "1" if style.labels else "0",
        "hasScaleBasedVisibilityFlag": "0", "readOnly": "0", "simplifyDrawingHints": "1", "simplifyAlgorithm": "0",
        "simplifyDrawingTol": "1", "simplifyLocal": "1", "simplifyMaxScale": "1", "minScale": "100000000", "maxScale": "0",
        "symbologyReferenceScale": "-1",
    })
    if style.temporal_field:
        # an instant from a field, shown for one year (QgsVectorLayerTemporalProperties, as QGIS writes it)
        temporal = ET.SubElement(root, "temporal", {
            "enabled": "1", "mode": "1", "startField": style.temporal_field, "durationUnit": "y", "fixedDuration": "1",
            "accumulate": "0", "limitMode": "0", "endField": "", "durationField": "", "startExpression": "", "endExpression": ""})
        fixed = ET.SubElement(temporal, "fixedRange")
        ET.SubElement(fixed, "start")
        ET.SubElement(fixed, "end")
    renderer = ET.SubElement(root, "renderer-v2", {"type": style.renderer_type, "forceraster": "0", "symbollevels": "0",
                                                   "enableorderby": "0", "referencescale": "-1"})
    symbols_el = None
    if style.symbol is not None:
        symbols_el = ET.SubElement(renderer, "symbols")
        _symbol(symbols_el, "0", style.symbol)
        kind = style.symbol.kind
    else:
        renderer.set("attr", style.attribute)
        cats = ET.SubElement(renderer, "categories")
        for n, c in enumerate(style.categories):
            ET.SubElement(cats, "category", value=c.value, symbol=str(n), label=c.label, render="true")
        symbols_el = ET.SubElement(renderer, "symbols")
        for n, c in enumerate(style.categories):
            _symbol(symbols_el, str(n), c.symbol)
        kind = style.categories[0].symbol.kind
        source = ET.SubElement(renderer, "source-symbol")
        _symbol(source, "0", style.categories[0].symbol)
    ET.SubElement(renderer, "rotation")
    ET.SubElement(renderer, "sizescale")
    if style.labels is not None:
        _labeling(root, style.labels, kind)
    ET.SubElement(root, "blendMode").text = "0"
    ET.SubElement(root, "featureBlendMode").text = "0"
    ET.SubElement(root, "layerOpacity").text = "1"
    ET.indent(root, space=" ")
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + ET.tostring(root, encoding="unicode") + "\n"


# ---- SLD 1.1 (Symbology Encoding) ---------------------------------------------------------------

_NS = {
    "": "http://www.opengis.net/sld", "se": "http://www.opengis.net/se", "ogc": "http://www.opengis.net/ogc",
    "xlink": "http://www.w3.org/1999/xlink", "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
_MM_TO_PX = 3.78  # SLD sizes are in pixels (0.28 mm each)


def _se(parent: ET.Element, tag: str, text: str | None = None, **attrib) -> ET.Element:
    el = ET.SubElement(parent, f"{{{_NS['se']}}}{tag}", attrib)
    if text is not None:
        el.text = text
    return el


def _svg(parent: ET.Element, name: str, value: str) -> None:
    _se(parent, "SvgParameter", value, name=name)


def _symbolizer(rule: ET.Element, s: Symbol) -> None:
    outline = s.outline or s.colour
    if s.kind == "fill":
        sym = _se(rule, "PolygonSymbolizer")
        fill = _se(sym, "Fill")
        _svg(fill, "fill", s.colour)
        _svg(fill, "fill-opacity", f"{s.opacity:g}")
        stroke = _se(sym, "Stroke")
        _svg(stroke, "stroke", outline)
        _svg(stroke, "stroke-width", f"{s.width_mm * _MM_TO_PX:.2f}")
    elif s.kind == "line":
        sym = _se(rule, "LineSymbolizer")
        stroke = _se(sym, "Stroke")
        _svg(stroke, "stroke", s.colour)
        _svg(stroke, "stroke-width", f"{s.width_mm * _MM_TO_PX:.2f}")
        _svg(stroke, "stroke-opacity", f"{s.opacity:g}")
        if s.dashed:
            _svg(stroke, "stroke-dasharray", "7 3")
    else:
        sym = _se(rule, "PointSymbolizer")
        graphic = _se(sym, "Graphic")
        mark = _se(graphic, "Mark")
        _se(mark, "WellKnownName", "circle")
        fill = _se(mark, "Fill")
        _svg(fill, "fill", s.colour)
        stroke = _se(mark, "Stroke")
        _svg(stroke, "stroke", outline)
        _svg(stroke, "stroke-width", f"{s.width_mm * _MM_TO_PX:.2f}")
        _se(graphic, "Size", f"{s.size_mm * _MM_TO_PX:.1f}")


def sld(style: LayerStyle, layer: str) -> str:
    """The style as an OGC SLD 1.1.0 document (rules with equality filters, a text symbolizer)."""
    for prefix, uri in _NS.items():
        ET.register_namespace(prefix, uri)
    root = ET.Element(f"{{{_NS['']}}}StyledLayerDescriptor", {
        "version": "1.1.0",
        f"{{{_NS['xsi']}}}schemaLocation": "http://www.opengis.net/sld http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd",
    })
    named = ET.SubElement(root, f"{{{_NS['']}}}NamedLayer")
    _se(named, "Name", layer)
    user = ET.SubElement(named, f"{{{_NS['']}}}UserStyle")
    _se(user, "Name", style.name)
    fts = _se(user, "FeatureTypeStyle")
    rules = [(None, style.description, style.symbol)] if style.symbol is not None else \
        [(c.value, c.label, c.symbol) for c in style.categories]
    for value, label, symbol in rules:
        rule = _se(fts, "Rule")
        _se(rule, "Name", label)
        _se(_se(rule, "Description"), "Title", label)
        if value is not None:
            flt = ET.SubElement(rule, f"{{{_NS['ogc']}}}Filter")
            eq = ET.SubElement(flt, f"{{{_NS['ogc']}}}PropertyIsEqualTo")
            ET.SubElement(eq, f"{{{_NS['ogc']}}}PropertyName").text = style.attribute
            ET.SubElement(eq, f"{{{_NS['ogc']}}}Literal").text = value
        _symbolizer(rule, symbol)
    if style.labels is not None:
        rule = _se(fts, "Rule")
        if style.labels.min_scale is not None:
            _se(rule, "MaxScaleDenominator", f"{style.labels.min_scale:g}")
        text = _se(rule, "TextSymbolizer")
        ET.SubElement(_se(text, "Label"), f"{{{_NS['ogc']}}}PropertyName").text = style.labels.field
        font = _se(text, "Font")
        _svg(font, "font-family", LABEL_FONT)
        _svg(font, "font-size", f"{style.labels.size_pt * 1.33:.0f}")
        if style.labels.bold:
            _svg(font, "font-weight", "bold")
        if style.labels.halo_mm > 0:
            halo = _se(text, "Halo")
            _se(halo, "Radius", f"{style.labels.halo_mm * _MM_TO_PX:.1f}")
            _svg(_se(halo, "Fill"), "fill", "#ffffff")
        _svg(_se(text, "Fill"), "fill", style.labels.colour)
    ET.indent(root, space=" ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"

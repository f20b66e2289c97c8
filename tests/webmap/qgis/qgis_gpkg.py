"""A GIS technician's hands in a real, headless QGIS: read a GeoPackage's default styles, render
it, or edit features with PyQGIS and save them. Reports JSON on stdout.

Run with Debian's /usr/bin/python3 (QGIS's Python bindings are not importable from a venv):
    QT_QPA_PLATFORM=offscreen /usr/bin/python3 qgis_gpkg.py styles FILE.gpkg
    QT_QPA_PLATFORM=offscreen /usr/bin/python3 qgis_gpkg.py render FILE.gpkg OUT.png minlon,minlat,maxlon,maxlat
    QT_QPA_PLATFORM=offscreen /usr/bin/python3 qgis_gpkg.py edit FILE.gpkg EDITS.json

EDITS.json: ``[{"layer": "zones", "id": "xg13-zhanbei", "move_vertex": [index, lon, lat]},
{"layer": "projects", "id": "…", "move_point": [lon, lat]}]``: done in an edit session of the
layer (``startEditing`` … ``commitChanges``), as QGIS's vertex tool does.
"""

import gc
import json
import sys

from qgis.core import (
    QgsApplication, QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsFeatureRequest, QgsGeometry,
    QgsMapRendererSequentialJob, QgsMapSettings, QgsPointXY, QgsProject, QgsRectangle, QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

LAYERS = ("zones", "corridors", "streets", "projects", "districts", "mentions")


def open_layer(path: str, name: str) -> QgsVectorLayer:
    # As "Add Vector Layer" does: the provider loads the layer's default style from layer_styles.
    return QgsVectorLayer(f"{path}|layername={name}", name, "ogr")


def styles(path: str) -> dict:
    out = {}
    for name in LAYERS:
        layer = open_layer(path, name)
        if not layer.isValid():
            out[name] = {"valid": False}
            continue
        renderer = layer.renderer()
        d = {"valid": True, "features": layer.featureCount(), "renderer": renderer.type(),
             "labels": layer.labelsEnabled(), "geometry_type": layer.geometryType()}
        if renderer.type() == "categorizedSymbol":
            d["attribute"] = renderer.classAttribute()
            d["categories"] = [{"value": c.value(), "label": c.label(), "colour": c.symbol().color().name(),
                                "symbol": c.symbol().type()} for c in renderer.categories()]
        elif renderer.type() == "singleSymbol":
            d["colour"] = renderer.symbol().color().name()
        if layer.labelsEnabled() and layer.labeling() is not None:
            d["label_field"] = layer.labeling().settings().fieldName
        # QGIS 3.22 applies a default style's symbology and labels when a layer is added, but resets its
        # temporal settings afterwards (qgis/QGIS#42223): they come with Style > Default, as here
        d["temporal_on_open"] = layer.temporalProperties().isActive()
        layer.loadDefaultStyle()
        temporal = layer.temporalProperties()
        if temporal.isActive():
            d["temporal"] = {"field": temporal.startField(), "mode": int(temporal.mode()),
                             "field_type": layer.fields().field(temporal.startField()).typeName()}
        out[name] = d
        del renderer, layer
    return out


def render(path: str, png: str, bbox: str) -> dict:
    layers = [open_layer(path, n) for n in ("projects", "streets", "zones", "districts")]
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setBackgroundColor(QColor("#cfe3f1"))
    settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    to_map = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4326"), settings.destinationCrs(), QgsProject.instance())
    settings.setExtent(to_map.transformBoundingBox(QgsRectangle(*[float(v) for v in bbox.split(",")])))
    settings.setOutputSize(QSize(1400, 1000))
    settings.setFlag(QgsMapSettings.DrawLabeling, True)
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    ok = image.save(png)
    # how many distinct colours were drawn: a blank render has one
    colours = {image.pixel(x, y) for x in range(0, image.width(), 20) for y in range(0, image.height(), 20)}
    del job, layers, settings
    return {"saved": ok, "colours": len(colours)}


def edit(path: str, edits_file: str) -> dict:
    with open(edits_file, encoding="utf-8") as fh:
        edits = json.load(fh)
    done = []
    for e in edits:
        layer = open_layer(path, e["layer"])
        assert layer.isValid(), e
        request = QgsFeatureRequest().setFilterExpression(f"\"id\" = '{e['id']}'")
        feats = list(layer.getFeatures(request))
        assert len(feats) == 1, (e, len(feats))
        feat = feats[0]
        layer.startEditing()
        if "move_vertex" in e:
            index, x, y = e["move_vertex"]
            ok = layer.moveVertex(x, y, feat.id(), index)
        else:
            x, y = e["move_point"]
            ok = layer.changeGeometry(feat.id(), QgsGeometry.fromPointXY(QgsPointXY(x, y)))
        committed = layer.commitChanges()
        after = next(layer.getFeatures(QgsFeatureRequest(feat.id()))).geometry().asWkt(7)
        done.append({"layer": e["layer"], "id": e["id"], "changed": bool(ok), "committed": committed,
                     "errors": layer.commitErrors(), "after": after[:200]})
        del feats, feat, layer
    return {"edits": done}


def main() -> None:
    app = QgsApplication([], False)
    app.setPrefixPath("/usr", True)
    app.initQgis()
    command, args = sys.argv[1], sys.argv[2:]
    result = {"styles": styles, "render": render, "edit": edit}[command](*args)
    gc.collect()  # drop every layer before exitQgis, or QGIS 3.22 crashes on exit
    print(json.dumps(result, ensure_ascii=False))
    sys.stdout.flush()
    app.exitQgis()


if __name__ == "__main__":
    main()

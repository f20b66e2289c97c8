"""Open layers in a real, headless QGIS and report what it sees, as JSON on stdout.

Run with Debian's /usr/bin/python3 (QGIS's Python bindings are not importable from a venv):
    QT_QPA_PLATFORM=offscreen /usr/bin/python3 qgis_probe.py NAME=PROVIDER=URI [...]
PROVIDER is ``ogr`` for files and ``OAPIF`` for an OGC API – Features collection. An argument may
instead be a JSON object ``{"name", "provider", "uri", "subset"?, "to_crs"?, "as_crs"?}``:
``subset`` sets a filter expression (the layer's subset string), ``to_crs`` makes QGIS transform
every point to that CRS (its own PROJ, as when a project is in that CRS) and report it, ``as_crs``
declares the layer's CRS (for a source QGIS 3.22 cannot ask for one). Provider ``vectortile``
renders the XYZ vector tile layer ``uri`` over ``extent`` (Web Mercator) at ``size`` pixels and
reports, per tile QGIS fetched and decoded (with its own MVT decoder), how many features each of
the tile's layers holds.
"""

import gc
import json
import sys

from qgis.core import (
    QgsApplication, QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsFeatureRequest, QgsMapRendererCustomPainterJob,
    QgsMapSettings, QgsProject, QgsRectangle, QgsVectorLayer, QgsVectorTileBasicRenderer,
    QgsVectorTileLayer, QgsWkbTypes,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QImage, QPainter


def probe(name: str, provider: str, uri: str, subset: str | None = None, to_crs: str | None = None, as_crs: str | None = None) -> dict:
    layer = QgsVectorLayer(uri, name, provider)
    out = {"valid": layer.isValid()}
    if not layer.isValid():
        out["error"] = layer.error().summary()
        return out
    if as_crs:
        layer.setCrs(QgsCoordinateReferenceSystem(as_crs))
    if subset is not None:
        out["subset_accepted"] = layer.setSubsetString(subset)
    feats = list(layer.getFeatures(QgsFeatureRequest()))
    out.update(
        features=len(feats),
        crs=layer.crs().authid(),
        geometry=QgsWkbTypes.displayString(layer.wkbType()),
        fields={f.name(): f.typeName() for f in layer.fields()},
        with_geometry=sum(1 for f in feats if f.hasGeometry()),
        extent=[layer.extent().xMinimum(), layer.extent().yMinimum(), layer.extent().xMaximum(), layer.extent().yMaximum()],
        sample={str(k): (str(v) if v is not None else None) for k, v in zip(layer.fields().names(), feats[0].attributes())} if feats else {},
        ids=sorted(str(f["id"]) for f in feats) if "id" in layer.fields().names() else [],
    )
    if to_crs:
        ct = QgsCoordinateTransform(layer.crs(), QgsCoordinateReferenceSystem(to_crs), QgsProject.instance())
        points = {}
        for f in feats:
            if f.hasGeometry() and f.geometry().type() == QgsWkbTypes.PointGeometry:
                p = ct.transform(f.geometry().asPoint())
                points[str(f["id"])] = [p.x(), p.y()]
        out["points"] = points
    del feats, layer
    return out


class _Recorder(QgsVectorTileBasicRenderer):
    """Draws as the basic renderer does, and notes each tile's decoded features (QGIS clones the
    renderer for every render job: the clone shares the notebook)."""

    def __init__(self, seen: dict, layer_name: str):
        super().__init__()
        self.seen, self.layer_name = seen, layer_name
        self.setStyles(QgsVectorTileBasicRenderer.simpleStyleWithRandomColors())  # every layer, every geometry type

    def clone(self):
        twin = _Recorder(self.seen, self.layer_name)
        _KEEP.append(twin)
        return twin

    def renderTile(self, tile, context):
        tid = tile.id()
        key = f"{tid.zoomLevel()}/{tid.row()}/{tid.column()}"
        self.seen[key] = {name: tile.layerFeatures(name) for name in tile.layers()}
        super().renderTile(tile, context)


_KEEP = []  # Python twins QGIS holds by pointer must outlive the render job


def probe_tiles(name: str, uri: str, extent: list[float], size: int) -> dict:
    layer = QgsVectorTileLayer(uri, name)
    out = {"valid": layer.isValid()}
    if not layer.isValid():
        out["error"] = layer.error().summary()
        return out
    seen: dict = {}
    renderer = _Recorder(seen, name)
    _KEEP.append(renderer)
    layer.setRenderer(renderer.clone())
    settings = QgsMapSettings()
    settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    settings.setLayers([layer])
    settings.setExtent(QgsRectangle(*extent))
    settings.setOutputSize(QSize(size, size))
    image = QImage(settings.outputSize(), QImage.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    job = QgsMapRendererCustomPainterJob(settings, painter)
    job.renderSynchronously()  # tiles are fetched and decoded in this thread
    painter.end()
    out.update(crs=layer.crs().authid(), source_min_zoom=layer.sourceMinZoom(), source_max_zoom=layer.sourceMaxZoom(),
               tiles={k: {lname: len(feats) for lname, feats in v.items()} for k, v in seen.items()},
               errors=[e.message for e in job.errors()])
    del layer
    return out


def main() -> None:
    app = QgsApplication([], False)
    app.setPrefixPath("/usr", True)
    app.initQgis()
    results = {}
    for arg in sys.argv[1:]:
        if arg.startswith("{"):
            spec = json.loads(arg)
            name = spec.pop("name")
            if spec.get("provider") == "vectortile":
                results[name] = probe_tiles(name, spec["uri"], spec["extent"], spec.get("size", 512))
            else:
                results[name] = probe(name, spec.pop("provider"), spec.pop("uri"), **spec)
        else:
            name, provider, uri = arg.split("=", 2)
            results[name] = probe(name, provider, uri)
    gc.collect()  # drop every layer before exitQgis, or QGIS 3.22 crashes on exit
    print(json.dumps(results, ensure_ascii=False))
    sys.stdout.flush()
    app.exitQgis()


if __name__ == "__main__":
    main()

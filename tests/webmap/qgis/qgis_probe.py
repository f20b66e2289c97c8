"""Open layers in a real, headless QGIS and report what it sees, as JSON on stdout.

Run with Debian's /usr/bin/python3 (QGIS's Python bindings are not importable from a venv):
    QT_QPA_PLATFORM=offscreen /usr/bin/python3 qgis_probe.py NAME=PROVIDER=URI [...]
PROVIDER is ``ogr`` for files and ``OAPIF`` for an OGC API – Features collection.
"""

import gc
import json
import sys

from qgis.core import QgsApplication, QgsFeatureRequest, QgsVectorLayer, QgsWkbTypes


def probe(name: str, provider: str, uri: str) -> dict:
    layer = QgsVectorLayer(uri, name, provider)
    out = {"valid": layer.isValid()}
    if not layer.isValid():
        out["error"] = layer.error().summary()
        return out
    feats = list(layer.getFeatures(QgsFeatureRequest()))
    out.update(
        features=len(feats),
        crs=layer.crs().authid(),
        geometry=QgsWkbTypes.displayString(layer.wkbType()),
        fields={f.name(): f.typeName() for f in layer.fields()},
        with_geometry=sum(1 for f in feats if f.hasGeometry()),
        extent=[layer.extent().xMinimum(), layer.extent().yMinimum(), layer.extent().xMaximum(), layer.extent().yMaximum()],
        sample={str(k): (str(v) if v is not None else None) for k, v in zip(layer.fields().names(), feats[0].attributes())} if feats else {},
    )
    del feats, layer
    return out


def main() -> None:
    app = QgsApplication([], False)
    app.setPrefixPath("/usr", True)
    app.initQgis()
    results = {}
    for arg in sys.argv[1:]:
        name, provider, uri = arg.split("=", 2)
        results[name] = probe(name, provider, uri)
    gc.collect()  # drop every layer before exitQgis, or QGIS 3.22 crashes on exit
    print(json.dumps(results, ensure_ascii=False))
    sys.stdout.flush()
    app.exitQgis()


if __name__ == "__main__":
    main()

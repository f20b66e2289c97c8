"""Open a point layer in a real, headless QGIS, drive it by a date field as the temporal controller
does, and report how many features each year shows, as JSON on stdout.

Run with Debian's /usr/bin/python3 (QGIS's Python bindings are not importable from a venv):
    QT_QPA_PLATFORM=offscreen /usr/bin/python3 qgis_temporal_probe.py PATH FIELD YEAR [YEAR ...]
"""

import gc
import json
import sys

from qgis.core import (
    QgsApplication, QgsDateTimeRange, QgsFeatureRequest, QgsVectorLayer, QgsVectorLayerTemporalContext,
    QgsVectorLayerTemporalProperties,
)
from qgis.PyQt.QtCore import QDate, QDateTime, QTime


def main() -> None:
    app = QgsApplication([], False)
    app.setPrefixPath("/usr", True)
    app.initQgis()
    path, field, years = sys.argv[1], sys.argv[2], [int(y) for y in sys.argv[3:]]
    layer = QgsVectorLayer(path, "mentions", "ogr")
    out = {"valid": layer.isValid(), "field_type": layer.fields().field(field).typeName() if layer.isValid() else None}
    if layer.isValid():
        props = layer.temporalProperties()
        props.setMode(QgsVectorLayerTemporalProperties.ModeFeatureDateTimeInstantFromField)
        props.setStartField(field)
        props.setIsActive(True)
        context = QgsVectorLayerTemporalContext()
        context.setLayer(layer)
        out["features"] = layer.featureCount()
        out["per_year"] = {}
        for year in years:
            # the controller's frame for one year: [1 Jan, 1 Jan next year)
            frame = QgsDateTimeRange(QDateTime(QDate(year, 1, 1), QTime(0, 0)), QDateTime(QDate(year + 1, 1, 1), QTime(0, 0)), True, False)
            expression = props.createFilterString(context, frame)
            out["per_year"][str(year)] = sum(1 for _ in layer.getFeatures(QgsFeatureRequest().setFilterExpression(expression)))
        del context, props
    del layer
    gc.collect()  # drop every layer before exitQgis, or QGIS 3.22 crashes on exit
    print(json.dumps(out))
    sys.stdout.flush()
    app.exitQgis()


if __name__ == "__main__":
    main()

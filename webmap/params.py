"""Parsing of query parameters shared by the API and the OGC API: one rule each."""

from __future__ import annotations

from webmap.errors import BadParameter


def numbers(parameter: str, text: str, n: int) -> list[float]:
    """``n`` comma-separated numbers, or a 422 naming the parameter."""
    try:
        values = [float(v) for v in text.split(",")]
    except ValueError:
        values = []
    if len(values) != n:
        raise BadParameter(parameter, f"expected {n} comma-separated numbers, found {text!r}")
    return values


def parse_bbox(text: str | None) -> tuple[float, float, float, float] | None:
    """``minLon,minLat,maxLon,maxLat`` in WGS84/CRS84 degrees, min ≤ max; None when absent."""
    if text is None:
        return None
    box = tuple(numbers("bbox", text, 4))
    if not (-180 <= box[0] <= box[2] <= 180 and -90 <= box[1] <= box[3] <= 90):
        raise BadParameter("bbox", "expected minLon,minLat,maxLon,maxLat in WGS84 degrees, min ≤ max")
    return box

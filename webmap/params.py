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


AS_OF_RANGE = (1949, 2100)


def status_view(as_of: str | int | None, as_seen_by: str | None, plan_ids) -> tuple[int | None, str | None]:
    """The status view of a request: ``as_of`` (a year) or ``as_seen_by`` (a plan id), not both.

    Unknown values are a 422 naming the parameter; ``plan_ids`` are the known documents."""
    if as_of is not None and as_seen_by is not None:
        raise BadParameter("as_seen_by", "give either as_of (a year) or as_seen_by (a document), not both")
    year = None
    if as_of is not None:
        try:
            year = int(str(as_of))
        except ValueError:
            raise BadParameter("as_of", f"expected a year, found {as_of!r}") from None
        if not AS_OF_RANGE[0] <= year <= AS_OF_RANGE[1]:
            raise BadParameter("as_of", f"expected a year between {AS_OF_RANGE[0]} and {AS_OF_RANGE[1]}, found {year}")
    if as_seen_by is not None and as_seen_by not in set(plan_ids):
        raise BadParameter("as_seen_by", f"no plan document with id {as_seen_by!r}")
    return year, as_seen_by

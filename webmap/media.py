"""The one media-type table: it decides both ``?f=`` and the ``Accept`` header, for every router.

A route says which formats it offers (in its order of preference) and asks ``negotiate``::

    fmt = negotiate(request, f, offered=(Format.geojson, Format.json, Format.csv))

``f`` wins when given (a format the route does not offer is a 406 naming ``f``); otherwise the
``Accept`` header is weighed (q-values, ``type/*``, ``*/*``); no ``Accept`` means the route's first
format; nothing acceptable is a 406 listing what the route offers. ``respond`` then writes the body
in that format.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from enum import Enum
from typing import Annotated

import orjson
from fastapi import Query, Request
from fastapi.responses import JSONResponse, Response

from webmap.errors import NotAcceptable


class Format(str, Enum):
    """Output formats, by their ``f`` name."""

    json = "json"
    geojson = "geojson"
    csv = "csv"
    html = "html"
    gpkg = "gpkg"


# f name → media type (the Content-Type written; the first is also what Accept is matched with).
MEDIA_TYPES: dict[Format, str] = {
    Format.json: "application/json",
    Format.geojson: "application/geo+json",
    Format.csv: "text/csv",
    Format.html: "text/html",
    Format.gpkg: "application/geopackage+sqlite3",
}
CHARSET = {Format.csv: "utf-8", Format.html: "utf-8"}

# Types worth compressing besides the usual text and JSON ones (the compression middleware's list).
COMPRESSIBLE = ("text/csv", "application/vnd.oai.openapi+json", "application/geopackage+sqlite3")

FormatParam = Annotated[Format | None, Query(
    description="output format; overrides the Accept header (json, geojson, csv where offered)",
    examples=["csv"])]


def dumps(content) -> bytes:
    """JSON bytes, compact and UTF-8 (not ASCII-escaped), written by orjson (a page of 1,000
    features in a few ms instead of tens). The same bytes as ``json.dumps(content,
    ensure_ascii=False, separators=(",", ":"))`` except for floats below 1e-4 or from 1e16
    (``1e-7`` where json writes ``1e-07``); the loader refuses NaN, so none reaches a response."""
    try:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)
    except orjson.JSONEncodeError:  # what orjson cannot write (e.g. an int beyond 64 bits): the standard encoder
        return json.dumps(content, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def fragment(text: str):
    """JSON text written elsewhere (the database), put into a body as it is by :func:`dumps`."""
    return orjson.Fragment(text)


class FastJSONResponse(JSONResponse):
    """``application/json`` written by :func:`dumps`."""

    def render(self, content) -> bytes:
        return dumps(content)


class GeoJSONResponse(FastJSONResponse):
    """A GeoJSON body, ``application/geo+json`` (RFC 7946); declared as a route's response_class so
    OpenAPI documents the schema under that media type."""

    media_type = MEDIA_TYPES[Format.geojson]


def content_type(fmt: Format) -> str:
    """The Content-Type header for ``fmt``."""
    charset = CHARSET.get(fmt)
    return f"{MEDIA_TYPES[fmt]}; charset={charset}" if charset else MEDIA_TYPES[fmt]


def _accept(header: str) -> list[tuple[str, float]]:
    out = []
    for part in header.split(","):
        fields = [p.strip() for p in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for p in fields[1:]:
            if p.lower().startswith("q="):
                try:
                    q = max(0.0, min(1.0, float(p[2:])))
                except ValueError:
                    q = 0.0
        out.append((fields[0].lower(), q))
    return out


def _quality(media: str, accepted: list[tuple[str, float]]) -> float:
    """The q-value of ``media`` under the most specific matching Accept range (-1: no match)."""
    kind = media.split("/")[0] + "/*"
    best, specificity = -1.0, -1
    for rng, q in accepted:
        s = 2 if rng == media else 1 if rng == kind else 0 if rng == "*/*" else -1
        if s > specificity:
            best, specificity = q, s
    return best


def negotiate(request: Request, f: Format | None, offered: Sequence[Format]) -> Format:
    """The format to answer in: ``f`` if given, else the best of ``offered`` under ``Accept``."""
    names = [o.value for o in offered]
    if f is not None:
        if f not in offered:
            raise NotAcceptable(f"parameter 'f': format {f.value!r} is not offered here; offered: {', '.join(names)}",
                                parameter="f", accepted=names)
        return f
    header = request.headers.get("accept", "").strip()
    if not header:
        return offered[0]
    accepted = _accept(header)
    scored = [(_quality(MEDIA_TYPES[o], accepted), -i, o) for i, o in enumerate(offered)]
    q, _, best = max(scored)
    if q <= 0:
        raise NotAcceptable(f"none of the accepted media types ({header[:100]}) is offered here; offered: "
                            + ", ".join(MEDIA_TYPES[o] for o in offered) + " (or use f=" + "|".join(names) + ")",
                            accepted=[MEDIA_TYPES[o] for o in offered])
    return best


def respond(fmt: Format, body: dict | list, *, features: list[dict] | None = None, filename: str | None = None,
            headers: dict[str, str] | None = None, crs=None) -> Response:
    """``body`` written in ``fmt``: JSON or GeoJSON as is; CSV from ``features`` (one row each, the
    geometry as coordinates or WKT, labelled by ``geo.export.csv_text``'s one rule: ``lon``/``lat``
    in WGS84, ``x``/``y`` and a ``crs`` column in the ``crs`` the features were transformed to)
    or, without features, from ``body``'s records."""
    headers = dict(headers or {})
    if fmt is Format.csv:
        from geo.export import csv_text, records_csv

        if filename:
            headers["Content-Disposition"] = f'inline; filename="{filename}.csv"'
        text = csv_text(features, crs) if features is not None else records_csv(body if isinstance(body, list) else [body])
        return Response(text.encode("utf-8"), media_type=content_type(fmt), headers=headers)
    if fmt is Format.geojson:
        return GeoJSONResponse(body, headers=headers)
    if fmt is Format.json:
        return FastJSONResponse(body, headers=headers)
    raise NotAcceptable(f"format {fmt.value!r} cannot be written here")


def register_compressible_types() -> None:
    """Tell the compression middleware about our types beyond its built-in list."""
    from starlette_compress import add_compress_type

    for t in COMPRESSIBLE:
        add_compress_type(t)

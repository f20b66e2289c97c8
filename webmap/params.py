"""Query parameters: one rule each, shared by the API, the OGC API and the pages.

**Strict parameters.** ``strict_parameters`` is an app-wide dependency: a query parameter the
matched route does not take is an error (422 on /api, 400 with an OGC body on /ogc) naming it and
listing the accepted ones. The accepted names are derived from each route's declared parameters
(``Query`` arguments, also inside its dependencies); a route that reads other names from
``request.query_params`` declares them with ``@accepts("name", …)`` or, when they depend on the
path, ``@accepts(dynamic=lambda request: …)``. A route that must take anything (none should)
says ``@accepts(any_name=True)``.

It also refuses, in every query and path value, NUL and other control characters (422 on both
backends: PostgreSQL cannot store NUL, SQLite would silently compare it), and a parameter given
twice when the route takes one value.

Numbers: ``Limit``/``Offset`` and every integer are bounded (an offset ≥ 2^63 is a 422, not a
database overflow); ``numbers`` refuses NaN and infinities.
"""

from __future__ import annotations

import math
import re
import typing
from collections.abc import Callable, Iterable
from typing import Annotated

from fastapi import Query, Request

from webmap.api_limits import MAX_LIMIT  # the largest page of /api/projects and OGC items
from webmap.errors import BadParameter, UnknownParameter

MAX_OFFSET = 2**31 - 1  # far beyond any data set here; bounded so no database integer overflows
MAX_TEXT = 200  # characters of a free-text parameter (q, names); longer ones are refused

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"page size, 1–{MAX_LIMIT}", examples=[100])]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="how many matches to skip (paging)", examples=[0])]

_ATTR = "__zonemap_accepts__"
# C0 controls, DEL and C1 controls; tab, newline and carriage return included: no parameter of ours
# is multi-line text.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class _Accepts:
    def __init__(self, names: Iterable[str], dynamic: Callable[[Request], Iterable[str]] | None, any_name: bool):
        self.names, self.dynamic, self.any_name = frozenset(names), dynamic, any_name


def accepts(*names: str, dynamic: Callable[[Request], Iterable[str]] | None = None, any_name: bool = False):
    """Declare query parameters a route reads itself (besides its declared ``Query`` arguments).

    Put it under the ``@router.get(…)`` decorator::

        @router.get("/collections/{collection_id}/items")
        @accepts(dynamic=lambda request: FILTERS.get(request.path_params["collection_id"], ()))
        def items(...): ...
    """

    def mark(endpoint):
        setattr(endpoint, _ATTR, _Accepts(names, dynamic, any_name))
        return endpoint

    return mark


def _is_multi(field) -> bool:
    annotation = getattr(getattr(field, "field_info", None), "annotation", None)
    for candidate in (annotation, *typing.get_args(annotation)):
        if typing.get_origin(candidate) in (list, tuple, set, frozenset):
            return True
    return False


def declared_query_params(route) -> dict[str, bool]:
    """Query parameter names a route declares (its own and its dependencies'), each with whether
    it takes several values."""
    cached = getattr(route, "_zonemap_query_params", None)
    if cached is not None:
        return cached
    out: dict[str, bool] = {}
    stack = [route.dependant]
    while stack:
        dep = stack.pop()
        for field in dep.query_params:
            annotation = getattr(field.field_info, "annotation", None)
            model_fields = getattr(annotation, "model_fields", None)
            if model_fields:  # a pydantic model of query parameters
                for name, info in model_fields.items():
                    out[info.alias or name] = False
            else:
                out[field.alias] = _is_multi(field)
        stack.extend(dep.dependencies)
    route._zonemap_query_params = out
    return out


def accepted_params(request: Request) -> tuple[set[str] | None, dict[str, bool]]:
    """The names the matched route accepts (None: any) and which take several values."""
    route = request.scope.get("route")
    if route is None or not hasattr(route, "dependant"):
        return None, {}
    declared = declared_query_params(route)
    extra = getattr(getattr(route, "endpoint", None), _ATTR, None)
    names = set(declared)
    if extra is not None:
        if extra.any_name:
            return None, declared
        names |= extra.names
        if extra.dynamic is not None:
            names |= set(extra.dynamic(request))
    return names, declared


def check_text(parameter: str, value: str) -> None:
    """Refuse control characters (NUL first of all) in a text value, naming the parameter."""
    bad = _CONTROL.search(value)
    if bad:
        raise BadParameter(parameter, f"control character U+{ord(bad.group()):04X} is not allowed")


async def strict_parameters(request: Request) -> None:
    """App-wide dependency: unknown, repeated or control-character parameters are errors. (Async:
    it only reads the request, so it runs on the event loop, not in a worker thread of its own.)"""
    for name, value in request.path_params.items():
        if isinstance(value, str):
            check_text(name, value)
    if not request.query_params:
        return
    names, declared = accepted_params(request)
    seen: set[str] = set()
    for key, value in request.query_params.multi_items():
        check_text("(name)" if _CONTROL.search(key) else key, key)
        if names is not None and key not in names:
            raise UnknownParameter(key, names)
        if key in seen and not declared.get(key, False):
            raise BadParameter(key, "given more than once; give it once")
        seen.add(key)
        check_text(key, value)


# ---- one parsing rule per kind of value --------------------------------------------------------

def numbers(parameter: str, text: str, n: int) -> list[float]:
    """``n`` comma-separated finite numbers, or a 422 naming the parameter."""
    try:
        values = [float(v) for v in text.split(",")]
    except ValueError:
        values = []
    if len(values) != n or not all(math.isfinite(v) for v in values):
        raise BadParameter(parameter, f"expected {n} comma-separated numbers, found {text[:80]!r}")
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


def parse_list(parameter: str, text: str | None, allowed: Iterable[str]) -> list[str] | None:
    """A comma-separated list of names, each one of ``allowed``; None when absent."""
    if text is None:
        return None
    allowed = list(allowed)
    items = [t.strip() for t in text.split(",") if t.strip()]
    unknown = [t for t in items if t not in allowed]
    if unknown or not items:
        raise BadParameter(parameter, f"unknown name {unknown[0]!r}" if unknown else "expected at least one name", allowed)
    return items

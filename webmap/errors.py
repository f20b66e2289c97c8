"""One table from exception types to HTTP answers, and one error shape: no route hand-codes an error.

Routers raise the exceptions defined here (``NotFound``, ``BadParameter`` …); database errors are
classified by ``geo.db.classify_error``. Every answer is rendered by ``error_response``, which
chooses the body by path prefix:

- ``/ogc/…`` — an OGC API exception ``{"code", "description"}``; bad and unknown parameters are 400
  there, as OGC API – Features asks;
- everywhere else — ``ErrorBody``: ``{"detail", "code", "parameter"?, "accepted"?, "errors"?,
  "request_id"}``, documented in OpenAPI (``ERROR_RESPONSES``).

Each error is logged once, one line, with the request id (``X-Request-ID``) and never the SQL or
the request's parameters.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import sqlalchemy.exc
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from geo import db as gdb

log = logging.getLogger("zonemap.http")


# ---- the exceptions routers raise -------------------------------------------------------------

class ApiError(Exception):
    """Base of the errors a router raises; the table below gives each its status and code."""

    def __init__(self, detail: str, *, parameter: str | None = None, accepted: Iterable[str] | None = None,
                 headers: dict[str, str] | None = None):
        self.detail, self.parameter, self.headers = detail, parameter, headers
        self.accepted = sorted(accepted) if accepted is not None else None
        super().__init__(detail)


class NotFound(ApiError):
    """An id that names nothing: 404."""

    def __init__(self, kind: str, id_: str):
        self.kind, self.id = kind, id_
        super().__init__(f"no {kind} with id {id_!r}")


class BadParameter(ApiError):
    """A query parameter (or body field) that cannot be used: 422 (400 on /ogc), naming it."""

    def __init__(self, parameter: str, message: str, accepted: Iterable[str] | None = None):
        super().__init__(f"parameter '{parameter}': {message}", parameter=parameter, accepted=accepted)


class UnknownParameter(BadParameter):
    """A query parameter the route does not take (a typo would otherwise give a wrong answer)."""

    def __init__(self, parameter: str, accepted: Iterable[str]):
        accepted = sorted(accepted)
        listed = ", ".join(accepted) if accepted else "none"
        super().__init__(parameter, f"unknown parameter; accepted here: {listed}", accepted)


class NotAcceptable(ApiError):
    """No representation the client accepts (``Accept`` or ``f``): 406."""


class PayloadTooLarge(ApiError):
    """A request body or geometry above the configured limits: 413."""


class Unauthorized(ApiError):
    """A request that needs a token and carries none: 401, with ``WWW-Authenticate``."""

    def __init__(self, detail: str):
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="zonemap edits"'})


class Forbidden(ApiError):
    """A token that is not valid, or does not allow this: 403."""


class Conflict(ApiError):
    """The request cannot be carried out in the current state (data changed meanwhile): 409."""


class UnsupportedMediaType(ApiError):
    """A request body of a type the route does not read: 415."""


class InvalidEdit(ApiError):
    """An edit that would make the data invalid: 422, with every problem (file, feature, field)."""

    def __init__(self, detail: str, errors: list[dict]):
        super().__init__(detail)
        self.errors = errors


class NotLoaded(ApiError):
    """The database has no zonemap tables yet, or those of an older version: 503."""

    def __init__(self, detail: str = "not loaded (or loaded by an older zonemap): run `zonemap load`"):
        super().__init__(detail)


class DatabaseUnavailable(ApiError):
    """The database cannot be reached or is busy: 503, worth retrying."""

    def __init__(self, detail: str = "database unavailable; retry shortly"):
        super().__init__(detail, headers={"Retry-After": "5"})


# ---- the one table ----------------------------------------------------------------------------

# exception type → (HTTP status, error code, OGC exception code). Looked up along the MRO, so a
# subclass without its own row answers like its parent.
ERROR_TABLE: dict[type, tuple[int, str, str]] = {
    NotFound: (404, "not_found", "NotFound"),
    UnknownParameter: (422, "unknown_parameter", "InvalidParameterValue"),
    BadParameter: (422, "bad_parameter", "InvalidParameterValue"),
    RequestValidationError: (422, "bad_parameter", "InvalidParameterValue"),
    NotAcceptable: (406, "not_acceptable", "NotAcceptable"),
    Unauthorized: (401, "unauthorized", "Unauthorized"),
    Forbidden: (403, "forbidden", "Forbidden"),
    Conflict: (409, "conflict", "Conflict"),
    UnsupportedMediaType: (415, "unsupported_media_type", "UnsupportedMediaType"),
    InvalidEdit: (422, "invalid_edit", "InvalidParameterValue"),
    PayloadTooLarge: (413, "payload_too_large", "PayloadTooLarge"),
    NotLoaded: (503, "not_loaded", "ServiceUnavailable"),
    DatabaseUnavailable: (503, "database_unavailable", "ServiceUnavailable"),
    ApiError: (500, "internal_error", "ServerError"),
    Exception: (500, "internal_error", "ServerError"),
}
# Starlette's own HTTP errors (no route, wrong method, body over the limit …) by status.
HTTP_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 406: "not_acceptable",
              413: "payload_too_large", 415: "unsupported_media_type"}
OGC_CODES = {400: "InvalidParameterValue", 404: "NotFound", 405: "MethodNotAllowed", 406: "NotAcceptable",
             413: "PayloadTooLarge", 415: "UnsupportedMediaType"}
# Database error kinds (geo.db.classify_error) → the exception that answers them.
DATABASE_ERRORS = {
    gdb.NOT_LOADED: lambda: NotLoaded(),
    gdb.UNAVAILABLE: lambda: DatabaseUnavailable("database unavailable"),
    gdb.BUSY: lambda: DatabaseUnavailable("database busy; retry shortly"),
    gdb.CLIENT_INPUT: lambda: BadParameter("query", "too large or too complex for the database; shorten it"),
}


def lookup(exc_type: type) -> tuple[int, str, str]:
    """The (status, code, OGC code) row for an exception type."""
    for klass in exc_type.__mro__:
        if klass in ERROR_TABLE:
            return ERROR_TABLE[klass]
    return ERROR_TABLE[Exception]


# ---- the shapes -------------------------------------------------------------------------------

class ErrorItem(BaseModel):
    """One problem among several (validation errors)."""

    parameter: str | None = Field(None, description="the parameter or body field, dotted", examples=["limit"])
    message: str = Field(description="what is wrong", examples=["Input should be less than or equal to 10000"])


class ErrorBody(BaseModel):
    """Every error of the API (everything outside /ogc) has this shape."""

    detail: str = Field(description="what went wrong, for a person", examples=["parameter 'yaer': unknown parameter; accepted here: limit, offset, …"])
    code: str = Field(description="stable machine-readable code: not_found, bad_parameter, unknown_parameter, "
                      "not_acceptable, payload_too_large, method_not_allowed, not_loaded, database_unavailable, internal_error; "
                      "for edits: unauthorized, forbidden, conflict, unsupported_media_type, invalid_edit",
                      examples=["unknown_parameter"])
    parameter: str | None = Field(None, description="the parameter at fault, when one is", examples=["yaer"])
    accepted: list[str] | None = Field(None, description="the values or parameter names accepted instead, when known")
    errors: list[ErrorItem] | None = Field(None, description="every problem found, when there are several")
    request_id: str | None = Field(None, description="the X-Request-ID of the request, also in the server log")


class OgcException(BaseModel):
    """The exception body of OGC API – Features (``/ogc``)."""

    code: str = Field(examples=["InvalidParameterValue"])
    description: str = Field(examples=["parameter 'bbox': expected 4 comma-separated numbers, found 'x'"])


def _err(description: str) -> dict:
    return {"model": ErrorBody, "description": description}


# Declared on every router (``responses=ERROR_RESPONSES``): the bodies above, for every status.
ERROR_RESPONSES: dict[int | str, dict] = {
    404: _err("No such id (or path)"),
    406: _err("No acceptable representation (Accept header or f)"),
    422: _err("A bad or unknown query parameter, or an invalid body"),
    503: _err("The database is not loaded (`not_loaded`) or unavailable (`database_unavailable`)"),
}
OGC_ERROR_RESPONSES: dict[int | str, dict] = {
    400: {"model": OgcException, "description": "A bad or unknown query parameter"},
    404: {"model": OgcException, "description": "No such collection or feature"},
    503: {"model": OgcException, "description": "The database is not loaded or unavailable"},
}


def is_ogc(request: Request) -> bool:
    """Whether the request is for the OGC API (the one place the path prefix decides the body)."""
    return request.url.path == "/ogc" or request.url.path.startswith("/ogc/")


def wants_html(request: Request) -> bool:
    """A person's browser asking for a page (not /api, not /ogc): the error is shown as a page."""
    if request.url.path.startswith(("/api/", "/ogc")) or request.url.path == "/api":
        return False
    return "text/html" in request.headers.get("accept", "")


def request_id(request: Request) -> str | None:
    return request.scope.get("state", {}).get("request_id")


def error_response(request: Request, status: int, code: str, detail: str, *, ogc_code: str | None = None,
                   parameter: str | None = None, accepted: list[str] | None = None,
                   errors: list[dict] | None = None, headers: dict[str, str] | None = None,
                   cause: str | None = None) -> Response:
    """The one renderer: an OGC exception under /ogc, an ``ErrorBody`` elsewhere, a page for a
    person's browser outside /api and /ogc; logs one line."""
    rid = request_id(request)
    if is_ogc(request) and status == 422:
        status = 400  # OGC API – Features: a bad parameter is a 400 (logged as sent)
    level = logging.ERROR if status >= 500 and status != 503 else logging.WARNING if status >= 500 else logging.INFO
    log.log(level, "request %s: %s %s → %d %s%s", rid, request.method, request.url.path, status, code,
            f" ({cause})" if cause else "")
    headers = {**(headers or {}), "Cache-Control": "no-store"}
    if wants_html(request):  # same status and reason, for people (webmap/error_page.py)
        from fastapi.responses import HTMLResponse

        from webmap.error_page import render_error_page

        return HTMLResponse(render_error_page(status, detail), status_code=status, headers=headers)
    if is_ogc(request):
        body = OgcException(code=ogc_code or OGC_CODES.get(status, "ServerError"), description=detail)
        return JSONResponse(body.model_dump(), status_code=status, headers=headers)
    body = ErrorBody(detail=detail, code=code, parameter=parameter, accepted=accepted, errors=errors, request_id=rid)
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status, headers=headers)


def _render(request: Request, exc: ApiError, cause: str | None = None) -> JSONResponse:
    status, code, ogc_code = lookup(type(exc))
    return error_response(request, status, code, exc.detail, ogc_code=ogc_code, parameter=exc.parameter,
                          accepted=exc.accepted, errors=getattr(exc, "errors", None), headers=exc.headers, cause=cause)


def _dotted(loc) -> str | None:
    parts = [str(p) for p in loc if p not in ("query", "path", "body", "header")]
    return ".".join(parts) or None


def _short(value, n: int = 80):
    if isinstance(value, (int, float, bool)) or value is None:
        return value
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= n else text[:n] + "…"


def add_exception_handlers(app: FastAPI) -> None:
    """Register the handlers: every error is JSON of one shape, never a stack trace."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        return _render(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        errors = exc.errors()
        items = [{"parameter": _dotted(e.get("loc", ())), "message": e.get("msg", "invalid value")} for e in errors]
        first = items[0] if items else {"parameter": None, "message": "invalid request"}
        parameter = first["parameter"]
        detail = f"parameter '{parameter}': {first['message']}" if parameter else first["message"]
        if errors and "input" in errors[0] and parameter:
            detail += f" (got {_short(errors[0]['input'])!r})"
        return error_response(request, 422, "bad_parameter", detail, parameter=parameter, errors=items)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        status = exc.status_code
        detail = str(exc.detail)
        if status == 404 and detail == "Not Found":
            detail = f"no such path: {request.url.path}"
        elif status == 405:
            detail = f"method {request.method} not allowed here; allowed: {(exc.headers or {}).get('Allow', '')}"
        elif status == 413:
            settings = request.app.state.settings
            limit, name = ((settings.max_edit_bytes, "ZONEMAP_MAX_EDIT_BYTES") if request.url.path.startswith("/api/edits")
                           else (settings.max_body_bytes, "ZONEMAP_MAX_BODY_BYTES"))
            detail = f"request body too large (limit {limit} bytes, {name})"
        return error_response(request, status, HTTP_CODES.get(status, "http_error"), detail, headers=exc.headers)

    @app.exception_handler(sqlalchemy.exc.DBAPIError)
    async def _database(request: Request, exc: sqlalchemy.exc.DBAPIError):
        kind, cause = gdb.classify_error(exc)
        make = DATABASE_ERRORS.get(kind)
        if make is None:
            return _render(request, ApiError("internal error (database); the server log has the request id"), cause)
        return _render(request, make(), cause)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        log.debug("request %s: traceback", request_id(request), exc_info=exc)
        return _render(request, ApiError("internal error; the server log has the request id"),
                       f"{type(exc).__name__}")

"""One table from exception types to HTTP answers: no route hand-codes an error response."""

from __future__ import annotations

import logging

import sqlalchemy.exc
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("zonemap")


class NotFound(Exception):
    """An id that names nothing: answered 404."""

    def __init__(self, kind: str, id_: str):
        self.kind, self.id = kind, id_
        super().__init__(f"no {kind} with id {id_!r}")


class BadParameter(Exception):
    """A query parameter that cannot be used: answered 422, naming the parameter."""

    def __init__(self, parameter: str, message: str):
        self.parameter = parameter
        super().__init__(f"parameter '{parameter}': {message}")


def _json(status: int, detail: str, **extra) -> JSONResponse:
    return JSONResponse({"detail": detail, **extra}, status_code=status)


def wants_html(request: Request) -> bool:
    """A person's browser asking for a page (not /api, not /ogc): errors answer as an HTML page."""
    if request.url.path.startswith(("/api", "/ogc")):
        return False
    return "text/html" in request.headers.get("accept", "")


def _answer(request: Request, status: int, detail: str, **extra):
    """The error as JSON, or as a page for people (same status, same reason)."""
    if wants_html(request):
        from fastapi.responses import HTMLResponse

        from webmap.error_page import render_error_page

        return HTMLResponse(render_error_page(status, detail), status_code=status)
    return _json(status, detail, **extra)


def add_exception_handlers(app: FastAPI) -> None:
    """Register the handlers: every error is JSON with a ``detail`` reason, never a stack trace."""

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound):
        return _answer(request, 404, str(exc), kind=exc.kind, id=exc.id)

    @app.exception_handler(BadParameter)
    async def _bad_parameter(request: Request, exc: BadParameter):
        return _answer(request, 422, str(exc), parameter=exc.parameter)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        errors = exc.errors()
        first = errors[0] if errors else {}
        loc = [str(p) for p in first.get("loc", []) if p not in ("query", "path", "body")]
        parameter = ".".join(loc) or None
        msg = first.get("msg", "invalid value")
        return _answer(request, 422, f"parameter '{parameter}': {msg}" if parameter else msg, parameter=parameter,
                     errors=[{"parameter": ".".join(str(p) for p in e.get("loc", [])[1:]), "message": e.get("msg"),
                              "input": e.get("input") if isinstance(e.get("input"), (str, int, float)) else None} for e in errors])

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        return _answer(request, exc.status_code, str(exc.detail))

    @app.exception_handler(sqlalchemy.exc.OperationalError)
    @app.exception_handler(sqlalchemy.exc.ProgrammingError)
    async def _database(request: Request, exc: Exception):
        log.error("database error on %s: %s", request.url.path, exc)
        return _answer(request, 503, "the database is not available or not loaded: run `zonemap load`")

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        log.exception("unexpected error on %s", request.url.path)
        return _answer(request, 500, "internal error; the server log has the details")

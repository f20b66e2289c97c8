"""The FastAPI application: wires settings, the database engine, middleware, routers, static assets
and the offline API documentation. Routers and rules live elsewhere; this module only assembles."""

from __future__ import annotations

import fcntl
import json
import logging
import threading
from contextlib import asynccontextmanager
from pathlib import Path
from types import SimpleNamespace

import sqlalchemy as sa
from fastapi import Depends, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field

from geo.db import make_async_read_engine, make_engine, make_read_engine, read_from_replica
from projects.stats import honest_counts
from webmap import media
from webmap.deps import DataVersion
from webmap.errors import ERROR_RESPONSES, add_exception_handlers
from webmap.exports import ExportCache
from webmap.middleware import BodyLimit, Compress, Conditional, HeadAsGet, PublicURL, RequestContext, ResponseCache
from webmap.params import strict_parameters
from webmap.routes import api, edits, mentions, ogc, pages, search, stats
from webmap.settings import Settings, get_settings

STATIC_DIR = Path(__file__).parent / "static"
VERSION = "0.2.0"


class Placed(BaseModel):
    """Honest counts: every project is exactly one of these (they add up to ``projects``)."""

    located: int = Field(description="projects with a point", examples=[144])
    text_only: int = Field(description="projects without a point whose zone a document states", examples=[38])
    unplaced: int = Field(description="projects neither located nor placed by a stated zone", examples=[113])


class Health(BaseModel):
    """Liveness and what is loaded."""

    status: str = Field(examples=["ok"])
    database: str = Field(description="sqlite or postgresql", examples=["sqlite"])
    plans: int = Field(examples=[5])
    projects: int = Field(examples=[295])
    placed: Placed = Field(description="how many projects are located, placed by text only, or not placed at all")
    data: str | None = Field(description="fingerprint of the loaded data (changes with every `zonemap load` of new data)")
    replica: bool = Field(False, description="true when this answer was read from a streaming replica (DATABASE_READ_URLS)")


def _log_errors_to_stderr() -> None:
    """One line per error (webmap/errors.py) reaches the server's log, 4xx included; a host
    application that configures logging itself keeps its own handlers."""
    logger = logging.getLogger("zonemap")
    if not logger.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def warm_up(app: FastAPI) -> None:
    """Build the map's project feed before the first visitor asks (seconds at 100,000 projects);
    with the cache folder only one worker builds it. Nothing loaded yet, or any failure: the first
    request builds it (and reports what is wrong) as it would without this."""
    try:
        folder = app.state.settings.cache_dir
        if folder is None:
            pages.map_feed(SimpleNamespace(app=app))  # what cached_export reads of a request: its app
            return
        # Workers start together: one builds, the others wait for its file instead of building too.
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / ".warm-up.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            pages.map_feed(SimpleNamespace(app=app))
    except Exception as exc:  # noqa: BLE001 — a warm-up never stops the server
        logging.getLogger("zonemap.http").debug("warm-up skipped: %s", exc)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for ``settings`` (default: from the environment)."""
    settings = settings or get_settings()
    _log_errors_to_stderr()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # Reads through app.state.engine (the replicas when DATABASE_READ_URLS is set); anything
        # that writes uses app.state.write_engine, always the primary.
        app.state.engine = make_read_engine(settings.database_url, settings.database_read_urls, pool_size=settings.db_pool_size)
        app.state.write_engine = make_engine(settings.database_url) if settings.database_read_urls else app.state.engine
        # PostgreSQL: the same reads for the event loop (bounded work of the hot routes: webmap.deps)
        app.state.async_engine = make_async_read_engine(settings.database_url, settings.database_read_urls,
                                                        pool_size=settings.db_pool_size, sibling=app.state.engine)
        app.state.data_version = DataVersion(app.state.engine)
        if settings.warm_up:
            threading.Thread(target=warm_up, args=(app,), name="zonemap-warm-up", daemon=True).start()
        yield
        app.state.data_version.close()
        app.state.engine.dispose()
        app.state.write_engine.dispose()
        if app.state.async_engine is not None:
            await app.state.async_engine.dispose()

    app = FastAPI(
        title="zonemap",
        version=VERSION,
        description="Dalian's district plans on a map: functional zones, streets and projects with "
        "their status history, each fact citing its plan document.\n\n"
        "Every error is JSON of one shape (`ErrorBody`); an unknown query parameter is an error. "
        "GET responses carry an ETag of the loaded data: send `If-None-Match` to get a 304.",
        lifespan=lifespan,
        docs_url=None,  # served below from vendored files: nothing from a CDN
        redoc_url=None,
        dependencies=[Depends(strict_parameters)],
        # FastAPI's own OpenTelemetry hooks: zonemap configures no provider, and the check that
        # none is configured read the environment on every request (4 % of a small page's CPU).
        telemetry={"tracing": False, "metrics": False, "logs": False, "operation_spans": False},
    )
    app.state.settings = settings
    app.state.map_pages = {}  # built once per data load (webmap/memo.py): map page, feeds, search index
    app.state.exports = ExportCache()  # built exports (the GeoPackage) by data fingerprint: webmap/exports.py
    add_exception_handlers(app)

    # Middleware, innermost first (each add_middleware wraps the previous ones).
    app.add_middleware(Conditional, settings=settings, version=VERSION)
    app.add_middleware(HeadAsGet)
    media.register_compressible_types()
    app.add_middleware(Compress, minimum_size=settings.compress_min_bytes)
    if settings.response_cache_mb > 0:  # answers as sent, per ETag (off: not a layer at all)
        app.add_middleware(ResponseCache, settings=settings, version=VERSION)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
            allow_headers=["Accept", "Authorization", "Content-Type", "If-None-Match", "X-Request-ID"],
            expose_headers=["ETag", "X-Request-ID", "Link", "Content-Disposition"], max_age=600)
    app.add_middleware(BodyLimit, settings=settings)
    app.add_middleware(PublicURL, settings=settings)
    app.add_middleware(RequestContext, settings=settings)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(stats.router)
    app.include_router(mentions.router)  # before api: /api/export/mentions.* must precede /api/export/{layer}.*
    app.include_router(api.router)
    app.include_router(edits.router)
    app.include_router(search.router)
    app.include_router(ogc.router)
    app.include_router(pages.router)

    @app.get("/healthz", tags=["health"], summary="Liveness and database readiness", responses=ERROR_RESPONSES)
    def healthz(request: Request) -> Health:
        with request.app.state.engine.connect() as conn:
            plans = conn.execute(sa.text("SELECT count(*) FROM plans")).scalar_one()
            projects = conn.execute(sa.text("SELECT count(*) FROM projects")).scalar_one()
            data = conn.execute(sa.text("SELECT fingerprint FROM dataset_info")).scalar()
            # Loaded by this version (an older load has neither the stored count nor the feature
            # texts): else 503 not_loaded asking for `zonemap load`, as the pages answer.
            conn.execute(sa.text("SELECT dataset_info.projects, EXISTS (SELECT 1 FROM project_texts) FROM dataset_info")).first()
            placed = honest_counts(conn)
            replica = read_from_replica(conn) if request.app.state.settings.database_read_urls else False
        return Health(status="ok", database=request.app.state.engine.dialect.name, plans=plans,
                      projects=projects, placed=Placed(**{k: placed[k] for k in Placed.model_fields}), data=data,
                      replica=replica)

    _add_docs(app)
    return app


def _add_docs(app: FastAPI) -> None:
    """/docs (Swagger UI) and /redoc (ReDoc) from webmap/static/vendor (apidocs.json lists the
    versions and licences; scripts/vendor-apidocs.sh refreshes them), and an OpenAPI document whose
    error responses match the bodies."""

    def prefix(request: Request) -> str:
        return request.scope.get("root_path", "")

    @app.get("/docs", include_in_schema=False, name="swagger_ui_html")
    def swagger_ui(request: Request) -> HTMLResponse:
        p = prefix(request)
        return get_swagger_ui_html(
            openapi_url=f"{p}{app.openapi_url}", title="zonemap API – Swagger UI",
            swagger_js_url=f"{p}/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url=f"{p}/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url=f"{p}/static/vendor/swagger-ui/favicon-32x32.png",
            swagger_ui_parameters={"validatorUrl": None, "tryItOutEnabled": True},
        )

    @app.get("/redoc", include_in_schema=False, name="redoc_html")
    def redoc(request: Request) -> HTMLResponse:
        p = prefix(request)
        return get_redoc_html(
            openapi_url=f"{p}{app.openapi_url}", title="zonemap API – ReDoc",
            redoc_js_url=f"{p}/static/vendor/redoc/redoc.standalone.js",
            redoc_favicon_url=f"{p}/static/vendor/swagger-ui/favicon-32x32.png", with_google_fonts=False,
        )

    def openapi() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        doc = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        error_ref = {"$ref": "#/components/schemas/ErrorBody"}
        for path, item in doc.get("paths", {}).items():
            for operation in item.values():
                responses = operation.setdefault("responses", {})
                if path.startswith("/ogc"):
                    responses.pop("422", None)  # /ogc answers 400 with an OGC exception instead
                else:
                    for status, spec in ERROR_RESPONSES.items():  # every other route answers ErrorBody
                        responses[str(status)] = {"description": spec["description"],
                                                  "content": {"application/json": {"schema": error_ref}}}
                for status, response in responses.items():
                    # Error bodies are JSON whatever the route's own media type (FastAPI files them under it).
                    schema = next((c["schema"] for c in response.get("content", {}).values() if "schema" in c), None)
                    if status[0] in "45" and schema is not None:
                        response["content"] = {"application/json": {"schema": schema}}
        schemas = doc.get("components", {}).get("schemas", {})
        if "#/components/schemas/HTTPValidationError" not in json.dumps(doc["paths"]):
            schemas.pop("HTTPValidationError", None)  # FastAPI's default 422 body: ours is ErrorBody
            schemas.pop("ValidationError", None)
        app.openapi_schema = doc
        return doc

    app.openapi = openapi

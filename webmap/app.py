"""The FastAPI application: wires settings, the database engine, routers and static assets."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles

from geo.db import make_engine
from webmap.errors import add_exception_handlers
from webmap.routes import api, ogc, pages, search
from webmap.settings import Settings, get_settings

STATIC_DIR = Path(__file__).parent / "static"


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for ``settings`` (default: from the environment)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.engine = make_engine(settings.database_url)
        yield
        app.state.engine.dispose()

    app = FastAPI(
        title="zonemap",
        version="0.1.0",
        description="Dalian's district plans on a map: functional zones, streets and projects with "
        "their status history, each fact citing its plan document.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.map_pages = {}  # built once per data load (webmap/memo.py): map page, feeds, search index
    add_exception_handlers(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(api.router)
    app.include_router(search.router)
    app.include_router(ogc.router)
    app.include_router(pages.router)

    @app.get("/healthz", tags=["health"], summary="Liveness and database readiness")
    def healthz(request: Request) -> dict:
        with request.app.state.engine.connect() as conn:
            plans = conn.execute(sa.text("SELECT count(*) FROM plans")).scalar_one()
            projects = conn.execute(sa.text("SELECT count(*) FROM projects")).scalar_one()
            data = conn.execute(sa.text("SELECT fingerprint FROM dataset_info")).scalar()
        return {"status": "ok", "database": request.app.state.engine.dialect.name, "plans": plans,
                "projects": projects, "data": data}

    return app

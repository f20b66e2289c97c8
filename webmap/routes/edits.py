"""Edits over HTTP: a thin door to :mod:`projects.edits` (the same pipeline as ``zonemap import``).

- ``POST /api/edits?layer=…&note=…`` with a GeoJSON or GeoPackage body and a token
  (``Authorization: Bearer <secret>``, tokens from ``ZONEMAP_EDIT_TOKENS``): the diff, and with
  ``dry_run=false`` the change applied to ``data/``, logged under the token's name, and the
  database reloaded (``ZONEMAP_EDIT_RELOAD``, on by default) so the service shows it at once;
- ``POST /api/edits/{change}/revert?note=…``: undo one change (itself logged);
- ``GET /api/history?feature=…``: a feature's changes, from the loaded change log.

No token → 401; a token that is not valid → 403; a read-only token may preview (dry runs) but
not apply → 403. One edit at a time per data folder (a lock shared with the command line).
"""

from __future__ import annotations

import hmac
from typing import Annotated

import anyio
from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, Field

from projects import edits
from webmap.deps import ConnDep
from webmap.errors import (
    ERROR_RESPONSES, BadParameter, Conflict, ErrorBody, Forbidden, InvalidEdit, NotFound, Unauthorized, UnsupportedMediaType,
)
from webmap.media import Format, FormatParam, negotiate, respond
from webmap.params import MAX_TEXT
from webmap.settings import EditToken

router = APIRouter(prefix="/api", tags=["edits"], responses=ERROR_RESPONSES)

GEOJSON_TYPES = ("application/geo+json", "application/json")
GPKG_TYPES = ("application/geopackage+sqlite3", "application/octet-stream")
_AUTH = {401: {"model": ErrorBody, "description": "no token (Authorization: Bearer <token>)"},
         403: {"model": ErrorBody, "description": "a token that is not valid, or read-only for an edit that writes"},
         409: {"model": ErrorBody, "description": "the data changed since (another edit, a later change of the feature)"},
         413: {"model": ErrorBody, "description": "a body above ZONEMAP_MAX_EDIT_BYTES"},
         415: {"model": ErrorBody, "description": "a body that is neither GeoJSON nor a GeoPackage"},
         422: {"model": ErrorBody, "description": "bad parameters, or an edit the data rules refuse (every problem listed)"}}


def edit_token(request: Request) -> EditToken:
    """The token of the request (``Authorization: Bearer <secret>``): 401 without one, 403 when it
    matches none (compared in constant time)."""
    header = request.headers.get("authorization")
    if not header:
        raise Unauthorized("edits need a token: send Authorization: Bearer <token> (tokens are set in ZONEMAP_EDIT_TOKENS)")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise Unauthorized("expected Authorization: Bearer <token>")
    found = None
    for token in request.app.state.settings.edit_tokens:
        if hmac.compare_digest(token.secret.encode(), secret.strip().encode()):
            found = token
    if found is None:
        raise Forbidden("the token is not valid")
    return found


TokenDep = Annotated[EditToken, Depends(edit_token)]


def _may_write(token: EditToken, dry_run: bool) -> None:
    if not dry_run and not token.can_write:
        raise Forbidden(f"token {token.name!r} is read-only: it may preview edits (dry_run=true), not apply them")


class EditResult(BaseModel):
    """The diff of an edit or revert, and what was done with it."""

    change: str | None = Field(description="the change's id (NNNN) in data/changes/; assigned on a dry run too")
    layer: str
    action: str = Field(description="edit or revert")
    reverts: str | None = None
    author: str
    note: str
    dry_run: bool
    applied: bool = Field(description="written to data/ (false on a dry run, or when nothing changes)")
    reloaded: bool = Field(description="the database was reloaded after applying: the service shows the change")
    reload_error: str | None = Field(None, description="why the reload failed (the change is in data/: run zonemap load)")
    features: list[dict] = Field(description="per feature: action, file, before/after (geometry, placement, accuracy_m, "
                                 "confidence), moved_m (Hausdorff, metres), vertices moved, areas or lengths, memberships")
    memberships: list[dict] = Field(description="every project↔zone membership that changes: {project, zone, before, after} "
                                    "(basis, or null when absent)")
    files: list[str] = Field(description="data files written (relative to data/)")
    warnings: list[str]


def _settings(request: Request):
    return request.app.state.settings


def _problems(exc: edits.EditError) -> InvalidEdit:
    items = [{"parameter": p.field, "message": str(p)} for p in exc.problems]
    first = str(exc.problems[0]) if exc.problems else "invalid edit"
    more = f" (and {len(exc.problems) - 1} more)" if len(exc.problems) > 1 else ""
    return InvalidEdit(f"the edit is refused, nothing written: {first}{more}", items)


def _finish(request: Request, plan: edits.Plan, dry_run: bool) -> dict:
    settings = _settings(request)
    reloaded, reload_error = False, None
    if not dry_run and not plan.empty:
        try:
            edits.apply(plan)
        except edits.EditConflict as exc:
            raise Conflict(str(exc)) from None
        if settings.edit_reload:
            from projects.store import write_dataset

            try:
                write_dataset(settings.database_url, plan.dataset)
                reloaded = True
            except Exception as exc:  # the edit stands in data/; the reload can be redone by hand
                reload_error = f"{type(exc).__name__}: {str(exc)[:300]}"
    return {**plan.summary(), "dry_run": dry_run, "reloaded": reloaded, "reload_error": reload_error}


Note = Annotated[str, Query(min_length=1, max_length=1000, description="why: the reason for the change (required; kept in the log)",
                            examples=["boundary follows 中山路 as surveyed"])]
DryRun = Annotated[bool, Query(description="true (default): show the diff, write nothing; false: apply it", examples=[True])]


@router.post("/edits", summary="Send features edited in a GIS back into the catalog (diff, then apply)",
             response_model=EditResult, responses=_AUTH)
async def post_edit(
    request: Request,
    token: TokenDep,
    layer: Annotated[str, Query(description=f"the layer the features belong to: {', '.join(edits.LAYERS)}", examples=["zones"])],
    note: Note,
    crs: Annotated[str | None, Query(max_length=MAX_TEXT, description="the body's coordinates when it does not say, or says "
                                     "WGS84 wrongly: 4490, 3857, 4549, 4550, gcj02, bd09", examples=["gcj02"])] = None,
    source_layer: Annotated[str | None, Query(max_length=MAX_TEXT, description="the GeoPackage layer to read (default: the one "
                                              "named like layer)", examples=["zones"])] = None,
    accuracy_m: Annotated[float | None, Query(gt=0, le=100_000, description="accuracy of the features that move or are "
                                              "placed, metres (default: as in the body, else kept)", examples=[20])] = None,
    confidence: Annotated[str | None, Query(description="high, medium or low, of the features that move or are placed "
                                            "(default: as in the body, else kept)", examples=["high"])] = None,
    dry_run: DryRun = True,
):
    """The body is a GeoJSON FeatureCollection (`Content-Type: application/geo+json`) or a
    GeoPackage (`application/geopackage+sqlite3`), e.g. the GeoPackage export edited in QGIS.
    Features are matched by `id`; unchanged ones are ignored. Every changed feature is checked
    with the loader's rules; the answer is the diff: how far each moves (metres), which
    project↔zone memberships change (the join run on the would-be data). With `dry_run=false`
    it is applied all or nothing, logged under the token's name, and the database reloaded."""
    if layer not in edits.LAYERS:
        raise BadParameter("layer", f"expected one of {', '.join(edits.LAYERS)}", edits.LAYERS)
    if confidence is not None and confidence not in edits.CONFIDENCE:
        raise BadParameter("confidence", f"expected one of {', '.join(edits.CONFIDENCE)}", edits.CONFIDENCE)
    _may_write(token, dry_run)
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in GEOJSON_TYPES + GPKG_TYPES:
        raise UnsupportedMediaType(f"send GeoJSON ({GEOJSON_TYPES[0]}) or a GeoPackage ({GPKG_TYPES[0]}), not {media or 'no Content-Type'}")
    content = await request.body()
    if not content:
        raise BadParameter("body", "empty: send the edited features")
    settings = _settings(request)

    def work():
        try:
            source = edits.read_source(content, f"request body ({media})", layer, crs=crs, source_layer=source_layer)
            plan = edits.plan_import(settings.data_dir, settings.seeds_dir, layer, source, author=token.name, note=note,
                                     via="POST /api/edits", accuracy_m=accuracy_m, confidence=confidence,
                                     db_url=settings.database_url)
        except edits.EditError as exc:
            raise _problems(exc) from None
        return _finish(request, plan, dry_run)

    return respond(Format.json, await anyio.to_thread.run_sync(work))


@router.post("/edits/{change_id}/revert", summary="Undo one logged change (the revert is logged too)",
             response_model=EditResult, responses=_AUTH)
async def post_revert(
    request: Request,
    token: TokenDep,
    change_id: Annotated[str, Path(pattern=r"^\d{4,12}$", description="the change's number", examples=["0003"])],
    note: Note,
    dry_run: DryRun = True,
):
    """Puts back every record the change wrote, provided nothing changed them since (else 409
    names the later change to revert first)."""
    _may_write(token, dry_run)
    settings = _settings(request)

    def work():
        try:
            plan = edits.plan_revert(settings.data_dir, settings.seeds_dir, change_id, author=token.name, note=note,
                                     via="POST /api/edits/{change}/revert", db_url=settings.database_url)
        except edits.UnknownChange:
            raise NotFound("change", change_id) from None
        except edits.EditConflict as exc:
            raise Conflict(str(exc)) from None
        except edits.EditError as exc:
            raise _problems(exc) from None
        return _finish(request, plan, dry_run)

    return respond(Format.json, await anyio.to_thread.run_sync(work))


class HistoryEntry(BaseModel):
    """One change of one feature."""

    change: str
    layer: str
    feature: str
    time: str = Field(description="UTC, ISO 8601")
    author: str
    via: str
    note: str
    action: str = Field(description="edit, place or revert")
    reverts: str | None
    reverted_by: str | None
    file: str
    moved_m: float | None
    before: dict | None
    after: dict | None


@router.get("/history", summary="The logged changes of a feature (or all), newest first", response_model=list[HistoryEntry],
            responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "the changes, as JSON or CSV"}})
def history(
    request: Request,
    conn: ConnDep,
    feature: Annotated[str | None, Query(max_length=MAX_TEXT, description="a zone, street or project id", examples=["xg13-zhanbei"])] = None,
    layer: Annotated[str | None, Query(description=f"one of {', '.join(edits.LAYERS)}", examples=["zones"])] = None,
    f: FormatParam = None,
):
    """From the change log as loaded (`zonemap load`): who, when, why, before/after geometry and
    provenance, how far it moved, memberships changed, and whether a later change reverted it.
    `f=csv` (or `Accept: text/csv`) for a spreadsheet (nested values as JSON text)."""
    fmt = negotiate(request, f, (Format.json, Format.csv))
    if layer is not None and layer not in edits.LAYERS:
        raise BadParameter("layer", f"expected one of {', '.join(edits.LAYERS)}", edits.LAYERS)
    return respond(fmt, edits.history_rows(conn, feature, layer), filename="zonemap-history")

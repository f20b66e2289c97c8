"""What the OGC routers share: media types, links from the request, and a cache per data fingerprint."""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Callable, Hashable

import sqlalchemy as sa
from fastapi import Request
from starlette.datastructures import URLPath

GEOJSON = "application/geo+json"
JSON = "application/json"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
MVT = "application/vnd.mapbox-vector-tile"
# Per worker: collection extents, tiles. ZONEMAP_OGC_CACHE_ENTRIES=0 turns the cache off (the
# benchmarks use it to measure rendering as well as serving).
CACHE_ENTRIES = int(os.environ.get("ZONEMAP_OGC_CACHE_ENTRIES", "4096"))


def _route_path(router, name: str, params: dict) -> URLPath:
    """``router.url_path_for``, kept on the router: its routes never change, one search per path."""
    paths = router.__dict__.setdefault("_zonemap_paths", {})
    key = (name, *sorted(params.items()))
    path = paths.get(key)
    if path is None:
        if len(paths) >= 4096:
            paths.clear()
        path = paths[key] = router.url_path_for(name, **params)
    return path


def link(request: Request, name: str, rel: str, type_: str, title: str | None = None, **params) -> dict:
    """A link to the named route, built from the request (right behind a proxy too): as
    ``request.url_for``, whose search through the routes is done once per route and parameters."""
    path = _route_path(request.scope["router"], name, params)
    out = {"href": str(path.make_absolute_url(base_url=request.base_url)), "rel": rel, "type": type_}
    if title:
        out["title"] = title
    return out


def fingerprint(conn: sa.Connection) -> str:
    """The loaded data's fingerprint (written by ``zonemap load``): caches are keyed by it."""
    return conn.execute(sa.text("SELECT fingerprint FROM dataset_info")).scalar() or ""


def request_fingerprint(request: Request, conn: sa.Connection) -> str:
    """The fingerprint the HTTP layer already read for this request (webmap.middleware), else read."""
    return request.scope.get("state", {}).get("zonemap_fingerprint") or fingerprint(conn)


def cached(request: Request, conn: sa.Connection, key: Hashable, compute: Callable[[], object], fp: str | None = None):
    """``compute()`` once per data fingerprint and key (a bounded LRU per worker): the data change
    only at ``zonemap load``, which changes the fingerprint."""
    store: OrderedDict | None = getattr(request.app.state, "ogc_cache", None)
    if store is None:
        store = OrderedDict()
        request.app.state.ogc_cache = store
    full = (fp if fp is not None else request_fingerprint(request, conn), key)
    if full in store:
        store.move_to_end(full)
        return store[full]
    value = compute()
    store[full] = value
    if len(store) > CACHE_ENTRIES:
        store.popitem(last=False)
    return value

"""Things built once per data load: the map page, its project feed, the search index.

The data change only with ``zonemap load``, whose fingerprint (``dataset_info``) keys this cache,
so a reload is seen at once and nothing is rebuilt per request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from fastapi import Request

MAX_ENTRIES = 64  # a few layouts × feeds × reloads; never grows without bound


def fingerprint(conn: sa.Connection) -> str | None:
    """The loaded data's fingerprint (changes with every `zonemap load`)."""
    return conn.execute(sa.text("SELECT fingerprint FROM dataset_info")).scalar()


def per_load(request: Request, conn: sa.Connection, key: tuple, build: Callable[[], Any]) -> Any:
    """``build()``'s result for ``key`` and the current data, built at most once per data load."""
    cache: dict = request.app.state.map_pages
    full_key = (*key, fingerprint(conn))
    if full_key not in cache:
        if len(cache) >= MAX_ENTRIES:
            cache.clear()
        cache[full_key] = build()
    return cache[full_key]

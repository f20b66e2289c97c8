"""``GET /api/search``: projects, zones and streets by Chinese, English, alias or pinyin name."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from projects.search import build_index, search
from webmap.deps import ConnDep
from webmap.memo import per_load

router = APIRouter(prefix="/api", tags=["api"])


@router.get("/search", summary="Find projects, zones and streets by name (汉字, English, aliases, pinyin, initials)")
def search_names(
    request: Request,
    conn: ConnDep,
    q: Annotated[str | None, Query(min_length=1, max_length=100, description="e.g. 恒隆, Henglong, henglong or hlgc; absent: nothing found",
                                   examples=["hlgc"])] = None,
    limit: Annotated[int, Query(ge=1, le=50, description="at most this many of each type", examples=[10])] = 10,
) -> dict:
    """`{query, projects, zones, streets}`, best match first. Projects carry `at` ([lat, lon], or
    null when not located) and `status`; zones their `layout` and `bounds`; streets their `bounds`."""
    if q is None:
        return {"query": None, "projects": [], "zones": [], "streets": []}
    index = per_load(request, conn, ("search-index",), lambda: build_index(conn))
    return {"query": q, **search(index, q, limit)}

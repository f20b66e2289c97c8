"""Request dependencies: a database connection per request."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

import sqlalchemy as sa
from fastapi import Depends, Request


def get_conn(request: Request) -> Iterator[sa.Connection]:
    """A read connection from the app's engine, closed after the request."""
    with request.app.state.engine.connect() as conn:
        yield conn


ConnDep = Annotated[sa.Connection, Depends(get_conn)]

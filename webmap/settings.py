"""Settings from the environment (``DATABASE_URL``, ``PORT``, ``ZONEMAP_*``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
_TOKEN_NAME = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
MIN_TOKEN_CHARS = 16


@dataclass(frozen=True)
class EditToken:
    """A token that may send edits (``POST /api/edits``): its name is the author the change log
    records; ``rw`` may apply edits and reverts, ``ro`` only preview them (dry runs)."""

    name: str
    secret: str = field(repr=False)
    mode: str = "rw"

    @property
    def can_write(self) -> bool:
        return self.mode == "rw"


def parse_edit_tokens(text: str) -> list[EditToken]:
    """``name:secret:rw,name2:secret2:ro`` → tokens; a clear error for anything else (the message
    never repeats a secret)."""
    tokens: list[EditToken] = []
    for n, item in enumerate((t.strip() for t in text.split(",")), start=1):
        if not item:
            continue
        parts = item.split(":")
        if len(parts) != 3:
            raise ValueError(f"token {n}: expected name:secret:rw or name:secret:ro")
        name, secret, mode = parts
        if not _TOKEN_NAME.match(name):
            raise ValueError(f"token {n}: the name must be 1–64 of A-Z a-z 0-9 . _ -")
        if len(secret) < MIN_TOKEN_CHARS or any(c.isspace() for c in secret):
            raise ValueError(f"token {n} ({name}): the secret needs at least {MIN_TOKEN_CHARS} characters and no spaces "
                             "(e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(24))')")
        if mode not in ("rw", "ro"):
            raise ValueError(f"token {n} ({name}): expected rw or ro, found {mode!r}")
        if any(t.name == name for t in tokens) or any(t.secret == secret for t in tokens):
            raise ValueError(f"token {n} ({name}): a name or secret given twice")
        tokens.append(EditToken(name, secret, mode))
    return tokens


def _default_seeds_dir() -> Path | None:
    # The plan documents live outside the repository, in shared/seeds beside the checkout.
    for candidate in (REPO_ROOT.parent / "shared" / "seeds", REPO_ROOT / "seeds"):
        if candidate.is_dir():
            return candidate
    return None


class Settings(BaseSettings):
    """zonemap configuration; every field can be set from the environment (``ZONEMAP_<NAME>``)."""

    model_config = SettingsConfigDict(env_prefix="ZONEMAP_", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{REPO_ROOT / 'var' / 'zonemap.sqlite'}",
        validation_alias=AliasChoices("DATABASE_URL", "ZONEMAP_DATABASE_URL"),
        description="SQLAlchemy URL: a SpatiaLite file (default) or postgresql+psycopg://…",
    )
    # Streaming replicas of the PostgreSQL primary at DATABASE_URL, comma-separated SQLAlchemy URLs:
    # the service reads from them (a new connection goes to the next one in turn; the primary when
    # none answers); loads and edits always write to the primary. Empty: everything on DATABASE_URL.
    database_read_urls: Annotated[list[str], NoDecode] = Field(
        default=[], validation_alias=AliasChoices("DATABASE_READ_URLS", "ZONEMAP_DATABASE_READ_URLS"))
    host: str = "127.0.0.1"
    port: int = Field(default=8000, validation_alias=AliasChoices("PORT", "ZONEMAP_PORT"))
    data_dir: Path = REPO_ROOT / "data"
    seeds_dir: Path | None = Field(default_factory=_default_seeds_dir)
    # A tile URL template for a basemap (e.g. a tile server of your own). Empty: no basemap, the
    # district outlines stand in for it and the page requests nothing from elsewhere.
    basemap_url: str = ""
    basemap_attribution: str = ""
    # The map's basemap menu (webmap/basemaps.py): preset names (osm, tianditu, amap) or a JSON list;
    # empty = no basemap offered. Nothing is requested until a person picks one.
    basemaps: str = ""
    tianditu_key: str = ""  # 天地图's key for the tianditu preset; else the map asks the user for theirs
    # The map draws projects as markers built in the browser up to this many located projects,
    # from the server's tiles beyond (/map/tiles/…: only what is in view travels and is drawn).
    map_tiles_above: int = Field(default=2000, ge=0)
    # Build the map's project feed when the server starts rather than for its first visitor.
    warm_up: bool = True
    # `zonemap serve` worker processes; 0: one per core.
    workers: int = 0
    # `zonemap load`/`check`: the most vertices one feature of data/ may have (a clear error above it).
    load_max_vertices: int = Field(default=1_000_000, ge=4)
    # Built downloads (the GeoPackage), one file per data fingerprint, shared by the server's
    # workers and kept across restarts. Empty: kept in memory only.
    cache_dir: Path | None = REPO_ROOT / "var" / "cache"

    # --- HTTP (webmap/app.py, webmap/middleware.py) ---
    # The address the service is reached at from outside, e.g. https://maps.example.org/zonemap.
    # Every link the API writes starts with it; empty: built from the request (Host header, or the
    # forwarded headers of a trusted proxy).
    public_base_url: str = ""
    # Proxies (IP addresses or networks) whose X-Forwarded-Proto/-Host/-Prefix headers are honoured;
    # comma-separated. Empty: forwarded headers are ignored.
    trusted_proxies: Annotated[list[str], NoDecode] = []
    # Origins allowed to call the API from a browser (CORS), comma-separated; "*" for any. Empty: none.
    cors_origins: Annotated[list[str], NoDecode] = []
    # Cache-Control max-age (seconds) of data responses; they carry an ETag of the loaded data, so a
    # client revalidates cheaply (304) after that.
    cache_max_age: int = Field(default=60, ge=0)
    # Megabytes of whole answers each worker keeps, as sent, per ETag and encoding (a repeated GET is
    # then a lookup); 0 turns it off. Entries of earlier data age out after a load.
    response_cache_mb: int = Field(default=64, ge=0)
    # Responses smaller than this are sent uncompressed.
    compress_min_bytes: int = Field(default=500, ge=0)
    # Request limits: bytes of a request body (413 above) and vertices of a query geometry (422 above).
    max_body_bytes: int = Field(default=1_000_000, ge=1)
    max_vertices: int = Field(default=10_000, ge=4)

    # --- edits (webmap/routes/edits.py) ---
    # Who may send edits over HTTP: name:secret:rw,name2:secret2:ro (set it in the environment,
    # never in a file of the repository). Empty: POST /api/edits answers 401 to everyone.
    edit_tokens: Annotated[list[EditToken], NoDecode] = []
    # Reload the database after an edit applied over HTTP, so the service shows it at once.
    edit_reload: bool = True
    # Bytes of an edit's body (a GeoPackage sent back from QGIS holds every layer).
    max_edit_bytes: int = Field(default=50_000_000, ge=1)

    @field_validator("trusted_proxies", "cors_origins", "database_read_urls", mode="before")
    @classmethod
    def _comma_list(cls, value):
        if isinstance(value, str):
            return [v.strip() for v in value.split(",") if v.strip()]
        return value

    @field_validator("edit_tokens", mode="before")
    @classmethod
    def _tokens(cls, value):
        return parse_edit_tokens(value) if isinstance(value, str) else value

    @field_validator("cache_dir", mode="before")
    @classmethod
    def _empty_is_none(cls, value):
        return None if value == "" else value

    @field_validator("public_base_url")
    @classmethod
    def _base_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("expected an absolute http(s) URL, e.g. https://maps.example.org/zonemap")
        return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()

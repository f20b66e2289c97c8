"""Settings from the environment (``DATABASE_URL``, ``PORT``, ``ZONEMAP_*``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


def _default_seeds_dir() -> Path | None:
    # The plan documents live outside the repository, in shared/seeds beside the checkout.
    for candidate in (REPO_ROOT.parent / "shared" / "seeds", REPO_ROOT / "seeds"):
        if candidate.is_dir():
            return candidate
    return None


class Settings(BaseSettings):
    """zonemap configuration; every field can be set from the environment."""

    model_config = SettingsConfigDict(env_prefix="ZONEMAP_", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{REPO_ROOT / 'var' / 'zonemap.sqlite'}",
        validation_alias=AliasChoices("DATABASE_URL", "ZONEMAP_DATABASE_URL"),
        description="SQLAlchemy URL: a SpatiaLite file (default) or postgresql+psycopg://…",
    )
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


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()

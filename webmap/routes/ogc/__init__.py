"""The OGC APIs at ``/ogc``: Features (Parts 1–3, ``features.py``) and vector Tiles (``tiles.py``),
over the collections described in ``collections.py``."""

from fastapi import APIRouter

from webmap.routes.ogc import features, tiles

router = APIRouter(tags=["OGC API – Features and Tiles"])
router.include_router(features.router)
router.include_router(tiles.router)

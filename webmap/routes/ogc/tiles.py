"""placeholder"""
from fastapi import APIRouter

CONFORMANCE = ()
router = APIRouter(prefix="/ogc")


@router.get("/tileMatrixSets", name="ogc_tile_matrix_sets")
def tms():
    return {}


@router.get("/collections/{collection_id}/tiles", name="ogc_tilesets")
def tilesets(collection_id: str):
    return {}


def openapi_paths():
    return {}

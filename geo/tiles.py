"""Vector tiles (Mapbox Vector Tiles) in the WebMercatorQuad tile matrix set, for both backends.

Tile maths comes from morecantile. A tile is encoded by PostGIS itself (``ST_AsMVTGeom`` +
``ST_AsMVT``) or, on SpatiaLite, by :func:`render_python` (pyproj through :mod:`geo.crs`, shapely
clipping, the ``mapbox-vector-tile`` encoder). Both follow the same rules, so that a tile is the
same whichever backend serves it (same features, same properties, geometry within a pixel):

- extent 4096, a buffer of 64 units around the tile (features reaching into it are kept, clipped);
- properties whose value is NULL are left out (as ``ST_AsMVT`` does);
- a tile without features is empty (0 bytes);
- point layers may be *clustered* at low zooms: points are grouped by a grid of
  :data:`CLUSTER_CELL` units aligned with the tile, each group drawn once at its members' mean
  position with ``count`` and the per-category counts asked for; a group of one keeps its
  properties. Clustered tiles have no buffer, so that a group is never split between tiles.

Geometries are stored in WGS84: the tile bounds are converted to a WGS84 box for the spatial
index, and geometries to Web Mercator (``ST_Transform`` in PostGIS, pyproj otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import mapbox_vector_tile
import morecantile
import numpy as np
import shapely
import sqlalchemy as sa
from mapbox_vector_tile.encoder import on_invalid_geometry_make_valid
from shapely.geometry import Point

from geo import crs as gcrs
from geo import db

EXTENT = 4096
BUFFER = 64
CLUSTER_CELL = 256  # units of EXTENT: 16 × 16 cells a tile (16 px on a 256-px tile)
MIN_ZOOM, MAX_ZOOM = 0, 22
TMS_ID = "WebMercatorQuad"


@lru_cache(maxsize=1)
def tms() -> morecantile.TileMatrixSet:
    """The WebMercatorQuad tile matrix set (OGC 17-083r4), from morecantile."""
    return morecantile.tms.get(TMS_ID)


class NoSuchTile(ValueError):
    """Tile indices outside the tile matrix set (or beyond the zooms served)."""


@dataclass(frozen=True)
class Tile:
    z: int
    x: int  # column
    y: int  # row, from the top

    def __post_init__(self):
        if not (MIN_ZOOM <= self.z <= MAX_ZOOM) or not (0 <= self.x < 2**self.z and 0 <= self.y < 2**self.z):
            raise NoSuchTile(f"no tile {self.z}/{self.y}/{self.x} in {TMS_ID} (zoom {MIN_ZOOM}–{MAX_ZOOM}, row and column 0–2^zoom−1)")

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """The tile's Web Mercator bounds (metres)."""
        b = tms().xy_bounds(morecantile.Tile(self.x, self.y, self.z))
        return (b.left, b.bottom, b.right, b.top)

    def buffered(self, units: int) -> tuple[float, float, float, float]:
        x0, y0, x1, y1 = self.bounds
        m = (x1 - x0) * units / EXTENT
        return (x0 - m, y0 - m, x1 + m, y1 + m)

    def wgs84(self, units: int) -> tuple[float, float, float, float]:
        """The WGS84 box of the (buffered) tile, for the spatial index."""
        x0, y0, x1, y1 = self.buffered(units)
        # Web Mercator maps longitude and latitude separately: the box's corners are exact.
        (w, e), (s, n) = gcrs._transformer(3857, gcrs.WGS84).transform([x0, x1], [y0, y1])
        return (w, max(s, -85.06), e, min(n, 85.06))


@dataclass
class Layer:
    """What to draw in one tile layer: a table's geometry column, the properties to carry (name →
    column), which rows (a SQL condition), and for point layers optionally clustering."""

    name: str
    table: str
    geometry: object
    properties: dict[str, object]
    where: object = field(default_factory=sa.true)
    cluster: bool = False
    counts: dict[str, object] = field(default_factory=dict)  # clusters: name → condition counted
    cell: int = CLUSTER_CELL  # clusters: the grid's cell side in units of EXTENT (aligned with the tile)


def render(conn: sa.Connection, layer: Layer, tile: Tile) -> bytes:
    """The MVT of ``layer`` in ``tile``: PostGIS encodes it itself, SpatiaLite through Python."""
    if db.is_postgis(conn):
        return render_postgis(conn, layer, tile)
    return render_python(conn, layer, tile)


def _rows_query(conn, layer: Layer, tile: Tile, units: int, columns: list):
    env = db.envelope_expr(conn, tile.wgs84(units))
    geom_name = getattr(layer.geometry, "name", "geom")
    return (sa.select(*columns)
            .where(layer.geometry.is_not(None), db.index_prefilter(conn, layer.table, geom_name, env),
                   layer.where))


def render_postgis(conn: sa.Connection, layer: Layer, tile: Tile) -> bytes:
    """``ST_AsMVT`` in PostGIS (3.1 or later)."""
    x0, y0, x1, y1 = tile.bounds
    env = sa.func.ST_MakeEnvelope(*[sa.bindparam(None, v, type_=sa.Float) for v in (x0, y0, x1, y1)], 3857)
    merc = sa.func.ST_Transform(layer.geometry, 3857)
    if not layer.cluster:
        geom = sa.func.ST_AsMVTGeom(merc, env, EXTENT, BUFFER, True).label("geom")
        cols = [geom, *[c.label(n) for n, c in layer.properties.items()]]
        inner = _rows_query(conn, layer, tile, BUFFER, cols).subquery("t")
    else:
        cell = (x1 - x0) * layer.cell / EXTENT
        pts = _rows_query(conn, layer, tile, 0, [merc.label("g"), *[c.label(n) for n, c in layer.properties.items()],
                                                  *[sa.case((cond, 1), else_=0).label(f"_{n}") for n, cond in layer.counts.items()]]).subquery("p")
        n = sa.func.count()
        gx = sa.func.floor((sa.func.ST_X(pts.c.g) - x0) / cell)
        gy = sa.func.floor((sa.func.ST_Y(pts.c.g) - y0) / cell)
        cols = [sa.func.ST_AsMVTGeom(sa.func.ST_Centroid(sa.func.ST_Collect(pts.c.g)), env, EXTENT, 0, True).label("geom"),
                sa.cast(n, sa.Integer).label("count"),
                *[sa.case((n == 1, sa.func.min(pts.c[name])), else_=None).label(name) for name in layer.properties],
                *[sa.cast(sa.func.sum(pts.c[f"_{name}"]), sa.Integer).label(name) for name in layer.counts]]
        inner = sa.select(*cols).select_from(pts).group_by(gx, gy).subquery("t")
    q = (sa.select(sa.func.ST_AsMVT(sa.literal_column("t"), layer.name, EXTENT, "geom"))
         .select_from(inner).where(inner.c.geom.is_not(None)))
    data = conn.execute(q).scalar()
    return bytes(data) if data else b""


def render_python(conn: sa.Connection, layer: Layer, tile: Tile) -> bytes:
    """The same tile encoded in Python (mapbox-vector-tile), from rows any backend can give.
    Coordinates are transformed and clustered as arrays (one pyproj call per tile); clustered
    points are read as x/y numbers, not geometries (100,000 points: 1.7 s → a fraction of it)."""
    props = [c.label(n) for n, c in layer.properties.items()]
    counts = [sa.case((cond, 1), else_=0).label(f"_{n}") for n, cond in layer.counts.items()]
    x0, y0, x1, y1 = tile.bounds
    scale = np.array([EXTENT / (x1 - x0), EXTENT / (y1 - y0)])
    if layer.cluster:
        cols = [sa.func.ST_X(layer.geometry).label("_lon"), sa.func.ST_Y(layer.geometry).label("_lat"), *props, *counts]
        rows = conn.execute(_rows_query(conn, layer, tile, 0, cols)).all()  # tuples: tens of thousands of rows
        if not rows:
            return b""
        x, y = gcrs.xy_from_wgs84([r[0] for r in rows], [r[1] for r in rows], gcrs.EPSG3857)
        features = _clustered(layer, tile, rows, np.column_stack([x, y]), scale)
    else:
        cols = [layer.geometry.label("geom"), *props, *counts]
        rows = conn.execute(_rows_query(conn, layer, tile, BUFFER, cols)).mappings().all()
        if not rows:
            return b""
        # GeoAlchemy2 gives (E)WKB: hex text from SpatiaLite, bytes from PostGIS; GEOS reads both.
        wgs = shapely.from_wkb([d if isinstance(d := r["geom"].data, (bytes, str)) else bytes(d) for r in rows])
        features = _clipped(layer, tile, rows, gcrs.from_wgs84(wgs, gcrs.EPSG3857))
        for f in features:  # to tile units (y up; the encoder flips it), rounded as ST_AsMVTGeom does
            f["geometry"] = shapely.transform(f["geometry"], lambda xy: np.round((xy - (x0, y0)) * scale))
    if not features:
        return b""
    return mapbox_vector_tile.encode(
        [{"name": layer.name, "features": features}],
        default_options={"extents": EXTENT, "on_invalid_geometry": on_invalid_geometry_make_valid})


def _props(row, names) -> dict:
    return {n: row[n] for n in names if row[n] is not None}


def _clipped(layer: Layer, tile: Tile, rows, merc) -> list[dict]:
    box = tile.buffered(BUFFER)
    out = []
    for row, geom in zip(rows, merc):
        if geom.geom_type == "Point":
            if not _inside(geom, box):
                continue
            clipped = geom
        else:
            clipped = shapely.clip_by_rect(geom, *box)
            if clipped.is_empty:
                continue
        out.append({"geometry": clipped, "properties": _props(row, layer.properties)})
    return out


def _inside(p, box) -> bool:
    return box[0] <= p.x <= box[2] and box[1] <= p.y <= box[3]


def _clustered(layer: Layer, tile: Tile, rows, xy: np.ndarray, scale: np.ndarray) -> list[dict]:
    """Points (Web Mercator x/y) grouped by the layer's grid; features in tile units."""
    x0, y0, x1, y1 = tile.bounds
    cell = (x1 - x0) * layer.cell / EXTENT
    inside = (xy[:, 0] >= x0) & (xy[:, 0] <= x1) & (xy[:, 1] >= y0) & (xy[:, 1] <= y1)
    index = np.flatnonzero(inside)
    xy = xy[inside]
    if not len(xy):
        return []
    cells = np.floor((xy - (x0, y0)) / cell).astype(np.int64)
    keys, group = np.unique(cells[:, 0] * 1_000_003 + cells[:, 1], return_inverse=True)
    n = np.bincount(group)
    mx, my = np.bincount(group, weights=xy[:, 0]) / n, np.bincount(group, weights=xy[:, 1]) / n
    # rows: (lon, lat, *properties, *counts) in the layer's order
    first_count = 2 + len(layer.properties)
    counts = {name: np.bincount(group, weights=[rows[i][first_count + k] for i in index], minlength=len(keys)).astype(int)
              for k, name in enumerate(layer.counts)}
    units = np.round((np.column_stack([mx, my]) - (x0, y0)) * scale)  # as ST_AsMVTGeom rounds
    first = np.zeros(len(keys), dtype=np.int64)
    first[group[::-1]] = index[::-1]  # a member of each group (the only one for groups of one)
    out = []
    for g in range(len(keys)):
        props = {"count": int(n[g])}
        if n[g] == 1:
            row = rows[int(first[g])]
            props.update({name: v for k, name in enumerate(layer.properties) if (v := row[2 + k]) is not None})
        props.update({name: int(c[g]) for name, c in counts.items()})
        out.append({"geometry": Point(units[g]), "properties": props})
    return out


def decode(data: bytes) -> dict:
    """A tile's layers as GeoJSON-like dicts in tile units (y down), for tests and inspection."""
    return mapbox_vector_tile.decode(data, default_options={"y_coord_down": True}) if data else {}

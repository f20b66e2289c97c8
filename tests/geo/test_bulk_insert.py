"""geo.db.bulk_insert (COPY on PostgreSQL, the driver's executemany on SpatiaLite) stores what a
plain INSERT stores."""

from __future__ import annotations

import shapely
import sqlalchemy as sa
from geoalchemy2 import Geometry
from geoalchemy2.shape import from_shape

from geo.db import bulk_insert, make_engine


def _table(md: sa.MetaData, name: str) -> sa.Table:
    return sa.Table(name, md, sa.Column("id", sa.String(32), primary_key=True), sa.Column("name", sa.Text),
                    sa.Column("n", sa.Integer), sa.Column("x", sa.Float), sa.Column("tags", sa.JSON),
                    sa.Column("geom", Geometry("POINT", srid=4326, spatial_index=False), nullable=True))


ROWS = [
    {"id": "a", "name": "西岗区 \"quoted\" \\ back\tslash\nnewline", "n": 1, "x": 121.6185123456789, "tags": ["一", {"k": 2}],
     "geom": shapely.Point(121.6185123456789, 38.9155)},
    {"id": "b", "name": None, "n": None, "x": None, "tags": None, "geom": None},
    {"id": "c", "name": "", "n": -7, "x": 1e-9, "tags": [], "geom": shapely.Point(121.5, 38.8)},
]


def test_bulk_insert_stores_what_a_plain_insert_stores(databases):
    engine = make_engine(databases.new_url())
    md = sa.MetaData()
    plain, bulk = _table(md, "plain_rows"), _table(md, "bulk_rows")
    with engine.begin() as conn:
        md.create_all(conn)
        conn.execute(plain.insert(), [{**r, "geom": from_shape(r["geom"], srid=4326) if r["geom"] is not None else None} for r in ROWS])
        bulk_insert(conn, bulk, ROWS)
    read = lambda t: [(*r[:-1], bytes(r[-1]) if r[-1] is not None else None) for r in conn.execute(  # noqa: E731
        sa.select(t.c.id, t.c.name, t.c.n, t.c.x, sa.cast(t.c.tags, sa.Text), sa.func.ST_SRID(t.c.geom),
                  sa.func.ST_AsBinary(t.c.geom)).order_by(t.c.id))]
    with engine.connect() as conn:
        assert read(bulk) == read(plain)
        assert len(read(bulk)) == 3 and read(bulk)[0][5] == 4326
    engine.dispose()

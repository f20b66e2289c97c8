"""CQL2 filters (OGC API – Features Part 3) as SQL conditions for SpatiaLite and PostGIS.

Parsing is the maintained ``cql2`` library's (text and JSON encodings, checked against the
standard's grammar); every expression is then read in its CQL2-JSON form and turned into a
SQLAlchemy expression over the columns a collection declares as *queryables*. Values are always
bound parameters, never spliced into SQL; the dialect differences (case-sensitive LIKE on SQLite,
spatial predicates answering 1/0 there, geodesic distances) come from :mod:`geo.db`.

Supported, on both backends (the conformance classes a server may declare with this module are
:data:`CONFORMANCE`): logical operators, comparisons, ``IS NULL`` (basic CQL2); ``LIKE``,
``BETWEEN``, ``IN`` (advanced comparison); ``CASEI`` (case-insensitive comparison); the eight
spatial predicates ``S_INTERSECTS`` … ``S_CROSSES`` with any geometry literal or ``BBOX``
(spatial functions); and, as an extension outside CQL2 1.0, ``S_DWITHIN(geometry, literal,
metres)`` measured on the ellipsoid. Geometry literals are read in ``filter-crs`` (default CRS84)
in that CRS's authority axis order and converted to WGS84 by :mod:`geo.crs`.
Anything else (temporal, array, arithmetic, ``ACCENTI``, property-to-property comparison) is
refused with a :class:`FilterError` naming it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

import cql2
import sqlalchemy as sa
from shapely.geometry import box, shape

from geo import db
from geo.crs import CRS84, Crs, to_wgs84

CQL2 = "http://www.opengis.net/spec/cql2/1.0/conf/"
CONFORMANCE = tuple(CQL2 + c for c in (
    "cql2-text", "cql2-json", "basic-cql2", "advanced-comparison-operators", "case-insensitive-comparison",
    "basic-spatial-functions", "basic-spatial-functions-plus", "spatial-functions",
))
LANGUAGES = ("cql2-text", "cql2-json")
SPATIAL = {f"s_{name}": name for name in db.SPATIAL_PREDICATES}
COMPARISONS = {"=": "__eq__", "<>": "__ne__", "<": "__lt__", "<=": "__le__", ">": "__gt__", ">=": "__ge__"}
METRES = {"meters", "metres", "meter", "metre", "m"}


class FilterError(ValueError):
    """A filter that cannot be used: bad syntax, an unknown queryable, a type mismatch, or an
    operator outside the declared conformance classes."""


@dataclass(frozen=True)
class Queryable:
    """A property a filter may name: its SQL column and JSON type (``string``, ``integer``,
    ``number``, ``boolean`` or ``geometry``)."""

    name: str
    column: object  # a SQLAlchemy column expression
    type: str
    description: str = ""
    enum: tuple[str, ...] | None = None

    def schema(self) -> dict:
        """The JSON Schema of this queryable (for ``/queryables``)."""
        if self.type == "geometry":
            return {"title": self.description or self.name, "format": "geometry-any",
                    "$ref": "https://geojson.org/schema/Geometry.json"}
        out = {"title": self.description or self.name, "type": self.type}
        if self.enum:
            out["enum"] = list(self.enum)
        return out


def parse(text: str, lang: str = "cql2-text") -> dict:
    """The CQL2-JSON form of a filter given as ``cql2-text`` or ``cql2-json``."""
    if lang not in LANGUAGES:
        raise FilterError(f"filter-lang {lang!r} is not supported; expected one of {', '.join(LANGUAGES)}")
    try:
        expr = cql2.parse_text(text) if lang == "cql2-text" else cql2.parse_json(text)
        return expr.to_json()
    except Exception as exc:  # the library raises ParseError/ValueError/ValidationError
        first = str(exc).strip().splitlines()
        raise FilterError(f"cannot parse the {lang} filter: {' '.join(line.strip() for line in first[:6])}") from exc


def to_sql(expr: dict, queryables: Mapping[str, Queryable], conn, filter_crs: Crs = CRS84, geometry_table: str | None = None):
    """A SQL condition for a parsed filter (CQL2-JSON). ``geometry_table`` lets spatial
    predicates use the table's spatial index (SpatiaLite needs its name)."""
    return _Translator(queryables, conn, filter_crs, geometry_table).condition(expr)


class _Translator:
    def __init__(self, queryables, conn, filter_crs: Crs, table: str | None):
        self.q, self.conn, self.crs, self.table = queryables, conn, filter_crs, table

    # --- predicates -------------------------------------------------------------------------
    def condition(self, e):
        if isinstance(e, bool):
            return sa.true() if e else sa.false()
        if not isinstance(e, dict) or "op" not in e:
            raise FilterError(f"expected a predicate, found {_show(e)}")
        op, args = str(e["op"]).lower(), e.get("args", [])
        if op in ("and", "or"):
            if len(args) < 2:
                raise FilterError(f"'{op}' needs at least two operands")
            parts = [self.condition(a) for a in args]
            return sa.and_(*parts) if op == "and" else sa.or_(*parts)
        if op == "not":
            self._arity(op, args, 1)
            return sa.not_(self.condition(args[0]))
        if op in COMPARISONS:
            self._arity(op, args, 2)
            left, right, typ = self._pair(op, args[0], args[1])
            return getattr(left, COMPARISONS[op])(right)
        if op == "isnull":
            self._arity("IS NULL", args, 1)
            return self._property(args[0], op).column.is_(None)
        if op == "like":
            return self._like(args)
        if op == "between":
            self._arity("BETWEEN", args, 3)
            prop = self._property(args[0], op)
            if prop.type not in ("integer", "number"):
                raise FilterError(f"BETWEEN needs a numeric queryable; {prop.name!r} is a {prop.type}")
            low, high = (self._number(v, prop) for v in args[1:])
            return prop.column.between(low, high)
        if op == "in":
            self._arity("IN", args, 2)
            left, typ = self._scalar(args[0], op)
            if not isinstance(args[1], list) or not args[1]:
                raise FilterError("IN needs a non-empty list of values")
            return left.in_([self._value(v, typ, op) for v in args[1]])
        if op in SPATIAL:
            self._arity(op.upper(), args, 2)
            return self._spatial(SPATIAL[op], args[0], args[1])
        if op == "s_dwithin":
            return self._dwithin(args)
        if op == "accenti":
            raise FilterError("ACCENTI (accent-insensitive comparison) is not supported")
        if op.startswith("t_") or op.startswith("a_"):
            raise FilterError(f"{op.upper()}: temporal and array functions are not supported")
        raise FilterError(f"operator {e['op']!r} is not supported here")

    def _arity(self, op, args, n):
        if len(args) != n:
            raise FilterError(f"{op} takes {n} operand{'s' if n > 1 else ''}, found {len(args)}")

    def _like(self, args):
        self._arity("LIKE", args, 2)
        subject, pattern = args
        casei = _is_op(subject, "casei")
        if casei != _is_op(pattern, "casei"):
            raise FilterError("LIKE: apply CASEI to both the property and the pattern, or to neither")
        if casei:
            subject, pattern = subject["args"][0], pattern["args"][0]
        prop = self._property(subject, "like")
        if prop.type != "string":
            raise FilterError(f"LIKE needs a text queryable; {prop.name!r} is a {prop.type}")
        if not isinstance(pattern, str):
            raise FilterError(f"LIKE needs a text pattern, found {_show(pattern)}")
        if casei:
            return db.like_expr(self.conn, db.lower_expr(self.conn, prop.column), pattern.lower())
        return db.like_expr(self.conn, prop.column, pattern)

    # --- operands ---------------------------------------------------------------------------
    def _property(self, e, op) -> Queryable:
        if not isinstance(e, dict) or "property" not in e:
            raise FilterError(f"{op.upper()}: expected a queryable property, found {_show(e)}")
        name = e["property"]
        if name not in self.q:
            raise FilterError(f"unknown queryable {name!r}; queryables are: {', '.join(self.q)}")
        return self.q[name]

    def _scalar(self, e, op):
        """A property (optionally under CASEI) as (SQL expression, type)."""
        if _is_op(e, "casei"):
            prop = self._property(e["args"][0], op)
            if prop.type != "string":
                raise FilterError(f"CASEI needs a text queryable; {prop.name!r} is a {prop.type}")
            return db.lower_expr(self.conn, prop.column), "casei"
        prop = self._property(e, op)
        if prop.type == "geometry":
            raise FilterError(f"{prop.name!r} is a geometry: use a spatial function (S_INTERSECTS …)")
        return prop.column, prop.type

    def _pair(self, op, a, b):
        """The two sides of a comparison: a property on one side, a literal on the other."""
        a_prop, b_prop = _is_property(a), _is_property(b)
        if a_prop and b_prop:
            raise FilterError("comparing two properties is not supported (property-property class)")
        if not a_prop and not b_prop:
            raise FilterError(f"{op}: one side must be a queryable property")
        prop, lit = (a, b) if a_prop else (b, a)
        left, typ = self._scalar(prop, op)
        right = self._value(lit, typ, op)
        return (left, right, typ) if a_prop else (right, left, typ)

    def _value(self, v, typ, op):
        if typ == "casei":
            if not _is_op(v, "casei") or not isinstance(v["args"][0], str):
                raise FilterError("CASEI: compare with CASEI('text')")
            return sa.bindparam(None, v["args"][0].lower(), type_=sa.Text)
        if isinstance(v, dict):
            raise FilterError(f"{op}: expected a literal value, found {_show(v)} (dates, times and functions are not supported)")
        if typ == "string":
            if not isinstance(v, str):
                raise FilterError(f"{op}: expected text in quotes for a text queryable, found {_show(v)}")
            return sa.bindparam(None, v, type_=sa.Text)
        if typ in ("integer", "number"):
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise FilterError(f"{op}: expected a number, found {_show(v)}")
            return sa.bindparam(None, float(v), type_=sa.Float)
        if typ == "boolean":
            if not isinstance(v, bool):
                raise FilterError(f"{op}: expected TRUE or FALSE, found {_show(v)}")
            return sa.bindparam(None, v, type_=sa.Boolean)
        raise FilterError(f"{op}: cannot compare a {typ}")

    def _number(self, v, prop):
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise FilterError(f"BETWEEN {prop.name}: expected numbers, found {_show(v)}")
        return sa.bindparam(None, float(v), type_=sa.Float)

    # --- spatial ----------------------------------------------------------------------------
    def _geometry_operands(self, a, b, op):
        if _is_property(a):
            prop, lit, flipped = self._property(a, op), b, False
        elif _is_property(b):
            prop, lit, flipped = self._property(b, op), a, True
        else:
            raise FilterError(f"{op.upper()}: one operand must be the geometry queryable")
        if prop.type != "geometry":
            raise FilterError(f"{op.upper()}: {prop.name!r} is not a geometry")
        return prop, self._geometry_literal(lit, op), flipped

    def _geometry_literal(self, v, op):
        try:
            if isinstance(v, dict) and "bbox" in v:
                bb = v["bbox"]
                if len(bb) == 6:  # 3-D box: drop heights
                    bb = [bb[0], bb[1], bb[3], bb[4]]
                if self.crs.lat_first:
                    bb = [bb[1], bb[0], bb[3], bb[2]]
                geom = box(*bb)
            elif isinstance(v, dict) and ("coordinates" in v or v.get("type") == "GeometryCollection"):
                geom = shape(v)
                if self.crs.lat_first:  # literals are in filter-crs's own axis order
                    geom = _swapped(geom)
            else:
                raise FilterError(f"{op.upper()}: expected a geometry literal (WKT, GeoJSON or BBOX), found {_show(v)}")
        except FilterError:
            raise
        except Exception as exc:
            raise FilterError(f"{op.upper()}: unreadable geometry literal: {exc}") from exc
        if geom.is_empty:
            raise FilterError(f"{op.upper()}: the geometry literal is empty")
        if not self.crs.standard:
            raise FilterError("filter-crs must be a coordinate reference system")
        if self.crs.epsg != 4326:
            geom = to_wgs84(geom, self.crs)
        return geom

    def _spatial(self, name, a, b):
        prop, geom, flipped = self._geometry_operands(a, b, f"s_{name}")
        lit = db.geom_literal(self.conn, geom.wkt)
        # Predicates are not all symmetric: keep the operands in the order the filter gives.
        cond = db.spatial_predicate(self.conn, name, lit, prop.column) if flipped else db.spatial_predicate(self.conn, name, prop.column, lit)
        if name != "disjoint" and self.table:
            # Every predicate but DISJOINT implies the boxes meet: let the spatial index narrow first.
            column = getattr(prop.column, "name", "geom")
            cond = sa.and_(db.index_prefilter(self.conn, self.table, column, db.envelope_expr(self.conn, geom.bounds)), cond)
        return cond

    def _dwithin(self, args):
        if len(args) not in (3, 4):
            raise FilterError(f"S_DWITHIN takes (geometry, geometry, distance[, units]), found {len(args)} operands")
        prop, geom, _ = self._geometry_operands(args[0], args[1], "s_dwithin")
        distance = args[2]
        if isinstance(distance, bool) or not isinstance(distance, (int, float)) or distance < 0:
            raise FilterError(f"S_DWITHIN: expected a distance in metres, found {_show(distance)}")
        if len(args) == 4:
            unit = args[3].get("property") if isinstance(args[3], dict) else args[3]
            if str(unit).lower() not in METRES:
                raise FilterError(f"S_DWITHIN: distances are in metres, found unit {_show(unit)}")
        return db.within_distance(self.conn, prop.column, db.geom_literal(self.conn, geom.wkt), distance)


def _swapped(geom):
    import shapely

    return shapely.transform(geom, lambda xy: xy[:, ::-1])


def _is_property(e) -> bool:
    """A property reference, possibly under CASEI (``CASEI('text')`` is a literal)."""
    return isinstance(e, dict) and ("property" in e or _is_op(e, "casei") and _is_property(e["args"][0]))


def _is_op(e, name: str) -> bool:
    return isinstance(e, dict) and str(e.get("op", "")).lower() == name and len(e.get("args", [])) == 1


def _show(v) -> str:
    text = json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else repr(v)
    return text if len(text) < 80 else text[:77] + "…"

"""Statistics of projects per zone, layout, district, street, industry or document.

Every number is counted over the very rows ``/api/projects`` pages through: the matched projects
come from :func:`projects.queries.matched_sql` (the same filters, the same status expression) and a
group's members from :func:`projects.queries.membership_sql` (the same rule as the ``zone=``,
``layout=``, ``district=``, ``street=``, ``industry=`` and ``plan=`` filters). So a group's count
equals ``numberMatched`` of ``/api/projects`` with that group's filter added, by construction.

Investments are summed as the documents write them (see :func:`parse_investment`), per unit.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from geoalchemy2.shape import to_shape

from geo.crs import area_m2
from projects.history import in_date_order
from projects.queries import GROUPINGS, PLACED, ProjectFilter, matched_sql, membership_sql
from projects.status import Status

# An amount as written: an optional qualifier before (约 about, 近 nearly, 超过/超/逾/突破 over, 达 reaching),
# a number, or a range of two, an optional 余/多 ("and more") and the unit: 亿元, 万元, 亿美元 …
_AMOUNT = re.compile(
    r"(?P<before>约|近|超过|超|逾|突破|达)?\s*(?P<low>\d+(?:\.\d+)?)"
    r"(?:\s*(?:-|—|–|~|～|至|到)\s*(?P<high>\d+(?:\.\d+)?))?\s*(?P<more>余|多)?\s*"
    r"(?P<unit>[亿万](?:美元|元))(?P<after>以上|左右)?")
_APPROXIMATE = {"约", "近", "超过", "超", "逾", "突破", "余", "多", "以上", "左右"}


@dataclass(frozen=True)
class Amount:
    """One investment figure as written: a number (or a range) and its unit (亿元, 万元, 亿美元 …)."""

    value: float
    unit: str
    high: float | None = None  # the upper end of a range (the value is then its lower end)
    approximate: bool = False  # 约, 近, 超过, 余, 多, 以上 … qualify the number


def parse_investment(text: str | None) -> list[Amount]:
    """Every amount in an investment text as written, e.g. ``"总投资超过116亿元"`` → 116 亿元, approximate.

    Chinese-numeral amounts (一百亿元) are not read: they count as not numeric.
    """
    out = []
    for m in _AMOUNT.finditer(text or ""):
        approx = any(m.group(g) in _APPROXIMATE for g in ("before", "more", "after") if m.group(g))
        out.append(Amount(float(m.group("low")), m.group("unit"), float(m.group("high")) if m.group("high") else None, approx))
    return out


class InvestmentTally:
    """Investments of a set of projects, one figure per project, summed per unit as written.

    A project's figure is the latest (in date order) of its mentions that state an investment. A single
    amount is summed at the number written, approximate ones too (they are also counted in
    ``approximate``); a range (50–60亿元) or a text with several amounts is not summed but counted in
    ``not_summed``; a text without a numeric amount is counted in ``not_numeric``.
    """

    def __init__(self):
        self.sums: dict[str, float] = defaultdict(float)
        self.counts: Counter = Counter()
        self.approximate: Counter = Counter()
        self.not_summed = 0
        self.not_numeric = 0
        self.projects = 0

    def add(self, text: str) -> None:
        self.projects += 1
        amounts = parse_investment(text)
        if not amounts:
            self.not_numeric += 1
        elif len(amounts) > 1 or amounts[0].high is not None:
            self.not_summed += 1
        else:
            a = amounts[0]
            self.sums[a.unit] += a.value
            self.counts[a.unit] += 1
            self.approximate[a.unit] += a.approximate

    def as_dict(self) -> dict:
        return {
            "projects_stating": self.projects,
            "by_unit": {u: {"sum": round(self.sums[u], 4), "projects": self.counts[u], "approximate": self.approximate[u]}
                        for u in sorted(self.sums)},
            "not_summed": self.not_summed, "not_numeric": self.not_numeric,
        }


def _project_investments(conn: sa.Connection, ids: set[str]) -> dict[str, str]:
    """Per project: the investment text of its latest mention that states one."""
    if not ids:
        return {}
    from projects.models import Mention
    from zones.models import Plan

    plans = {r.id: {"date": r.date, "year": r.year, "period": r.period} for r in conn.execute(sa.select(Plan.id, Plan.date, Plan.year, Plan.period))}
    rows = conn.execute(sa.select(Mention.project_id, Mention.plan_id, Mention.year, Mention.status, Mention.investment)
                        .where(Mention.investment.is_not(None), Mention.project_id.in_(sorted(ids))).order_by(Mention.id))
    by_project: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_project[r.project_id].append(dict(r._mapping))
    return {pid: in_date_order(ms, plans)[-1]["investment"] for pid, ms in by_project.items()}


def _groups(conn: sa.Connection, by: str, f: ProjectFilter) -> list[dict]:
    """Every group of the dimension, with its names (zones: of the layout filter only)."""
    if by == "zone":
        q = "SELECT id, name_zh, name_en, layout_id, plan_id, kind FROM zones"
        rows = conn.execute(sa.text(q + (" WHERE layout_id = :layout" if f.layout else "") + " ORDER BY layout_id, id"), {"layout": f.layout})
        return [{"id": r.id, "name_zh": r.name_zh, "name_en": r.name_en, "layout": r.layout_id, "plan": r.plan_id, "kind": r.kind} for r in rows]
    if by == "layout":
        rows = conn.execute(sa.text("SELECT id, name_zh, name_en, plan_id FROM layouts ORDER BY id"))
        return [{"id": r.id, "name_zh": r.name_zh, "name_en": r.name_en, "plan": r.plan_id} for r in rows]
    if by == "document":
        rows = conn.execute(sa.text("SELECT id, title_zh, title_en, source_file FROM plans ORDER BY source_file"))
        return [{"id": r.id, "name_zh": r.title_zh, "name_en": r.title_en, "source_file": r.source_file} for r in rows]
    if by in ("industry", "street"):
        table = {"industry": "industries", "street": "streets"}[by]
        rows = conn.execute(sa.text(f"SELECT id, name_zh, name_en FROM {table} ORDER BY id"))
        return [{"id": r.id, "name_zh": r.name_zh, "name_en": r.name_en} for r in rows]
    if by == "district":
        rows = conn.execute(sa.text("SELECT DISTINCT district FROM projects WHERE district IS NOT NULL ORDER BY district"))
        return [{"id": r[0], "name_zh": r[0], "name_en": None} for r in rows]
    raise ValueError(f"unknown grouping {by!r}; expected one of {', '.join(GROUPINGS)}")


_AREAS: dict[str, dict[str, float]] = {}


def zone_areas_km2(conn: sa.Connection) -> dict[str, float]:
    """Area of every zone with a polygon, in km², measured in the metric CRS (geo.crs, UTM 51N).

    Cached per loaded dataset (its fingerprint): zone geometry changes only with a load.
    """
    fingerprint = conn.execute(sa.text("SELECT fingerprint FROM dataset_info")).scalar()
    if fingerprint not in _AREAS:
        from zones.models import Zone

        rows = conn.execute(sa.select(Zone.id, Zone.geom).where(Zone.geom.is_not(None)))
        _AREAS.clear()
        _AREAS[fingerprint] = {zid: area_m2(to_shape(g)) / 1e6 for zid, g in rows}
    return _AREAS[fingerprint]


def _tally(statuses: list[str]) -> dict:
    return {"projects": 0, "status": dict.fromkeys(statuses, 0), "placed": dict.fromkeys(PLACED, 0)}


def statistics(conn: sa.Connection, by: str, f: ProjectFilter) -> dict:
    """Per group of ``by``: projects, by status, by placement (located / text_only / unplaced), the
    investments the texts state; for zones also area (km²) and projects per km². ``totals`` counts the
    matched projects once each (groups may overlap) and how many of them fall in no group."""
    if by not in GROUPINGS:
        raise ValueError(f"unknown grouping {by!r}; expected one of {', '.join(GROUPINGS)}")
    matched, params = matched_sql(conn, f)
    members = membership_sql(conn, by, f)
    statuses = [s.value for s in Status]
    groups = _groups(conn, by, f)
    tallies = {g["id"]: _tally(statuses) for g in groups}
    # One pass over (project, group) rows; a project in no group comes once with a null group.
    rows = conn.execute(sa.text(
        f"SELECT m.id, m.status, m.placed, g.group_id FROM ({matched}) AS m"
        f" LEFT JOIN ({members}) AS g ON g.project_id = m.id"), params).all()
    projects: dict[str, tuple[str, str]] = {}
    in_groups: dict[str, list[str]] = defaultdict(list)
    for pid, status, placed, gid in rows:
        projects[pid] = (status, placed)
        if gid is not None and gid in tallies:
            in_groups[pid].append(gid)
    texts = _project_investments(conn, set(projects))
    per_group: dict[str, InvestmentTally] = defaultdict(InvestmentTally)
    totals = _tally(statuses)
    overall = InvestmentTally()
    for pid, (status, placed) in sorted(projects.items()):
        for t in [totals, *(tallies[g] for g in in_groups[pid])]:
            t["projects"] += 1
            t["status"][status] = t["status"].get(status, 0) + 1
            t["placed"][placed] += 1
        if pid in texts:
            overall.add(texts[pid])
            for g in in_groups[pid]:
                per_group[g].add(texts[pid])
    totals["in_no_group"] = sum(1 for pid in projects if not in_groups[pid])
    totals["investment"] = overall.as_dict()

    areas = zone_areas_km2(conn) if by == "zone" else {}
    out = []
    for g in groups:
        entry = {**g, **tallies[g["id"]], "investment": per_group[g["id"]].as_dict()}
        if by == "zone":
            area = areas.get(g["id"])
            entry["area_km2"] = round(area, 4) if area is not None else None
            entry["projects_per_km2"] = float(f"{entry['projects'] / area:.4g}") if area else None
        out.append(entry)
    return {"by": by, "groups": out, "totals": totals}


def honest_counts(conn: sa.Connection, f: ProjectFilter | None = None) -> dict[str, int]:
    """How many projects are located (a point), placed by text only (no point, a stated zone) or not
    placed at all, and their total."""
    matched, params = matched_sql(conn, f or ProjectFilter())
    counts = dict.fromkeys(PLACED, 0)
    for placed, n in conn.execute(sa.text(f"SELECT m.placed, count(*) FROM ({matched}) AS m GROUP BY m.placed"), params):
        counts[placed] = n
    return {"projects": sum(counts.values()), **counts}

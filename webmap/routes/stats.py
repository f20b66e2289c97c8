"""Statistics over the projects: `GET /api/stats`, JSON or CSV.

The filters are those of `/api/projects` (one dependency, `api.project_filter`), so a group's
count equals `numberMatched` of `/api/projects` with the same filters plus that group's filter.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from enum import Enum
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from projects import stats as ps
from projects.queries import GROUPINGS
from webmap.deps import ConnDep
from webmap.errors import BadParameter
from webmap.routes.api import ProjectFilterDep

router = APIRouter(prefix="/api", tags=["statistics"])

By = Enum("By", {g: g for g in GROUPINGS}, type=str)
By.__doc__ = "What the statistics group projects by."


class Format(str, Enum):
    json = "json"
    csv = "csv"


def wants_csv(request: Request, f: Format | None) -> bool:
    """`f=csv`, or an Accept header that prefers text/csv (`f` wins). A local rule until the one
    media-type table (webmap/media.py) lands."""
    if f is not None:
        return f is Format.csv
    accept = request.headers.get("accept", "")
    return "text/csv" in accept and "application/json" not in accept.split("text/csv")[0]


def filters_echo(f, by: str | None) -> dict:
    """The filters the numbers were computed for, as the client can pass them again."""
    out = {"by": by} if by else {}
    for k, v in dataclasses.asdict(f).items():
        if v is not None:
            out[k] = ",".join(f"{x:g}" for x in v) if isinstance(v, tuple) else v
    return out


@router.get("/stats", summary="Project counts per zone, layout, district, street, industry or document")
def stats(
    request: Request,
    conn: ConnDep,
    flt: ProjectFilterDep,
    by: Annotated[By, Query(description="group by: zone | layout | district | street | industry | document")],
    f: Annotated[Format | None, Query(description="json (default) or csv; or send Accept: text/csv")] = None,
):
    """Per group: `projects`, `status` (counts per status), `placed` (`located` = a point,
    `text_only` = no point but a document states its zone, `unplaced`), `investment` (the figures the
    texts state, summed per unit as written) and, for zones, `area_km2` (in UTM 51N) and
    `projects_per_km2`. `totals` counts every matched project once and those in no group. Groups may
    overlap (a project in two zones counts in both). `layout` with `by=zone` lists that layout's zones.
    The filters are those of `/api/projects`; `basis` (spatial | text | any) sets how zone and layout
    membership is known."""
    if flt.basis is not None and by.value not in ("zone", "layout") and flt.zone is None and flt.layout is None:
        raise BadParameter("basis", "applies to zone membership: use it with by=zone or by=layout, or with zone or layout")
    body = ps.statistics(conn, by.value, flt)
    body["filters"] = filters_echo(flt, by.value)
    if wants_csv(request, f):
        return Response(stats_csv(body), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="zonemap-stats-by-{by.value}.csv"'})
    return JSONResponse({"filters": body.pop("filters"), **body})


@router.get("/summary", summary="How many projects are located, placed by text only, or not placed")
def summary(conn: ConnDep, flt: ProjectFilterDep) -> dict:
    """Honest counts for the projects the filters of `/api/projects` select: `located` (a point),
    `text_only` (no point, but a document states its zone), `unplaced` (neither); they add up to
    `projects`. The same numbers as `/api/stats` totals `placed`, and, unfiltered, `/healthz`."""
    return {"filters": filters_echo(flt, None), **ps.honest_counts(conn, flt)}


def stats_csv(body: dict) -> str:
    """One row per group, then a row for all matched projects (each once) and one for those in no group.

    UTF-8 with a byte-order mark, for spreadsheets."""
    units = sorted({u for row in [*body["groups"], body["totals"]] for u in row["investment"]["by_unit"]})
    statuses = list(body["totals"]["status"])
    extra = [k for k in ("layout", "plan", "kind", "source_file") if any(k in g for g in body["groups"])]
    columns = ["by", "id", "name_zh", "name_en", *extra, "projects", *(f"status_{s}" for s in statuses),
               "located", "text_only", "unplaced"]
    if body["by"] == "zone":
        columns += ["area_km2", "projects_per_km2"]
    columns += ["investment_projects_stating", *(f"investment_{u}_{k}" for u in units for k in ("sum", "projects")),
                "investment_not_summed", "investment_not_numeric"]

    def row(entry: dict, **names) -> dict:
        inv = entry["investment"]
        r = {"by": body["by"], **{k: entry.get(k) for k in ("id", "name_zh", "name_en", *extra)}, **names,
             "projects": entry["projects"], **{f"status_{s}": entry["status"].get(s, 0) for s in statuses},
             **entry["placed"], "area_km2": entry.get("area_km2"), "projects_per_km2": entry.get("projects_per_km2"),
             "investment_projects_stating": inv["projects_stating"],
             "investment_not_summed": inv["not_summed"], "investment_not_numeric": inv["not_numeric"]}
        for u in units:
            r[f"investment_{u}_sum"] = inv["by_unit"].get(u, {}).get("sum", 0)
            r[f"investment_{u}_projects"] = inv["by_unit"].get(u, {}).get("projects", 0)
        return r

    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for g in body["groups"]:
        writer.writerow(row(g))
    totals = body["totals"]
    writer.writerow(row(totals, id="", name_zh="全部", name_en="All matched projects (each once)"))
    writer.writerow({"by": body["by"], "id": "", "name_zh": "不属于任何分组", "name_en": f"In no {body['by']}",
                     "projects": totals["in_no_group"]})
    return out.getvalue()

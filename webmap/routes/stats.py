"""Statistics over the projects: `GET /api/stats` (JSON or CSV) and the honest counts `GET /api/summary`.

The filters are those of `/api/projects` (one model, `api.ProjectFilters`, one function, `api._filter`),
so a group's count equals `numberMatched` of `/api/projects` with the same filters plus that group's.
"""

from __future__ import annotations

import csv
import io
from enum import Enum
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from projects import stats as ps
from projects.queries import GROUPINGS
from webmap import schemas
from webmap.deps import ConnDep
from webmap.errors import ERROR_RESPONSES
from webmap.media import Format, FormatParam, content_type, negotiate, respond
from webmap.routes.api import ProjectFilters, _filter, _formats_doc

router = APIRouter(prefix="/api", tags=["statistics"], responses=ERROR_RESPONSES)

OFFERED = (Format.json, Format.csv)

# `plan` is the vocabulary's name for a document; `document` is the name the issue gave the grouping.
By = Enum("By", {g: g for g in (*GROUPINGS, "plan")}, type=str)
By.__doc__ = "What the statistics group projects by."


def _echo(request: Request) -> dict:
    """The parameters the numbers were computed for, as the client gave them."""
    return {k: v for k, v in request.query_params.items() if k != "f"}


@router.get("/stats", summary="Project counts per zone, layout, district, street, industry or plan (JSON or CSV)",
            response_model=schemas.Stats, responses=_formats_doc(OFFERED, Format.json))
def stats(
    request: Request,
    conn: ConnDep,
    query: Annotated[ProjectFilters, Query()],
    by: Annotated[By, Query(description="group by: zone (default), layout, district, street, industry or document (= plan)", examples=["zone"])] = By.zone,
    f: FormatParam = None,
):
    """Per group: `projects`, `status` (counts per status), `placed` (`located` = a point,
    `text_only` = no point but a document states its zone, `unplaced`), `investment` (the figures the
    texts state, one per project, summed per unit as written: ranges and texts with several amounts
    are counted in `not_summed`, approximate figures summed and counted in `approximate`) and, for
    zones, `area_km2` (measured in UTM 51N) and `projects_per_km2`. `totals` counts every matched
    project once and those in no group; groups may overlap (a project in two zones counts in both).
    The filters are those of `/api/projects`: a group's counts equal `/api/projects` with the same
    filters plus the group's (`zone=`, `layout=`, `district=`, `street=`, `industry=`, `plan=`).
    `layout` with `by=zone` lists that layout's zones; `basis` sets how zone and layout membership
    is known. `f=csv` or `Accept: text/csv`: one row per group, then the totals."""
    fmt = negotiate(request, f, OFFERED)
    grouping = "document" if by.value == "plan" else by.value
    flt = _filter(request, conn, query, basis_alone=grouping in ("zone", "layout"))
    body = {"filters": _echo(request), **ps.statistics(conn, grouping, flt)}
    if fmt is Format.csv:
        return Response(stats_csv(body).encode("utf-8"), media_type=content_type(Format.csv),
                        headers={"Content-Disposition": f'inline; filename="zonemap-stats-by-{by.value}.csv"'})
    return respond(Format.json, body)


@router.get("/summary", summary="How many projects are located, placed by text only, or not placed",
            response_model=schemas.Summary, responses=_formats_doc(OFFERED, Format.json))
def summary(request: Request, conn: ConnDep, query: Annotated[ProjectFilters, Query()], f: FormatParam = None):
    """Honest counts for the projects the filters of `/api/projects` select: `located` (a point),
    `text_only` (no point, but a document states its zone), `unplaced` (neither); they add up to
    `projects`. The same numbers as `/api/stats` `totals.placed` and, unfiltered, `/healthz`."""
    fmt = negotiate(request, f, OFFERED)
    body = {"filters": _echo(request), **ps.honest_counts(conn, _filter(request, conn, query))}
    return respond(fmt, body, filename="zonemap-summary")


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

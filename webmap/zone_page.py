"""The HTML page of one zone: what the plan says of it (with the quote), its projects by geometry
and by text, counts by status, and the industries named for it and for its projects."""

from __future__ import annotations

from collections import Counter
from html import escape

from projects.status import Status
from webmap.labels import PROJECT_KIND_LABELS, STATUS_COLOURS, ZONE_KIND_LABELS, label, status_label

BASIS_LABELS = {
    "spatial": ("按位置", "by geometry: its point lies in the zone"),
    "text": ("按文本", "by text: a document states the zone"),
    "both": ("位置与文本", "by geometry and by text"),
}


def _status(value: str) -> str:
    return (f'<span class="zm-status zm-status-{escape(value)}">{escape(status_label(value))} '
            f'{escape(status_label(value, "en"))}</span>')


def render_zone_page(zone: dict, layout: dict | None, plan: dict | None, members: list[tuple[dict, str]],
                     industry_names: dict[str, tuple[str, str]], area_km2: float | None) -> str:
    """A self-contained page (styles from /static) for a zone Feature and its member projects,
    given as ``(project feature, basis)`` with basis ``spatial``, ``text`` or ``both``."""
    e = escape
    z = zone["properties"]
    by_status = Counter(f["properties"]["status"] for f, _ in members)
    by_basis = Counter(b for _, b in members)
    status_rows = "".join(
        f'<tr><td>{_status(s.value)}</td><td class="zm-num">{by_status.get(s.value, 0)}</td>'
        f'<td><span class="zm-bar" style="width:{8 * by_status.get(s.value, 0)}px;background:{STATUS_COLOURS[s.value]}"></span></td></tr>'
        for s in Status)
    project_industries = Counter(i for f, _ in members for i in f["properties"].get("industries") or [])
    industries = "".join(
        f"<li>{e(industry_names.get(i, (i, i))[0])} <small>{e(industry_names.get(i, (i, i))[1])}</small>"
        f"{' · ' + str(project_industries[i]) + ' 个项目 projects' if project_industries.get(i) else ''}"
        f"{' · <em>规划所定 named by the plan</em>' if i in (z.get('industries') or []) else ''}</li>"
        for i in sorted(set(z.get("industries") or []) | set(project_industries), key=lambda i: (-project_industries.get(i, 0), i)))
    rows = []
    for f, basis in sorted(members, key=lambda m: (m[1] == "text", m[0]["properties"]["name_zh"])):
        p = f["properties"]
        where = "—" if f["geometry"] is None else f"±{p['location_accuracy_m']:g} m" if p.get("location_accuracy_m") else "✓"
        rows.append(
            f'<tr><td><a href="/projects/{e(f["id"])}">{e(p["name_zh"])}</a><br><small>{e(p.get("name_en") or "")}</small></td>'
            f'<td>{_status(p["status"])}</td><td>{e(label(PROJECT_KIND_LABELS, p["kind"]))}</td>'
            f'<td>{e(BASIS_LABELS[basis][0])}<br><small>{e(BASIS_LABELS[basis][1].split(":")[0])}</small></td>'
            f'<td>{e(where)}</td></tr>')
    if zone["geometry"]:
        geometry = (f"±{z['accuracy_m']:g} m · {e(z.get('confidence') or '')} · {e(z.get('placement') or '')}"
                    if z.get("accuracy_m") else e(z.get("placement") or "drawn"))
        if area_km2 is not None:
            geometry = f"{area_km2:.2f} km² · " + geometry
    else:
        geometry = f"未绘制 not drawn: {e(z.get('unmapped_reason') or 'no outline')}"
    layout_name = f"{e(layout['name_zh'])} · {e(layout['name_en'])}" if layout else e(z["layout"])
    plan_name = f"{e(plan['title_zh'])}" if plan else e(z["plan"])
    map_link = f"/?layout={e(z['layout'])}&amp;zone={e(zone['id'])}"
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(z["name_zh"])} · zonemap</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/static/zonemap.css"></head>
<body class="zm-page">
<p class="zm-noprint"><a href="{map_link}">← 地图 Map</a> · <a href="/api/zones/{e(zone["id"])}">GeoJSON</a>
 · <a href="/api/projects?zone={e(zone["id"])}">项目 GeoJSON</a></p>
<h1>{e(z["name_zh"])}</h1>
<p class="zm-en">{e(z["name_en"])}</p>
<table class="zm-facts">
<tr><th>布局 Layout</th><td>{layout_name}</td></tr>
<tr><th>规划 Plan</th><td>{plan_name}</td></tr>
<tr><th>类型 Kind</th><td>{e(label(ZONE_KIND_LABELS, z["kind"]))} · {e(label(ZONE_KIND_LABELS, z["kind"], "en"))}</td></tr>
<tr><th>定位 Role</th><td>{e(z.get("roles") or "—")}</td></tr>
<tr><th>原文 The plan's words</th><td class="zm-quote">“{e(z.get("quote") or "")}”<br><small>{e(z.get("section") or "")}</small></td></tr>
<tr><th>范围 Outline</th><td>{geometry}</td></tr>
</table>
<h2>项目 Projects ({len(members)}: {by_basis.get("spatial", 0) + by_basis.get("both", 0)} 按位置 by geometry,
{by_basis.get("text", 0) + by_basis.get("both", 0)} 按文本 by text)</h2>
<table class="zm-counts"><tbody>{status_rows}</tbody></table>
<table class="zm-history zm-members"><thead><tr><th>项目 Project</th><th>状态 Status</th><th>类型 Kind</th>
<th>依据 Basis</th><th>定位 Located</th></tr></thead><tbody>{"".join(rows) or '<tr><td colspan="5">—</td></tr>'}</tbody></table>
<h2>产业 Industries</h2>
<ul>{industries or "<li>—</li>"}</ul>
</body></html>"""

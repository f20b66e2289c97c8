"""The HTML page of one project: what it is, where, and its status history across the documents."""

from __future__ import annotations

from html import escape

from projects.status import STATUS_LABELS, Status
from webmap.labels import PROJECT_KIND_LABELS, label


def _status(value: str) -> str:
    zh, en = STATUS_LABELS[Status(value)]
    return f'<span class="zm-status zm-status-{escape(value)}">{zh} {en}</span>'


TIMELINE_YEARS = (2015, 2025)  # the documents' span: the 12th FYP's last year to the 14th FYP's


def _timeline_strip(p: dict) -> str:
    """Year → status at the year's end (the facts, coloured like the map), 2015…2025, with the
    pending target marked at the year it aims at; years before the first mention stay blank."""
    changes = {c["year"]: c["status"] for c in p.get("status_timeline") or []}
    if not changes:
        return ""
    target, target_year = p.get("target_status"), p.get("target_year")
    first = min(changes)
    start = min(TIMELINE_YEARS[0], first)
    end = max(TIMELINE_YEARS[1], max(changes), target_year or 0)
    cells, status = [], None
    for year in range(start, end + 1):
        status = changes.get(year, status)
        zh, en = STATUS_LABELS[Status(status)] if status else ("未提及", "not mentioned yet")
        cls = f"zm-status-{escape(status)}" if status else "zm-tl-none"
        mark = ""
        if target and year == target_year:
            tzh, ten = STATUS_LABELS[Status(target)]
            cls += f" zm-tl-target zm-tl-target-{escape(target)}"
            mark = f'<span class="zm-tl-mark" title="目标 target: {tzh} {ten}">◎</span>'
        change = " zm-tl-change" if year in changes else ""
        cells.append(f'<li class="{cls}{change}" title="{year}: {zh} {en}"><span>{year}</span>{mark}</li>')
    basis = p.get("status_basis") or {}
    facts = " → ".join(f'{c["year"]} {STATUS_LABELS[Status(c["status"])][0]}' for c in p["status_timeline"])
    note = f"{escape(facts)} <small>({escape(basis.get('words') or '—')}, {escape(basis.get('plan') or '')})</small>"
    if target:
        tb = p.get("target_basis") or {}
        note += (f'<br>◎ 目标 Target: {_status(target)} {escape(str(target_year or ""))} '
                 f"<small>(“{escape(tb.get('words') or '')}”, {escape(tb.get('plan') or '')} {escape(str(tb.get('year') or ''))})</small>")
    return (f'<section class="zm-timeline" aria-label="status timeline"><h2>状态时间线 Status timeline</h2>'
            f'<ol class="zm-tl-strip">{"".join(cells)}</ol><p class="zm-tl-note">{note}</p></section>')


def render_project_page(feature: dict, zone_names: dict[str, str], industry_names: dict[str, str] | None = None) -> str:
    """A self-contained page (styles from /static) for a project Feature with ``mention_history``;
    zones link to their pages, kinds and industries show their names."""
    industry_names = industry_names or {}
    p = feature["properties"]
    e = escape
    rows = []
    for m in p["mention_history"]:
        when = m.get("status_year") or m["year"] or m["document_year"]  # the year its statement holds from
        zone = m["zone_as_written"] or ""
        if m["zone"]:
            zone += f' <small>→ <a href="/zones/{e(m["zone"])}">{e(zone_names.get(m["zone"], m["zone"]))}</a></small>'
        note = f'<br><small>{e(m["status_note"])}</small>' if m["status_note"] else ""
        if m.get("statement") == "target":  # a target: what it aims at, and by when
            aim = f' → {_status(m["target_status"])} {e(str(m["target_year"] or ""))}' if m.get("target_status") else ""
            note = f'<br><small>目标 target{aim}</small>' + note
        rows.append(
            "<tr>"
            f"<td>{e(str(when))}</td>"
            f'<td>{e(m["document_title_zh"])}<br><small>{e(m["source_file"])} · {e(m["section"] or "")}</small></td>'
            f'<td data-label="原文状态 Words">{e(m["status_words"] or "—")}</td><td>{_status(m["status"])}{note}</td>'
            f'<td data-label="区域 Zone">{zone if m["zone_as_written"] or m["zone"] else "—"}</td>'
            f'<td data-label="投资 Investment">{e(m["investment"] or "—")}</td>'
            f'<td class="zm-quote">“{e(m["quote"])}”</td>'
            "</tr>"
        )
    if feature["geometry"]:
        lon, lat = feature["geometry"]["coordinates"]
        where = (f"{lat:.5f}° N, {lon:.5f}° E (WGS84), ±{p['location_accuracy_m']:g} m, {e(p['confidence'] or '')} confidence"
                 f"<br><small>{e(p['placement'] or '')}</small>")
    else:
        where = "not located: the documents and the sources at hand do not say where its site is"
    zones = ", ".join(f'<a href="/zones/{e(z)}">{e(zone_names.get(z, z))}</a>' for z in p["zone_ids"]) or "—"
    aliases = "、".join(e(a) for a in p["aliases"]) or "—"
    alias_note = f'<br><small>{e(p["alias_note"])}</small>' if p.get("alias_note") else ""
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(p["name_zh"])} · zonemap</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/static/zonemap.css"></head>
<body class="zm-page">
<p><a href="/">← 地图 Map</a> · <a href="/api/projects/{e(feature["id"])}">GeoJSON</a></p>
<h1>{e(p["name_zh"])}</h1>
<p class="zm-en">{e(p["name_en"] or "")}</p>
<table class="zm-facts">
<tr><th>当前状态 Status</th><td>{_status(p["status"])} <small>({e(p["status_words"] or "—")}, {e(str(p["status_year"] or ""))})</small></td></tr>
<tr><th>别名 Aliases</th><td>{aliases}{alias_note}</td></tr>
<tr><th>类型 Kind</th><td>{e(label(PROJECT_KIND_LABELS, p["kind"]))} {e(label(PROJECT_KIND_LABELS, p["kind"], "en"))} · {e(p["district"] or "")}</td></tr>
<tr><th>所在区域 Zones</th><td>{zones}</td></tr>
<tr><th>产业 Industries</th><td>{e("、".join(industry_names.get(i, i) for i in p["industries"])) or "—"}</td></tr>
<tr><th>位置 Location</th><td>{where}</td></tr>
</table>
{_timeline_strip(p)}
<h2>状态历史 Status history ({len(rows)} mentions)</h2>
<table class="zm-history"><thead><tr><th>年份 Year</th><th>文件 Document</th><th>原文状态 Words</th>
<th>状态 Status</th><th>区域 Zone as written</th><th>投资 Investment</th><th>引文 Quote</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table>
</body></html>"""

"""The error page people see (the API and the OGC API keep answering JSON)."""

from __future__ import annotations

from html import escape

TITLES = {
    400: ("请求有误", "Bad request"),
    404: ("找不到页面", "Not found"),
    405: ("不支持的方法", "Method not allowed"),
    422: ("参数无法使用", "A parameter cannot be used"),
    500: ("服务器内部错误", "Internal error"),
    503: ("数据库不可用", "Database not available"),
}


def render_error_page(status: int, detail: str) -> str:
    """A small self-contained page: the status, the reason in words, and ways back."""
    zh, en = TITLES.get(status, ("出错了", "Error"))
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{status} {escape(zh)} · zonemap</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/static/zonemap.css"></head>
<body class="zm-page zm-error">
<h1>{escape(zh)} <small>{escape(en)}</small></h1>
<p class="zm-error-code">HTTP {status}</p>
<p class="zm-error-detail">{escape(detail)}</p>
<p><a href="/">← 地图 Map</a> · <a href="/docs">API</a></p>
</body></html>"""

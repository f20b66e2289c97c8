"""The HTTP rules every response follows, as plain ASGI middleware (outermost first):

1. ``RequestContext`` — an ``X-Request-ID`` per request (the client's if sane), security headers on
   every response, and a JSON 500 (one log line, no trace) for anything that escaped the app.
2. ``PublicURL`` — the scheme, host and path prefix links are built from: ``ZONEMAP_PUBLIC_BASE_URL``
   when set; else ``X-Forwarded-Proto/-Host/-Prefix`` from a trusted proxy (``ZONEMAP_TRUSTED_PROXIES``)
   only; else the request's own Host header, when it is a plain host name.
3. CORS (Starlette's, only when ``ZONEMAP_CORS_ORIGINS`` is set).
   ``BodyLimit`` — a request body above ``ZONEMAP_MAX_BODY_BYTES`` is a 413.
4. ``Compress`` — starlette-compress: zstd, brotli or gzip, as the client accepts (gzip by ISA-L).
5. ``HeadAsGet`` — HEAD on every GET route: answered as GET without the body; 405 lists HEAD too.
6. ``Conditional`` — ``ETag`` from the loaded data's fingerprint and the request, ``Cache-Control``
   on every GET, and ``If-None-Match`` → 304 before any work is done.

``ResponseCache`` sits between 3 and 4: whole answers as sent (compressed), per ETag and encoding.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import re
import threading
from collections import OrderedDict
from urllib.parse import urlsplit

import anyio

from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette_compress import CompressMiddleware

from webmap.basemaps import csp_image_sources, settings_basemaps
from webmap.deps import FINGERPRINT_KEY as _FINGERPRINT
from webmap.errors import ApiError, error_response, log
from webmap.settings import Settings

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_HOST = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$")
_PREFIX = re.compile(r"^(/[A-Za-z0-9._~-]+)*$")


def security_headers(settings: Settings) -> list[tuple[bytes, bytes]]:
    """Headers every response carries. The CSP fits the self-hosted pages: Folium and the API docs
    run inline scripts and styles ('unsafe-inline', no 'unsafe-eval'), ReDoc searches in a blob:
    worker; everything else comes from here, plus the configured basemaps' tile servers for images (webmap/basemaps.py)."""
    img = " ".join(["'self' data: blob:", *csp_image_sources(settings_basemaps(settings))])
    csp = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
           f"img-src {img}; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
           "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'")
    return [
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"same-origin"),
        (b"x-frame-options", b"SAMEORIGIN"),
        (b"content-security-policy", csp.encode()),
    ]


class RequestContext:
    """Request id, security headers, and the last-resort JSON 500."""

    def __init__(self, app: ASGIApp, settings: Settings):
        self.app = app
        self.headers = security_headers(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        given = Headers(scope=scope).get("x-request-id", "")
        rid = given if _REQUEST_ID.match(given) else os.urandom(8).hex()  # as uuid4().hex[:16], without the UUID
        scope.setdefault("state", {})["request_id"] = rid
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                raw = [(k, v) for k, v in message.get("headers", ()) if k.lower() != b"x-request-id"]
                present = {k.lower() for k, _ in raw}
                raw.append((b"x-request-id", rid.encode("latin-1")))
                raw.extend((name, value) for name, value in self.headers if name not in present)
                message["headers"] = raw
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:  # noqa: BLE001 - the last resort: one line in the log, JSON to the client
            if started:
                log.error("request %s: %s after the response started", rid, type(exc).__name__)
                return
            log.debug("request %s: traceback", rid, exc_info=exc)
            response = error_response(Request(scope), 500, "internal_error",
                                      "internal error; the server log has the request id", cause=type(exc).__name__)
            await response(scope, receive, send_with_headers)


def _set_header(scope: Scope, name: bytes, value: bytes) -> None:
    scope["headers"] = [(k, v) for k, v in scope["headers"] if k != name] + [(name, value)]


class PublicURL:
    """Make ``request.url`` and ``url_for`` give the public address, never an arbitrary Host."""

    def __init__(self, app: ASGIApp, settings: Settings):
        self.app = app
        self.base = urlsplit(settings.public_base_url) if settings.public_base_url else None
        self.proxies = [ipaddress.ip_network(p, strict=False) for p in settings.trusted_proxies]

    def _trusted(self, scope: Scope) -> bool:
        client = scope.get("client")
        if not client or not self.proxies:
            return False
        try:
            ip = ipaddress.ip_address(client[0])
        except ValueError:
            return False
        return any(ip in net for net in self.proxies)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        scope = dict(scope)
        scope["headers"] = list(scope["headers"])
        headers = Headers(scope=scope)
        prefix = ""
        if self.base is not None:
            scope["scheme"] = self.base.scheme
            _set_header(scope, b"host", self.base.netloc.encode("latin-1"))
            prefix = self.base.path.rstrip("/")
        elif self._trusted(scope):
            proto = headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
            host = headers.get("x-forwarded-host", "").split(",")[0].strip()
            fwd_prefix = headers.get("x-forwarded-prefix", "").split(",")[0].strip().rstrip("/")
            if proto in ("http", "https"):
                scope["scheme"] = proto
            if host and _HOST.match(host):
                _set_header(scope, b"host", host.encode("latin-1"))
            if fwd_prefix and _PREFIX.match(fwd_prefix):
                prefix = fwd_prefix
        if not _HOST.match(Headers(scope=scope).get("host", "")):
            # A missing or odd Host (a header injection attempt) never reaches a link: use our address.
            server = scope.get("server") or ("127.0.0.1", 80)
            _set_header(scope, b"host", f"{server[0]}:{server[1]}".encode("latin-1"))
        if prefix:
            scope["root_path"] = prefix
            if not scope["path"].startswith(prefix + "/") and scope["path"] != prefix:
                scope["path"] = prefix + scope["path"]
                if scope.get("raw_path"):
                    scope["raw_path"] = prefix.encode() + scope["raw_path"]
        await self.app(scope, receive, send)


class BodyLimit:
    """Refuse a request body above ``ZONEMAP_MAX_BODY_BYTES`` with 413 (by its Content-Length before
    reading anything; while reading, for a body sent without one). Edits (``/api/edits``, a
    GeoPackage sent back from QGIS) have their own limit, ``ZONEMAP_MAX_EDIT_BYTES``."""

    def __init__(self, app: ASGIApp, settings: Settings):
        self.app = app
        self.limit = settings.max_body_bytes
        self.edit_limit = settings.max_edit_bytes

    def _limit(self, scope: Scope) -> tuple[int, str]:
        if scope.get("path", "").startswith("/api/edits"):
            return self.edit_limit, "ZONEMAP_MAX_EDIT_BYTES"
        return self.limit, "ZONEMAP_MAX_BODY_BYTES"

    def _too_large(self, scope: Scope):
        limit, name = self._limit(scope)
        return error_response(Request(scope), 413, "payload_too_large",
                              f"request body too large: at most {limit} bytes ({name})")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit, _ = self._limit(scope)
        length = Headers(scope=scope).get("content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            return await self._too_large(scope)(scope, receive, send)
        total = 0

        async def receive_limited() -> Message:
            nonlocal total
            message = await receive()
            if message["type"] == "http.request":
                total += len(message.get("body", b""))
                if total > limit:
                    raise StarletteHTTPException(413)
            return message

        await self.app(scope, receive_limited, send)


class HeadAsGet:
    """Answer HEAD like GET, without the body (FastAPI routes declare GET only)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] == "GET":  # a GET needs neither change
            return await self.app(scope, receive, send)
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}

        async def send_filtered(message: Message) -> None:
            if message["type"] == "http.response.start":
                if message["status"] == 405:
                    headers = MutableHeaders(scope=message)
                    allow = [m.strip() for m in headers.get("allow", "").split(",") if m.strip()]
                    if "GET" in allow and "HEAD" not in allow:
                        headers["Allow"] = ", ".join([*allow, "HEAD"])
                await send(message)
            elif message["type"] == "http.response.body" and head:
                if not message.get("more_body", False):
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
            else:
                await send(message)

        await self.app(scope, receive, send_filtered)




async def data_fingerprint(scope: Scope) -> str | None:
    """The loaded data's fingerprint, read once per request (kept in the request's state)."""
    state = scope.setdefault("state", {})
    if _FINGERPRINT not in state:
        version = scope["app"].state.data_version
        # A stat of the SpatiaLite file is instant; a PostgreSQL query goes to a worker thread.
        # (PostgreSQL: from memory while no load was notified, else a query in a worker thread)
        known = version.get() if version.path else version.peek()
        state[_FINGERPRINT] = known if known is not None else await anyio.to_thread.run_sync(version.get)
    return state[_FINGERPRINT]


def _etag_matches(header: str, etag: str) -> bool:
    """If-None-Match uses the weak comparison: ``W/"x"`` equals ``"x"``."""
    if header.strip() == "*":
        return True
    bare = etag.removeprefix("W/")
    return any(t.strip().removeprefix("W/") == bare for t in header.split(","))


class Conditional:
    """ETag + Cache-Control on every GET; If-None-Match → 304 without running the route.

    The ETag hashes the loaded data's fingerprint (``dataset_info``, cached per process by
    ``webmap.deps.DataVersion``), the app version, the path and query, the Accept header and the
    public host — everything a response here depends on. Static files keep their own ETag.
    """

    def __init__(self, app: ASGIApp, settings: Settings, version: str):
        self.app = app
        self.version = version
        self.data_cache = f"public, max-age={settings.cache_max_age}".encode()

    def etag(self, scope: Scope, fingerprint: str) -> str:
        headers = Headers(scope=scope)
        parts = [fingerprint, self.version, scope.get("root_path", ""), scope["path"],
                 scope.get("query_string", b"").decode("latin-1"), headers.get("accept", ""),
                 scope.get("scheme", ""), headers.get("host", "")]
        digest = hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogateescape")).hexdigest()[:32]
        return f'W/"{digest}"'

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            return await self.app(scope, receive, send)
        path = scope["path"][len(scope.get("root_path", "")):] if scope.get("root_path") else scope["path"]
        fixed = None  # (cache-control, etag) when known before the route runs
        if path.startswith("/static/"):
            fixed = (b"public, max-age=3600", None)
        elif path == "/healthz":
            fixed = (b"no-store", None)
        inm = Headers(scope=scope).get("if-none-match")
        if fixed is None and inm:
            # The fingerprint decides the answer (304 or not) before any work is done.
            fixed = self._cache_and_etag(scope, await data_fingerprint(scope))
            if fixed[1] and _etag_matches(inm, fixed[1]):
                await send({"type": "http.response.start", "status": 304, "headers": [
                    (b"etag", fixed[1].encode()), (b"cache-control", fixed[0]), (b"vary", b"Accept, Accept-Encoding")]})
                await send({"type": "http.response.body", "body": b""})
                return
        # Without If-None-Match the fingerprint is needed only for the ETag of a 200: read when the
        # answer starts, unless the route read it already in its own worker thread (webmap.deps.
        # run_with_connection, in the transaction its data came from): no thread hand-off of its own.

        async def send_cached(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                status = message["status"]
                if "cache-control" not in headers or (status == 200 and "etag" not in headers):
                    cache, etag = fixed if fixed is not None else (
                        self._cache_and_etag(scope, await data_fingerprint(scope)) if status < 400 else (b"no-store", None))
                    if "cache-control" not in headers:
                        headers["Cache-Control"] = cache.decode() if status < 400 else "no-store"
                    if etag and status == 200 and "etag" not in headers:
                        headers["ETag"] = etag
                        headers.add_vary_header("Accept")
            await send(message)

        await self.app(scope, receive, send_cached)

    def _cache_and_etag(self, scope: Scope, fingerprint: str | None) -> tuple[bytes, str | None]:
        etag = self.etag(scope, fingerprint) if fingerprint else None
        return (self.data_cache if etag else b"no-store"), etag


class ResponseCache:
    """Whole GET answers of the data routes, kept as sent (compressed) per ETag and Accept-Encoding,
    in a bounded LRU per worker (``ZONEMAP_RESPONSE_CACHE_MB``; 0: off).

    The ETag (:class:`Conditional`) already names everything an answer depends on — the loaded
    data's fingerprint, the path and query, ``Accept``, the public host — so an answer cached under
    it stays right until a load changes the fingerprint; then its entries are simply never asked
    for again and age out. A repeated request costs a fingerprint check and a dictionary lookup
    instead of its queries, feature building, JSON and compression. Only 200 answers with an ETag
    are kept, never those to requests with credentials, nor those larger than an eighth of the cache.
    """

    def __init__(self, app: ASGIApp, settings: Settings, version: str):
        self.app = app
        self.limit = settings.response_cache_mb * 2**20
        self.conditional = Conditional(app, settings, version)  # for its etag(), never called as an app
        self.entries: OrderedDict[tuple[str, str], tuple[int, list, bytes, str]] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def _key(self, scope: Scope, fingerprint: str) -> tuple[str, str]:
        encoding = Headers(scope=scope).get("accept-encoding", "")
        return self.conditional.etag(scope, fingerprint), ",".join(sorted(e.strip().lower() for e in encoding.split(",")))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.limit or scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            return await self.app(scope, receive, send)
        headers = Headers(scope=scope)
        path = scope["path"][len(scope.get("root_path", "")):] if scope.get("root_path") else scope["path"]
        if path.startswith("/static/") or path == "/healthz" or "authorization" in headers or "cookie" in headers:
            return await self.app(scope, receive, send)
        fingerprint = await data_fingerprint(scope)
        if not fingerprint:
            return await self.app(scope, receive, send)
        key = self._key(scope, fingerprint)
        with self.lock:
            hit = self.entries.get(key)
            if hit is not None:
                self.entries.move_to_end(key)
        if hit is not None:
            status, start_headers, body, etag = hit
            inm = headers.get("if-none-match")
            if inm and _etag_matches(inm, etag):
                kept = [(k, v) for k, v in start_headers if k in (b"etag", b"cache-control", b"vary")]
                await send({"type": "http.response.start", "status": 304, "headers": kept})
                await send({"type": "http.response.body", "body": b""})
                return
            await send({"type": "http.response.start", "status": status, "headers": start_headers})
            await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})
            return
        if scope["method"] == "HEAD":
            return await self.app(scope, receive, send)
        start: dict | None = None
        chunks: list[bytes] = []
        size = 0

        async def keep(message: Message) -> None:
            nonlocal start, size
            if message["type"] == "http.response.start":
                # A copy as the app made it: the outer middleware add their headers (request id,
                # CORS) to this message in place, per request.
                start = {"status": message["status"], "headers": list(message.get("headers", []))}
            elif message["type"] == "http.response.body" and start is not None and size <= self.limit // 8:
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
                if not message.get("more_body", False):
                    self._store(key, start, b"".join(chunks))
            await send(message)

        await self.app(scope, receive, keep)

    def _store(self, key: tuple[str, str], start: dict, body: bytes) -> None:
        headers = [(k.lower(), v) for k, v in start.get("headers", [])]
        # An answer with an ETag is one its route derives from the loaded data alone (Conditional's,
        # or a route's own, as the tiles'); the key's ETag covers the data, the path and the query.
        etag = next((v for k, v in headers if k == b"etag"), None)
        if start["status"] != 200 or etag is None or any(k == b"set-cookie" for k, _ in headers) or len(body) > self.limit // 8:
            return
        with self.lock:
            if key in self.entries:
                return
            self.entries[key] = (200, headers, body, etag.decode("latin-1"))
            self.size += len(body) + 512
            while self.size > self.limit and self.entries:
                _, (_, _, old, _) = self.entries.popitem(last=False)
                self.size -= len(old) + 512


class _IsalGzipEncoder:
    """A gzip stream (for bodies sent in several messages) by ISA-L, as starlette-compress's own."""

    __slots__ = ("_obj",)

    def __init__(self, level: int) -> None:
        from isal import isal_zlib

        self._obj = isal_zlib.compressobj(level, isal_zlib.DEFLATED, 31)  # wbits 31: a gzip stream

    def feed(self, data: bytes, flush: bool):
        from isal import isal_zlib

        out = self._obj.compress(data)
        if flush:
            out += self._obj.flush(isal_zlib.Z_SYNC_FLUSH)
        return (out,) if out else ()

    def finish(self):
        from isal import isal_zlib

        out = self._obj.flush(isal_zlib.Z_FINISH)
        return (out,) if out else ()


GZIP_LEVEL = 2  # ISA-L's levels are 0–3; 2: a 1,000-feature page (1.1 MB) in 1.5 ms, 137 KB


class Compress(CompressMiddleware):
    """starlette-compress (zstd, brotli or gzip, as the client accepts), its gzip written by ISA-L
    (``isal``) instead of zlib: the same format, 5–6× less CPU for a large page (1,000 features:
    1.5 ms instead of 7–10 ms at zlib's level 4), for 137 KB instead of 107 KB. gzip is what GIS
    clients and scripts ask for (browsers get zstd); at a page's size zlib's level 4 took half of
    the request's time."""

    def __init__(self, app: ASGIApp, **options):
        super().__init__(app, **options)
        if self._gzip is not None:
            from isal import igzip
            from starlette_compress._responder import CompressionResponder

            minimum_size = options.get("minimum_size", 500)
            self._gzip = CompressionResponder(app, minimum_size, "gzip",
                                              lambda body: igzip.compress(body, compresslevel=GZIP_LEVEL),
                                              lambda content_length: _IsalGzipEncoder(GZIP_LEVEL))


__all__ = ["Compress", "RequestContext", "PublicURL", "BodyLimit", "HeadAsGet", "Conditional", "ResponseCache", "security_headers", "ApiError"]

"""Public pages served like static files: rendered once per content version, kept as the
compressed bytes that go on the wire, answered with strong ETags and 304s.

A page is cacheable when its view says so (`@cacheable`, with the query arguments it reads)
and the request is an anonymous GET or HEAD: no signed-in user, no flashed message waiting,
no query argument the page does not read. The key holds the release (templates, static
files, content and code as deployed), the content version (portal/core/content_version.py,
changed in the same transaction as any edit a page shows), the path and query, and for a
page that offers another language, the offer shown. So an edit or a deployment never serves
a stale page: the old entries are simply never asked for again and age out of the LRU.

Entries live in this process's memory (an LRU bounded in entries and bytes) and, when
PAGE_CACHE_URL is set, in Redis too, so several app servers render each page once. Redis
unreachable: the page is rendered as usual, and Redis is left alone for a while.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import redis
from flask import Flask, Response, current_app, g, request, session
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header
from werkzeug.middleware.proxy_fix import ProxyFix

from portal.core.content_version import current_version, forget_known_version, known_version, watch_content_changes
from portal.extensions import db
from portal.web.compression import compress
from portal.web.languages import first_choice
from portal.web.security import public_cache_control

View = TypeVar("View", bound=Callable[..., Any])
log = logging.getLogger(__name__)

ENCODINGS = ("br", "gzip")
# Headers of the rendered page that belong to every copy; the rest (cookies, security
# headers added later, length, validators) are set per response.
KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary", "Link")
# Set per response by _response, never learnt as a page's final headers.
PER_RESPONSE_HEADERS = frozenset(
    {"Content-Length", "Content-Encoding", "ETag", "Last-Modified", "Cache-Control", "Set-Cookie", "Date"}
)
KEY_HEADER = "X-Page-Cache-Key"
REDIS_RETRY_SECONDS = 30
REDIS_TTL_SECONDS = 7 * 86400
ROOT = Path(__file__).resolve().parent.parent.parent
RELEASE_FOLDERS = ("portal", "templates", "static")
SHOWN_SETTINGS = ("FIRM_", "PUBLIC_BASE_URL", "LANGUAGES", "ARABIC_DIGITS", "BABEL_DEFAULT_LOCALE")


def cacheable(reads: Iterable[str] = ()) -> Callable[[View], View]:
    """Mark a view whose page is the same for every anonymous visitor, given the query
    arguments it `reads` (a request with any other argument is rendered, not cached)."""

    def mark(view: View) -> View:
        view.page_cache_reads = frozenset(reads)  # type: ignore[attr-defined]
        return view

    return mark


@dataclass
class CachedPage:
    etag: str
    last_modified: datetime
    headers: list[tuple[str, str]]
    bodies: dict[str, bytes] = field(default_factory=dict)  # "identity", "gzip", "br"
    # The headers the app adds to every response (security headers), learnt from the first
    # copy the app served, so that FrontServer can answer without the app (kept in memory only).
    final_headers: list[tuple[str, str]] | None = None
    wire: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return sum(len(body) for body in self.bodies.values())


class MemoryStore:
    """A least-recently-used map bounded in entries and bytes, so a worker's memory stays bounded."""

    def __init__(self, max_entries: int, max_bytes: int) -> None:
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self.entries: OrderedDict[str, CachedPage] = OrderedDict()
        self.bytes = 0

    def get(self, key: str) -> CachedPage | None:
        page = self.entries.get(key)
        if page is not None:
            self.entries.move_to_end(key)
        return page

    def set(self, key: str, page: CachedPage) -> None:
        if page.size > self.max_bytes:
            return
        if (old := self.entries.pop(key, None)) is not None:
            self.bytes -= old.size
        self.entries[key] = page
        self.bytes += page.size
        while len(self.entries) > self.max_entries or self.bytes > self.max_bytes:
            _key, evicted = self.entries.popitem(last=False)
            self.bytes -= evicted.size


class RedisStore:
    """Pages shared by every app server. Any Redis error reads as a miss and pauses Redis use."""

    def __init__(self, url: str) -> None:
        self.client = redis.Redis.from_url(url, socket_timeout=0.25, socket_connect_timeout=0.25)
        self.paused_until = 0.0

    def _call(self, action: Callable[[], Any]) -> Any:
        if time.monotonic() < self.paused_until:
            return None
        try:
            return action()
        except redis.RedisError as error:
            log.warning("page cache: Redis unavailable, rendering pages locally (%s)", error)
            self.paused_until = time.monotonic() + REDIS_RETRY_SECONDS
            return None

    def get(self, key: str) -> CachedPage | None:
        fields = self._call(lambda: self.client.hgetall(key))
        if not fields or b"meta" not in fields:
            return None
        meta = json.loads(fields.pop(b"meta"))
        headers = [(name, value) for name, value in meta["headers"]]
        bodies = {name.decode(): body for name, body in fields.items()}
        return CachedPage(meta["etag"], datetime.fromisoformat(meta["last_modified"]), headers, bodies)

    def set(self, key: str, page: CachedPage) -> None:
        meta = {"etag": page.etag, "last_modified": page.last_modified.isoformat(), "headers": page.headers}
        mapping: dict[str, bytes | str] = {"meta": json.dumps(meta), **page.bodies}

        def write() -> None:
            with self.client.pipeline() as pipe:
                pipe.hset(key, mapping=mapping)
                pipe.expire(key, REDIS_TTL_SECONDS)
                pipe.execute()

        self._call(write)


@dataclass
class PageCache:
    memory: MemoryStore
    shared: RedisStore | None
    release: str
    released_at: datetime

    def get(self, key: str) -> CachedPage | None:
        page = self.memory.get(key)
        if page is None and self.shared is not None and (page := self.shared.get(key)) is not None:
            self.memory.set(key, page)
        return page

    def clear_memory(self) -> None:
        """Forget this process's copies and version (the tests share one app between tests that roll back)."""
        self.memory = MemoryStore(self.memory.max_entries, self.memory.max_bytes)
        forget_known_version()

    def set(self, key: str, page: CachedPage) -> None:
        self.memory.set(key, page)
        if self.shared is not None:
            self.shared.set(key, page)


def release_of(root: Path = ROOT) -> tuple[str, datetime]:
    """A digest of the deployed files (names, sizes, times) and the newest file's time: a new
    deployment gets new cache keys, and Last-Modified never predates the files it serves."""
    digest, newest = hashlib.sha256(), 0.0
    for folder in RELEASE_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                stat = path.stat()
                digest.update(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
                newest = max(newest, stat.st_mtime)
    return digest.hexdigest()[:16], datetime.fromtimestamp(int(newest), UTC)


def _cache() -> PageCache:
    return current_app.extensions["page_cache"]


def _cacheable_request() -> frozenset[str] | None:
    """The query arguments the page reads, when this request may be served from the cache."""
    view = current_app.view_functions.get(request.endpoint or "")
    reads = getattr(view, "page_cache_reads", None)
    if reads is None or request.method not in ("GET", "HEAD") or not set(request.args) <= reads:
        return None
    if current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies:
        return None
    if request.cookies and ("_user_id" in session or "_flashes" in session):
        return None
    return reads


def page_key(release: str, token: str, environ: dict[str, Any], languages: tuple[str, ...]) -> str:
    """The cache key of a request: release, content version, scheme, path, query string, and
    the browser's preferred site language (the English home page offers the Arabic one).
    Raw strings of the environment, so FrontServer computes it without parsing a request."""
    preferred = preferred_of(environ.get("HTTP_ACCEPT_LANGUAGE", ""), languages)
    path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    return "\0".join(
        ("page", release, token, environ["wsgi.url_scheme"], path, environ.get("QUERY_STRING", ""), preferred)
    )


@lru_cache(maxsize=256)
def preferred_of(accept_language: str, languages: tuple[str, ...]) -> str:
    return first_choice(parse_accept_header(accept_language, LanguageAccept), list(languages)) or ""


@lru_cache(maxsize=256)
def encoding_for(accept_encoding: str) -> str:
    accepted = parse_accept_header(accept_encoding)
    return next((encoding for encoding in ENCODINGS if accepted[encoding]), "identity")


def _wire_headers(page: CachedPage, encoding: str, cache_control: str) -> list[tuple[str, str]]:
    """Every header of one copy of a page, computed once per copy (FrontServer's fast path)."""
    if encoding not in page.wire:
        response = _response(page, encoding, cache_control)
        page.wire[encoding] = list(response.headers.items())
    return page.wire[encoding]


def _response(page: CachedPage, encoding: str, cache_control: str) -> Response:
    """One copy of a page, with validators and shared-cache headers."""
    response = Response(page.bodies[encoding], headers=page.final_headers or page.headers)
    if encoding != "identity":
        response.headers["Content-Encoding"] = encoding
    response.vary.add("Accept-Encoding")
    response.set_etag(page.etag if encoding == "identity" else f"{page.etag}-{encoding}")
    response.last_modified = page.last_modified
    response.headers["Cache-Control"] = cache_control
    return response


def _answer(page: CachedPage, environ: dict[str, Any], cache_control: str) -> Response:
    """The copy this client accepts, or a 304 when it has it already."""
    response = _response(page, encoding_for(environ.get("HTTP_ACCEPT_ENCODING", "")), cache_control)
    return response.make_conditional(environ)


def serve_from_cache() -> Response | None:
    """Before the view: answer from the cache, or note the key to keep the rendered page under."""
    if _cacheable_request() is None:
        return None
    version = current_version(db.session, current_app.config["CONTENT_VERSION_MAX_AGE"])
    key = page_key(_cache().release, version.token, request.environ, tuple(current_app.config["LANGUAGES"]))
    g.page_cache_key = key
    page = _cache().get(key)
    if page is not None:
        return _answer(page, request.environ, public_cache_control(current_app))
    g.page_cache_modified = max(version.changed_at, _cache().released_at)
    return None


def keep_rendered_page(response: Response) -> Response:
    """After the view: keep a plain 200 page (compressed once per encoding) and answer from the copy."""
    key, last_modified = g.get("page_cache_key"), g.pop("page_cache_modified", None)
    if key is None or response.status_code not in (200, 304):
        return response
    response.headers[KEY_HEADER] = key  # FrontServer learns the final headers of this page from it
    if last_modified is None or response.direct_passthrough or response.is_streamed:
        return response
    if "Set-Cookie" in response.headers or session.modified:
        return response
    body = response.get_data()
    headers = [(name, value) for name, value in response.headers.items() if name in KEPT_HEADERS]
    bodies = {"identity": body, **{encoding: compress(body, encoding) for encoding in ENCODINGS}}
    page = CachedPage(hashlib.sha256(body).hexdigest()[:32], last_modified, headers, bodies)
    _cache().set(key, page)
    answer = _answer(page, request.environ, public_cache_control(current_app))
    answer.headers[KEY_HEADER] = key
    return answer


class FrontServer:
    """WSGI middleware answering cookie-less GETs of cached pages without running the app:
    no request context, session, hooks or security extension, just a dictionary lookup.
    Anything else (a miss, a cookie, a content version this process has not read within
    CONTENT_VERSION_MAX_AGE) goes to the app, which also serves hits for visitors with a
    cookie. It learns each page's final headers (security headers included) from the
    app's own answer, marked with KEY_HEADER, which it removes."""

    def __init__(self, app: Flask, wsgi_app: Any) -> None:
        self.app, self.wsgi_app = app, wsgi_app
        self.max_age = app.config["CONTENT_VERSION_MAX_AGE"]
        self.cache_control = public_cache_control(app)
        self.languages = tuple(app.config["LANGUAGES"])

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        page = self._cached(environ)
        if page is None:
            return self.wsgi_app(
                environ, lambda status, headers, *exc: self._learn(status, headers, start_response, *exc)
            )
        if "HTTP_IF_NONE_MATCH" in environ or "HTTP_IF_MODIFIED_SINCE" in environ:
            return _answer(page, environ, self.cache_control)(environ, start_response)
        encoding = encoding_for(environ.get("HTTP_ACCEPT_ENCODING", ""))
        start_response("200 OK", _wire_headers(page, encoding, self.cache_control))
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [page.bodies[encoding]]

    def _cached(self, environ: dict[str, Any]) -> CachedPage | None:
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or environ.get("HTTP_COOKIE"):
            return None
        version = known_version(self.max_age)
        if version is None:
            return None
        cache: PageCache = self.app.extensions["page_cache"]
        page = cache.memory.get(page_key(cache.release, version.token, environ, self.languages))
        return page if page is not None and page.final_headers is not None else None

    def _learn(self, status: str, headers: list[tuple[str, str]], start_response: Any, *exc: Any) -> Any:
        key = next((value for name, value in headers if name == KEY_HEADER), None)
        if key is None:
            return start_response(status, headers, *exc)
        headers = [(name, value) for name, value in headers if name != KEY_HEADER]
        page = self.app.extensions["page_cache"].memory.get(key)
        if page is not None and page.final_headers is None and status.startswith("200"):
            page.final_headers = [(n, v) for n, v in headers if n not in PER_RESPONSE_HEADERS]
        return start_response(status, headers, *exc)


def init_page_cache(app: Flask) -> None:
    """The app's page cache, and the listener that changes the content version on an edit.
    The blueprint of the cacheable views attaches `serve_from_cache` and `keep_rendered_page`."""
    watch_content_changes()
    config = app.config
    files, released_at = release_of()
    # Settings pages show (the firm's name, the site's address, digits) belong to the release too.
    shown = sorted((key, repr(value)) for key, value in config.items() if key.startswith(SHOWN_SETTINGS))
    release = hashlib.sha256(f"{files}{shown}".encode()).hexdigest()[:16]
    shared = RedisStore(config["PAGE_CACHE_URL"]) if config["PAGE_CACHE_URL"] else None
    memory = MemoryStore(config["PAGE_CACHE_MAX_ENTRIES"], config["PAGE_CACHE_MAX_BYTES"])
    app.extensions["page_cache"] = PageCache(memory, shared, release, released_at)
    # Inside ProxyFix (set earlier), so the scheme of the key is the one the app sees.
    inner = app.wsgi_app
    if isinstance(inner, ProxyFix):
        inner.app = FrontServer(app, inner.app)
    else:
        app.wsgi_app = FrontServer(app, inner)  # type: ignore[method-assign]

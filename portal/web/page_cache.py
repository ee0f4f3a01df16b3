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
from pathlib import Path
from typing import Any, TypeVar

import redis
from flask import Flask, Response, current_app, g, request, session

from portal.core.content_version import current_version, watch_content_changes
from portal.extensions import db
from portal.web.compression import compress
from portal.web.languages import language_offer
from portal.web.security import public_cache_control

View = TypeVar("View", bound=Callable[..., Any])
log = logging.getLogger(__name__)

ENCODINGS = ("br", "gzip")
# Headers of the rendered page that belong to every copy; the rest (cookies, security
# headers added later, length, validators) are set per response.
KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary", "Link")
REDIS_RETRY_SECONDS = 30
REDIS_TTL_SECONDS = 7 * 86400
ROOT = Path(__file__).resolve().parent.parent.parent
RELEASE_FOLDERS = ("portal", "templates", "static")


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
        """Forget this process's copies (the tests share one app between tests that roll back)."""
        self.memory = MemoryStore(self.memory.max_entries, self.memory.max_bytes)

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


def _key(reads: frozenset[str]) -> tuple[str, datetime]:
    version = current_version(db.session)
    query = sorted(request.args.items(multi=True))
    offer = language_offer()
    parts = [_cache().release, version.token, request.path, json.dumps(query), offer.language if offer else ""]
    return "page:" + hashlib.sha256("\0".join(parts).encode()).hexdigest(), version.changed_at


def _encoding() -> str:
    accepted = request.accept_encodings
    return next((encoding for encoding in ENCODINGS if accepted[encoding]), "identity")


def _response(page: CachedPage) -> Response:
    """The copy this client accepts, with validators, shared-cache headers, and a 304 when it has it."""
    encoding = _encoding()
    response = Response(page.bodies[encoding], headers=page.headers)
    if encoding != "identity":
        response.headers["Content-Encoding"] = encoding
    response.vary.add("Accept-Encoding")
    response.set_etag(page.etag if encoding == "identity" else f"{page.etag}-{encoding}")
    response.last_modified = page.last_modified
    response.headers["Cache-Control"] = public_cache_control(current_app)
    return response.make_conditional(request)


def serve_from_cache() -> Response | None:
    """Before the view: answer from the cache, or note the key to keep the rendered page under."""
    reads = _cacheable_request()
    if reads is None:
        return None
    key, changed_at = _key(reads)
    page = _cache().get(key)
    if page is not None:
        return _response(page)
    g.page_cache_key = (key, max(changed_at, _cache().released_at))
    return None


def keep_rendered_page(response: Response) -> Response:
    """After the view: keep a plain 200 page (compressed once per encoding) and answer from the copy."""
    entry = g.pop("page_cache_key", None)
    if entry is None or response.status_code != 200 or response.direct_passthrough or response.is_streamed:
        return response
    if "Set-Cookie" in response.headers or session.modified:
        return response
    key, last_modified = entry
    body = response.get_data()
    headers = [(name, value) for name, value in response.headers.items() if name in KEPT_HEADERS]
    bodies = {"identity": body, **{encoding: compress(body, encoding) for encoding in ENCODINGS}}
    page = CachedPage(hashlib.sha256(body).hexdigest()[:32], last_modified, headers, bodies)
    _cache().set(key, page)
    return _response(page)


def init_page_cache(app: Flask) -> None:
    """The app's page cache, and the listener that changes the content version on an edit.
    The blueprint of the cacheable views attaches `serve_from_cache` and `keep_rendered_page`."""
    watch_content_changes()
    config = app.config
    release, released_at = release_of()
    shared = RedisStore(config["PAGE_CACHE_URL"]) if config["PAGE_CACHE_URL"] else None
    memory = MemoryStore(config["PAGE_CACHE_MAX_ENTRIES"], config["PAGE_CACHE_MAX_BYTES"])
    app.extensions["page_cache"] = PageCache(memory, shared, release, released_at)

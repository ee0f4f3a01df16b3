"""Gzip for text responses, so a public page and everything it loads stays under 150 KB.

Bootstrap's CSS and JS weigh about 310 KB as files but about 60 KB gzipped. A reverse
proxy would normally compress them; doing it in the app keeps the page light however
the portal is served (gunicorn alone, the test server, a proxy that does not gzip).
Static files are compressed once per file version and kept in memory; pages are
compressed per response (a few hundred microseconds for 20 KB of HTML).
"""

from __future__ import annotations

import gzip

import brotli
from flask import Flask, Response, request

COMPRESSIBLE = frozenset(
    {
        "text/html",
        "text/css",
        "text/plain",
        "text/javascript",
        "application/javascript",
        "application/json",
        "application/xml",
        "image/svg+xml",
    }
)
MIN_SIZE = 512
LEVEL = 6
BROTLI_QUALITY = 9  # near gzip -9's time for 20 KB of HTML, about 15% smaller; a cached page is compressed once
STATIC_CACHE_SIZE = 64


_static_cache: dict[tuple[str, str], bytes] = {}


def compress(data: bytes, encoding: str) -> bytes:
    """`data` in one Content-Encoding ("gzip" or "br"); the one place pages and files are compressed."""
    if encoding == "br":
        return brotli.compress(data, mode=brotli.MODE_TEXT, quality=BROTLI_QUALITY)
    return gzip.compress(data, compresslevel=LEVEL, mtime=0)


def _gzip_static(response: Response, etag: str) -> bytes:
    """Compressed bytes of one static file version, keyed by path and ETag."""
    key = (request.path, etag)
    if key in _static_cache:
        close = getattr(response.response, "close", None)
        if close:
            close()  # the file send_file opened is not read this time
    else:
        if len(_static_cache) >= STATIC_CACHE_SIZE:
            _static_cache.clear()
        _static_cache[key] = compress(response.get_data(), "gzip")
    return _static_cache[key]


def _accepts_gzip(response: Response) -> bool:
    return (
        response.mimetype in COMPRESSIBLE
        and "Content-Encoding" not in response.headers
        and "gzip" in request.headers.get("Accept-Encoding", "").lower()
    )


def compress_response(response: Response) -> Response:
    """Gzip a 200 text response when the client accepts it; leave anything else alone."""
    if response.status_code != 200 or not _accepts_gzip(response):
        return response
    response.vary.add("Accept-Encoding")
    if response.direct_passthrough:  # a static file from send_file
        etag, _weak = response.get_etag()
        response.direct_passthrough = False
        if etag:
            body = _gzip_static(response, etag)
            response.set_etag(etag, weak=True)  # same file, another encoding: still matches If-None-Match
        else:
            body = compress(response.get_data(), "gzip")
    else:
        if response.is_streamed:
            return response
        data = response.get_data()
        if len(data) < MIN_SIZE:
            return response
        body = compress(data, "gzip")
    response.set_data(body)
    response.headers["Content-Encoding"] = "gzip"
    return response


def init_compression(app: Flask) -> None:
    app.after_request(compress_response)

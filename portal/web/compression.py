"""Compression of text responses, so a public page and everything it loads stays under 150 KB.

Pages kept by the page cache (portal/web/page_cache.py) are compressed once, as gzip and
brotli; static files are compressed once at build time (portal/web/assets.py). What is left
is compressed here per response: the pages that are not cached (forms, results, the
workspace), a few hundred microseconds for 20 KB of HTML, gzip.
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
BROTLI_QUALITY = 5  # about gzip's time and size or better; 9 and up cost 20 times as much for a few per cent


def compress(data: bytes, encoding: str) -> bytes:
    """`data` in one Content-Encoding ("gzip" or "br"); the one place the app compresses a page."""
    if encoding == "br":
        return brotli.compress(data, mode=brotli.MODE_TEXT, quality=BROTLI_QUALITY)
    return gzip.compress(data, compresslevel=LEVEL, mtime=0)


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
    if response.direct_passthrough or response.is_streamed:  # a file: its build has compressed copies
        return response
    response.vary.add("Accept-Encoding")
    data = response.get_data()
    if len(data) < MIN_SIZE:
        return response
    body = compress(data, "gzip")
    response.set_data(body)
    response.headers["Content-Encoding"] = "gzip"
    return response


def init_compression(app: Flask) -> None:
    app.after_request(compress_response)

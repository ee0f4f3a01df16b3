"""Every file the portal hands out gets a name the server chose, sent as an attachment.

A name typed by someone else (an uploader's file name) never reaches a header: a line
break in it would break the response, and `invoice.pdf.hta` would keep its extension on
the reader's disk. Names are plain ASCII slugs, so `Content-Disposition` needs no
RFC 5987 encoding; werkzeug still builds the header (quoting included). Talisman adds
`X-Content-Type-Options: nosniff` to every response, downloads included.
"""

from __future__ import annotations

import io
import re

from flask import Response, send_file
from werkzeug.http import dump_options_header

SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,150}\.[a-z0-9]{2,4}$")


def _checked(name: str) -> str:
    if not SAFE_NAME.fullmatch(name):
        raise ValueError(f"not a server-chosen download name: {name!r}")
    return name


def attachment_headers(name: str) -> dict[str, str]:
    """The Content-Disposition header of a streamed download (a CSV export) named `name`."""
    return {"Content-Disposition": dump_options_header("attachment", {"filename": _checked(name)})}


def send_stored(content: bytes, name: str, mimetype: str) -> Response:
    """A stored file as an attachment named `name`, never cached."""
    return send_file(
        io.BytesIO(content), mimetype=mimetype, as_attachment=True, download_name=_checked(name), max_age=0
    )

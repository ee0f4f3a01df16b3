"""Uploaded PDFs: checked by their content, capped in size, stored under random names.

Files live outside static/ (instance/uploads/<folder>/ or UPLOAD_FOLDER), named
`<32 random hex>.pdf`, so nobody can guess, overwrite or reach them except through
a route that checks who is asking. A PDF is recognised by its bytes, not its name:
it starts with `%PDF-` and has `%%EOF` near its end.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path
from typing import IO

from flask import current_app
from flask_babel import gettext as _

from portal.core.errors import ServiceError

PDF_HEADER = b"%PDF-"
PDF_TRAILER = b"%%EOF"
TRAILER_WINDOW = 1024  # writers may append a few bytes (whitespace, a newline) after %%EOF
CHUNK = 64 * 1024
STORED_NAME = re.compile(r"^[0-9a-f]{32}\.pdf$")


def upload_dir(folder: str) -> Path:
    """The directory of one kind of upload (created on first use)."""
    root = current_app.config.get("UPLOAD_FOLDER") or os.path.join(current_app.instance_path, "uploads")
    path = Path(root) / folder
    path.mkdir(parents=True, exist_ok=True)
    return path


def stored_path(folder: str, file_name: str) -> Path | None:
    """The path of a stored file; None for any name this module would not have made."""
    if not STORED_NAME.fullmatch(file_name):
        return None
    return upload_dir(folder) / file_name


def looks_like_pdf(head: bytes, tail: bytes) -> bool:
    """True when the first bytes are a PDF header and the last ones hold the end-of-file marker."""
    return head.startswith(PDF_HEADER) and PDF_TRAILER in tail[-TRAILER_WINDOW:]


def store_pdf(stream: IO[bytes], folder: str, max_bytes: int) -> str:
    """Copy a PDF from `stream` to a random name under `folder` and return that name.

    Copies a chunk at a time and stops past `max_bytes`; anything refused leaves no file behind.
    """
    directory = upload_dir(folder)
    name = secrets.token_hex(16) + ".pdf"
    target = directory / name
    partial = directory / (name + ".part")
    size = 0
    head = b""
    tail = b""
    try:
        with partial.open("xb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise ServiceError(
                        _("The file is larger than %(mb)s MB. Send a smaller PDF.", mb=max_bytes // (1024 * 1024)),
                        field="file",
                    )
                if len(head) < len(PDF_HEADER):
                    head += chunk[: len(PDF_HEADER)]
                tail = (tail + chunk)[-TRAILER_WINDOW:]
                out.write(chunk)
        if size == 0:
            raise ServiceError(_("The file is empty."), field="file")
        if not looks_like_pdf(head, tail):
            raise ServiceError(_("The file is not a PDF. Upload the quotation as a PDF document."), field="file")
        partial.rename(target)
    finally:
        partial.unlink(missing_ok=True)
    return name


def delete_stored(folder: str, file_name: str | None) -> None:
    """Remove a stored file that is no longer referenced (a replaced quotation)."""
    if file_name and STORED_NAME.fullmatch(file_name):
        (upload_dir(folder) / file_name).unlink(missing_ok=True)

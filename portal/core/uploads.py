"""Uploaded files: checked by their content, capped in size, stored under random names.

Files live in shared storage (portal.core.storage, key `<folder>/<32 random hex>.<ext>`),
never under static/ nor on one app server's disk, so nobody can guess, overwrite or
reach them except through a route that checks who is asking, and every app server
serves every upload. A file is recognised by its bytes, not its name
(portal.domain.file_kinds): a quotation must be a PDF; a lead's attachment may be a PDF,
an image or an Office file.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from typing import IO

from flask_babel import gettext as _

from portal.core.errors import ServiceError
from portal.core.storage import storage
from portal.domain.file_kinds import BY_EXTENSION, FileKind, looks_like_pdf, sniff

CHUNK = 64 * 1024
STORED_NAME = re.compile(r"^[0-9a-f]{32}\.(" + "|".join(BY_EXTENSION) + r")$")


def stored_key(folder: str, file_name: str) -> str | None:
    """The storage key of a stored file; None for any name this module would not have made."""
    return f"{folder}/{file_name}" if STORED_NAME.fullmatch(file_name) else None


def read_capped(stream: IO[bytes], max_bytes: int, too_large: str, status: int = 400) -> bytes:
    """The whole upload, read a chunk at a time; a ServiceError on `file` as soon as it passes `max_bytes`."""
    chunks: list[bytes] = []
    size = 0
    while chunk := stream.read(CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise ServiceError(too_large, field="file", status=status)
        chunks.append(chunk)
    return b"".join(chunks)


def store_pdf(stream: IO[bytes], folder: str, max_bytes: int) -> str:
    """Check the PDF in `stream`, store it under a random name in `folder` and return that name.

    Anything refused stores nothing; what is stored joins the request's transaction.
    """
    too_large = _("The file is larger than %(mb)s MB. Send a smaller PDF.", mb=max_bytes // (1024 * 1024))
    content = read_capped(stream, max_bytes, too_large)
    if not content:
        raise ServiceError(_("The file is empty."), field="file")
    if not looks_like_pdf(content):
        raise ServiceError(_("The file is not a PDF. Upload the quotation as a PDF document."), field="file")
    return _put(folder, "pdf", content)


def store_document(stream: IO[bytes], folder: str, max_bytes: int) -> tuple[str, FileKind, int]:
    """Check that `stream` holds a PDF, an image or an Office file (portal.domain.file_kinds), store it
    under a random name in `folder`, and return that name, its kind and its size in bytes.

    Anything refused stores nothing; what is stored joins the request's transaction.
    """
    too_large = _("The file is larger than %(mb)s MB. Attach a smaller file.", mb=max_bytes // (1024 * 1024))
    content = read_capped(stream, max_bytes, too_large)
    if not content:
        raise ServiceError(_("The file is empty."), field="file")
    kind = sniff(content)
    if kind is None:
        raise ServiceError(
            _(
                "This kind of file cannot be attached. Attach a PDF, a PNG, JPEG or WebP image, "
                "or a Word, Excel or PowerPoint file (.docx, .xlsx, .pptx)."
            ),
            field="file",
        )
    return _put(folder, kind.extension, content), kind, len(content)


def _put(folder: str, extension: str, content: bytes) -> str:
    name = f"{secrets.token_hex(16)}.{extension}"
    storage().put(f"{folder}/{name}", content)
    return name


def open_stored(folder: str, file_name: str) -> bytes | None:
    """The bytes of a stored file; None when it is missing or the name is not one of ours."""
    key = stored_key(folder, file_name)
    return storage().open(key) if key else None


def delete_stored(folder: str, file_name: str | None) -> None:
    """Remove a stored file that is no longer referenced (a replaced quotation), with the request's commit."""
    key = stored_key(folder, file_name or "")
    if key:
        storage().delete(key)


def import_folder(folder: str, directory: Path) -> tuple[int, int]:
    """Copy the files this module once stored on disk (`directory`/<random>.pdf) into shared storage.

    Used once per old server by `flask storage import-files`; a file already in storage is
    left as it is, so running it again (or on a second server) is harmless. Returns
    (files copied, files already there); other names in the folder are not ours and are ignored.
    """
    copied = present = 0
    for path in sorted(directory.glob("*.pdf")) if directory.is_dir() else []:
        key = stored_key(folder, path.name)
        if key is None:
            continue
        if storage().open(key) is not None:
            present += 1
            continue
        storage().put(key, path.read_bytes())
        copied += 1
    return copied, present

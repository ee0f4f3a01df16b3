"""A directory file between its dry run and its confirmation.

The upload is read, with a size cap, and checked in a dry run; a file that can be
applied is kept in shared storage (portal.core.storage, key `imports/<random>.csv`),
so the confirmation may reach any app server. The confirm form carries a signed token
naming that file (and the admin who uploaded it); on confirm the file is checked again
against the directory as it is then, and applied whole or not at all.
"""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature
from werkzeug.datastructures import FileStorage

from portal.core.errors import ServiceError
from portal.core.signing import signer
from portal.core.storage import storage
from portal.core.uploads import read_capped
from portal.models import User
from portal.models.types import utcnow
from portal.registrars.csv_format import FILE_FIELD
from portal.registrars.importer import ImportReport, run_import

TOKEN_MAX_AGE = 3600  # seconds between the dry run and the confirmation
SALT = "registrar-import"
PREFIX = "imports"


@dataclass(frozen=True)
class StagedFile:
    """An upload that passed its dry run, waiting for the same admin's confirmation."""

    key: str
    content: bytes
    name: str  # as uploaded, for the audit row


def max_bytes() -> int:
    """The size cap of an upload (REGISTRAR_IMPORT_MAX_BYTES, 5 MB by default)."""
    return current_app.config["REGISTRAR_IMPORT_MAX_BYTES"]


def _read_upload(upload: FileStorage) -> bytes:
    """The upload's bytes; refused (413) past the size cap."""
    limit = max_bytes()
    too_large = _("The file is larger than %(mb).1f MB.", mb=limit / (1024 * 1024))
    return read_capped(upload.stream, limit, too_large, status=413)


def dry_run(upload: FileStorage, actor: User) -> tuple[ImportReport, bytes]:
    """What importing the upload would do, and the bytes read (to `stage` when it can be applied).

    Writes nothing to the database (the caller rolls back what the check loaded). A file
    that cannot be read at all is a ServiceError on the file field.
    """
    content = _read_upload(upload)
    report = run_import(io.BytesIO(content), actor, apply=False)
    if report.file_error:
        raise ServiceError(report.file_error, FILE_FIELD)
    return report, content


def stage(content: bytes, name: str, actor: User) -> str:
    """Keep a checked file for its confirmation (flushes) and return the confirm token.

    Files never confirmed are removed once their token can no longer be used.
    """
    storage().purge(f"{PREFIX}/", utcnow() - timedelta(seconds=TOKEN_MAX_AGE))
    key = f"{PREFIX}/{secrets.token_urlsafe(16)}.csv"
    storage().put(key, content)
    return signer(SALT).dumps({"file": key, "user": actor.id, "name": name})


def staged_file(token: str, actor: User) -> StagedFile | None:
    """The file a confirm token names, if it is the actor's, unexpired and not yet applied,
    taken out of storage for this request alone.

    Taking is one statement: of two confirmations sent at once (a double click) one gets
    the file and the other finds it gone, as if it had been applied already, rather than
    both importing it. A confirmation that is refused rolls back, which puts the file back.
    """
    try:
        payload = signer(SALT).loads(token, max_age=TOKEN_MAX_AGE)
    except BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("user") != actor.id:
        return None
    key = payload.get("file")
    content = storage().take(key) if isinstance(key, str) and key.startswith(f"{PREFIX}/") else None
    return StagedFile(key, content, payload.get("name", "")) if content is not None else None


def apply_staged(staged: StagedFile, actor: User) -> ImportReport:
    """Check the file again against the directory as it is now and apply it whole (flushes), or nothing.

    The file was used up when taken (same transaction); `report.applied` says whether it was applied.
    """
    return run_import(io.BytesIO(staged.content), actor, apply=True, source=staged.name)

"""A directory file between its dry run and its confirmation.

The upload is copied, with a size cap, to instance/imports/<random>.csv and read
from there as a stream for the dry run. The confirm form carries a signed token
naming that file (and the admin who uploaded it); on confirm the file is checked
again against the directory as it is then, and applied whole or not at all.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature
from werkzeug.datastructures import FileStorage

from portal.core.errors import ServiceError
from portal.core.signing import signer
from portal.models import User
from portal.registrars.csv_format import FILE_FIELD
from portal.registrars.importer import ImportReport, run_import

TOKEN_MAX_AGE = 3600  # seconds between the dry run and the confirmation
COPY_CHUNK = 64 * 1024
SALT = "registrar-import"


@dataclass(frozen=True)
class StagedFile:
    """An upload that passed its dry run, waiting for the same admin's confirmation."""

    path: Path
    name: str  # as uploaded, for the audit row


def max_bytes() -> int:
    """The size cap of an upload (REGISTRAR_IMPORT_MAX_BYTES, 5 MB by default)."""
    return current_app.config["REGISTRAR_IMPORT_MAX_BYTES"]


def _imports_dir() -> Path:
    """Where uploads wait for confirmation: REGISTRAR_IMPORT_DIR, by default instance/imports."""
    folder = Path(current_app.config.get("REGISTRAR_IMPORT_DIR") or Path(current_app.instance_path) / "imports")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _remove_stale(folder: Path) -> None:
    """Uploads never confirmed are removed once their token can no longer be used."""
    cutoff = time.time() - TOKEN_MAX_AGE
    for path in folder.glob("*.csv"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def _store_upload(upload: FileStorage) -> Path:
    """Copy the upload to disk a chunk at a time; refuse it (413) past the size cap."""
    limit = max_bytes()
    folder = _imports_dir()
    _remove_stale(folder)
    path = folder / f"{secrets.token_urlsafe(16)}.csv"
    size = 0
    with path.open("wb") as target:
        while chunk := upload.stream.read(COPY_CHUNK):
            size += len(chunk)
            if size > limit:
                target.close()
                path.unlink(missing_ok=True)
                raise ServiceError(
                    _("The file is larger than %(mb).1f MB.", mb=limit / (1024 * 1024)), FILE_FIELD, status=413
                )
            target.write(chunk)
    return path


def dry_run(upload: FileStorage, actor: User) -> tuple[ImportReport, str]:
    """What importing the upload would do, and the token confirming it ("" when it cannot be applied).

    Writes nothing to the database (the caller rolls back what the check loaded). A file
    that cannot be read at all is a ServiceError on the file field.
    """
    path = _store_upload(upload)
    with path.open("rb") as stream:
        report = run_import(stream, actor, apply=False)
    if report.file_error:
        path.unlink(missing_ok=True)
        raise ServiceError(report.file_error, FILE_FIELD)
    if not report.can_apply:
        path.unlink(missing_ok=True)
        return report, ""
    return report, signer(SALT).dumps({"file": path.name, "user": actor.id, "name": upload.filename})


def staged_file(token: str, actor: User) -> StagedFile | None:
    """The file a confirm token names, if it is the actor's, unexpired and not yet applied,
    claimed for this request alone.

    The claim is a rename, which the file system does atomically: of two confirmations
    sent at once (a double click), one gets the file and the other finds it gone, as if it
    had been applied already, rather than both importing it. The claimed name still ends
    in .csv, so a claim that was never applied is removed as stale like any upload."""
    try:
        payload = signer(SALT).loads(token, max_age=TOKEN_MAX_AGE)
    except BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("user") != actor.id:
        return None
    path = _imports_dir() / Path(str(payload["file"])).name
    claimed = path.with_name(f"{path.stem}.applying.csv")
    try:
        path.rename(claimed)
    except FileNotFoundError:
        return None
    return StagedFile(claimed, payload.get("name", ""))


def apply_staged(staged: StagedFile, actor: User) -> ImportReport:
    """Check the file again against the directory as it is now and apply it whole (flushes), or nothing.

    The file is used up either way; `report.applied` says which.
    """
    with staged.path.open("rb") as stream:
        report = run_import(stream, actor, apply=True, source=staged.name)
    staged.path.unlink(missing_ok=True)
    return report

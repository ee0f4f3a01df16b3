"""Import and export pages of the directory.

The upload is copied, with a size cap, to instance/imports/<random>.csv and read
from there as a stream for the dry run. The confirm form carries a signed token
naming that file (and the admin who uploaded it); on confirm the file is checked
again against the directory as it is then, and applied whole or not at all.
"""

from __future__ import annotations

import secrets
import time
from pathlib import Path

from flask import Response, current_app, flash, redirect, render_template, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.datastructures import FileStorage

from portal.auth.session import admin_required, staff_required
from portal.core import audit
from portal.extensions import db
from portal.models.types import utcnow
from portal.registrars import bp
from portal.registrars.csv_format import COLUMN_HELP
from portal.registrars.export import export_directory, template_csv
from portal.registrars.forms import ConfirmImportForm, ImportForm
from portal.registrars.importer import ImportReport, run_import

TOKEN_MAX_AGE = 3600  # seconds between the dry run and the confirmation
COPY_CHUNK = 64 * 1024
SHOWN_ROWS = 500  # rows listed on the page; every rejected row is listed


class UploadTooLargeError(Exception):
    pass


def _max_bytes() -> int:
    """The size cap of an upload (REGISTRAR_IMPORT_MAX_BYTES, 5 MB by default)."""
    return current_app.config["REGISTRAR_IMPORT_MAX_BYTES"]


def _imports_dir() -> Path:
    """Where uploads wait for confirmation: REGISTRAR_IMPORT_DIR, by default instance/imports."""
    folder = Path(current_app.config.get("REGISTRAR_IMPORT_DIR") or Path(current_app.instance_path) / "imports")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="registrar-import")


def _remove_stale(folder: Path) -> None:
    """Uploads never confirmed are removed once their token can no longer be used."""
    cutoff = time.time() - TOKEN_MAX_AGE
    for path in folder.glob("*.csv"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def _store_upload(upload: FileStorage) -> Path:
    """Copy the upload to disk a chunk at a time; refuse it past the size cap."""
    limit = _max_bytes()
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
                raise UploadTooLargeError
            target.write(chunk)
    return path


def _render(form: ImportForm, report: ImportReport | None = None, token: str = "", status: int = 200):
    shown = []
    if report is not None:
        shown = report.rejected + [row for row in report.rows if row.action != "reject"][:SHOWN_ROWS]
        shown.sort(key=lambda row: row.line)
    html = render_template(
        "registrars/import.html",
        form=form,
        report=report,
        shown_rows=shown,
        confirm_form=ConfirmImportForm(token=token) if token else None,
        columns=COLUMN_HELP,
        max_mb=_max_bytes() / (1024 * 1024),
    )
    return html, status


@bp.route("/import", methods=["GET", "POST"])
@admin_required
def import_csv():
    """Upload a file and see, row by row, what importing it would do (nothing is written)."""
    form = ImportForm()
    if not form.validate_on_submit():
        return _render(form, status=400 if form.errors else 200)
    try:
        path = _store_upload(form.file.data)
    except UploadTooLargeError:
        limit = _max_bytes()
        form.file.errors.append(_("The file is larger than %(mb).1f MB.", mb=limit / (1024 * 1024)))
        return _render(form, status=413)
    with path.open("rb") as stream:
        report = run_import(stream, current_user, apply=False)
    db.session.rollback()  # the dry run only reads; make sure nothing of it is kept
    if report.file_error:
        path.unlink(missing_ok=True)
        form.file.errors.append(report.file_error)
        return _render(form, status=400)
    token = ""
    if report.can_apply:
        token = _serializer().dumps({"file": path.name, "user": current_user.id, "name": form.file.data.filename})
    else:
        path.unlink(missing_ok=True)
    return _render(form, report, token, status=200 if report.can_apply else 422)


@bp.post("/import/confirm")
@admin_required
def import_confirm():
    """Apply the file checked in the dry run, in one transaction."""
    confirm = ConfirmImportForm()
    if not confirm.validate_on_submit():
        flash(_("The confirmation was not accepted. Upload the file again."), "danger")
        return redirect(url_for("registrars.import_csv"))
    try:
        payload = _serializer().loads(confirm.token.data, max_age=TOKEN_MAX_AGE)
    except BadSignature:
        payload = None
    path = _imports_dir() / payload["file"] if payload and payload.get("user") == current_user.id else None
    if path is None or not path.is_file():
        flash(_("This dry run has expired or was already applied. Upload the file again."), "warning")
        return redirect(url_for("registrars.import_csv"))
    with path.open("rb") as stream:
        report = run_import(stream, current_user, apply=True, source=payload.get("name", ""))
    path.unlink(missing_ok=True)
    if not report.applied:
        db.session.rollback()
        flash(_("The directory changed since the dry run: nothing was imported. Check the rows below."), "danger")
        return _render(ImportForm(), report, status=409)
    db.session.commit()
    counts = report.counts
    flash(
        _(
            "Import applied: %(created)s rows created, %(updated)s updated, %(unchanged)s unchanged.",
            created=counts["create"],
            updated=counts["update"],
            unchanged=counts["unchanged"],
        ),
        "success",
    )
    return redirect(url_for("registrars.index", active="all"))


@bp.get("/import/template.csv")
@admin_required
def import_template():
    return Response(
        template_csv(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="registrars-template.csv"'},
    )


@bp.get("/export.csv")
@staff_required
def export_csv():
    """The whole directory in the import format; recorded in the audit log."""
    audit.record("registrars.exported", current_user)
    db.session.commit()
    return Response(
        stream_with_context(export_directory()),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="registrars-{utcnow():%Y%m%d-%H%M}.csv"'},
    )

"""Import and export pages of the directory: a dry run first, then the confirmed import."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, stream_with_context, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.session import admin_required, staff_required
from portal.core import audit
from portal.core.errors import ServiceError
from portal.extensions import db
from portal.models.types import utcnow
from portal.registrars import bp, staging
from portal.registrars.csv_format import COLUMN_HELP
from portal.registrars.export import export_directory, template_csv
from portal.registrars.forms import ConfirmImportForm, ImportForm
from portal.registrars.importer import ImportReport
from portal.web.actions import place_errors, run_action
from portal.web.downloads import attachment_headers
from portal.web.form_fields import ActionForm

SHOWN_ROWS = 500  # rows listed on the page; every rejected row is listed


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
        max_mb=staging.max_bytes() / (1024 * 1024),
    )
    return html, status


@bp.route("/import", methods=["GET", "POST"])
@admin_required
def import_csv():
    """Upload a file and see, row by row, what importing it would do (nothing is written).

    Not through run_action: the dry run changes nothing (it is rolled back) and answers with its
    report; only a file that can be applied is kept, for its confirmation.
    """
    form = ImportForm()
    if not form.validate_on_submit():
        return _render(form, status=400 if form.errors else 200)
    try:
        report, content = staging.dry_run(form.file.data, current_user)
    except ServiceError as error:
        place_errors(form, error)
        return _render(form, status=error.status)
    finally:
        db.session.rollback()  # the dry run only reads; make sure nothing of it is kept
    token = staging.stage(content, form.file.data.filename or "", current_user) if report.can_apply else ""
    db.session.commit()  # the staged file alone, for a confirmation on any app server
    return _render(form, report, token, status=200 if report.can_apply else 422)


def _applied_message(report: ImportReport) -> str:
    counts = report.counts
    return _(
        "Import applied: %(created)s rows created, %(updated)s updated, %(unchanged)s unchanged.",
        created=counts["create"],
        updated=counts["update"],
        unchanged=counts["unchanged"],
    )


@bp.post("/import/confirm")
@admin_required
def import_confirm():
    """Apply the file checked in the dry run, in one transaction."""
    confirm = ConfirmImportForm()
    staged = staging.staged_file(confirm.token.data, current_user) if confirm.validate_on_submit() else None
    if staged is None:
        if confirm.errors:
            flash(_("The confirmation was not accepted. Upload the file again."), "danger")
        else:
            flash(_("This dry run has expired or was already applied. Upload the file again."), "warning")
        return redirect(url_for("registrars.import_csv"))
    reports: list[ImportReport] = []

    def apply() -> str:
        report = staging.apply_staged(staged, current_user)
        reports.append(report)
        if not report.applied:
            raise ServiceError.conflict(
                _("The directory changed since the dry run: nothing was imported. Check the rows below.")
            )
        return _applied_message(report)

    def refused(status: int, *, error: str | None = None, conflict: str | None = None) -> ResponseReturnValue:
        flash(conflict or error or "", "danger")
        return _render(ImportForm(), reports[0], status=status)

    return run_action(confirm, apply, done=url_for("registrars.index", active="all"), page=refused)


@bp.get("/import/template.csv")
@admin_required
def import_template():
    return Response(
        template_csv(),
        mimetype="text/csv",
        headers=attachment_headers("registrars-template.csv"),
    )


@bp.post("/export.csv")
@staff_required
def export_csv():
    """The whole directory in the import format. A POST with its token: it writes an audit row."""
    if not ActionForm().validate_on_submit():
        abort(400)
    audit.record("registrars.exported", current_user)
    db.session.commit()
    return Response(
        stream_with_context(export_directory()),
        mimetype="text/csv",
        headers=attachment_headers(f"registrars-{utcnow():%Y%m%d-%H%M}.csv"),
    )

"""The personal-data page (/app/privacy/): look a person up, export, correct or erase their
data, and set the retention periods. Every request about a person is a POST, so no address
ever lands in a URL, a browser history or an access log."""

from __future__ import annotations

from flask import Response, abort, render_template, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.session import admin_required
from portal.domain.personal_data import RetentionPeriods
from portal.extensions import db
from portal.models.types import utcnow
from portal.privacy import bp
from portal.privacy.correction import Correction, correct_person
from portal.privacy.erasure import erase_person, erasure_holds
from portal.privacy.export import export_json, record_export, sections
from portal.privacy.forms import CorrectionForm, ErasureForm, PersonActionForm, PersonForm, RetentionForm
from portal.privacy.person import find_records
from portal.privacy.presentation import RULE_LABELS, SECTION_LABELS, count_rows, labelled_rows
from portal.privacy.retention import load_periods, save_periods, status
from portal.web.actions import run_action
from portal.web.downloads import attachment_headers


def _retention_form(bound: bool) -> RetentionForm:
    current = load_periods()
    data = {name: getattr(current, name) for name in ("spam_days", "unqualified_months", "closed_engagement_years")}
    return RetentionForm(data=data) if bound else RetentionForm(formdata=None, data=data)


def _index(form: PersonForm, retention_form: RetentionForm, status_code: int = 200):
    """The lookup form, the retention periods and what each rule has due."""
    lines = status(utcnow())
    html = render_template(
        "privacy/index.html", form=form, retention_form=retention_form, lines=lines, rule_labels=RULE_LABELS
    )
    return html, status_code


def _person(identity: PersonActionForm, status_code: int = 200, error: str | None = None, **forms):
    """What the portal holds about the person, why it may not be erased yet, and the actions."""
    records, holds = erasure_holds(identity.identifiers(), load_periods())
    person = {"email": identity.email.data, "phone": identity.phone.data}
    html = render_template(
        "privacy/person.html",
        person=person,
        counts=count_rows(records.counts(), len(records.privacy_requests)),
        found=bool(records),
        holds=holds,
        error=error,
        correction_form=forms.get("correction_form") or CorrectionForm(formdata=None, data=person),
        erasure_form=forms.get("erasure_form") or ErasureForm(formdata=None, data=person),
    )
    return html, status_code


@bp.get("/")
@admin_required
def index():
    return _index(PersonForm(formdata=None), _retention_form(bound=False))


@bp.post("/")
@admin_required
def lookup():
    """Find the person (a POST: the address stays out of the URL)."""
    form = PersonForm()
    if not form.validate_on_submit():
        return _index(form, _retention_form(bound=False), 400)
    return _person(PersonActionForm.for_person(form.identifiers()))


@bp.post("/export.json")
@admin_required
def export_download():
    """Everything about the person as one JSON file, streamed; the audit row is committed first."""
    form = PersonActionForm()
    if not form.validate_on_submit():
        abort(400)
    record_export(find_records(form.identifiers()), current_user, "json")
    db.session.commit()
    headers = attachment_headers(f"personal-data-{utcnow():%Y%m%d-%H%M%S}.json")
    return Response(stream_with_context(export_json(form.identifiers())), mimetype="application/json", headers=headers)


@bp.post("/export")
@admin_required
def export_page():
    """The same content as a page to read or print (audited the same way)."""
    form = PersonActionForm()
    if not form.validate_on_submit():
        abort(400)
    records = find_records(form.identifiers())
    record_export(records, current_user, "html")
    db.session.commit()
    shown = [(SECTION_LABELS[key], labelled_rows(rows)) for key, rows in sections(records)]
    return render_template("privacy/export.html", sections=shown, identifiers=records.identifiers, now=utcnow())


@bp.post("/correct")
@admin_required
def correct():
    form = CorrectionForm()

    def action() -> str:
        values = Correction(form.new_name.data, form.new_email.data, form.new_phone.data, form.new_company.data)
        correct_person(form.identifiers(), values, current_user)
        return _("The person's details were corrected on every record that holds them.")

    return run_action(
        form,
        action,
        done=url_for("privacy.index"),
        page=lambda status, error=None, **_m: _person(form, status, error, correction_form=form),
    )


@bp.post("/erase")
@admin_required
def erase():
    form = ErasureForm()

    def action() -> str:
        erase_person(form.identifiers(), current_user, load_periods())
        return _("The person's data was erased. Their enquiries still count in the figures, anonymous.")

    return run_action(
        form,
        action,
        done=url_for("privacy.index"),
        page=lambda status, error=None, **_m: _person(form, status, error, erasure_form=form),
    )


@bp.post("/retention")
@admin_required
def retention():
    form = _retention_form(bound=True)

    def action() -> str:
        save_periods(
            RetentionPeriods(form.spam_days.data, form.unqualified_months.data, form.closed_engagement_years.data),
            current_user,
        )
        return _("Retention periods saved.")

    return run_action(
        form,
        action,
        done=url_for("privacy.index"),
        page=lambda status, **_m: _index(PersonForm(formdata=None), form, status),
    )

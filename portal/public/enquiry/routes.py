"""The enquiry form (/enquire) and its thanks page."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from sqlalchemy.exc import IntegrityError

from portal.extensions import db, limiter
from portal.models import Lead
from portal.public.attachments import read_attachment
from portal.public.enquiry import bp, spam
from portal.public.enquiry.forms import UTM_KEYS, UTM_MAX_LENGTH, EnquiryForm
from portal.public.enquiry.presentation import ATTACHMENT_NOTES, form_meta
from portal.public.enquiry.services import EnquiryData, lead_for_submission, submit_enquiry
from portal.public.queries import ReferenceRows, form_choices, reference_rows
from portal.web.actions import PageRenderer, run_action

SESSION_KEY = "enquiry_lead_id"

enquiry_rate_limit = limiter.limit(
    lambda: current_app.config.get("ENQUIRY_RATE_LIMIT", "10 per minute"), methods=["POST"]
)


def _thanks_for(lead: Lead) -> ResponseReturnValue:
    """Remember the visitor's own lead in the (signed) session and show its thanks page."""
    session[SESSION_KEY] = lead.id
    return redirect(url_for("enquiry.thanks"))


def _prefill(form: EnquiryForm) -> None:
    """?standard=iso-9001&location=muscat (and UTM parameters, attachment) from the link the visitor followed."""
    standards = {choice.value for choice in form.standards.choices}
    form.standards.data = [slug for slug in request.args.getlist("standard") if slug in standards]
    location = request.args.get("location", "")
    if any(choice.value == location for choice in form.region.choices if choice.value):
        form.region.data = location
    for key in UTM_KEYS:
        getattr(form, key).data = request.args.get(key, "")[:UTM_MAX_LENGTH]
    form.attachment.data = request.args.get("attachment", "")[:8000]
    form.form_token.data = spam.make_form_token()


def _enquiry_data(form: EnquiryForm, token: spam.FormToken | None) -> EnquiryData:
    """The form's values, with what the website alone knows: the page's language, its token, its attachment."""
    attachment = read_attachment(form.attachment.data) if form.attachment.data else None
    return form.to_data(
        str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"]),
        path=request.path,
        submission_token=token.submission_token if token else None,
        attachments={attachment[0]: attachment[1]} if attachment else {},
        spam_reason=spam.spam_reason(form.website.data, token),
    )


def _page(form: EnquiryForm) -> PageRenderer:
    """The form page; always 200, its messages next to the fields (a refused submission included)."""

    def render(status: int = 200, *, error: str | None = None, conflict: str | None = None) -> str:
        attachment = read_attachment(form.attachment.data) if form.attachment.data else None
        return render_template(
            "public/enquiry.html",
            form=form,
            attachment_note=ATTACHMENT_NOTES[attachment[0]] if attachment else None,
            attachment_expired=bool(form.attachment.data) and attachment is None,
            meta=form_meta(),
        )

    return render


def _submit(form: EnquiryForm, token: spam.FormToken | None, rows: ReferenceRows) -> None:
    """Create the lead and remember it as the visitor's (if the commit then fails, so does the page)."""
    session[SESSION_KEY] = submit_enquiry(_enquiry_data(form, token), rows=rows).id


@bp.route("/enquire", methods=["GET", "POST"])
@enquiry_rate_limit
def form():
    form = EnquiryForm()
    rows = reference_rows()
    form.set_choices(*form_choices(rows))
    if request.method == "GET":
        _prefill(form)
        return _page(form)()
    token = spam.read_form_token(form.form_token.data)
    try:
        return run_action(form, lambda: _submit(form, token, rows), done=url_for("enquiry.thanks"), page=_page(form))
    except IntegrityError:
        # The same page sent again (its lead exists, or is being made by a request sent at the
        # same moment): the unique submission token refuses the second lead, so the common case,
        # a first sending, costs no look-up beforehand.
        db.session.rollback()
        existing = lead_for_submission(token.submission_token) if token else None
        if existing is None:
            raise
        return _thanks_for(existing)


@bp.get("/enquire/thanks")
def thanks():
    lead_id = session.get(SESSION_KEY)
    lead = db.session.get(Lead, lead_id) if isinstance(lead_id, int) else None
    if lead is None:
        return redirect(url_for("enquiry.form"))
    return render_template("public/enquiry_thanks.html", lead=lead)

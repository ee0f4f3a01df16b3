"""The privacy-request form (/privacy/request) and its thanks page."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from portal.extensions import db, limiter
from portal.models import PrivacyRequest
from portal.privacy.requests import RequestData, deadline_days, request_for_submission, submit_request
from portal.public.enquiry import spam
from portal.public.privacy_request import bp
from portal.public.privacy_request.forms import PrivacyRequestForm
from portal.public.seo import page_meta
from portal.web.actions import PageRenderer, run_action

SESSION_KEY = "privacy_request_id"

request_rate_limit = limiter.limit(
    lambda: current_app.config.get("PRIVACY_REQUEST_RATE_LIMIT", "5 per minute"), methods=["POST"]
)


def _data(form: PrivacyRequestForm, token: spam.FormToken | None) -> RequestData:
    """Explicit mapping from the validated form to the service's plain values."""
    return RequestData(
        name=form.name.data,
        email=form.email.data,
        phone=form.phone.data,
        kind=form.kind.data,
        details=form.details.data,
        language=str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"]),
        submission_token=token.submission_token if token else None,
        spam_reason=spam.spam_reason(form.website.data, token),
    )


def _page(form: PrivacyRequestForm) -> PageRenderer:
    def render(status: int = 200, *, error: str | None = None, conflict: str | None = None):
        meta = page_meta(
            _("Ask about your personal data"),
            _("Ask for a copy of the personal data we hold about you, its correction or its deletion."),
            "privacy_request.form",
        )
        return render_template("public/privacy_request.html", form=form, meta=meta, days=deadline_days()), status

    return render


def _submit(form: PrivacyRequestForm, token: spam.FormToken | None) -> None:
    session[SESSION_KEY] = submit_request(_data(form, token)).id


@bp.route("/privacy/request", methods=["GET", "POST"])
@request_rate_limit
def form():
    form = PrivacyRequestForm()
    if request.method == "GET":
        form.form_token.data = spam.make_form_token()
        return _page(form)()
    token = spam.read_form_token(form.form_token.data)
    try:
        return run_action(form, lambda: _submit(form, token), done=url_for("privacy_request.thanks"), page=_page(form))
    except IntegrityError:
        # The same page sent again: the unique submission token refused a second request.
        db.session.rollback()
        existing = request_for_submission(token.submission_token) if token else None
        if existing is None:
            raise
        session[SESSION_KEY] = existing.id
        return redirect(url_for("privacy_request.thanks"))


@bp.get("/privacy/request/thanks")
def thanks():
    request_id = session.get(SESSION_KEY)
    privacy_request = db.session.get(PrivacyRequest, request_id) if isinstance(request_id, int) else None
    if privacy_request is None:
        return redirect(url_for("privacy_request.form"))
    return render_template("public/privacy_request_thanks.html", privacy_request=privacy_request)

"""Consultants' quote pages: compare, request, enter by hand, accept, withdraw, and the quotation PDF.

Every action goes through `run_action`; a refusal is flashed on the compare page (or
shown on the edit page next to its field). Opening a page changes nothing: quotes past
their validity read as expired until `flask reminders run` stores it.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.auth.session import staff_required
from portal.core.clock import today_in_oman
from portal.core.uploads import UploadError, stored_path
from portal.domain import lifecycle
from portal.extensions import db
from portal.matching.services import shortlisted_ids
from portal.models import Engagement, Lead, Quote, QuoteStatus
from portal.quotes import bp, presentation, queries, services
from portal.quotes.forms import AcceptQuoteForm, ManualQuoteForm, RequestQuotesForm
from portal.quotes.submission import UPLOAD_FOLDER, QuoteFileSave, changed_meanwhile
from portal.web.actions import PageRenderer, run_action


def _engagement_or_404(engagement_id: int) -> Engagement:
    engagement = db.session.scalar(
        select(Engagement)
        .where(Engagement.id == engagement_id)
        .options(
            selectinload(Engagement.standards),
            selectinload(Engagement.client),
            selectinload(Engagement.lead).selectinload(Lead.sector),
        )
    )
    if engagement is None:
        abort(404)
    return engagement


def _quote_or_404(engagement: Engagement, quote_id: int) -> Quote:
    quote = db.session.get(Quote, quote_id)
    if quote is None or quote.engagement_id != engagement.id:
        abort(404)
    return quote


def _compare_url(engagement: Engagement) -> str:
    return url_for("quotes.compare", id=engagement.id)


def _request_form(engagement: Engagement, quotes: list[Quote]) -> RequestQuotesForm:
    """The bodies that may still be asked, shortlisted ones first and ticked."""
    shortlisted = shortlisted_ids(engagement.id)
    bodies = queries.requestable_bodies(engagement, quotes, shortlisted, today_in_oman())
    form = RequestQuotesForm()
    form.certification_body_ids.choices = [
        (b.id, _("%(name)s (shortlisted)", name=b.name) if b.id in shortlisted else b.name) for b in bodies
    ]
    form.certification_body_ids.data = [b.id for b in bodies if b.id in shortlisted]
    return form


@bp.get("/app/engagements/<int:id>/quotes")
@staff_required
def compare(id: int) -> ResponseReturnValue:
    engagement = _engagement_or_404(id)
    today = today_in_oman()
    quotes = queries.engagement_quotes(engagement)
    md5 = presentation.md5_figures(engagement)
    columns = presentation.columns(quotes, engagement, md5, today)
    return render_template(
        "quotes/compare.html",
        engagement=engagement,
        rows=presentation.rows(quotes, today),
        columns=columns,
        md5=md5,
        request_form=_request_form(engagement, quotes),
        accept_forms={c.quote.id: AcceptQuoteForm(prefix=f"q{c.quote.id}") for c in columns},
        stage1_possible=engagement.stage == lifecycle.REGISTRAR_SELECTION,
    )


def _back_to_compare(engagement: Engagement, form: FlaskForm) -> PageRenderer:
    """A refused decision is flashed on the compare page; a form without its token is a bad request."""

    def page(status: int, *, error: str | None = None, conflict: str | None = None) -> ResponseReturnValue:
        if form.errors:
            abort(400)
        flash(conflict or error or "", "danger")
        return redirect(_compare_url(engagement))

    return page


@bp.post("/app/engagements/<int:id>/quotes/request")
@staff_required
def request_quotes(id: int) -> ResponseReturnValue:
    engagement = _engagement_or_404(id)
    form = RequestQuotesForm()
    form.certification_body_ids.choices = []
    emailed = not form.without_email.data

    def action() -> None:
        result = services.request_quotes(engagement, form.certification_body_ids.data or [], current_user, emailed)
        for message, category in presentation.request_messages(result, emailed):
            flash(message, category)

    def page(status: int, *, error: str | None = None, conflict: str | None = None) -> ResponseReturnValue:
        refused = [error or conflict or "", *form.certification_body_ids.errors]
        flash(" ".join(filter(None, refused)) or _("Choose at least one certification body."), "danger")
        return redirect(_compare_url(engagement))

    return run_action(form, action, done=_compare_url(engagement), page=page)


@bp.route("/app/engagements/<int:id>/quotes/<int:quote_id>/edit", methods=["GET", "POST"])
@staff_required
def edit(id: int, quote_id: int) -> ResponseReturnValue:
    engagement = _engagement_or_404(id)
    quote = _quote_or_404(engagement, quote_id)
    today = today_in_oman()
    if request.method == "GET":
        form = ManualQuoteForm(obj=quote if quote.status_on(today) == QuoteStatus.RECEIVED else None)
        form.version.data = quote.version
        return render_template("quotes/edit.html", engagement=engagement, quote=quote, form=form)
    form = ManualQuoteForm()
    upload = QuoteFileSave(form)

    def action() -> str:
        version = form.version.data
        upload.run(
            lambda figures, stored: services.record_by_hand(quote, figures, stored, current_user, version, today)
        )
        return _("Quote from %(body)s saved.", body=quote.certification_body.name)

    def page(status: int, *, error: str | None = None, conflict: str | None = None) -> ResponseReturnValue:
        message = upload.refusal(error, conflict)
        if message:
            flash(message, "danger")
        page_status = 400 if form.errors else 200
        return render_template("quotes/edit.html", engagement=engagement, quote=quote, form=form), page_status

    done = upload.done(_compare_url(engagement))
    return run_action(form, action, done=done, page=page, conflict_message=changed_meanwhile)


@bp.post("/app/engagements/<int:id>/quotes/<int:quote_id>/accept")
@staff_required
def accept(id: int, quote_id: int) -> ResponseReturnValue:
    engagement = _engagement_or_404(id)
    _quote_or_404(engagement, quote_id)
    form = AcceptQuoteForm(prefix=f"q{quote_id}")

    def action() -> str:
        quote = services.accept_quote(
            engagement,
            quote_id,
            current_user,
            today_in_oman(),
            notify_declined=form.notify_declined.data,
            move_to_stage1=form.move_to_stage1.data,
        )
        return _("Quote from %(body)s accepted.", body=quote.certification_body.name)

    return run_action(form, action, done=_compare_url(engagement), page=_back_to_compare(engagement, form))


@bp.post("/app/engagements/<int:id>/quotes/<int:quote_id>/withdraw")
@staff_required
def withdraw(id: int, quote_id: int) -> ResponseReturnValue:
    engagement = _engagement_or_404(id)
    quote = _quote_or_404(engagement, quote_id)
    form = FlaskForm()

    def action() -> str:
        services.withdraw_quote(quote, current_user, today_in_oman())
        return _("Request to %(body)s withdrawn.", body=quote.certification_body.name)

    return run_action(form, action, done=_compare_url(engagement), page=_back_to_compare(engagement, form))


@bp.get("/app/quotes/<int:quote_id>/file")
@staff_required
def quote_file(quote_id: int) -> ResponseReturnValue:
    quote = db.session.get(Quote, quote_id)
    if quote is None or not quote.file_name:
        abort(404)
    try:
        path = stored_path(UPLOAD_FOLDER, quote.file_name)
    except UploadError:
        abort(404)
    if not path.is_file():
        abort(404)
    return send_file(
        path,
        mimetype="application/pdf",
        as_attachment=True,
        download_name=quote.original_name or f"quote-{quote.id}.pdf",
        max_age=0,
    )

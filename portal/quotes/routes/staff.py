"""Consultants' quote pages: compare, request, enter by hand, accept, withdraw, and the quotation PDF.

Every action goes through `run_action`; a refusal is flashed on the compare page (or
shown on the edit page next to its field). Opening a page changes nothing: quotes past
their validity read as expired until `flask reminders run` stores it.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.orm import selectinload

from portal.auth.session import staff_required
from portal.core.clock import today_in_oman
from portal.core.uploads import stored_path
from portal.domain import lifecycle
from portal.engagements.queries import engagement_or_404
from portal.extensions import db
from portal.matching.services import shortlisted_ids
from portal.models import Engagement, Lead, Quote, QuoteStatus
from portal.quotes import bp, presentation, queries, services
from portal.quotes.forms import AcceptQuoteForm, ManualQuoteForm, RequestQuotesForm
from portal.quotes.submission import UPLOAD_FOLDER, QuoteFileSave, changed_meanwhile
from portal.web.actions import PageRenderer, run_action


def _engagement_or_404(engagement_id: int) -> Engagement:
    return engagement_or_404(
        engagement_id,
        selectinload(Engagement.standards),
        selectinload(Engagement.client),
        selectinload(Engagement.lead).selectinload(Lead.sector),
    )


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


def _back_to_compare(compare_url: str, form: FlaskForm) -> PageRenderer:
    """A refused decision is flashed on the compare page; a form without its token is a bad request."""

    def page(status: int, *, error: str | None = None, conflict: str | None = None) -> ResponseReturnValue:
        if form.errors:
            abort(400)
        flash(conflict or error or "", "danger")
        return redirect(compare_url)

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


def _edit_page(engagement: Engagement, quote: Quote, form: ManualQuoteForm) -> ResponseReturnValue:
    return render_template("quotes/edit.html", engagement=engagement, quote=quote, form=form), (
        400 if form.errors else 200
    )


@bp.route("/app/engagements/<int:id>/quotes/<int:quote_id>/edit", methods=["GET", "POST"])
@staff_required
def edit(id: int, quote_id: int) -> ResponseReturnValue:
    engagement = _engagement_or_404(id)
    quote = _quote_or_404(engagement, quote_id)
    today = today_in_oman()
    if request.method == "GET":
        form = ManualQuoteForm(obj=quote if quote.status_on(today) == QuoteStatus.RECEIVED else None)
        form.version.data = quote.version
        return _edit_page(engagement, quote, form)
    form = ManualQuoteForm()
    upload = QuoteFileSave(form)

    def action() -> str:
        version = form.version.data
        upload.run(
            lambda figures, stored: services.record_by_hand(quote, figures, stored, current_user, version, today)
        )
        return _("Quote from %(body)s saved.", body=quote.certification_body.name)

    def page(status: int, *, error: str | None = None, conflict: str | None = None) -> ResponseReturnValue:
        if message := upload.refusal(error, conflict):
            flash(message, "danger")
        return _edit_page(engagement, quote, form)

    done = upload.done(_compare_url(engagement))
    return run_action(form, action, done=done, page=page, conflict_message=changed_meanwhile)


def _decide(id: int, quote_id: int, form: FlaskForm, decide: Callable[[Engagement, Quote], str]) -> ResponseReturnValue:
    """Accept or withdraw one quote of the engagement; back to the compare page either way."""
    engagement = _engagement_or_404(id)
    quote = _quote_or_404(engagement, quote_id)
    compare_url = _compare_url(engagement)
    return run_action(
        form, lambda: decide(engagement, quote), done=compare_url, page=_back_to_compare(compare_url, form)
    )


@bp.post("/app/engagements/<int:id>/quotes/<int:quote_id>/accept")
@staff_required
def accept(id: int, quote_id: int) -> ResponseReturnValue:
    form = AcceptQuoteForm(prefix=f"q{quote_id}")

    def accept_it(engagement: Engagement, quote: Quote) -> str:
        options = {"notify_declined": form.notify_declined.data, "move_to_stage1": form.move_to_stage1.data}
        accepted = services.accept_quote(engagement, quote.id, current_user, today_in_oman(), **options)
        return _("Quote from %(body)s accepted.", body=accepted.certification_body.name)

    return _decide(id, quote_id, form, accept_it)


@bp.post("/app/engagements/<int:id>/quotes/<int:quote_id>/withdraw")
@staff_required
def withdraw(id: int, quote_id: int) -> ResponseReturnValue:
    def withdraw_it(engagement: Engagement, quote: Quote) -> str:
        services.withdraw_quote(quote, current_user, today_in_oman())
        return _("Request to %(body)s withdrawn.", body=quote.certification_body.name)

    return _decide(id, quote_id, FlaskForm(), withdraw_it)


@bp.get("/app/quotes/<int:quote_id>/file")
@staff_required
def quote_file(quote_id: int) -> ResponseReturnValue:
    quote = db.session.get(Quote, quote_id)
    if quote is None or not quote.file_name:
        abort(404)
    path = stored_path(UPLOAD_FOLDER, quote.file_name)
    if path is None or not path.is_file():
        abort(404)
    return send_file(
        path,
        mimetype="application/pdf",
        as_attachment=True,
        download_name=quote.original_name or f"quote-{quote.id}.pdf",
        max_age=0,
    )

"""Consultants' quote pages: compare, request, enter by hand, accept, withdraw, and the quotation PDF.

Every action goes through `run_action`; a refusal is flashed on the compare page (or
shown on the edit page next to its field). Opening a page changes nothing: quotes past
their validity read as expired until `flask reminders run` stores it.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.orm import selectinload

from portal.auth.session import staff_required
from portal.core.clock import today_in_oman
from portal.core.uploads import open_stored
from portal.domain import lifecycle
from portal.engagements.queries import engagement_or_404
from portal.extensions import db
from portal.matching.services import shortlisted_ids
from portal.models import Engagement, Lead, Quote, QuoteStatus
from portal.quotes import bp, presentation, queries, services
from portal.quotes.forms import AcceptQuoteForm, ManualQuoteForm, RequestQuotesForm
from portal.quotes.submission import STORAGE_PREFIX, QuoteFileSave, changed_meanwhile
from portal.web.actions import PageRenderer, run_action
from portal.web.downloads import send_stored


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
    return _compare_page(_engagement_or_404(id))


def _compare_page(engagement: Engagement, status: int = 200) -> ResponseReturnValue:
    """The quotes side by side, as they stand now; each accept form carries the figures it shows."""
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
        accept_forms={c.quote.id: _accept_form(c.quote) for c in columns},
        stage1_possible=engagement.stage == lifecycle.REGISTRAR_SELECTION,
    ), status


def _accept_form(quote: Quote) -> AcceptQuoteForm:
    form = AcceptQuoteForm(prefix=f"q{quote.id}", formdata=None)
    form.seen.data = quote.fingerprint
    return form


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

    return run_action(form, action, done=_compare_url(engagement), page=page, conflict_message=changed_meanwhile)


def _decide(
    id: int, quote_id: int, form: FlaskForm, decide: Callable[[Engagement, Quote], str], *, reshow: bool = False
) -> ResponseReturnValue:
    """Accept or withdraw one quote of the engagement; back to the compare page either way.

    With `reshow`, a conflict answers 409 with the compare page as it is now, so the
    consultant sees the fresh figures next to the message rather than after a redirect.
    """
    engagement = _engagement_or_404(id)
    quote = _quote_or_404(engagement, quote_id)
    compare_url = _compare_url(engagement)
    back = _back_to_compare(compare_url, form)

    def page(status: int, *, error: str | None = None, conflict: str | None = None) -> ResponseReturnValue:
        if reshow and conflict:
            flash(conflict, "danger")
            return _compare_page(engagement, 409)
        return back(status, error=error, conflict=conflict)

    return run_action(form, lambda: decide(engagement, quote), done=compare_url, page=page)


@bp.post("/app/engagements/<int:id>/quotes/<int:quote_id>/accept")
@staff_required
def accept(id: int, quote_id: int) -> ResponseReturnValue:
    form = AcceptQuoteForm(prefix=f"q{quote_id}")

    def accept_it(engagement: Engagement, quote: Quote) -> str:
        options = {"notify_declined": form.notify_declined.data, "move_to_stage1": form.move_to_stage1.data}
        accepted = services.accept_quote(engagement, quote.id, current_user, today_in_oman(), form.seen.data, **options)
        return _("Quote from %(body)s accepted.", body=accepted.certification_body.name)

    return _decide(id, quote_id, form, accept_it, reshow=True)


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
    content = open_stored(STORAGE_PREFIX, quote.file_name)
    if content is None:
        abort(404)
    return send_stored(content, presentation.pdf_download_name(quote), "application/pdf")

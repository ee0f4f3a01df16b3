"""The pages a certification body opens from its quote-request e-mail (no account).

The signed token in the address is the only credential: it opens one quote, for
30 days, until that quote is decided or passes its validity. A bad, expired or spent
link gets a clear page (400 or 410), never an error. Pages are not indexed and are
rate-limited. Opening the page changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps

from flask import Response, current_app, flash, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from portal.core.clock import today_in_oman
from portal.extensions import limiter
from portal.models import Quote, QuoteStatus
from portal.quotes import bp, queries, services
from portal.quotes.forms import QuoteFiguresForm
from portal.quotes.presentation import job_summary, link_problem_message
from portal.quotes.submission import QuoteFileSave, changed_meanwhile
from portal.quotes.tokens import LinkProblem
from portal.web.actions import run_action
from portal.web.i18n import language_in_query, query_language

quote_link_rate_limit = limiter.limit(lambda: current_app.config["QUOTE_LINK_RATE_LIMIT"])


def _not_indexed(view: Callable[..., ResponseReturnValue]) -> Callable[..., Response]:
    """A link page is private to its body: ask search engines not to index it."""

    @wraps(view)
    def wrapper(*args, **kwargs) -> Response:
        response = make_response(view(*args, **kwargs))
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapper


def _page(quote: Quote, form: QuoteFiguresForm, status: int = 200) -> ResponseReturnValue:
    received = quote.status == QuoteStatus.RECEIVED
    return render_template(
        "quotes/link/respond.html", quote=quote, job=job_summary(quote), form=form, received=received
    ), status


@bp.route("/q/<token>", methods=["GET", "POST"])
@language_in_query
@_not_indexed
@quote_link_rate_limit
def respond(token: str) -> ResponseReturnValue:
    today = today_in_oman()
    quote = queries.open_link(token, today)
    if isinstance(quote, LinkProblem):
        return render_template("quotes/link/unavailable.html", message=link_problem_message(quote)), quote.status
    if request.method == "GET":
        return _page(quote, QuoteFiguresForm(obj=quote if quote.status == QuoteStatus.RECEIVED else None))
    return _answer(token, quote, today)


def _answer(token: str, quote: Quote, today: date) -> ResponseReturnValue:
    """The body sends (or revises) its figures; a refusal not about a field shows where the quote stands now."""
    form = QuoteFiguresForm()
    upload = QuoteFileSave(form)
    here = url_for("quotes.respond", token=token, lang=query_language())

    def action() -> str:
        upload.run(lambda figures, stored: services.submit_from_link(quote, figures, stored, today))
        return _("Thank you: your quotation was received. You can revise it here until it is decided.")

    def page(status: int, *, error: str | None = None, conflict: str | None = None) -> ResponseReturnValue:
        message = upload.refusal(error, conflict)
        if message:  # decided, or changed, while the body was typing
            flash(message, "warning")
            return redirect(here)
        return _page(quote, form, 400)

    return run_action(form, action, done=here, page=page, conflict_message=changed_meanwhile)

"""The pages a certification body opens from its quote-request e-mail (no account).

The signed token in the address is the only credential: it opens one quote, for
30 days, until that quote is decided. A bad, expired or spent link gets a clear
page (400 or 410), never an error. Pages are not indexed and are rate-limited.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import Response, current_app, flash, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from portal.domain.working_days import MUSCAT
from portal.extensions import db, limiter
from portal.models import Quote, QuoteStatus
from portal.models.types import utcnow
from portal.quotes import bp, services
from portal.quotes.forms import QuoteFiguresForm
from portal.quotes.submission import save_quote_form
from portal.quotes.summary import job_summary
from portal.quotes.tokens import LinkProblem, QuoteLinkError, read_token

STATUS_FOR_PROBLEM = {LinkProblem.INVALID: 400, LinkProblem.EXPIRED: 410, LinkProblem.DECIDED: 410}

quote_link_rate_limit = limiter.limit(lambda: current_app.config["QUOTE_LINK_RATE_LIMIT"])


def _unavailable(problem: LinkProblem):
    return render_template("quotes/link/unavailable.html", problem=problem.value), STATUS_FOR_PROBLEM[problem]


def _not_indexed(view: Callable[..., ResponseReturnValue]) -> Callable[..., Response]:
    """A link page is private to its body: ask search engines not to index it."""

    @wraps(view)
    def wrapper(*args, **kwargs) -> Response:
        response = make_response(view(*args, **kwargs))
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapper


def _open_quote(token: str, today) -> Quote:
    """The quote the token may still answer (expiring it first if its validity passed)."""
    quote_id, nonce = read_token(token)
    quote = db.session.get(Quote, quote_id)
    if quote is not None and quote.token_nonce == nonce and services.expire_due_quotes(today, quote.engagement_id):
        db.session.commit()
    return services.check_link(quote, nonce, today)


@bp.route("/q/<token>", methods=["GET", "POST"])
@_not_indexed
@quote_link_rate_limit
def respond(token: str):
    today = utcnow().astimezone(MUSCAT).date()
    try:
        quote = _open_quote(token, today)
    except QuoteLinkError as error:
        return _unavailable(error.problem)

    received = quote.status == QuoteStatus.RECEIVED
    form = QuoteFiguresForm(obj=quote if received and request.method == "GET" else None)
    if form.validate_on_submit():
        error = save_quote_form(form, lambda figures, stored: services.submit_from_link(quote, figures, stored, today))
        if error is not None:  # decided, or changed, while the body was typing: show where it stands now
            flash(error.message, "warning")
            return redirect(url_for("quotes.respond", token=token))
        if not form.errors:
            flash(_("Thank you: your quotation was received. You can revise it here until it is decided."), "success")
            return redirect(url_for("quotes.respond", token=token))
    return render_template(
        "quotes/link/respond.html", quote=quote, job=job_summary(quote), form=form, received=received
    ), (400 if form.errors else 200)

"""The client's status page (/status/<token>), opened from the e-mail, with no account.

The signed token is the only credential: it opens one engagement's page until it expires,
is revoked or is replaced by a newer link. A bad or spent link gets a clear page (400 or 410).
The page is private (`private, no-store`, portal.web.security), never in the public page
cache, not indexed, rate-limited, in the link's language (`?lang=`, with a switch). A visit
is put on the engagement's timeline at most once an hour; each upload is too.
"""

from __future__ import annotations

from flask import Response, current_app, make_response, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from portal.client_status import bp, queries, services
from portal.client_status.forms import UploadForm, upload_form
from portal.client_status.presentation import link_problem_message, status_view
from portal.core.clock import today_in_oman
from portal.extensions import db, limiter
from portal.models import StatusLink
from portal.models.types import utcnow
from portal.web.actions import run_action
from portal.web.i18n import language_in_query, query_language

status_link_rate_limit = limiter.limit(lambda: current_app.config["STATUS_LINK_RATE_LIMIT"])


def _not_indexed(html: str, status: int) -> Response:
    response = make_response(html, status)
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _page(
    link: StatusLink, status: int = 200, bound: tuple[int, UploadForm] | None = None, error: str | None = None
) -> Response:
    """The page; `bound` is the upload form just sent for one request, with its message by the field,
    and `error` a refusal that belongs to no field (the document no longer waits for a file)."""
    requests = queries.document_requests(link.engagement)
    forms = {r.id: upload_form(r) for r in requests if r.awaits_client}
    if bound is not None:
        forms[bound[0]] = bound[1]
    view = status_view(link.engagement, requests, today_in_oman())
    max_mb = int(current_app.config["CLIENT_DOCUMENT_MAX_BYTES"]) // (1024 * 1024)
    html = render_template("client_status/page.html", view=view, upload_forms=forms, max_mb=max_mb, page_error=error)
    return _not_indexed(html, status)


def _open(token: str) -> StatusLink | Response:
    found = queries.open_link(token, utcnow())
    if isinstance(found, queries.LinkProblem):
        html = render_template("client_status/unavailable.html", message=link_problem_message(found))
        return _not_indexed(html, found.status)
    return found


@bp.get("/status/<token>")
@language_in_query
@status_link_rate_limit
def page(token: str) -> ResponseReturnValue:
    link = _open(token)
    if isinstance(link, Response):
        return link
    if query_language() is None:  # the page in the client's language, with its switch
        return redirect(url_for("client_status.page", token=token, lang=link.language))
    services.record_view(link, utcnow(), by_staff=current_user.is_authenticated)
    db.session.commit()
    return _page(link)


@bp.post("/status/<token>/documents/<int:request_id>")
@language_in_query
@status_link_rate_limit
def upload(token: str, request_id: int) -> ResponseReturnValue:
    link = _open(token)
    if isinstance(link, Response):
        return link
    request = queries.request_or_404(link.engagement_id, request_id)
    form = upload_form(request, sent=True)

    def action() -> str:
        sent = form.file.data
        max_bytes = int(current_app.config["CLIENT_DOCUMENT_MAX_BYTES"])
        services.upload_document(request, sent.stream, sent.filename, max_bytes)
        return _("Thank you: %(name)s was received. Your consultant will review it.", name=request.title)

    done = url_for("client_status.page", token=token, lang=query_language() or link.language)

    def page(status: int, *, error: str | None = None, conflict: str | None = None) -> Response:
        return _page(link, status, (request_id, form), conflict or error)

    return run_action(form, action, done=done, page=page)

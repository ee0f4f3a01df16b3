"""The engagement's client page (/app/engagements/<id>/client): send, renew or revoke the status
link, list the documents the client must provide, download and review what the client sent.

Staff only. Each action: load or 404 -> staff -> `run_action` (validate, one service call,
commit once, flash, redirect); a refused action shows the page again with the input kept.
"""

from __future__ import annotations

from flask import abort, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.orm import joinedload

from portal.auth.session import staff_required
from portal.client_status import bp, queries, services
from portal.client_status.forms import DocumentRequestForm, ReviewForm, RevokeLinkForm, SendLinkForm
from portal.client_status.presentation import document_views, download_name, link_view
from portal.core.clock import today_in_oman
from portal.core.uploads import open_stored
from portal.domain.file_kinds import BY_EXTENSION
from portal.engagements.queries import engagement_or_404
from portal.models import Engagement
from portal.models.types import utcnow
from portal.web.actions import PageRenderer, run_action
from portal.web.downloads import send_stored

PREFIX = "/app/engagements/<int:id>/client"


def _load(engagement_id: int) -> Engagement:
    return engagement_or_404(engagement_id, joinedload(Engagement.client), joinedload(Engagement.lead))


def _page(
    engagement: Engagement,
    status: int = 200,
    error: str | None = None,
    review: tuple[int, ReviewForm] | None = None,
    **bound: FlaskForm,
) -> ResponseReturnValue:
    """The client page; `bound` forms (and the `review` form of one request) keep what was typed."""
    latest = queries.latest_link(engagement)
    requests = queries.document_requests(engagement)
    reviews = {r.id: ReviewForm(formdata=None, data={"version": r.version}, prefix=f"r{r.id}") for r in requests}
    if review is not None:
        reviews[review[0]] = review[1]
    language = queries.client_language(engagement, latest)
    forms = {
        "link_form": SendLinkForm(formdata=None, data={"language": language}).with_choices(),
        "request_form": DocumentRequestForm(formdata=None),
        **bound,
    }
    return render_template(
        "client_status/manage.html",
        engagement=engagement,
        link=link_view(latest, utcnow()),
        documents=document_views(requests, today_in_oman(), for_client=False),
        review_forms=reviews,
        page_error=error,
        **forms,
    ), status


def _again(engagement: Engagement, **bound: FlaskForm) -> PageRenderer:
    def page(status: int, *, error: str | None = None, conflict: str | None = None) -> ResponseReturnValue:
        return _page(engagement, status, conflict or error, **bound)

    return page


def _here(id: int) -> str:
    return url_for("client_status.manage", id=id)


@bp.get(PREFIX)
@staff_required
def manage(id: int) -> ResponseReturnValue:
    return _page(_load(id))


@bp.post(f"{PREFIX}/link")
@staff_required
def send_link(id: int) -> ResponseReturnValue:
    engagement = _load(id)
    form = SendLinkForm().with_choices()

    def action() -> str:
        link = services.send_status_link(engagement, form.language.data, current_user, utcnow())
        return _("Status link sent to %(email)s.", email=link.recipient)

    return run_action(form, action, done=_here(id), page=_again(engagement, link_form=form))


@bp.post(f"{PREFIX}/link/revoke")
@staff_required
def revoke_link(id: int) -> ResponseReturnValue:
    engagement = _load(id)
    form = RevokeLinkForm()

    def action() -> str:
        services.revoke_status_link(engagement, current_user, utcnow())
        return _("The status link no longer works.")

    return run_action(form, action, done=_here(id), page=_again(engagement))


@bp.post(f"{PREFIX}/documents")
@staff_required
def add_request(id: int) -> ResponseReturnValue:
    engagement = _load(id)
    form = DocumentRequestForm()

    def action() -> str:
        data = services.DocumentRequestInput(form.title.data, form.request_note.data or "", form.due_date.data)
        request = services.add_document_request(engagement, data, current_user, today_in_oman())
        return _("Document requested: %(title)s", title=request.title)

    return run_action(form, action, done=_here(id), page=_again(engagement, request_form=form))


@bp.post(f"{PREFIX}/documents/<int:request_id>/review")
@staff_required
def review(id: int, request_id: int) -> ResponseReturnValue:
    engagement = _load(id)
    request = queries.request_or_404(id, request_id)
    form = ReviewForm(prefix=f"r{request_id}")

    def action() -> str:
        data = services.ReviewInput(form.decision.data, form.comment.data or "", form.version.data)
        services.review_document(request, data, current_user, utcnow())
        return _("Document reviewed: %(title)s", title=request.title)

    def page(status: int, *, error: str | None = None, conflict: str | None = None) -> ResponseReturnValue:
        return _page(engagement, status, conflict or error, review=(request_id, form))

    return run_action(form, action, done=_here(id), page=page)


@bp.get(f"{PREFIX}/documents/<int:request_id>/files/<int:upload_id>")
@staff_required
def download(id: int, request_id: int, upload_id: int) -> ResponseReturnValue:
    """The client's file as an attachment under a name the server made, never shown inline."""
    upload = queries.upload_or_404(id, request_id, upload_id)
    content = open_stored(services.STORAGE_PREFIX, upload.stored_name)
    if content is None:
        abort(404)
    name = download_name(upload.request, upload.id, upload.extension)
    return send_stored(content, name, BY_EXTENSION[upload.extension].mimetype)

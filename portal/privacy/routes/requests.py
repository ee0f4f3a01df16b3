"""Requests from the public: the list with each one's deadline, and a request's page (status, notes)."""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.session import admin_required
from portal.extensions import db
from portal.models import PrivacyRequest
from portal.privacy import bp
from portal.privacy.forms import RequestUpdateForm
from portal.privacy.presentation import request_row
from portal.privacy.requests import deadline_days, requests_query, update_request
from portal.web.actions import run_action
from portal.web.listing import parse_int

PER_PAGE = 50


def _request_or_404(request_id: int) -> PrivacyRequest:
    return db.session.get(PrivacyRequest, request_id) or abort(404)


@bp.get("/requests")
@admin_required
def requests():
    page = db.paginate(
        requests_query(), page=parse_int(request.args.get("page", "")) or 1, per_page=PER_PAGE, error_out=False
    )
    return render_template(
        "privacy/requests.html", page=page, rows=[request_row(r) for r in page.items], days=deadline_days()
    )


def _page(privacy_request: PrivacyRequest, form: RequestUpdateForm):
    return lambda status, **messages: (
        render_template(
            "privacy/request.html", row=request_row(privacy_request), form=form, days=deadline_days(), **messages
        ),
        status,
    )


@bp.route("/requests/<int:request_id>", methods=["GET", "POST"])
@admin_required
def request_detail(request_id: int):
    privacy_request = _request_or_404(request_id)
    form = RequestUpdateForm(obj=privacy_request) if request.method == "GET" else RequestUpdateForm()
    if request.method == "GET":
        return _page(privacy_request, form)(200)

    def action() -> str:
        update_request(privacy_request, form.status.data, form.notes.data, current_user)
        return _("Request %(reference)s saved.", reference=privacy_request.reference)

    done = url_for("privacy.request_detail", request_id=request_id)
    return run_action(form, action, done=done, page=_page(privacy_request, form))

"""/app/engagements/transfer?client=<id>: start an engagement as the transfer of a valid
accredited certificate from another certification body (IAF MD 2).

The client page links here. GET shows the form; POST validates it, records the transfer
and its pre-transfer review (one service call, one commit) and opens the new engagement.
"""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.auth.session import staff_required
from portal.core.reference import active_standards
from portal.engagements import bp, services
from portal.engagements.forms import TransferForm, configure_transfer_form
from portal.engagements.services import TransferInput
from portal.extensions import db
from portal.models import CertificationBody, Client, Engagement
from portal.web.actions import run_action


def _client_or_404() -> Client:
    client_id = request.args.get("client", type=int)
    client = db.session.get(Client, client_id) if client_id else None
    if client is None:
        abort(404)
    return client


def _form() -> TransferForm:
    bodies = list(db.session.scalars(select(CertificationBody).order_by(CertificationBody.name)))
    return configure_transfer_form(TransferForm(), active_standards(), bodies)


def _input(form: TransferForm) -> TransferInput:
    """The form's values as the service takes them (0 is "no accepting body chosen yet")."""
    return TransferInput(
        standard_id=form.standard.data,
        issuing_body=form.issuing_body.data,
        certificate_number=form.certificate_number.data,
        expiry_date=form.expiry_date.data,
        next_audit=form.next_audit.data,
        eligible=form.eligible.data,
        review_date=form.review_date.data,
        reviewer=form.reviewer.data,
        review_outcome=form.review_outcome.data,
        review_notes=form.review_notes.data or "",
        certification_body_id=form.certification_body.data or None,
    )


@bp.route("/transfer", methods=["GET", "POST"])
@staff_required
def new_transfer() -> ResponseReturnValue:
    client = _client_or_404()
    form = _form()

    def page(status: int, *, error: str | None = None, conflict: str | None = None) -> ResponseReturnValue:
        return render_template("engagements/transfer.html", client=client, form=form, page_error=error), status

    if request.method == "GET":
        return page(200)
    created: list[Engagement] = []

    def action() -> str:
        created.append(services.start_transfer(client, _input(form), current_user))
        return _("Transfer of %(client)s's certificate recorded.", client=client.name)

    return run_action(form, action, done=lambda: url_for("engagements.detail", id=created[0].id), page=page)

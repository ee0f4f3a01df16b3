"""Reference data admins keep: the MLA scopes each accreditation body signed, and the
standards' editions and transitions."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields import SelectChoice

from portal.admin import bp, services
from portal.admin.forms import MlaSignatureForm, StandardEditionForm
from portal.auth.session import admin_required
from portal.core.mla_text import arrangement_note, scope_label
from portal.core.reference import active_standards
from portal.core.reference_names import standard_label
from portal.extensions import db
from portal.models import AccreditationBody, MlaSignature, Standard
from portal.web.actions import run_action
from portal.web.form_fields import ActionForm


def _mla_page(form: MlaSignatureForm, bodies: list[AccreditationBody]):
    """The recognition page with the admin's input kept; a refused entry answers with its status."""
    return lambda status, **messages: (
        render_template(
            "admin/mla_signatures.html", form=form, bodies=bodies, scope_label=scope_label, note=arrangement_note()
        ),
        status,
    )


@bp.route("/mla-recognition", methods=["GET", "POST"])
@admin_required
def mla_signatures():
    """Which MLA scopes each accreditation body signed: what matching checks recognition against."""
    bodies = services.accreditation_bodies()
    form = MlaSignatureForm()
    form.accreditation_body.choices = [SelectChoice(b.id, f"{b.code} – {b.name}") for b in bodies]
    if request.method == "GET":
        return _mla_page(form, bodies)(200)

    def action() -> str:
        body = next(b for b in bodies if b.id == form.accreditation_body.data)
        data = (form.scope.data, form.recognised_on.data, form.source.data)
        signature = services.record_mla_signature(body, *data, actor=current_user)
        return _("%(body)s: %(scope)s recorded.", body=body.code, scope=scope_label(signature.scope))

    return run_action(form, action, done=url_for("admin.mla_signatures"), page=_mla_page(form, bodies))


@bp.post("/mla-recognition/<int:signature_id>/remove")
@admin_required
def mla_signature_remove(signature_id: int):
    signature = db.session.get(MlaSignature, signature_id) or abort(404)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    body, scope = signature.accreditation_body.code, scope_label(signature.scope)

    def refused(status: int, *, error: str | None = None, conflict: str | None = None):
        flash(conflict or error or "", "danger")
        return redirect(url_for("admin.mla_signatures"))

    def act() -> str:
        services.remove_mla_signature(signature, actor=current_user)
        return _("%(body)s: %(scope)s removed.", body=body, scope=scope)

    return run_action(form, act, done=url_for("admin.mla_signatures"), page=refused)


def _editions_page(form: StandardEditionForm, standards: list[Standard]):
    """The editions page with the admin's input kept; a refused entry answers with its status."""
    return lambda status, **messages: (
        render_template("admin/standard_editions.html", form=form, standards=standards),
        status,
    )


@bp.route("/standard-editions", methods=["GET", "POST"])
@admin_required
def standard_editions():
    """Each standard's editions and transition ends: what the standard pages and reminders read."""
    standards = active_standards()
    form = StandardEditionForm()
    form.standard.choices = [SelectChoice(s.id, standard_label(s.code, s.title)) for s in standards]
    if request.method == "GET":
        return _editions_page(form, standards)(200)

    def action() -> str:
        standard = next(s for s in standards if s.id == form.standard.data)
        data = (form.edition.data, form.published_on.data, form.previous_edition_ends_on.data, form.source.data)
        edition = services.record_standard_edition(standard, *data, actor=current_user)
        return _("%(edition)s recorded.", edition=edition.edition)

    return run_action(form, action, done=url_for("admin.standard_editions"), page=_editions_page(form, standards))

"""Administration (admins only): users, settings and the audit log."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields import SelectChoice

from portal.admin import bp, services
from portal.admin.forms import (
    AuditFilterForm,
    AutoAssignForm,
    MlaSignatureForm,
    StandardEditionForm,
    UserCreateForm,
    UserEditForm,
)
from portal.auth import two_factor
from portal.auth.services import invite_user
from portal.auth.session import admin_required
from portal.core.mla_text import arrangement_note, scope_label
from portal.core.reference import active_standards
from portal.extensions import db
from portal.leads.services.assignment import AutoAssignSettings, load_settings, save_settings
from portal.models import AccreditationBody, MlaSignature, Role, Standard, User
from portal.web.actions import run_action
from portal.web.form_fields import ActionForm
from portal.web.listing import known_args, parse_int

USERS_PER_PAGE = 25
AUDIT_PER_PAGE = 50


def get_user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def page_arg() -> int:
    """The page asked for, or 1 (a page number too big for SQL is no page at all)."""
    return parse_int(request.args.get("page", "")) or 1


@bp.get("/users")
@admin_required
def users():
    sort = request.args.get("sort", "name")
    sort = sort if sort in services.USER_SORTS else "name"
    page = db.paginate(services.users_query(sort), page=page_arg(), per_page=USERS_PER_PAGE, error_out=False)
    return render_template("admin/users.html", page=page, sort=sort)


def _user_form_page(form: UserCreateForm | UserEditForm, user: User | None):
    """The account form with the person's input; a refused change answers 200, as it always has."""
    return lambda status, **messages: render_template("admin/user_form.html", form=form, user=user)


@bp.route("/users/new", methods=["GET", "POST"])
@admin_required
def user_new():
    form = UserCreateForm()
    if request.method == "GET":
        return render_template("admin/user_form.html", form=form, user=None)

    def action() -> str:
        user = invite_user(form.email.data, form.name.data, Role(form.role.data), actor=current_user)
        return _("Account created for %(email)s: an invitation to choose a password is on its way.", email=user.email)

    return run_action(form, action, done=url_for("admin.users"), page=_user_form_page(form, None))


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@admin_required
def user_edit(user_id: int):
    user = get_user_or_404(user_id)
    form = UserEditForm(obj=user)
    if request.method == "GET":
        return render_template("admin/user_form.html", form=form, user=user)

    def action() -> str:
        services.update_user(user, form.name.data, Role(form.role.data), actor=current_user)
        return _("Changes to %(email)s saved.", email=user.email)

    def done() -> str:  # an admin who made themselves a consultant may no longer see the list
        return url_for("admin.users") if current_user.is_admin else url_for("workspace.home")

    return run_action(form, action, done=done, page=_user_form_page(form, user))


@bp.post("/users/<int:user_id>/deactivate")
@admin_required
def user_deactivate(user_id: int):
    return user_action(user_id, services.deactivate_user, _("%(email)s can no longer log in."))


@bp.post("/users/<int:user_id>/reactivate")
@admin_required
def user_reactivate(user_id: int):
    return user_action(user_id, services.reactivate_user, _("%(email)s can log in again."))


@bp.post("/users/<int:user_id>/end-sessions")
@admin_required
def user_end_sessions(user_id: int):
    return user_action(user_id, services.end_user_sessions, _("%(email)s is now signed out everywhere."))


@bp.post("/users/<int:user_id>/send-reset")
@admin_required
def user_send_reset(user_id: int):
    return user_action(user_id, services.send_password_reset, _("A password-reset link is on its way to %(email)s."))


@bp.post("/users/<int:user_id>/reset-two-factor")
@admin_required
def user_reset_two_factor(user_id: int):
    """A colleague lost their phone and recovery codes: they set two-factor sign-in up again."""
    message = _("Two-factor sign-in of %(email)s is reset: they set it up again when they next log in.")
    return user_action(user_id, two_factor.reset, message)


@bp.post("/users/<int:user_id>/send-invitation")
@admin_required
def user_send_invitation(user_id: int):
    return user_action(user_id, services.resend_invitation, _("The invitation is on its way to %(email)s again."))


def user_action(user_id: int, action: Callable[..., User], success: str):
    """Shared shape of the POST-only buttons: load, check the token, act, flash, back to the list."""
    user = get_user_or_404(user_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)

    def refused(status: int, *, error: str | None = None, conflict: str | None = None):
        flash(conflict or error or "", "danger")
        return redirect(url_for("admin.users"))

    def act() -> str:
        action(user, actor=current_user)
        return success % {"email": user.email}

    return run_action(form, act, done=url_for("admin.users"), page=refused)


@bp.route("/settings/", methods=["GET", "POST"])
@admin_required
def settings():
    """Lead auto-assignment: on or off, and the most open leads a consultant may hold."""
    current = load_settings()
    form = AutoAssignForm(data={"auto_assign": current.enabled, "max_open": current.max_open})
    if request.method == "GET":
        return render_template("admin/settings.html", form=form)

    def action() -> str:
        save_settings(AutoAssignSettings(enabled=form.auto_assign.data, max_open=form.max_open.data), current_user)
        return _("Settings saved.")

    return run_action(
        form,
        action,
        done=url_for("admin.settings"),
        page=lambda status, **messages: (render_template("admin/settings.html", form=form), status),
    )


@bp.get("/audit")
@admin_required
def audit_log():
    form = AuditFilterForm(request.args)
    form.action.choices = [SelectChoice("", _("All actions"))] + [SelectChoice(a) for a in services.audit_actions()]
    form.validate()
    filters = services.AuditFilters(
        action=form.action.data or "",
        actor=(form.actor.data or "").strip(),
        date_from=form.date_from.data if not form.date_from.errors else None,
        date_to=form.date_to.data if not form.date_to.errors else None,
    )
    per_page = parse_int(request.args.get("per_page", "")) or AUDIT_PER_PAGE
    page = db.paginate(
        services.audit_query(filters),
        page=page_arg(),
        per_page=per_page,
        max_per_page=services.MAX_PER_PAGE,
        error_out=False,
    )
    args = known_args(request.args, [*form.data, "per_page"])
    return render_template(
        "admin/audit_log.html", form=form, page=page, args=args, format_details=services.format_details
    )


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
    form.standard.choices = [SelectChoice(s.id, f"{s.code} – {s.title}") for s in standards]
    if request.method == "GET":
        return _editions_page(form, standards)(200)

    def action() -> str:
        standard = next(s for s in standards if s.id == form.standard.data)
        data = (form.edition.data, form.published_on.data, form.previous_edition_ends_on.data, form.source.data)
        edition = services.record_standard_edition(standard, *data, actor=current_user)
        return _("%(edition)s recorded.", edition=edition.edition)

    return run_action(form, action, done=url_for("admin.standard_editions"), page=_editions_page(form, standards))

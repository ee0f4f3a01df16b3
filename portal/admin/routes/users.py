"""Colleagues' accounts: invitations, roles, deactivation, resets, sessions, second factors."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.admin import bp, services
from portal.admin.forms import UserCreateForm, UserEditForm
from portal.auth import two_factor
from portal.auth.services import invite_user
from portal.auth.session import admin_required
from portal.extensions import db
from portal.models import Role, User
from portal.web.actions import run_action
from portal.web.form_fields import ActionForm
from portal.web.listing import parse_int

USERS_PER_PAGE = 25


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

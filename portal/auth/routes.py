"""Login, logout, password reset and accepting an invitation."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm

from portal.auth import bp, services
from portal.auth.forms import LoginForm, ResetPasswordForm, ResetRequestForm
from portal.auth.tokens import user_for_invitation_token, user_for_reset_token
from portal.core.errors import ServiceError
from portal.extensions import db, limiter
from portal.web.actions import PageRenderer, run_action

login_rate_limit = limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None (no //host, no scheme, no backslash tricks)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
@login_rate_limit
def login():
    """Not through run_action: a failed login is committed too (failure count, lock, audit rows)."""
    if current_user.is_authenticated:
        return redirect(url_for("workspace.home"))
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form, login_error=None)
    try:
        user = services.authenticate(form.email.data, form.password.data)
    except ServiceError as error:
        db.session.commit()
        return render_template("auth/login.html", form=form, login_error=error.message)
    login_user(user, remember=form.remember.data)
    db.session.commit()
    return redirect(safe_next(request.args.get("next")) or url_for("workspace.home"))


@bp.post("/logout")
def logout():
    logout_user()
    flash(_("You have been logged out."), "success")
    return redirect(url_for("auth.login"))


def _form_page(template: str, form: FlaskForm, **context: object) -> PageRenderer:
    """The form again with its messages; 200 as these pages always answered."""

    def render(status: int = 200, *, error: str | None = None, conflict: str | None = None) -> str:
        return render_template(template, form=form, **context)

    return render


def _reset_requested() -> str:
    """Where to go once asked; the answer never says whether the account exists."""
    flash(_("If an account exists for that address, we have sent a link to reset its password."), "info")
    return url_for("auth.login")


@bp.route("/reset", methods=["GET", "POST"])
@login_rate_limit
def reset_request():
    form = ResetRequestForm()
    page = _form_page("auth/reset_request.html", form)
    if request.method == "GET":
        return page()
    return run_action(form, lambda: services.request_password_reset(form.email.data), done=_reset_requested, page=page)


def _change_password(token: str, password: str) -> str:
    services.reset_password(token, password)
    return _("Your password has been changed. You can now log in.")


@bp.route("/reset/<token>", methods=["GET", "POST"])
@login_rate_limit
def reset_with_token(token: str):
    if user_for_reset_token(token) is None:
        return render_template("auth/reset_invalid.html", message=services.invalid_reset_link_message()), 400
    form = ResetPasswordForm()
    page = _form_page("auth/reset_form.html", form)
    if request.method == "GET":
        return page()
    return run_action(
        form,
        lambda: _change_password(token, form.password.data),
        done=url_for("auth.login"),
        page=page,
    )


def _accept_invitation(token: str, password: str) -> str:
    services.accept_invitation(token, password)
    return _("Your password is set. You can now log in.")


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@login_rate_limit
def accept_invitation(token: str):
    """The link of an invitation e-mail: the invited person chooses their first password."""
    if user_for_invitation_token(token) is None:
        return render_template("auth/reset_invalid.html", message=services.invalid_invitation_link_message()), 400
    form = ResetPasswordForm()
    page = _form_page("auth/reset_form.html", form, invitation=True)
    if request.method == "GET":
        return page()
    return run_action(
        form,
        lambda: _accept_invitation(token, form.password.data),
        done=url_for("auth.login"),
        page=page,
    )

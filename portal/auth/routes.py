"""Login, logout and password reset."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from portal.auth import bp, services
from portal.auth.forms import LoginForm, ResetPasswordForm, ResetRequestForm
from portal.auth.tokens import user_for_reset_token
from portal.extensions import db, limiter

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
    if current_user.is_authenticated:
        return redirect(url_for("workspace.home"))
    form = LoginForm()
    login_error = None
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except services.LoginError as error:
            login_error = error.message
        else:
            login_user(user, remember=form.remember.data)
            db.session.commit()
            return redirect(safe_next(request.args.get("next")) or url_for("workspace.home"))
        db.session.commit()  # keep the failure count, lock and audit rows
    return render_template("auth/login.html", form=form, login_error=login_error)


@bp.post("/logout")
def logout():
    logout_user()
    flash(_("You have been logged out."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/reset", methods=["GET", "POST"])
@login_rate_limit
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        flash(_("If an account exists for that address, we have sent a link to reset its password."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@login_rate_limit
def reset_with_token(token: str):
    if user_for_reset_token(token) is None:
        return render_template("auth/reset_invalid.html", message=services.invalid_reset_link_message()), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
        except services.AccountError as error:
            form[error.field or "password"].errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Your password has been changed. You can now log in."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset_form.html", form=form)

"""Login (both steps), logout, password reset and accepting an invitation."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user, logout_user
from flask_login.config import COOKIE_NAME as REMEMBER_COOKIE
from flask_wtf import FlaskForm

from portal.auth import bp, calendar_feeds, pending, services, two_factor
from portal.auth.forms import (
    ChangePasswordForm,
    LanguageForm,
    LoginForm,
    ResetPasswordForm,
    ResetRequestForm,
    SignInCodeForm,
)
from portal.auth.login_sessions import active_sessions, end_current_session, end_other_session
from portal.auth.presentation import calendar_rows, session_rows
from portal.auth.session import sign_in, staff_required
from portal.auth.tokens import user_for_invitation_token, user_for_reset_token
from portal.core.errors import ServiceError
from portal.extensions import db, limiter
from portal.models import User
from portal.web import shown_once
from portal.web.actions import PageRenderer, run_action
from portal.web.form_fields import ActionForm
from portal.web.links import absolute_url

# The calendar link just made, carried to the account page, which shows it once.
NEW_CALENDAR_LINK_KEY = "new_calendar_link"

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
    target = after_password(user, form.remember.data, safe_next(request.args.get("next")))
    db.session.commit()
    return redirect(target)


def after_password(user: User, remember: bool, next_url: str | None) -> str:
    """Where a right password leads: to the code, to a first enrolment (a role that requires
    a second factor), or straight in. Nothing is remembered on the device before the last step."""
    if user.two_factor_enabled or two_factor.needs_enrolment(user):
        pending.begin(user, remember=remember, next_url=next_url, enrol=not user.two_factor_enabled)
        return url_for("auth.login_code" if user.two_factor_enabled else "auth.two_factor")
    sign_in(user, remember=remember)
    return next_url or url_for("workspace.home")


@bp.route("/login/code", methods=["GET", "POST"])
@login_rate_limit
def login_code():
    """The second step. Not through run_action: a wrong code is committed too (failure count, audit rows)."""
    waiting = pending.load()
    if waiting is None or waiting.enrol:
        return restart_sign_in()
    form = SignInCodeForm()
    if not form.validate_on_submit():
        return render_template("auth/login_code.html", form=form)
    try:
        two_factor.verify_sign_in(waiting.user, form.code.data)
    except ServiceError as error:
        return wrong_code(form, error)
    sign_in(waiting.user, remember=waiting.remember)
    db.session.commit()
    return redirect(waiting.next_url or url_for("workspace.home"))


def wrong_code(form: SignInCodeForm, error: ServiceError):
    """The code again with the message, or, after too many wrong codes, back to the password."""
    gave_up = pending.count_wrong_code()
    db.session.commit()
    if gave_up or pending.load() is None:  # too many for this sign-in, or the account is now locked
        flash(_("Too many wrong codes. Log in again with your password."), "danger")
        return redirect(url_for("auth.login"))
    form.code.errors = [error.message]
    return render_template("auth/login_code.html", form=form)


def restart_sign_in():
    """No sign-in is waiting for a code (never begun, expired or given up): start from the password."""
    flash(_("Your sign-in has expired or was not started. Please log in again."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/logout")
def logout():
    """Ends this session on the server too, so a copy of its cookies stops working."""
    if current_user.is_authenticated:
        end_current_session(current_user)
        db.session.commit()
    logout_user()
    pending.clear()
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


@bp.get("/account")
@staff_required
def account():
    """The signed-in user's own account: their language, password, second factor and sessions."""
    return _account_page()()


def _account_page(
    language_form: LanguageForm | None = None, password_form: ChangePasswordForm | None = None
) -> PageRenderer:
    """The account page with the form just sent as filled in (its messages next to the fields)."""

    def render(status: int = 200, *, error: str | None = None, conflict: str | None = None) -> ResponseReturnValue:
        rows = session_rows(active_sessions(current_user), current_user)
        calendars = calendar_rows(current_user, shown_once.take(NEW_CALENDAR_LINK_KEY))
        return render_template(
            "auth/account.html",
            sessions=rows,
            calendars=calendars,
            language_form=language_form or LanguageForm(locale=current_user.locale),
            password_form=password_form or ChangePasswordForm(formdata=None),
        ), status

    return render


def _back_to_account(status: int, *, error: str | None = None, conflict: str | None = None):
    flash(conflict or error or _("The form was incomplete. Reload the page and try again."), "danger")
    return redirect(url_for("auth.account"))


@bp.post("/account/sessions/<int:session_id>/end")
@staff_required
def account_end_session(session_id: int):
    def action() -> str:
        end_other_session(current_user, session_id)
        return _("That session has ended: its browser is signed out.")

    return run_action(ActionForm(), action, done=url_for("auth.account"), page=_back_to_account)


@bp.post("/account/language")
@staff_required
def account_language():
    form = LanguageForm()

    def action() -> str:
        services.set_locale(current_user, form.locale.data)
        refresh()  # the confirmation already reads in the chosen language
        return _("Your language is saved: the workspace and your e-mails are now written in it.")

    return run_action(form, action, done=url_for("auth.account"), page=_account_page(language_form=form))


@bp.post("/account/password")
@staff_required
@login_rate_limit
def account_password():
    """A new password, proven by the current one. Every session ends with the old password, this
    browser's too, so it is signed in again at once (remembered if it was)."""
    form = ChangePasswordForm()
    remembered = current_app.config.get("REMEMBER_COOKIE_NAME", REMEMBER_COOKIE) in request.cookies

    def action() -> str:
        user = current_user._get_current_object()
        services.change_password(user, form.current_password.data, form.password.data)
        sign_in(user, remember=remembered)
        return _("Your password is changed. Any other browser signed in to your account has been signed out.")

    return run_action(form, action, done=url_for("auth.account"), page=_account_page(password_form=form))


@bp.post("/account/calendar/<scope>")
@staff_required
def account_calendar_link(scope: str):
    """Make a calendar link (or a new one, which stops the old one): shown once on the account page."""

    def action() -> str:
        token = calendar_feeds.issue_feed(current_user, scope)
        shown_once.keep(NEW_CALENDAR_LINK_KEY, {"scope": scope, "url": absolute_url("calendars.feed", token=token)})
        return _("Your calendar link is ready. Copy it now: it is shown only once.")

    return run_action(ActionForm(), action, done=url_for("auth.account", _anchor="calendars"), page=_back_to_account)


@bp.post("/account/calendar/<scope>/revoke")
@staff_required
def account_calendar_revoke(scope: str):
    def action() -> str:
        calendar_feeds.revoke_feed(current_user, scope)
        return _("The calendar link no longer works. Calendars subscribed to it stop updating.")

    return run_action(ActionForm(), action, done=url_for("auth.account", _anchor="calendars"), page=_back_to_account)


@bp.post("/account/logout-everywhere")
@staff_required
def account_logout_everywhere():
    def action() -> str:
        services.log_out_everywhere(current_user)
        logout_user()
        return _("You have been logged out everywhere, on this browser too.")

    return run_action(ActionForm(), action, done=url_for("auth.login"), page=_back_to_account)


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

"""The two-factor page: enrolment (also as part of an admin's first sign-in), recovery codes,
turning it off; and the guard that sends a signed-in user who must enrol to that page."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.auth import bp, pending, presentation, two_factor
from portal.auth.forms import DisableTwoFactorForm, EnrolForm
from portal.auth.routes import restart_sign_in
from portal.auth.session import sign_in
from portal.models import User
from portal.web import shown_once
from portal.web.actions import run_action
from portal.web.form_fields import ActionForm

# New recovery codes wait here for the one page that shows them, then are gone.
NEW_CODES_KEY = "two_factor_new_codes"


@bp.before_app_request
def enrol_before_working():
    """A signed-in user whose role requires a second factor and who has none (promoted, reset by an
    admin, or signed in before it was required) sees no workspace page until they enrol."""
    if not (request.path.startswith("/app") and current_user.is_authenticated):
        return None
    if two_factor.needs_enrolment(current_user):
        flash(_("Your role requires two-factor sign-in. Set it up to continue."), "warning")
        return redirect(url_for("auth.two_factor"))
    return None


def enrolling_user() -> User | None:
    """Who this page is for: the signed-in user, or someone half-way through signing in who must enrol."""
    if current_user.is_authenticated:
        return current_user
    waiting = pending.load()
    return waiting.user if waiting is not None and waiting.enrol else None


@bp.route("/two-factor", methods=["GET", "POST"], endpoint="two_factor")
def two_factor_page():
    user = enrolling_user()
    if user is None:
        return restart_sign_in()
    if user.two_factor_enabled:
        return manage_page(user, DisableTwoFactorForm())
    form = EnrolForm()
    page = enrol_page(user, form)
    if request.method == "GET":
        return page(200)
    return run_action(form, lambda: finish_enrolment(user, form), done=url_for("auth.recovery_codes"), page=page)


def enrol_page(user: User, form: EnrolForm):
    """The QR code, the setup key and the code field; a page shown again keeps its key."""

    def render(status: int = 200, *, error: str | None = None, conflict: str | None = None):
        form.setup.data = presentation.fresh_setup_token(user, form.setup.data)
        details = presentation.setup_details(user, form.setup.data)
        signing_in = not current_user.is_authenticated
        return render_template("auth/two_factor_enrol.html", form=form, signing_in=signing_in, **details), status

    return render


def finish_enrolment(user: User, form: EnrolForm) -> str:
    """Turn it on; someone enrolling as part of signing in is now signed in (both factors passed)."""
    codes = two_factor.enable(user, form.setup.data, form.code.data)
    waiting = None if current_user.is_authenticated else pending.load()
    if waiting is not None:
        sign_in(user, remember=waiting.remember)
    shown_once.keep(NEW_CODES_KEY, {"codes": codes, "next": waiting.next_url if waiting else None})
    return _("Two-factor sign-in is on.")


def manage_page(user: User, form: DisableTwoFactorForm, status: int = 200):
    return render_template(
        "auth/two_factor.html",
        form=form,
        action_form=ActionForm(),
        can_disable=not two_factor.required_for(user),
        codes_left=two_factor.unused_recovery_codes(user),
    ), status


@bp.get("/two-factor/recovery-codes")
@login_required
def recovery_codes():
    """New recovery codes, shown this once (the page is no-store; only digests are kept)."""
    new = shown_once.take(NEW_CODES_KEY)
    if not isinstance(new, dict):
        flash(_("Recovery codes are shown only once. Make new ones if you have lost them."), "info")
        return redirect(url_for("auth.two_factor"))
    return render_template("auth/recovery_codes.html", codes=new["codes"], next_url=new.get("next"))


@bp.post("/two-factor/recovery-codes")
@login_required
def regenerate_recovery_codes():
    form = ActionForm()

    def action() -> str:
        shown_once.keep(NEW_CODES_KEY, {"codes": two_factor.regenerate_recovery_codes(current_user), "next": None})
        return _("New recovery codes made: the old ones no longer work.")

    return run_action(
        form,
        action,
        done=url_for("auth.recovery_codes"),
        page=lambda status, **_m: manage_page(current_user, DisableTwoFactorForm(), status),
    )


@bp.post("/two-factor/disable")
@login_required
def disable_two_factor():
    form = DisableTwoFactorForm()

    def action() -> str:
        two_factor.disable(current_user, form.password.data)
        return _("Two-factor sign-in is off.")

    return run_action(
        form, action, done=url_for("auth.two_factor"), page=lambda status, **_m: manage_page(current_user, form, status)
    )

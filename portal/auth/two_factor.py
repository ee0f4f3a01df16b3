"""Two-factor sign-in (TOTP) use cases: enrolment, checking a code, recovery codes, turning it off.

Services add and flush, never commit. The secret shown while enrolling is not stored until
the person proves their app has it (a correct code); until then it travels in a signed
field of the confirmation form, bound to the user and expiring with the page.
"""

from __future__ import annotations

import logging

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature
from sqlalchemy import delete, func, or_, select, update

from portal.auth.services import check_password, register_failure
from portal.core import audit
from portal.core.errors import ServiceError
from portal.core.signing import signer
from portal.domain import totp
from portal.extensions import db
from portal.models import RecoveryCode, User
from portal.models.types import utcnow

logger = logging.getLogger(__name__)

SETUP_SALT = "two-factor-setup"
# How long an enrolment page may stay open before its setup key is refused.
SETUP_MAX_AGE = 30 * 60


def required_for(user: User) -> bool:
    """Whether the user's role must sign in with a second factor (TWO_FACTOR_REQUIRED_ROLES)."""
    return user.role in current_app.config["TWO_FACTOR_REQUIRED_ROLES"]


def needs_enrolment(user: User) -> bool:
    """A role that requires two-factor sign-in, without it set up yet."""
    return required_for(user) and not user.two_factor_enabled


def setup_token(user: User, secret: str) -> str:
    """The candidate secret, signed for this user, for the confirmation form's hidden field."""
    return signer(SETUP_SALT).dumps({"uid": user.id, "secret": secret})


def secret_from_setup_token(user: User, token: str) -> str | None:
    """The candidate secret of a setup form, or None if forged, expired or made for someone else."""
    try:
        data = signer(SETUP_SALT).loads(token or "", max_age=SETUP_MAX_AGE)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("uid") != user.id or not isinstance(data.get("secret"), str):
        return None
    return data["secret"]


def wrong_code_message() -> str:
    return _("That code is not right, or it was already used. Enter the newest code from your app.")


def enable(user: User, token: str, code: str) -> list[str]:
    """Turn two-factor sign-in on once `code` proves the app holds the secret; return new recovery codes."""
    if user.two_factor_enabled:
        raise ServiceError(_("Two-factor sign-in is already on for your account."))
    secret = secret_from_setup_token(user, token)
    if secret is None:
        raise ServiceError(_("This setup page has expired. Reload it and scan the new code."), "code")
    step = totp.matching_step(secret, code, utcnow(), None)
    if step is None:
        raise ServiceError(wrong_code_message(), "code")
    user.totp_secret = secret
    user.totp_enabled_at = utcnow()
    user.totp_last_step = step
    codes = replace_recovery_codes(user)
    audit.record("two_factor.enable", actor=user, subject=user)
    logger.info("user %s turned two-factor sign-in on", user.id)
    return codes


def replace_recovery_codes(user: User) -> list[str]:
    """Ten fresh recovery codes instead of any earlier ones; only their digests are kept."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = totp.new_recovery_codes()
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=totp.recovery_code_hash(code)) for code in codes)
    db.session.flush()
    return codes


def regenerate_recovery_codes(user: User) -> list[str]:
    """New recovery codes (the old ones stop working), e.g. when most are used or the paper is lost."""
    if not user.two_factor_enabled:
        raise ServiceError(_("Turn two-factor sign-in on first."))
    codes = replace_recovery_codes(user)
    audit.record("two_factor.recovery_codes", actor=user, subject=user)
    return codes


def unused_recovery_codes(user: User) -> int:
    """How many recovery codes are left, so the page can say when to make new ones."""
    unused = (RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    return db.session.scalar(select(func.count()).select_from(RecoveryCode).where(*unused)) or 0


def verify_sign_in(user: User, code: str) -> None:
    """Accept a current code or an unused recovery code as the second step, audited either way.

    A wrong code counts towards the account lock like a wrong password (LOGIN_MAX_FAILURES).

    Both are spent by one conditional UPDATE, so two requests racing with the same code
    cannot both succeed.
    """
    if totp.looks_like_recovery_code(code):
        accepted, action = _spend_recovery_code(user, code), "two_factor.recovery_code"
    else:
        accepted, action = _spend_totp_code(user, code), "two_factor.success"
    if not accepted:
        register_failure(user, audit.client_ip(), utcnow(), action="two_factor.failure", reason="code")
        raise ServiceError(wrong_code_message(), "code")
    audit.record(action, actor=user, subject=user)
    db.session.flush()


def _spend_totp_code(user: User, code: str) -> bool:
    step = totp.matching_step(user.totp_secret or "", code, utcnow(), user.totp_last_step)
    if step is None:
        return False
    newer = or_(User.totp_last_step.is_(None), User.totp_last_step < step)
    result = db.session.execute(update(User).where(User.id == user.id, newer).values(totp_last_step=step))
    return result.rowcount == 1


def _spend_recovery_code(user: User, code: str) -> bool:
    unused = (
        RecoveryCode.user_id == user.id,
        RecoveryCode.code_hash == totp.recovery_code_hash(code),
        RecoveryCode.used_at.is_(None),
    )
    result = db.session.execute(update(RecoveryCode).where(*unused).values(used_at=utcnow()))
    return result.rowcount == 1


def disable(user: User, password: str) -> None:
    """Turn the second factor off, for roles that may; the password proves it is really them."""
    if required_for(user):
        raise ServiceError(_("Your role requires two-factor sign-in: it cannot be turned off."))
    if not check_password(user, password):
        raise ServiceError(_("The password is not right."), "password")
    clear(user)
    audit.record("two_factor.disable", actor=user, subject=user)


def reset(user: User, actor: User) -> User:
    """An admin removes a colleague's second factor (a lost phone): they enrol again to use it."""
    if not user.two_factor_enabled:
        raise ServiceError(_("%(email)s has no two-factor sign-in to reset.", email=user.email))
    clear(user)
    audit.record("two_factor.reset", actor=actor, subject=user)
    logger.info("two-factor sign-in of user %s reset by %s", user.id, actor.email)
    return user


def clear(user: User) -> None:
    """Forget the secret, the last step and every recovery code."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.flush()

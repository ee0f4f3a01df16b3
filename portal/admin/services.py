"""Administration use cases: changing accounts (never leaving the portal without an
active admin) and querying the audit log."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from portal.auth import throttle
from portal.auth.login_sessions import end_all_sessions
from portal.auth.services import send_invitation, send_reset_link, user_snapshot
from portal.core import audit
from portal.core.clock import today_in_oman
from portal.core.errors import ServiceError
from portal.domain import mla
from portal.extensions import db
from portal.models import AccreditationBody, AuditLog, MlaSignature, Role, Standard, StandardEdition, User

MAX_PER_PAGE = 100


USER_SORTS = {
    "name": (func.lower(User.name),),
    "email": (User.email,),
    "role": (User.role, func.lower(User.name)),
    "last_login": (User.last_login_at.desc().nulls_last(), func.lower(User.name)),
}


def users_query(sort: str = "name") -> Select[tuple[User]]:
    """All accounts in one of the allowed orders (an unknown key falls back to name)."""
    return select(User).order_by(*USER_SORTS.get(sort, USER_SORTS["name"]), User.id)


def ensure_not_last_admin(user: User, field: str | None = None) -> None:
    """Refuse to remove the last active admin: nobody could manage users any more.

    An invited admin who has not chosen a password yet does not count: they cannot log in.
    On PostgreSQL the active admins' rows are locked, so two admins demoting each
    other at the same moment cannot both succeed.
    """
    if not (user.active and user.is_admin):
        return
    admin_ids = db.session.scalars(
        select(User.id)
        .where(User.role == Role.ADMIN.value, User.active.is_(True), User.invited_at.is_(None))
        .with_for_update()
    ).all()
    if list(admin_ids) == [user.id]:
        raise ServiceError(_("This is the last active admin: make another user an admin first."), field)


def update_user(user: User, name: str, role: Role, actor: User) -> User:
    """Change name and role; audited with the values before and after."""
    before = user_snapshot(user)
    if Role(role) != Role.ADMIN:
        ensure_not_last_admin(user, "role")
    user.name = name.strip()
    user.role = Role(role).value
    record_change("user.update", user, before, actor)
    return user


def deactivate_user(user: User, actor: User) -> User:
    """Stop the account from logging in; its sessions end now (and a reactivation revives none)."""
    before = user_snapshot(user)
    ensure_not_last_admin(user)
    user.active = False
    end_all_sessions(user)
    record_change("user.deactivate", user, before, actor)
    return user


def reactivate_user(user: User, actor: User) -> User:
    before = user_snapshot(user)
    user.active = True
    throttle.forget_all(user)
    record_change("user.reactivate", user, before, actor)
    return user


def end_user_sessions(user: User, actor: User) -> User:
    """Sign the user out of every browser (a lost laptop, a shared password): audited."""
    ended = end_all_sessions(user)
    audit.record("user.sessions_ended", actor=actor, subject=user, details={"sessions": ended})
    db.session.flush()
    return user


def send_password_reset(user: User, actor: User) -> User:
    """E-mail the user a reset link: they choose the new password, the admin never knows it."""
    if not user.active:
        raise ServiceError(_("Reactivate %(email)s before sending a password-reset link.", email=user.email))
    if user.is_invited:
        raise ServiceError(_("%(email)s has no password yet: send the invitation again instead.", email=user.email))
    send_reset_link(user, sent_by=actor)
    audit.record("password.reset_sent", actor=actor, subject=user)
    return user


def resend_invitation(user: User, actor: User) -> User:
    """E-mail an invited colleague a fresh invitation link (the first one expired or went astray)."""
    if not user.active:
        raise ServiceError(_("Reactivate %(email)s before sending the invitation again.", email=user.email))
    if not user.is_invited:
        raise ServiceError(_("%(email)s has already chosen a password.", email=user.email))
    send_invitation(user, sent_by=actor)
    audit.record("user.invitation_sent", actor=actor, subject=user)
    return user


def record_change(action: str, user: User, before: dict[str, object], actor: User) -> None:
    """Audit the fields that changed (nothing is written when nothing changed)."""
    after = user_snapshot(user)
    changed = sorted(audit.changed_values(before, after))
    if changed:
        audit.record(
            action,
            actor=actor,
            subject=user,
            details={"before": {k: before[k] for k in changed}, "after": {k: after[k] for k in changed}},
        )
    db.session.flush()


@dataclass(frozen=True)
class AuditFilters:
    """What the audit-log page was asked to show; dates are days in the portal's time zone."""

    action: str = ""
    actor: str = ""
    date_from: date | None = None
    date_to: date | None = None


def local_midnight_utc(day: date) -> datetime:
    """The start of `day` in Oman time, as an aware datetime (compared in UTC by the database)."""
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]))


def audit_query(filters: AuditFilters) -> Select[tuple[AuditLog]]:
    """Audit rows matching the filters, newest first."""
    query = select(AuditLog).order_by(AuditLog.at.desc(), AuditLog.id.desc())
    if filters.action:
        query = query.where(AuditLog.action == filters.action)
    if filters.actor:
        pattern = "%" + filters.actor.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(func.lower(AuditLog.actor_email).like(pattern, escape="\\"))
    if filters.date_from:
        query = query.where(AuditLog.at >= local_midnight_utc(filters.date_from))
    if filters.date_to:
        query = query.where(AuditLog.at < local_midnight_utc(filters.date_to + timedelta(days=1)))
    return query


def audit_actions() -> list[str]:
    """Every action recorded so far, for the filter's choices."""
    return list(db.session.scalars(select(AuditLog.action).distinct().order_by(AuditLog.action)))


def format_details(details: dict[str, object]) -> str:
    return json.dumps(details, ensure_ascii=False, sort_keys=True) if details else ""


def accreditation_bodies() -> list[AccreditationBody]:
    """Every accreditation body with its signed MLA scopes, signatories first."""
    return list(
        db.session.scalars(
            select(AccreditationBody)
            .options(selectinload(AccreditationBody.mla_signatures))
            .order_by(AccreditationBody.iaf_mla_signatory.desc(), AccreditationBody.code)
        )
    )


def signature_snapshot(signature: MlaSignature) -> dict[str, object]:
    return {
        "accreditation_body": signature.accreditation_body.code,
        "scope": signature.scope,
        "recognised_on": signature.recognised_on.isoformat() if signature.recognised_on else None,
        "source": signature.source,
    }


def record_mla_signature(
    body: AccreditationBody, scope: str, recognised_on: date, source: str, actor: User
) -> MlaSignature:
    """Add the scope to what the body signed, or correct its date and source; audited either way.

    Matching reads these rows, so a recognition an accreditation body gains or loses
    changes which certification bodies are eligible from the next match on.
    """
    if scope not in mla.SCOPES:
        raise ServiceError(_("Choose a scope of the arrangement from the list."), "scope")
    signature = next((s for s in body.mla_signatures if s.scope == scope), None)
    before = signature_snapshot(signature) if signature else None
    if signature is None:
        signature = MlaSignature(scope=scope)
        body.mla_signatures.append(signature)
    signature.recognised_on, signature.source = recognised_on, source.strip()
    after = signature_snapshot(signature)
    db.session.flush()
    if before is None:
        audit.record("mla_signature.add", actor=actor, subject=signature, details=after)
    elif changed := sorted(audit.changed_values(before, after)):
        details = {"before": {k: before[k] for k in changed}, "after": {k: after[k] for k in changed}}
        audit.record("mla_signature.update", actor=actor, subject=signature, details=details)
    db.session.flush()
    return signature


def remove_mla_signature(signature: MlaSignature, actor: User) -> None:
    """The body no longer holds this scope (suspended, withdrawn, entered by mistake): audited."""
    audit.record("mla_signature.remove", actor=actor, subject=signature, details=signature_snapshot(signature))
    db.session.delete(signature)
    db.session.flush()


def edition_snapshot(edition: StandardEdition) -> dict[str, object]:
    return {
        "standard": edition.standard.code,
        "edition": edition.edition,
        "published_on": edition.published_on.isoformat() if edition.published_on else None,
        "previous_edition_ends_on": (
            edition.previous_edition_ends_on.isoformat() if edition.previous_edition_ends_on else None
        ),
        "source": edition.source,
    }


def record_standard_edition(
    standard: Standard,
    label: str,
    published_on: date | None,
    previous_edition_ends_on: date | None,
    source: str,
    actor: User,
) -> StandardEdition:
    """Add an edition of the standard, or correct the one with that label; audited either way.

    The standard pages and the transition reminders read these rows, so a correction
    (a transition IAF extends, a publication day found) applies from the next request on.
    """
    if published_on and previous_edition_ends_on and previous_edition_ends_on < published_on:
        raise ServiceError(
            _("The previous edition's certificates cannot end before this edition is published."),
            "previous_edition_ends_on",
        )
    edition = next((e for e in standard.editions if e.edition == label), None)
    before = edition_snapshot(edition) if edition else None
    if edition is None:
        edition = StandardEdition(edition=label)
        standard.editions.append(edition)
    edition.published_on, edition.previous_edition_ends_on = published_on, previous_edition_ends_on
    edition.source, edition.recorded_on = source.strip(), today_in_oman()
    after = edition_snapshot(edition)
    db.session.flush()
    if before is None:
        audit.record("standard_edition.add", actor=actor, subject=edition, details=after)
    elif changed := sorted(audit.changed_values(before, after)):
        details = {"before": {k: before[k] for k in changed}, "after": {k: after[k] for k in changed}}
        audit.record("standard_edition.update", actor=actor, subject=edition, details=details)
    return edition

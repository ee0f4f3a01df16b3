"""Wrong passwords counted per account and client address, and the pause they cause.

Each failure is one atomic upsert (`failures = failures + 1` in the database), so
parallel wrong attempts are all counted. The pause is per address: a guesser at one
address does not keep the account's owner out at theirs. Only a much higher count
across all addresses (row address "") pauses the account everywhere.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import case, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from portal.domain.login_pause import paused_until
from portal.extensions import db
from portal.models import LoginFailure, User

EVERY_ADDRESS = ""


def _settings() -> tuple[int, int, timedelta, timedelta]:
    config = current_app.config
    return (
        config["LOGIN_MAX_FAILURES"],
        config["LOGIN_ACCOUNT_MAX_FAILURES"],
        timedelta(minutes=config["LOGIN_LOCK_MINUTES"]),
        timedelta(hours=config["LOGIN_FAILURE_MEMORY_HOURS"]),
    )


def pause_end(user: User, address: str, now: datetime) -> datetime | None:
    """When this address may try this account's password again, or None if it may now."""
    per_address, per_account, longest, _memory = _settings()
    rows = db.session.execute(  # columns, not objects: the upsert just changed the rows behind the ORM's back
        select(LoginFailure.address, LoginFailure.failures, LoginFailure.last_failure_at).where(
            LoginFailure.user_id == user.id, LoginFailure.address.in_([address, EVERY_ADDRESS])
        )
    )
    ends = [
        paused_until(failures, last, per_account if row_address == EVERY_ADDRESS else per_address, longest)
        for row_address, failures, last in rows
    ]
    later = [end for end in ends if end is not None and end > now]
    return max(later, default=None)


def count_failure(user: User, address: str, now: datetime) -> tuple[int, datetime | None]:
    """Count a wrong password from `address` (and for the account); return this address's
    count and the pause it starts, if any. Failures older than LOGIN_FAILURE_MEMORY_HOURS
    are forgotten: the count starts again."""
    _per_address, _per_account, _longest, memory = _settings()
    for row_address in (address, EVERY_ADDRESS):
        _increment(user.id, row_address, now, now - memory)
    return _count(user, address), pause_end(user, address, now)


def _increment(user_id: int, address: str, now: datetime, forget_before: datetime) -> None:
    """INSERT ... ON CONFLICT DO UPDATE SET failures = failures + 1: one statement, no lost updates."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    table = LoginFailure.__table__
    statement = dialect.insert(table).values(user_id=user_id, address=address, failures=1, last_failure_at=now)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.user_id, table.c.address],
        set_={
            "failures": case((table.c.last_failure_at < forget_before, 1), else_=table.c.failures + 1),
            "last_failure_at": now,
        },
    )
    db.session.execute(statement)


def _count(user: User, address: str) -> int:
    return (
        db.session.scalar(
            select(LoginFailure.failures).where(LoginFailure.user_id == user.id, LoginFailure.address == address)
        )
        or 0
    )


def forget_address(user: User, address: str) -> None:
    """A successful sign-in from `address` clears that address's count (not the account's)."""
    db.session.execute(delete(LoginFailure).where(LoginFailure.user_id == user.id, LoginFailure.address == address))


def forget_all(user: User) -> None:
    """A new password or a reactivation starts the account with no failures anywhere."""
    db.session.execute(delete(LoginFailure).where(LoginFailure.user_id == user.id))

"""UTCDateTime: naive datetimes are refused, values come back aware and in UTC on every database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.exc import StatementError

from portal.extensions import db
from portal.models import OutboxMessage

MUSCAT = ZoneInfo("Asia/Muscat")


def new_message(**overrides) -> OutboxMessage:
    return OutboxMessage(kind="test", recipient="a@example.om", subject="s", body_text="b", **overrides)


def test_a_naive_datetime_is_refused(app) -> None:
    db.session.add(new_message(next_attempt_at=datetime(2026, 3, 1, 13, 0)))  # naive on purpose

    with pytest.raises(StatementError, match="naive datetime refused"):
        db.session.flush()
    db.session.rollback()


def test_a_muscat_time_comes_back_as_the_same_instant_in_utc(app) -> None:
    db.session.add(new_message(next_attempt_at=datetime(2026, 3, 1, 13, 0, tzinfo=MUSCAT)))
    db.session.commit()
    db.session.expire_all()

    stored = db.session.scalar(select(OutboxMessage.next_attempt_at))

    assert stored == datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    assert stored.utcoffset() == timedelta(0)


def test_the_default_timestamp_is_aware_utc(app) -> None:
    before = datetime.now(UTC)
    db.session.add(new_message())
    db.session.commit()
    db.session.expire_all()

    created = db.session.scalar(select(OutboxMessage.created_at))

    assert created.utcoffset() == timedelta(0)
    assert before <= created <= datetime.now(UTC)

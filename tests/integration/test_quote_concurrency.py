"""Two consultants accepting different quotes for one engagement at the same moment: exactly one wins."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal.core.clock import today_in_oman
from portal.core.errors import ServiceError
from portal.extensions import db
from portal.models import Engagement, Quote, Role
from portal.quotes import services
from tests.fixtures.quotes import body_taking_quotes, engagement_for_quotes, received_quote


def accepted_count(engagement_id: int) -> int:
    return db.session.scalar(
        select(func.count(Quote.id)).where(Quote.engagement_id == engagement_id, Quote.status == "accepted")
    )


@pytest.mark.postgres
@pytest.mark.clean_tables  # threads or a second connection must see committed rows
def test_simultaneous_acceptances_end_with_exactly_one_accepted_quote(app, reference, make_user):
    first_user, second_user = make_user(Role.CONSULTANT), make_user(Role.CONSULTANT)
    engagement = engagement_for_quotes(first_user)
    quotes = [received_quote(engagement, body_taking_quotes(name)) for name in ("Gulf Assurance", "Oman Quality Cert")]
    ids = [(user.id, quote.id) for user, quote in zip((first_user, second_user), quotes, strict=True)]
    engagement_id = engagement.id
    start = threading.Barrier(2)
    outcomes: dict[int, str] = {}

    def accept(user_id: int, quote_id: int) -> None:
        with app.test_request_context():
            engagement = db.session.get(Engagement, engagement_id)
            actor = db.session.get(type(first_user), user_id)
            shown = db.session.get(Quote, quote_id).fingerprint
            start.wait()
            try:
                services.accept_quote(engagement, quote_id, actor, today_in_oman(), shown)
                db.session.commit()
                outcomes[quote_id] = "accepted"
            except ServiceError as error:
                db.session.rollback()
                outcomes[quote_id] = error.message
            finally:
                db.session.remove()

    threads = [threading.Thread(target=accept, args=pair) for pair in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes.values(), key=len)[0] == "accepted"
    assert list(outcomes.values()).count("accepted") == 1
    loser = next(message for message in outcomes.values() if message != "accepted")
    assert "already accepted" in loser or "at the same moment" in loser
    db.session.expire_all()
    assert accepted_count(engagement_id) == 1
    winner = next(qid for qid, outcome in outcomes.items() if outcome == "accepted")
    assert (
        db.session.get(Engagement, engagement_id).certification_body_id
        == db.session.get(Quote, winner).certification_body_id
    )
    assert {q.status for q in db.session.scalars(select(Quote))} == {"accepted", "declined"}


def test_the_database_refuses_a_second_accepted_quote(app, reference):
    engagement = engagement_for_quotes()
    received_quote(engagement, body_taking_quotes("Gulf Assurance"), status="accepted")
    second = received_quote(engagement, body_taking_quotes("Oman Quality Cert"))
    second.status = "accepted"
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert accepted_count(engagement.id) == 1


@pytest.mark.parametrize("winner_index", [0, 1])
def test_without_the_row_lock_the_database_still_turns_the_race_into_a_clear_refusal(
    app, reference, make_user, monkeypatch, winner_index
):
    """The last guards, should the lock ever be missing: another consultant's acceptance lands between
    this one's read and its write; the quote versions or the unique index refuse the write."""
    user = make_user(Role.CONSULTANT)
    engagement = engagement_for_quotes(user)
    quotes = [received_quote(engagement, body_taking_quotes(name)) for name in ("Gulf Assurance", "Oman Quality Cert")]
    winner, ours = quotes[winner_index], quotes[1 - winner_index]
    real_flush = db.session.flush

    def other_acceptance_lands_first(*args, **kwargs):
        monkeypatch.setattr(db.session, "flush", real_flush)
        with db.session.no_autoflush:
            db.session.execute(
                Quote.__table__.update()
                .where(Quote.id == winner.id)
                .values(status="accepted", version=Quote.__table__.c.version + 1)
            )
        return real_flush(*args, **kwargs)

    monkeypatch.setattr(db.session, "flush", other_acceptance_lands_first)
    with app.test_request_context(), pytest.raises(ServiceError, match="at the same moment"):
        services.accept_quote(engagement, ours.id, user, today_in_oman(), ours.fingerprint)
    db.session.rollback()
    assert accepted_count(engagement.id) == 0  # nothing of the refused acceptance survives

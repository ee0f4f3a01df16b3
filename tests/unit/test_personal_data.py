"""The pure rules of personal data: who a request is about, what an erased timeline keeps, when data is due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain.normalise import PhoneNumberError
from portal.domain.personal_data import (
    Identifiers,
    RetentionPeriods,
    identifier_digest,
    identifiers_from,
    mentions,
    months_after,
    scrubbed_details,
)


def test_identifiers_are_normalised_like_the_leads():
    found = identifiers_from("  Aisha.Rahbi@AlNoor.example.OM ", "9234 5678")

    assert found == Identifiers(emails=("aisha.rahbi@alnoor.example.om",), phones=("+96892345678",))
    assert found.search_terms() == ("aisha.rahbi@alnoor.example.om", "+96892345678", "92345678")


def test_no_identifier_and_a_bad_phone():
    assert not identifiers_from("", "  ")
    with pytest.raises(PhoneNumberError):
        identifiers_from("", "12")


def test_mentions_is_case_insensitive_and_ignores_empty_text():
    assert mentions("Write to AISHA@example.om today", ("aisha@example.om",))
    assert not mentions("Write to aysha@example.om", ("aisha@example.om",))
    assert not mentions(None, ("aisha@example.om",))


def test_an_erased_timeline_entry_keeps_what_happened_not_to_whom():
    details = {"old": "new", "new": "contacted", "subject": "Hello Aisha", "name": "Aisha_CV.pdf", "size": 12}

    assert scrubbed_details(details) == {"old": "new", "new": "contacted", "size": 12}
    assert scrubbed_details(None) == {}


def test_the_audit_digest_is_stable_keyed_and_holds_no_address():
    person = Identifiers(emails=("aisha@example.om",), phones=("+96892345678",))

    digest = identifier_digest(person, "key one")

    assert digest == identifier_digest(Identifiers(emails=person.emails, phones=person.phones), "key one")
    assert digest != identifier_digest(person, "key two")
    assert "aisha" not in digest and len(digest) == 32


def test_months_after_keeps_the_day_or_takes_the_months_last():
    assert months_after(datetime(2026, 1, 31, 8, tzinfo=UTC), 1) == datetime(2026, 2, 28, 8, tzinfo=UTC)
    assert months_after(datetime(2024, 2, 29, tzinfo=UTC), 12) == datetime(2025, 2, 28, tzinfo=UTC)
    assert months_after(datetime(2026, 3, 15, tzinfo=UTC), -72) == datetime(2020, 3, 15, tzinfo=UTC)


moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1)).map(
    lambda moment: moment.replace(tzinfo=UTC)
)


@given(
    last_change=moments, now=moments, days=st.integers(1, 3650), months=st.integers(1, 240), years=st.integers(1, 30)
)
def test_a_record_is_past_its_cutoff_exactly_when_its_due_date_has_come(last_change, now, days, months, years):
    """The purge (cutoff) and the status report (due date) never disagree about a record."""
    periods = RetentionPeriods(days, months, years)

    assert (last_change < periods.spam_cutoff(now)) == (periods.spam_due(last_change) < now)
    if last_change.day <= 28 and now.day <= 28:  # month ends shorten both ways differently
        assert (last_change < periods.unqualified_cutoff(now)) == (periods.unqualified_due(last_change) < now)
        assert (last_change < periods.closed_engagement_cutoff(now)) == (
            periods.closed_engagement_due(last_change) < now
        )


def test_the_defaults_are_thirty_days_twelve_months_six_years():
    now = datetime(2026, 12, 6, tzinfo=UTC)

    assert RetentionPeriods().spam_cutoff(now) == now - timedelta(days=30)
    assert RetentionPeriods().unqualified_cutoff(now) == datetime(2025, 12, 6, tzinfo=UTC)
    assert RetentionPeriods().closed_engagement_cutoff(now) == datetime(2020, 12, 6, tzinfo=UTC)

"""Duplicate rules: shared e-mail, phone or company within 180 days, both ways, with reasons."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from portal.domain.duplicates import DUPLICATE_WINDOW, ContactKey, MatchReason, match_reasons

T0 = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


def key(email: str = "a@x.om", phone: str = "+96892000001", company: str = "al noor", days: float = 0) -> ContactKey:
    return ContactKey(email=email, phone=phone, company=company, created_at=T0 + timedelta(days=days))


def test_each_shared_value_is_a_reason() -> None:
    base = key()
    assert match_reasons(base, key(phone="+96892000002", company="other")) == (MatchReason.EMAIL,)
    assert match_reasons(base, key(email="b@x.om", company="other")) == (MatchReason.PHONE,)
    assert match_reasons(base, key(email="b@x.om", phone="+96892000002")) == (MatchReason.COMPANY,)
    assert match_reasons(base, key(days=3)) == (MatchReason.EMAIL, MatchReason.PHONE, MatchReason.COMPANY)


def test_nothing_shared_is_no_duplicate() -> None:
    assert match_reasons(key(), key(email="b@x.om", phone="+96892000002", company="other")) == ()


def test_empty_values_never_match() -> None:
    assert match_reasons(key(phone="", company=""), key(email="b@x.om", phone="", company="")) == ()


def test_the_window_is_180_days_inclusive() -> None:
    assert match_reasons(key(), key(days=180)) == match_reasons(key(), key())
    assert match_reasons(key(), key(days=180.01)) == ()
    assert match_reasons(key(), key(days=-181)) == ()
    assert timedelta(days=180) == DUPLICATE_WINDOW


values = st.sampled_from(["", "a", "b"])


@given(values, values, values, values, values, values, st.integers(min_value=-400, max_value=400))
def test_matching_is_symmetric(e1, p1, c1, e2, p2, c2, days) -> None:
    a = ContactKey(e1, p1, c1, T0)
    b = ContactKey(e2, p2, c2, T0 + timedelta(days=days))
    assert match_reasons(a, b) == match_reasons(b, a)

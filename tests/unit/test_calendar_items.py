"""Which dates of an engagement a calendar shows (portal.domain.calendar)."""

from __future__ import annotations

from datetime import date

from portal.domain.calendar import EngagementDates, engagement_items, quote_deadline


def dates(**overrides) -> EngagementDates:
    values = dict(
        id=7,
        stage="certified",
        certificate_state="active",
        stage1_audit_on=None,
        stage2_audit_on=None,
        surveillance_1_due=date(2027, 3, 1),
        surveillance_2_due=date(2028, 3, 1),
        recertification_due=date(2028, 11, 30),
        expiry_date=date(2029, 2, 28),
    )
    return EngagementDates(**(values | overrides))


def test_a_certified_engagement_has_its_three_audits_and_its_expiry_with_stable_uids() -> None:
    items = engagement_items(dates())
    assert [(item.uid_stem, item.on) for item in items] == [
        ("audit-7-surveillance_1", date(2027, 3, 1)),
        ("audit-7-surveillance_2", date(2028, 3, 1)),
        ("audit-7-recertification", date(2028, 11, 30)),
        ("expiry-7", date(2029, 2, 28)),
    ]


def test_a_moved_date_keeps_the_uid() -> None:
    before = engagement_items(dates())[0]
    after = engagement_items(dates(surveillance_1_due=date(2027, 4, 15)))[0]
    assert before.uid_stem == after.uid_stem and before.on != after.on


def test_a_closed_engagement_or_a_withdrawn_certificate_has_no_dates_left() -> None:
    assert engagement_items(dates(stage="closed")) == []
    assert engagement_items(dates(certificate_state="withdrawn")) == []


def test_an_engagement_not_yet_certified_has_no_scheduled_dates() -> None:
    none = dict(surveillance_1_due=None, surveillance_2_due=None, recertification_due=None, expiry_date=None)
    assert engagement_items(dates(stage="implementation", **none)) == []


def test_only_an_open_quote_with_a_validity_has_a_deadline() -> None:
    assert quote_deadline(3, date(2027, 1, 10), is_open=True).uid_stem == "quote-3"
    assert quote_deadline(3, date(2027, 1, 10), is_open=False) is None
    assert quote_deadline(3, None, is_open=True) is None


def test_agreed_stage_1_and_2_audits_come_first_and_a_missing_one_is_left_out() -> None:
    none = dict(surveillance_1_due=None, surveillance_2_due=None, recertification_due=None, expiry_date=None)
    items = engagement_items(dates(stage="stage1_audit", stage1_audit_on=date(2026, 12, 20), **none))
    assert [(item.uid_stem, item.on) for item in items] == [("audit-7-stage1", date(2026, 12, 20))]
    both = engagement_items(dates(stage1_audit_on=date(2026, 1, 5), stage2_audit_on=date(2026, 2, 9)))
    assert [item.uid_stem for item in both][:2] == ["audit-7-stage1", "audit-7-stage2"]

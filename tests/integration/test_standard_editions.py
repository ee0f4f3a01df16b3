"""Standard editions: seeded with their sources, corrected by an admin (audited), shown on
the public standard pages with any transition in plain words."""

from __future__ import annotations

from datetime import date, timedelta

from babel.dates import format_date
from sqlalchemy import select

from portal.core.clock import today_in_oman
from portal.core.reference_data import load_reference_data
from portal.extensions import db
from portal.models import AuditLog, Role, Standard, StandardEdition
from tests.fixtures.auth import csrf_token_from

PAGE = "/app/admin/standard-editions"


def standard(slug: str) -> Standard:
    return db.session.scalar(select(Standard).where(Standard.slug == slug))


def edition(label: str) -> StandardEdition:
    return db.session.scalar(select(StandardEdition).where(StandardEdition.edition == label))


def in_words(day: date) -> str:
    """A date as the English pages write it (Babel's long format)."""
    return format_date(day, "long", locale="en")


def post(client, **data):
    token = csrf_token_from(client.get(PAGE).get_data(as_text=True))
    return client.post(PAGE, data={"csrf_token": token, **data})


def audit_rows(action: str) -> list[AuditLog]:
    return list(db.session.scalars(select(AuditLog).where(AuditLog.action == action)))


def test_seed_records_the_iaf_transition_with_its_source_and_keeps_admin_corrections(reference):
    row = edition("ISO/IEC 27001:2022")
    assert (row.published_on, row.previous_edition_ends_on) == (date(2022, 10, 25), date(2025, 10, 31))
    assert "IAF MD 26" in row.source
    assert edition("ISO 14001:2026").published_on == date(2026, 4, 15)
    assert edition("ISO 37001:2025") is not None

    row.previous_edition_ends_on = date(2025, 12, 31)
    load_reference_data()
    db.session.expire_all()
    assert edition("ISO/IEC 27001:2022").previous_edition_ends_on == date(2025, 12, 31)
    assert len(db.session.scalars(select(StandardEdition).where(StandardEdition.edition == "ISO 9001:2015")).all()) == 1


def test_admin_adds_then_corrects_an_edition_each_change_audited(client, login_as, reference):
    admin = login_as(Role.ADMIN)
    iso_9001 = standard("iso-9001")
    source = "https://www.iso.org/standard/88464.html"
    response = post(client, standard=iso_9001.id, edition="ISO 9001:2026", published_on="2026-09-30", source=source)
    assert response.status_code == 302
    (added,) = audit_rows("standard_edition.add")
    assert (added.actor_id, added.details["edition"], added.details["source"]) == (admin.id, "ISO 9001:2026", source)

    post(
        client,
        standard=iso_9001.id,
        edition="ISO 9001:2026",
        published_on="2026-09-30",
        previous_edition_ends_on="2029-09-30",
        source=source,
    )
    db.session.expire_all()
    assert edition("ISO 9001:2026").previous_edition_ends_on == date(2029, 9, 30)
    (updated,) = audit_rows("standard_edition.update")
    assert updated.details == {
        "before": {"previous_edition_ends_on": None},
        "after": {"previous_edition_ends_on": "2029-09-30"},
    }
    assert "ISO 9001:2026" in client.get(PAGE).get_data(as_text=True)


def test_a_transition_ending_before_publication_is_refused_next_to_the_field_with_the_input_kept(
    client, login_as, reference
):
    login_as(Role.ADMIN)
    response = post(
        client,
        standard=standard("iso-9001").id,
        edition="ISO 9001:2026",
        published_on="2026-09-30",
        previous_edition_ends_on="2026-01-01",
        source="https://www.iso.org/",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "cannot end before this edition is published" in html
    assert 'value="ISO 9001:2026"' in html
    assert edition("ISO 9001:2026") is None


def test_a_missing_source_is_refused_and_nothing_is_recorded(client, login_as, reference):
    login_as(Role.ADMIN)
    response = post(client, standard=standard("iso-9001").id, edition="ISO 9001:2026", source="")
    assert response.status_code == 400
    assert edition("ISO 9001:2026") is None


def test_the_admin_settings_page_links_to_the_editions(client, login_as):
    login_as(Role.ADMIN)
    assert PAGE in client.get("/app/admin/settings/").get_data(as_text=True)


def test_a_standard_page_shows_the_current_edition_and_a_running_transition_in_words(client, reference):
    today = today_in_oman()
    current = edition("ISO/IEC 27001:2022")
    current.previous_edition_ends_on = today + timedelta(days=40)
    iso_27001 = standard("iso-27001")
    iso_27001.editions.append(
        StandardEdition(edition="ISO/IEC 27001:2013", published_on=date(2013, 10, 1), source="test", recorded_on=today)
    )
    db.session.flush()
    html = client.get("/standards/iso-27001").get_data(as_text=True)
    assert f"ISO/IEC 27001:2022, published {in_words(date(2022, 10, 25))}" in html
    ends = in_words(current.previous_edition_ends_on)
    assert f"Certificates to ISO/IEC 27001:2013 stay valid until {ends}" in html


def test_a_recently_ended_transition_is_said_and_an_old_one_is_not(client, reference):
    row = edition("ISO/IEC 27001:2022")
    row.previous_edition_ends_on = today_in_oman() - timedelta(days=30)
    db.session.flush()
    assert "ended on" in client.get("/standards/iso-27001").get_data(as_text=True)

    row.previous_edition_ends_on = today_in_oman() - timedelta(days=400)
    db.session.flush()
    html = client.get("/standards/iso-27001").get_data(as_text=True)
    assert "ISO/IEC 27001:2022" in html
    assert 'data-testid="transition"' not in html


def test_a_newer_edition_becomes_current_once_published(client, reference):
    assert f"ISO 14001:2026, published {in_words(date(2026, 4, 15))}" in client.get("/standards/iso-14001").get_data(
        as_text=True
    )

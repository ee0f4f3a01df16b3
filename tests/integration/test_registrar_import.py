"""CSV import through the page: dry run, confirm, idempotent re-import, round trip, and every bad file."""

from __future__ import annotations

import io
import re
import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.demo.registrars import load_demo_registrars
from portal.extensions import db
from portal.models import Accreditation, AuditLog, CertificationBody, Role, StoredFile
from tests.fixtures.auth import csrf_token_from, press
from tests.fixtures.matching import engagement_from_enquiry
from tests.fixtures.registrars import add_body, csv_bytes, read_csv, row

pytestmark = pytest.mark.usefixtures("reference")
IMPORT = "/app/registrars/import"


def staged_keys() -> list[str]:
    """Uploads waiting for confirmation, in shared storage."""
    return list(db.session.scalars(select(StoredFile.key).where(StoredFile.key.startswith("imports/"))))


def upload(client, data: bytes, filename: str = "directory.csv"):
    token = csrf_token_from(client.get(IMPORT).get_data(as_text=True))
    return client.post(
        IMPORT,
        data={"csrf_token": token, "file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def confirm(client, dry_run_html: str):
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', dry_run_html) or re.search(
        r'id="token" name="token" type="hidden" value="([^"]+)"', dry_run_html
    )
    assert token, "no confirm form on the dry-run page"
    return client.post(
        "/app/registrars/import/confirm", data={"csrf_token": csrf_token_from(dry_run_html), "token": token.group(1)}
    )


def bodies() -> int:
    return db.session.scalar(select(func.count()).select_from(CertificationBody))


def actions(html: str) -> list[str]:
    return re.findall(r'<tr data-action="(\w+)">', html)


def two_bodies() -> bytes:
    return csv_bytes(
        [
            row(),
            row(accreditation_number="GAC-EMS-1", standard="ISO 14001", sectors="28"),
            row(
                body_slug="dune-cert",
                body_name="Dune Cert",
                regions="all",
                accreditation_number="UKAS-1",
                accreditation_body="UKAS",
                standard="ISO 22000",
                sectors="",
            ),
        ]
    )


def test_dry_run_writes_nothing_then_confirm_applies_everything(client, login_as):
    admin = login_as(Role.ADMIN)
    response = upload(client, two_bodies())
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert actions(html) == ["create", "create", "create"]
    assert "3 rows: 3 to create, 0 to update, 0 unchanged, 0 rejected." in html
    assert bodies() == 0

    applied = confirm(client, html)
    assert applied.status_code == 302
    assert bodies() == 2
    dune = db.session.scalar(select(CertificationBody).where(CertificationBody.slug == "dune-cert"))
    assert dune.serves_all_oman and dune.regions == []
    assert db.session.scalar(select(func.count()).select_from(Accreditation)) == 3
    entries = db.session.scalars(select(AuditLog).where(AuditLog.action == "registrars.body_imported")).all()
    assert {e.subject_id for e in entries} == {b.id for b in db.session.scalars(select(CertificationBody))}
    assert all(e.actor_id == admin.id for e in entries)
    listing = client.get(applied.headers["Location"]).get_data(as_text=True)
    assert "Oman Cert LLC" in listing and "Dune Cert" in listing


def test_an_imported_body_is_matched_at_once(client, login_as):
    """The match page keeps the directory per content version: an import (bulk statements, the
    regions and sectors written straight into their tables) shows on the next page."""
    login_as(Role.ADMIN)
    seeb, sohar = (engagement_from_enquiry(region=region) for region in ("seeb", "sohar"))
    travel = "Outside the regions it serves: travel charged (OMR 60.000 a visit)."
    assert "Oman Cert LLC" not in client.get(f"/app/engagements/{seeb.id}/match").get_data(as_text=True)

    assert confirm(client, upload(client, csv_bytes([row()])).get_data(as_text=True)).status_code == 302
    served = client.get(f"/app/engagements/{seeb.id}/match").get_data(as_text=True)
    assert ". Oman Cert LLC</h3>" in served and travel not in served  # Seeb is in Muscat Governorate
    assert travel in client.get(f"/app/engagements/{sohar.id}/match").get_data(as_text=True)


def test_confirming_twice_applies_once(client, login_as):
    login_as(Role.ADMIN)
    html = upload(client, two_bodies()).get_data(as_text=True)
    confirm(client, html)
    again = confirm(client, html)
    assert again.status_code == 302
    assert "expired or was already applied" in client.get(again.headers["Location"]).get_data(as_text=True)
    assert bodies() == 2


def test_reimporting_the_same_file_changes_nothing(client, login_as):
    login_as(Role.ADMIN)
    confirm(client, upload(client, two_bodies()).get_data(as_text=True))
    versions = dict(db.session.execute(select(CertificationBody.slug, CertificationBody.version)).all())
    html = upload(client, two_bodies()).get_data(as_text=True)
    assert actions(html) == ["unchanged", "unchanged", "unchanged"]
    audit_rows = db.session.scalar(select(func.count()).select_from(AuditLog))
    confirm(client, html)
    db.session.expire_all()
    assert dict(db.session.execute(select(CertificationBody.slug, CertificationBody.version)).all()) == versions
    # Only the summary of the import itself is added to the audit log.
    assert db.session.scalar(select(func.count()).select_from(AuditLog)) == audit_rows + 1


def test_a_changed_row_is_an_update_with_before_and_after(client, login_as):
    login_as(Role.ADMIN)
    add_body(slug="oman-cert", name="Oman Cert LLC", accreditations=({"number": "GAC-QMS-1"},))
    html = upload(client, csv_bytes([row(day_rate_omr="400.000", valid_until="2030-06-30")])).get_data(as_text=True)
    assert actions(html) == ["update"]
    assert "day_rate" in html and "valid_until" in html
    confirm(client, html)
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "registrars.body_updated_by_import"))
    assert entry.details["changes"]["day_rate"] == ["300.000", "400.000"]
    assert entry.details["accreditations"][0]["changes"]["valid_until"][1] == "2030-06-30"


def test_export_then_import_round_trips_without_changes(client, login_as):
    login_as(Role.ADMIN)
    load_demo_registrars()
    add_body(name="=cmd|' /C calc'!A0", slug="formula-body", phone="+96899123456", notes="-minus first\nsecond line")
    db.session.commit()
    exported = press(client, "/app/registrars/export.csv", page="/app/registrars/")
    assert exported.status_code == 200
    rows = read_csv(exported.data)
    formula = next(r for r in rows if r["body_slug"] == "formula-body")
    assert formula["body_name"].startswith("'=")  # neutralised for spreadsheets
    html = upload(client, exported.data).get_data(as_text=True)
    assert set(actions(html)) == {"unchanged"}
    assert len(actions(html)) == len(rows)


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        ({"standard": "ISO 31000"}, "unknown standard code"),
        ({"sectors": "28|77"}, "unknown sector"),
        ({"sectors": "28|²"}, "unknown sector"),
        ({"lead_time_days": "²"}, "write a whole number of days"),
        ({"lead_time_days": "99999999999999999999"}, "write a whole number of days"),
        ({"valid_from": "01/02/2025"}, "bad date"),
        ({"accreditation_body": "XYZ"}, "unknown accreditation body"),
        ({"valid_until": "2024-01-01"}, "The end date must be after the start date."),
        ({"sectors": ""}, "Choose at least one IAF/EA sector"),
        ({"day_rate_omr": "cheap"}, "is not an amount"),
        ({"email": "nope"}, "Enter a valid e-mail address"),
        ({"regions": "atlantis"}, "unknown governorate"),
        ({"status": "expired"}, "write active, suspended or withdrawn"),
    ],
)
def test_rejected_rows_say_why_and_nothing_can_be_applied(client, login_as, bad_row, message):
    login_as(Role.ADMIN)
    data = csv_bytes([row(body_slug="good", accreditation_number="OK-1"), row(**bad_row)])
    response = upload(client, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert actions(html) == ["create", "reject"]
    assert message in html
    assert 'name="token"' not in html
    assert bodies() == 0


def test_duplicate_rows_overlaps_and_conflicting_body_fields_are_rejected(client, login_as):
    login_as(Role.ADMIN)
    data = csv_bytes(
        [
            row(),
            row(),  # same body and number
            row(accreditation_number="GAC-QMS-2", valid_from="2029-01-01", valid_until="2031-01-01"),  # overlaps row 2
            row(body_name="Another Name", accreditation_number="GAC-QMS-3", standard="ISO 45001"),
        ]
    )
    html = upload(client, data).get_data(as_text=True)
    assert "Duplicate row: same body and accreditation number as row 2." in html
    assert "Overlaps active accreditation" in html
    assert "The body&#39;s fields differ from row 2" in html
    # Rows 2 and 4 overlap each other, so both are rejected: the admin decides which is right.
    assert actions(html) == ["reject", "reject", "reject", "reject"]


def test_overlap_with_a_stored_accreditation_is_rejected(client, login_as):
    login_as(Role.ADMIN)
    add_body(slug="oman-cert", name="Oman Cert LLC", accreditations=({"number": "STORED-1"},))
    html = upload(client, csv_bytes([row(accreditation_number="NEW-1")])).get_data(as_text=True)
    assert actions(html) == ["reject"]
    assert "Overlaps active accreditation STORED-1" in html


def test_bom_semicolons_windows_line_endings_and_arabic_work(client, login_as):
    login_as(Role.ADMIN)
    data = csv_bytes(
        [row(body_name="شركة الجودة للشهادات", body_notes="ملاحظة")], delimiter=";", bom=True, newline="\r\n"
    )
    html = upload(client, data).get_data(as_text=True)
    assert actions(html) == ["create"]
    confirm(client, html)
    body = db.session.scalar(select(CertificationBody).where(CertificationBody.slug == "oman-cert"))
    assert body.name == "شركة الجودة للشهادات"
    assert body.notes == "ملاحظة"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "not a CSV text file"),
        (csv_bytes([row(body_name="Café")]).decode().encode("latin-1"), "not UTF-8 text"),
        (b"", "The file is empty"),
        (b"\n\n", "The file is empty"),
        (csv_bytes([]), "no data rows"),
        (b"name;email\nA;b@example.com\n", "lacks these columns: body_slug"),
    ],
)
def test_bad_files_get_a_clear_message_never_a_500(client, login_as, content, message):
    login_as(Role.ADMIN)
    response = upload(client, content)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert bodies() == 0


def test_a_file_over_the_size_cap_is_refused(client, login_as, app):
    login_as(Role.ADMIN)
    cap = app.config["REGISTRAR_IMPORT_MAX_BYTES"]
    app.config["REGISTRAR_IMPORT_MAX_BYTES"] = 1000
    try:
        response = upload(client, csv_bytes([row(accreditation_number=f"N-{i}") for i in range(20)]))
    finally:
        app.config["REGISTRAR_IMPORT_MAX_BYTES"] = cap
    assert response.status_code == 413
    assert "larger than" in response.get_data(as_text=True)
    assert staged_keys() == []  # nothing kept of it


def test_a_tampered_or_foreign_token_applies_nothing(client, login_as, make_user):
    login_as(Role.ADMIN)
    html = upload(client, two_bodies()).get_data(as_text=True)
    tampered = html.replace('name="token" type="hidden" value="', 'name="token" type="hidden" value="x')
    assert confirm(client, tampered).status_code == 302
    assert bodies() == 0
    # Another admin cannot confirm someone else's dry run.
    client.post("/auth/logout", data={"csrf_token": csrf_token_from(html)})
    login_as(Role.ADMIN, email="other-admin@example.om")
    own_csrf = csrf_token_from(client.get(IMPORT).get_data(as_text=True))
    assert confirm(client, html.replace(csrf_token_from(html), own_csrf)).status_code == 302
    assert bodies() == 0


def test_a_directory_changed_since_the_dry_run_is_checked_again(client, login_as):
    login_as(Role.ADMIN)
    html = upload(client, csv_bytes([row(accreditation_number="NEW-1")])).get_data(as_text=True)
    add_body(slug="oman-cert", name="Oman Cert LLC", accreditations=({"number": "STORED-1"},))
    response = confirm(client, html)
    assert response.status_code == 409
    assert "nothing was imported" in response.get_data(as_text=True)
    assert db.session.scalar(select(Accreditation).where(Accreditation.number == "NEW-1")) is None


def test_the_template_is_a_valid_import_file(client, login_as):
    login_as(Role.ADMIN)
    template = client.get("/app/registrars/import/template.csv")
    assert template.status_code == 200
    html = upload(client, template.data).get_data(as_text=True)
    assert actions(html) == ["create"]


def test_expiry_dates_in_the_list_after_import(client, login_as):
    login_as(Role.ADMIN)
    soon = (date.today() + timedelta(days=20)).isoformat()
    confirm(client, upload(client, csv_bytes([row(valid_until=soon)])).get_data(as_text=True))
    listing = client.get("/app/registrars/?expiring=1").get_data(as_text=True)
    assert 'data-slug="oman-cert"' in listing
    assert soon in listing


@pytest.mark.clean_tables  # two requests in threads, each with its own connection, must see committed rows
def test_a_double_clicked_confirmation_imports_once_and_tells_the_second_click(
    app, client, login_as, monkeypatch: pytest.MonkeyPatch
):
    """Both confirmations arrive before either has taken the file (a barrier holds each
    request just before it looks for the staged file until the other is there too)."""
    from portal.registrars import staging

    login_as(Role.ADMIN)
    html = upload(client, two_bodies()).get_data(as_text=True)
    second_tab = app.test_client()
    second_tab.set_cookie("session", client.get_cookie("session").value, domain="localhost")
    both_there = threading.Barrier(2, timeout=30)
    look_for_file = staging.staged_file

    def wait_then_look(token, actor):
        both_there.wait()
        return look_for_file(token, actor)

    monkeypatch.setattr(staging, "staged_file", wait_then_look)
    responses = {}

    def press_confirm(tab) -> None:
        with app.app_context():
            responses[tab] = confirm(tab, html)

    clicks = [threading.Thread(target=press_confirm, args=(tab,)) for tab in (client, second_tab)]
    for click in clicks:
        click.start()
    for click in clicks:
        click.join()

    where = {response.headers.get("Location"): tab for tab, response in responses.items()}
    assert sorted(where, key=str) == ["/app/registrars/?active=all", "/app/registrars/import"]
    second = where["/app/registrars/import"].get("/app/registrars/import").get_data(as_text=True)
    assert "This dry run has expired or was already applied. Upload the file again." in second
    assert bodies() == 2
    assert db.session.scalar(select(func.count()).select_from(Accreditation)) == 3

"""CSV export of the inbox view: admins only, audited, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from portal.core.csv_tools import neutralise, unneutralise
from portal.extensions import db
from portal.models import AuditLog, Role
from tests.fixtures.auth import press
from tests.fixtures.leads import add_lead

pytestmark = pytest.mark.usefixtures("reference")


def export(client, url: str):
    """Press the inbox's export button for the view `url` names."""
    return press(client, url, page="/app/leads/")


def read_csv(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_consultant_exporting_is_forbidden(client, login_as):
    login_as(Role.CONSULTANT)
    add_lead()
    assert export(client, "/app/leads/export.csv").status_code == 403
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "leads.exported")) is None


def test_anonymous_export_goes_to_login(client):
    response = press(client, "/app/leads/export.csv", page="/auth/login")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_consultants_do_not_see_the_export_link(client, login_as):
    login_as(Role.CONSULTANT)
    assert "export.csv" not in client.get("/app/leads/").get_data(as_text=True)


def test_admin_exports_the_filtered_view_and_it_is_audited(client, login_as):
    admin = login_as(Role.ADMIN)
    wanted = add_lead(standards=("iso-27001", "iso-9001"), company="Muscat Data Centre LLC", region="seeb")
    add_lead(standards=("iso-14001",))
    response = export(client, "/app/leads/export.csv?standard=iso-27001")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0][:3] == ["Reference", "Created (Muscat time)", "Status"]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Reference"] == wanted.reference
    assert row["Company"] == "Muscat Data Centre LLC"
    assert row["Standards"] == "ISO 9001; ISO/IEC 27001"
    assert row["Location"] == "Seeb"
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "leads.exported"))
    assert entry.actor_id == admin.id
    assert entry.details == {"filters": {"standard": "iso-27001"}, "rows": 1}


def test_export_includes_every_page_of_the_view(client, login_as):
    login_as(Role.ADMIN)
    for _ in range(30):
        add_lead()
    rows = read_csv(export(client, "/app/leads/export.csv?per_page=25&page=2"))
    assert len(rows) == 31


def test_export_is_streamed_a_chunk_of_rows_at_a_time(client, login_as, monkeypatch):
    """A 100,000-lead export must not sit in the worker's memory: rows are fetched and sent CHUNK at a time."""
    monkeypatch.setattr("portal.leads.services.export.CHUNK", 2)
    login_as(Role.ADMIN)
    references = sorted(add_lead(company=f"Streamed {n} LLC").reference for n in range(5))
    response = export(client, "/app/leads/export.csv")
    assert response.is_streamed
    pieces = [piece.decode() for piece in response.response if piece]
    assert len(pieces) == 3  # header and two rows, two rows, the last row
    rows = list(csv.reader(io.StringIO("".join(pieces)[1:])))
    assert sorted(row[0] for row in rows[1:]) == references
    assert sorted(row[3] for row in rows[1:]) == [f"Streamed {n} LLC" for n in range(5)]


def test_formula_cells_are_neutralised(client, login_as):
    login_as(Role.ADMIN)
    add_lead(company='=HYPERLINK("http://evil.example","x")', contact_name="@SUM(1+1)", message="-2+3")
    rows = read_csv(export(client, "/app/leads/export.csv"))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Company"].startswith("'=HYPERLINK")
    assert row["Contact"] == "'@SUM(1+1)"
    assert row["Message"] == "'-2+3"
    assert row["Phone"].startswith("'+968")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+968", "'+968"),
        ("-5", "'-5"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\r=1", "'\r=1"),
        ("  =1+1", "'  =1+1"),
        (" @SUM(A1)", "' @SUM(A1)"),
        ("Al Noor", "Al Noor"),
        ("  Al Noor", "  Al Noor"),
        (7, "7"),
        (None, ""),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected
    if value is not None:
        assert unneutralise(expected) == str(value)  # an exported file imports back as it was


def test_the_export_is_a_post_with_its_token(client, login_as):
    """Exporting writes an audit row, so a GET (a link followed, a prefetch) or a forged form exports nothing."""
    login_as(Role.ADMIN)
    add_lead()
    assert client.get("/app/leads/export.csv").status_code == 405
    assert client.post("/app/leads/export.csv").status_code == 400
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "leads.exported")) is None

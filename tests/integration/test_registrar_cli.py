"""`flask registrars import FILE [--dry-run]` and `flask registrars export`."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.demo.registrars import load_demo_registrars
from portal.extensions import db
from portal.models import AuditLog, CertificationBody
from tests.fixtures.registrars import csv_bytes, read_csv, row

pytestmark = pytest.mark.usefixtures("reference")


def bodies() -> int:
    return db.session.scalar(select(func.count()).select_from(CertificationBody))


def test_dry_run_reports_and_changes_nothing(runner, tmp_path):
    path = tmp_path / "directory.csv"
    path.write_bytes(csv_bytes([row(), row(body_slug="other", accreditation_number="X-1")]))
    result = runner.invoke(args=["registrars", "import", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "row 2: create oman-cert GAC-QMS-1" in result.output
    assert "Dry run, nothing changed: 2 create, 0 update, 0 unchanged, 0 reject." in result.output
    assert bodies() == 0


def test_import_applies_and_is_idempotent(runner, tmp_path):
    path = tmp_path / "directory.csv"
    path.write_bytes(csv_bytes([row(), row(body_slug="other", accreditation_number="X-1")]))
    first = runner.invoke(args=["registrars", "import", str(path)])
    assert first.exit_code == 0, first.output
    assert "Imported: 2 create" in first.output
    assert bodies() == 2
    second = runner.invoke(args=["registrars", "import", str(path)])
    assert "Imported: 0 create, 0 update, 2 unchanged, 0 reject." in second.output
    assert db.session.scalar(select(func.count()).where(AuditLog.action == "registrars.body_imported")) == 2


def test_a_rejected_row_fails_the_command_and_imports_nothing(runner, tmp_path):
    path = tmp_path / "directory.csv"
    path.write_bytes(csv_bytes([row(body_slug="fine", accreditation_number="OK-1"), row(standard="ISO 31000")]))
    result = runner.invoke(args=["registrars", "import", str(path)])
    assert result.exit_code == 1
    assert 'unknown standard code "ISO 31000"' in result.output
    assert "Nothing imported: 1 rows rejected" in result.output
    assert bodies() == 0


def test_a_file_that_is_not_csv_is_a_clear_error(runner, tmp_path):
    path = tmp_path / "logo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    result = runner.invoke(args=["registrars", "import", str(path)])
    assert result.exit_code == 1
    assert "not a CSV text file" in result.output


def test_export_writes_the_import_format_and_round_trips(runner, tmp_path):
    load_demo_registrars()
    db.session.commit()
    path = tmp_path / "export.csv"
    result = runner.invoke(args=["registrars", "export", "--output", str(path)])
    assert result.exit_code == 0, result.output
    rows = read_csv(path.read_bytes())
    assert {r["body_slug"] for r in rows} == set(db.session.scalars(select(CertificationBody.slug)))
    again = runner.invoke(args=["registrars", "import", str(path), "--dry-run"])
    assert f"0 create, 0 update, {len(rows)} unchanged, 0 reject." in again.output


def test_demo_directory_is_idempotent_and_clearly_sample_data():
    assert load_demo_registrars() == 12
    db.session.commit()
    assert load_demo_registrars() == 0
    names = list(db.session.scalars(select(CertificationBody.name)))
    assert len(names) == 12 and all("(sample" in name for name in names)

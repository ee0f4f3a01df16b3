"""The migrations build exactly the schema the models describe, on SQLite and on PostgreSQL.

Each test upgrades a brand-new, empty database (a temporary SQLite file, or a
throwaway PostgreSQL database next to TEST_DATABASE_URL), so what is checked is
what `flask db upgrade` does on a real deployment, not what `create_all` does.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import column, create_engine, insert, inspect, select, table, text
from sqlalchemy.engine import make_url

from portal import create_app
from portal.config import normalise_database_url
from portal.extensions import db
from portal.models import Lead, User, WebhookEndpoint
from portal.models.lead import LEAD_SEARCH_TEXT
from portal.models.schema_compare import (
    HAND_WRITTEN_INDEXES,
    include_object,
    quiet_hand_written_index_warnings,
)

SERVER_URL = normalise_database_url(os.environ.get("TEST_DATABASE_URL", ""))
BACKENDS = ["sqlite"] + (["postgresql"] if SERVER_URL.startswith("postgresql") else [])

LEAD_COLUMNS = {  # every column a lead needs, as a raw INSERT before a migration writes them
    "reference": "ENQ-1",
    "contact_name": "C",
    "email": "c@example.om",
    "email_normalised": "c@example.om",
    "phone": "",
    "company": "Co",
    "company_normalised": "co",
    "job_title": "",
    "employees": 5,
    "sites": 1,
    "existing_certifications": "",
    "timeline": "",
    "heard_from": "",
    "message": "",
    "source": "form",
    "utm": "{}",
    "language": "en",
    "status": "contacted",
    "status_reason": "",
    "score": 0,
    "score_factors": "[]",
    "version": 1,
    "created_at": "2026-03-01 08:00:00+00:00",
    "updated_at": "2026-03-01 08:00:00+00:00",
}


@contextmanager
def throwaway_postgres_database() -> Iterator[str]:
    """CREATE DATABASE <test db>_mig_<random> on the test server; DROP it afterwards."""
    server = make_url(SERVER_URL)
    name = f"{server.database}_mig_{secrets.token_hex(4)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield server.set(database=name).render_as_string(hide_password=False)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def empty_app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """An app bound to a new, empty database of the given kind."""
    with ExitStack() as stack:
        if request.param == "postgresql":
            url = stack.enter_context(throwaway_postgres_database())
        else:
            url = "sqlite:///" + str(tmp_path / "migrations.sqlite3")
        app = create_app({"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            yield app
            db.session.remove()
            db.engine.dispose()


def alembic_config(app: Flask) -> Config:
    """Flask-Migrate's config for this app, leaving pytest's logging alone."""
    config = app.extensions["migrate"].migrate.get_config()
    config.attributes["configure_logger"] = False
    return config


def schema_differences() -> list[str]:
    """What `flask db migrate` would write, one short line per operation."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": include_object})
        with quiet_hand_written_index_warnings():
            return [repr(diff)[:160] for diff in compare_metadata(context, db.metadata)]


def current_revision() -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def test_upgrade_to_head_matches_the_models(empty_app):
    config = alembic_config(empty_app)

    command.upgrade(config, "head")

    assert current_revision() == ScriptDirectory.from_config(config).get_current_head()
    assert schema_differences() == []


def test_hand_written_indexes_exist_after_upgrade(empty_app):
    """The indexes Alembic cannot compare are checked by name (PostgreSQL only creates them)."""
    command.upgrade(alembic_config(empty_app), "head")

    names = {index["name"] for index in inspect(db.engine).get_indexes("leads")}
    if db.engine.dialect.name == "postgresql":
        assert names >= HAND_WRITTEN_INDEXES
    else:
        assert not HAND_WRITTEN_INDEXES & names


@pytest.mark.postgres  # only PostgreSQL has the trigram index
@pytest.mark.parametrize("empty_app", ["postgresql"], indirect=True)
def test_the_inbox_search_can_read_the_trigram_index_after_upgrade(empty_app):
    """The migration's index expression must be the query's, reference included: a different
    one is silently ignored and every search (by reference too) scans the whole table."""
    command.upgrade(alembic_config(empty_app), "head")
    query = select(Lead.id).where(LEAD_SEARCH_TEXT.like("%004711%"))
    sql = str(query.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}))
    with db.engine.connect() as connection:
        connection.execute(text("SET enable_seqscan = off"))
        plan = "\n".join(connection.execute(text("EXPLAIN " + sql)).scalars())
    assert "ix_leads_search_trgm" in plan


def test_downgrade_to_base_removes_every_table(empty_app):
    config = alembic_config(empty_app)
    command.upgrade(config, "head")

    command.downgrade(config, "base")

    assert current_revision() is None
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}


def test_there_is_a_single_head():
    script = ScriptDirectory(str(Path(__file__).resolve().parents[2] / "migrations"))

    assert len(script.get_heads()) == 1


def test_mla_scopes_become_signatures_with_the_main_scope_and_without_false_sub_scopes(empty_app):
    """ISO 22301 (BCMS) and ISO 37001 (ABMS) have no MLA sub-scope: the list loses them, gains "MS"."""
    config = alembic_config(empty_app)
    command.upgrade(config, "4828fca14bd2")
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO accreditation_bodies (code, name, country, website, iaf_mla_signatory, mla_scopes, notes)"
                " VALUES ('UKAS', 'UKAS', 'UK', '', :yes, 'QMS,ISMS,BCMS,ABMS', ''),"
                " ('FAKE', 'Look-alike', '-', '', :no, 'QMS', '')"
            ),
            {"yes": True, "no": False},
        )

    command.upgrade(config, "a3c7e5d91f20")

    with db.engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT b.code, s.scope FROM mla_signatures s JOIN accreditation_bodies b ON b.id = s.accreditation_body_id"
            )
        ).all()
    assert sorted(rows) == [("UKAS", "ISMS"), ("UKAS", "MS"), ("UKAS", "QMS")]

    command.downgrade(config, "4828fca14bd2")

    with db.engine.connect() as connection:
        listed = connection.execute(text("SELECT mla_scopes FROM accreditation_bodies WHERE code = 'UKAS'")).scalar()
    assert sorted(listed.split(",")) == ["ISMS", "QMS"]


def test_first_response_is_backfilled_from_the_earliest_call_email_or_status_change_by_a_person(empty_app):
    config = alembic_config(empty_app)
    revision = "e41f7a2b9c63"
    command.upgrade(config, ScriptDirectory.from_config(config).get_revision(revision).down_revision)
    insert_lead = insert(table("leads", column("id"), *(column(name) for name in LEAD_COLUMNS)))
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (id, email, name, password_hash, role, active, created_at)"
                " VALUES (1, 'a@example.om', 'A', 'x', 'consultant', :yes, '2026-01-01 00:00:00+00:00')"
            ),
            {"yes": True},
        )
        connection.execute(insert_lead, {"id": 1, **LEAD_COLUMNS})
        connection.execute(insert_lead, {"id": 2, **LEAD_COLUMNS, "reference": "ENQ-2"})
        for author, kind, at in (
            (None, "status_change", "2026-03-01 08:05:00+00:00"),  # by the system
            (1, "note", "2026-03-01 08:10:00+00:00"),
            (1, "email", "2026-03-01 09:00:00+00:00"),  # the first response
            (1, "call", "2026-03-01 10:00:00+00:00"),
        ):
            connection.execute(
                text(
                    "INSERT INTO activities (lead_id, author_id, kind, body, details, created_at)"
                    " VALUES (1, :author, :kind, '', '{}', :at)"
                ),
                {"author": author, "kind": kind, "at": at},
            )

    command.upgrade(config, revision)

    with db.engine.connect() as connection:
        rows = dict(connection.execute(text("SELECT id, first_response_at FROM leads")).tuples().all())
    assert rows[2] is None
    first = rows[1] if isinstance(rows[1], datetime) else datetime.fromisoformat(rows[1])  # SQLite: text
    assert first.astimezone(UTC) == datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def test_lead_counts_are_backfilled_as_the_rebuild_counts_them(empty_app):
    """The migration's set-based back-fill gives the same kept counts as `flask tallies rebuild`,
    day by day in Muscat (a lead at 23:30 and one at 00:30 Muscat time fall on different days)."""
    from portal.core.reference_data import load_reference_data
    from portal.leads.tallies import rebuild

    config = alembic_config(empty_app)
    revision = "c7a3e9d15b42"
    command.upgrade(config, ScriptDirectory.from_config(config).get_revision(revision).down_revision)
    load_reference_data()
    db.session.commit()
    standard_ids = db.session.scalars(text("SELECT id FROM standards ORDER BY id LIMIT 2")).all()
    insert_lead = insert(table("leads", column("id"), *(column(name) for name in LEAD_COLUMNS)))
    leads = [  # (status, created at in UTC)
        ("new", "2026-03-01 19:30:00+00:00"),  # 23:30 in Muscat, 1 March
        ("new", "2026-03-01 20:30:00+00:00"),  # 00:30 in Muscat, 2 March
        ("spam", "2026-03-01 20:45:00+00:00"),
        ("contacted", "2026-02-10 08:00:00+00:00"),
    ]
    with db.engine.begin() as connection:
        for n, (status, created) in enumerate(leads, start=1):
            row = {**LEAD_COLUMNS, "id": n, "reference": f"ENQ-{n}", "status": status, "created_at": created}
            connection.execute(insert_lead, row)
            for standard_id in standard_ids[: 1 + n % 2]:
                connection.execute(
                    text("INSERT INTO lead_standards (lead_id, standard_id) VALUES (:lead, :standard)"),
                    {"lead": n, "standard": standard_id},
                )
        connection.execute(text("UPDATE leads SET first_response_at = created_at WHERE id = 4"))
        connection.execute(text("UPDATE leads SET duplicate_of_id = 1 WHERE id = 2"))

    command.upgrade(config, revision)

    def counts() -> tuple[list, list]:
        with db.engine.connect() as connection:
            return (
                connection.execute(text("SELECT * FROM lead_tallies ORDER BY 1, 2, 3, 4, 5")).tuples().all(),
                connection.execute(text("SELECT * FROM lead_standard_tallies ORDER BY 1, 2")).tuples().all(),
            )

    migrated = counts()
    rebuild(db.session)
    db.session.commit()
    assert counts() == migrated
    days = sorted({str(row[0]) for row in migrated[0]})
    assert days == ["2026-02-10", "2026-03-01", "2026-03-02"]
    assert sum(row[-1] for row in migrated[0]) == 4
    assert sum(row[-1] for row in migrated[1]) == 2 + 1 + 1  # the spam lead's two standards are left out


def test_stored_two_factor_and_webhook_secrets_are_encrypted_in_place_and_back_on_downgrade(empty_app):
    """Secrets stored before encryption are encrypted by the migration under the app's key, read
    back in clear by the models, and decrypted again by the downgrade."""
    config = alembic_config(empty_app)
    revision = "cf502e982352"
    previous = ScriptDirectory.from_config(config).get_revision(revision).down_revision
    command.upgrade(config, previous)
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (id, email, name, password_hash, role, active, created_at, locale, totp_secret)"
                " VALUES (1, 'a@example.om', 'A', 'x', 'admin', true, '2026-03-01 08:00:00+00:00', 'en', :secret)"
            ),
            {"secret": "JBSWY3DPEHPK3PXP"},
        )
        connection.execute(
            text(
                "INSERT INTO webhook_endpoints (id, url, description, events, secret, active, created_at)"
                " VALUES (1, 'https://crm.example.com/hooks', '', '[]', 'whsec_old', true, '2026-03-01 08:00:00+00:00')"
            )
        )

    def raw() -> tuple[str, str]:
        with db.engine.connect() as connection:
            return (
                connection.execute(text("SELECT totp_secret FROM users")).scalar_one(),
                connection.execute(text("SELECT secret FROM webhook_endpoints")).scalar_one(),
            )

    command.upgrade(config, revision)
    assert "JBSWY3DPEHPK3PXP" not in raw()[0] and "whsec_old" not in raw()[1]
    db.session.expire_all()
    assert db.session.get(User, 1).totp_secret == "JBSWY3DPEHPK3PXP"
    assert db.session.get(WebhookEndpoint, 1).secret == "whsec_old"
    db.session.rollback()

    command.downgrade(config, previous)
    assert raw() == ("JBSWY3DPEHPK3PXP", "whsec_old")

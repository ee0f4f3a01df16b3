"""`flask privacy export | erase | purge | status`: a person's data requests and retention, from a shell or cron."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from portal.core.errors import ServiceError
from portal.domain.personal_data import Identifiers
from portal.domain.working_days import MUSCAT
from portal.extensions import db
from portal.models.types import utcnow
from portal.privacy.erasure import erase_person, erasure_holds
from portal.privacy.export import export_json, record_export
from portal.privacy.person import find_records, parse_identifiers
from portal.privacy.retention import load_periods, purge, status

privacy = AppGroup("privacy", help="A person's data: export and erase it; apply the retention periods.")

person_options = (
    click.option("--email", required=True, help="The person's e-mail address."),
    click.option("--phone", default="", help="The person's phone number too (any usual Omani form)."),
)


def _with_person(command):
    for option in reversed(person_options):
        command = option(command)
    return command


def _identifiers(email: str, phone: str) -> Identifiers:
    try:
        return parse_identifiers(email, phone)
    except ServiceError as error:
        raise click.BadParameter(error.message) from error


@privacy.command("export")
@_with_person
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-", help="File (default: stdout).")
def export_command(email: str, phone: str, output) -> None:
    """Write everything the portal holds about the person as one JSON document (audited)."""
    identifiers = _identifiers(email, phone)
    record_export(find_records(identifiers), None, "cli")
    db.session.commit()
    for chunk in export_json(identifiers):
        output.write(chunk)


@privacy.command("erase")
@_with_person
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase_command(email: str, phone: str, yes: bool) -> None:
    """Erase the person's data (refused, with the reason, while a legal reason to keep it applies)."""
    identifiers = _identifiers(email, phone)
    periods = load_periods()
    records, holds = erasure_holds(identifiers, periods)
    if holds:
        raise click.ClickException("Refused: " + " ".join(holds))
    counts = ", ".join(f"{n} {kind}" for kind, n in records.counts().items())
    if not yes:
        click.confirm(f"Erase for good: {counts}?", abort=True)
    try:
        erase_person(identifiers, None, periods)
    except ServiceError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Erased: {counts}.")


@privacy.command("purge")
@click.option("--dry-run", is_flag=True, help="Count what is past retention; change nothing.")
def purge_command(dry_run: bool) -> None:
    """Erase the personal data of records past their retention period (idempotent, for cron)."""
    report = purge(utcnow(), dry_run=dry_run)
    summary = ", ".join(f"{rule} {n}" for rule, n in report.erased.items())
    held = ", ".join(f"{rule} {n}" for rule, n in report.held.items() if n)
    if dry_run:
        db.session.rollback()
        click.echo(
            f"Dry run, nothing changed. Due for erasure: {summary}."
            + (f" Kept by a legal hold: {held}." if held else "")
        )
        return
    db.session.commit()
    click.echo(f"Erased: {summary}." + (f" Kept by a legal hold: {held}." if held else ""))


@privacy.command("status")
def status_command() -> None:
    """Per retention rule: its period, records due for erasure now, records kept, the next due date."""
    for line in status(utcnow()):
        next_due = line.next_due.astimezone(MUSCAT).date().isoformat() if line.next_due else "-"
        click.echo(f"{line.name}: keep {line.period}; due now {line.due_now}; kept {line.waiting}; next due {next_due}")

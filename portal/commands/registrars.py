"""`flask registrars import FILE [--dry-run]` and `flask registrars export`: the page's import and export."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from portal.core import audit
from portal.extensions import db
from portal.registrars.export import export_directory
from portal.registrars.importer import run_import

registrars = AppGroup("registrars", help="Import or export the registrar directory as CSV.")


@registrars.command("import")
@click.argument("file", type=click.File("rb"))
@click.option("--dry-run", is_flag=True, help="Report what each row would do; change nothing.")
def import_command(file, dry_run: bool) -> None:
    """Import FILE (the export's format). Applied whole, or not at all when a row is rejected."""
    report = run_import(file, actor=None, apply=not dry_run, source=getattr(file, "name", ""))
    if report.file_error:
        db.session.rollback()
        raise click.ClickException(report.file_error)
    for row in report.rows:
        if row.action == "reject" or dry_run:
            click.echo(f"row {row.line}: {row.action} {row.body_slug} {row.number} {' '.join(row.messages)}".rstrip())
    counts = report.counts
    summary = ", ".join(f"{counts[key]} {key}" for key in ("create", "update", "unchanged", "reject"))
    if dry_run:
        db.session.rollback()
        click.echo(f"Dry run, nothing changed: {summary}.")
    elif report.applied:
        db.session.commit()
        click.echo(f"Imported: {summary}.")
    else:
        db.session.rollback()
        raise click.ClickException(f"Nothing imported: {counts['reject']} rows rejected ({summary}).")


@registrars.command("export")
@click.option(
    "--output", "-o", type=click.File("w", encoding="utf-8"), default="-", help="File to write (default: stdout)."
)
def export_command(output) -> None:
    """Write the whole directory as CSV in the import format."""
    audit.record("registrars.exported", None, actor_email="cli")
    db.session.commit()
    for chunk in export_directory():
        output.write(chunk)

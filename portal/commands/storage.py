"""`flask storage import-files`: move quotation PDFs kept on an app server's disk into shared storage."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from portal.core.uploads import import_folder
from portal.extensions import db
from portal.quotes.submission import STORAGE_PREFIX

storage = AppGroup("storage", help="Files every app server shares (FILE_STORAGE).")


@storage.command("import-files")
@click.option(
    "--from",
    "source",
    type=click.Path(file_okay=False, path_type=Path),
    help="The old upload folder (default: UPLOAD_FOLDER, or instance/uploads).",
)
def import_files_command(source: Path | None) -> None:
    """Copy the quotation PDFs of the old upload folder into storage; run once on each old server."""
    root = source or Path(current_app.config.get("UPLOAD_FOLDER") or Path(current_app.instance_path) / "uploads")
    copied, present = import_folder(STORAGE_PREFIX, root / STORAGE_PREFIX)
    db.session.commit()
    click.echo(f"{copied} files copied from {root / STORAGE_PREFIX}, {present} already in storage")

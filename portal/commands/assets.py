"""`flask assets build`: static files under content-hashed names, precompressed (portal/web/assets.py)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from portal.web.assets import build, dist_folder

assets = AppGroup("assets", help="Static files as served: hashed names, gzip and brotli copies.")


@assets.command("build")
def build_command() -> None:
    """Write static/dist/ (run at each deployment, before the app servers start)."""
    manifest = build(current_app)
    count = sum(len(names) for names in manifest.values())
    click.echo(f"{count} files written to {dist_folder(current_app)}")

"""Command-line entry points: `flask seed`, `flask users`, `flask outbox`."""

from __future__ import annotations

from flask import Flask


def init_cli(app: Flask) -> None:
    """Register every command group."""

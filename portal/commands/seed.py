"""`flask seed reference` and `flask seed demo`: load data, idempotently, and commit."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from portal.core.reference_data import load_reference_data
from portal.demo import load_demo_data
from portal.engagements.services import record_missing_editions
from portal.extensions import db
from portal.models import AccreditationBody, MlaSignature, Region, Sector, Standard

seed = AppGroup("seed", help="Load reference data or demo data (safe to run again).")


def reference_counts() -> dict[str, int]:
    """How many reference rows of each kind the database holds."""
    models = {
        "standards": Standard,
        "sectors": Sector,
        "regions": Region,
        "accreditation_bodies": AccreditationBody,
        "mla_signatures": MlaSignature,
    }
    return {name: db.session.scalar(select(func.count()).select_from(model)) or 0 for name, model in models.items()}


def load_reference() -> None:
    """Load the reference data and say what the database now holds."""
    created = load_reference_data()
    totals = reference_counts()
    for name, total in totals.items():
        click.echo(f"  {name.replace('_', ' ')}: {total} ({created[name]} new)")
    # Certificates issued before editions were kept get the editions in force on their decision.
    if recorded := record_missing_editions():
        click.echo(f"  certified editions recorded for {recorded} engagement(s) certified before editions were kept")


@seed.command("reference")
def seed_reference() -> None:
    """Load standards, IAF sectors, Oman regions and accreditation bodies."""
    click.echo("Reference data:")
    load_reference()
    db.session.commit()


@seed.command("demo")
@click.option(
    "--if-empty",
    is_flag=True,
    help="Do nothing when the database already holds data (reference data loaded), e.g. on every `make run`.",
)
def seed_demo(if_empty: bool) -> None:
    """Load reference data, then clearly fictional demo data (@demo.example.om)."""
    if if_empty and reference_counts()["standards"]:
        click.echo("The database already holds data: demo data not loaded (--if-empty).")
        return
    click.echo("Reference data:")
    load_reference()
    created = load_demo_data()
    click.echo("Demo data (fictional):")
    for name, count in created.items():
        click.echo(f"  {name.replace('_', ' ')}: {count} new")
    db.session.commit()

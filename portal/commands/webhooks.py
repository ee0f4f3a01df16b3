"""`flask webhooks send [--loop]` posts queued webhook deliveries; `flask webhooks status` counts them."""

from __future__ import annotations

import threading

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from portal.commands.outbox import stop_on_signals
from portal.core.webhooks import deliver_due
from portal.extensions import db
from portal.models import DeliveryStatus, WebhookDelivery

webhooks = AppGroup("webhooks", help="Post queued webhook deliveries and inspect the queue.")


@webhooks.command("send")
@click.option("--loop", is_flag=True, help="Keep running, one pass every --interval seconds, until stopped.")
@click.option(
    "--interval", type=click.FloatRange(min=0.1), default=5.0, show_default=True, help="Seconds between passes."
)
def send_command(loop: bool, interval: float) -> None:
    """Post due deliveries: one pass, or continuously with --loop."""
    if not loop:
        click.echo(str(deliver_due()))
        return
    stop = threading.Event()
    with stop_on_signals(stop):
        click.echo(f"webhook sender running, one pass every {interval:g} s (Ctrl-C or SIGTERM to stop)")
        while not stop.is_set():
            report = deliver_due()
            if report.sent or report.retried or report.failed:
                click.echo(str(report))
            stop.wait(interval)
    click.echo("webhook sender stopped")


@webhooks.command("status")
def status_command() -> None:
    """Count deliveries per status."""
    counts = dict(
        db.session.execute(select(WebhookDelivery.status, func.count()).group_by(WebhookDelivery.status)).all()
    )
    for status in DeliveryStatus:
        click.echo(f"{status.value}: {counts.get(status.value, 0)}")

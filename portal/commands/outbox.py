"""`flask outbox send [--loop]` delivers queued e-mails (and removes spent links from sent ones);
`flask outbox status` shows the queue."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from portal.core.outbox import DeliveryReport, deliver_due, remove_spent_links
from portal.extensions import db
from portal.models import OutboxMessage, OutboxStatus

outbox = AppGroup("outbox", help="Deliver queued e-mails and inspect the queue.")


@contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """Turn Ctrl-C and SIGTERM into a request to stop after the current pass (no half-sent message)."""
    handled = (signal.SIGINT, signal.SIGTERM)
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in handled}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def one_pass() -> DeliveryReport:
    """Deliver due messages, then strip the links whose lifetime is over from sent ones."""
    report = deliver_due()
    remove_spent_links()
    db.session.commit()
    return report


@outbox.command("send")
@click.option("--loop", is_flag=True, help="Keep running, one pass every --interval seconds, until stopped.")
@click.option(
    "--interval", type=click.FloatRange(min=0.1), default=5.0, show_default=True, help="Seconds between passes."
)
def send_command(loop: bool, interval: float) -> None:
    """Deliver due messages: one pass, or continuously with --loop."""
    if not loop:
        click.echo(str(one_pass()))
        return
    stop = threading.Event()
    with stop_on_signals(stop):
        click.echo(f"outbox worker running, one pass every {interval:g} s (Ctrl-C or SIGTERM to stop)")
        while not stop.is_set():
            report = one_pass()
            if report.sent or report.retried or report.failed:
                click.echo(str(report))
            stop.wait(interval)
    click.echo("outbox worker stopped")


@outbox.command("status")
def status_command() -> None:
    """Count messages per status and show how long the oldest pending one has waited."""
    counts = dict(db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    for status in OutboxStatus:
        click.echo(f"{status.value}: {counts.get(status.value, 0)}")
    oldest = db.session.scalar(
        select(OutboxMessage.created_at)
        .where(OutboxMessage.status == OutboxStatus.PENDING.value)
        .order_by(OutboxMessage.created_at)
        .limit(1)
    )
    click.echo(f"oldest pending: {'none' if oldest is None else oldest.strftime('%Y-%m-%d %H:%M:%S UTC')}")

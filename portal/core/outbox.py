"""The outbox: e-mails are written in the caller's transaction and delivered later.

`enqueue()` only adds a row, so a message exists if and only if the change that
caused it was committed. `deliver_due()` (run by `flask outbox send`) delivers due
messages one transaction each: on PostgreSQL the row is claimed with
`FOR UPDATE SKIP LOCKED` and stays locked while the SMTP call runs, so several
workers never send one message twice. A failure schedules a retry with growing
back-off; after OUTBOX_MAX_ATTEMPTS the message is marked failed, never deleted.
Delivery is at-least-once: should the commit after a successful send fail, the
message is sent again on a later pass.

Messages whose links are keys (a password reset, an invitation, a quote request) keep
what was sent, not a live key: once the link's lifetime is over, `remove_spent_links`
(each pass of `flask outbox send`) replaces its addresses with "[link removed]".
"""

from __future__ import annotations

import logging
import re
import smtplib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale, get_locale
from flask_mail import Connection, Message
from sqlalchemy import select

from portal.extensions import db, mail
from portal.models import OutboxMessage, OutboxStatus, User
from portal.models.types import utcnow

logger = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=6)
ERROR_TEXT_LIMIT = 500
LINK_REMOVED = "[link removed]"
LINK = re.compile(r"https?://[^\s\"'<>]+")

# Kinds of message whose links open something without a password, and how long such a
# link works (from the settings that sign it).
LINK_LIFETIMES: dict[str, Callable[[Mapping], timedelta]] = {
    "password_reset": lambda config: timedelta(seconds=config["PASSWORD_RESET_MAX_AGE"]),
    "invitation": lambda config: timedelta(seconds=config["INVITATION_MAX_AGE"]),
    "quote_request": lambda config: timedelta(days=config["QUOTE_LINK_MAX_AGE_DAYS"]),
    # A status link lives as long as the settings page says, at most STATUS_LINK_MAX_DAYS.
    "client_status_link": lambda config: timedelta(days=config["STATUS_LINK_MAX_DAYS"]),
}


@contextmanager
def written_in(language: str | None) -> Iterator[None]:
    """Write an e-mail (subject, body, dates, amounts) in its reader's language: `language` when
    the portal speaks it, else the firm's default. Enqueue it inside the block, which records it."""
    languages = current_app.config["LANGUAGES"]
    with force_locale(language if language in languages else current_app.config["BABEL_DEFAULT_LOCALE"]):
        yield


def language_of(address: str) -> str | None:
    """The language a staff member chose for their e-mails, found by address (None: not a user's)."""
    return db.session.scalar(select(User.locale).where(User.email == address.strip().lower()))


def languages_of(addresses: list[str]) -> dict[str, str | None]:
    """`language_of` for each address, in order, with one query (none for no address)."""
    if not addresses:
        return {}
    keys = {address: address.strip().lower() for address in addresses}
    found = dict(db.session.execute(select(User.email, User.locale).where(User.email.in_(set(keys.values())))).all())
    return {address: found.get(key) for address, key in keys.items()}


def owner_or_team(owner: User | None) -> list[str]:
    """Who hears of a change to someone's work: its owner, or with none the team's addresses."""
    return [owner.email] if owner is not None else list(current_app.config["NOTIFY_EMAILS"])


def enqueue(
    kind: str,
    recipient: str,
    subject: str,
    body_text: str,
    body_html: str | None = None,
    reply_to: str | None = None,
) -> OutboxMessage:
    """Add a pending message to the current transaction; the caller's commit makes it real.

    The language in force (see `written_in`) is recorded as the message's language."""
    message = OutboxMessage(
        kind=kind,
        recipient=recipient,
        subject=subject[:300],
        body_text=body_text,
        body_html=body_html,
        reply_to=reply_to,
        language=str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"]),
    )
    db.session.add(message)
    return message


@dataclass
class DeliveryReport:
    """What one pass of the worker did, for the CLI summary and the logs."""

    sent: int = 0
    retried: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return f"sent {self.sent}, retried {self.retried}, failed {self.failed}"


def retry_delay(attempts: int, base_seconds: int) -> timedelta:
    """Back-off after the `attempts`-th failure: base, 2x base, 4x base ... capped at MAX_BACKOFF."""
    seconds = base_seconds * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, int(MAX_BACKOFF.total_seconds())))


class MailServerUnreachableError(Exception):
    """The SMTP server could not be reached: retrying other messages in this pass is pointless."""


class _TimeoutConnection(Connection):
    """Flask-Mail's connection opened with a socket timeout, so a dead server cannot hang the worker."""

    def __init__(self, timeout: float) -> None:
        # Built from the current config (not the state frozen at init_app) and never
        # suppressed for TESTING: the worker only uses SMTP when MAIL_SERVER is set.
        super().__init__(mail.init_mail(current_app.config))
        self.timeout = timeout

    def configure_host(self) -> smtplib.SMTP:
        smtp_class = smtplib.SMTP_SSL if self.mail.use_ssl else smtplib.SMTP
        host = smtp_class(self.mail.server, self.mail.port, timeout=self.timeout)
        if self.mail.use_tls:
            host.starttls()
        if self.mail.username and self.mail.password:
            host.login(self.mail.username, self.mail.password)
        return host


class _SMTPTransport:
    """Sends through one SMTP connection per pass, reopened after an error."""

    def __init__(self) -> None:
        self.connection: _TimeoutConnection | None = None

    def send(self, message: OutboxMessage) -> None:
        if self.connection is None:
            connection = _TimeoutConnection(current_app.config["MAIL_TIMEOUT"])
            try:
                connection.host = connection.configure_host()
            except OSError as error:
                raise MailServerUnreachableError(f"{type(error).__name__}: {error}") from error
            self.connection = connection
        try:
            self.connection.send(_mail_message(message))
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        if self.connection is not None and self.connection.host is not None:
            try:
                self.connection.host.quit()
            except OSError:
                self.connection.host.close()
        self.connection = None


class _LogTransport:
    """Without MAIL_SERVER (development) a message is written to the log instead of sent."""

    def send(self, message: OutboxMessage) -> None:
        logger.info(
            "outbox message %s to %s logged, not sent (no MAIL_SERVER): %s",
            message.id,
            message.recipient,
            message.subject,
        )
        logger.debug("outbox message %s body:\n%s", message.id, message.body_text)

    def close(self) -> None:
        """Nothing to release."""


def _mail_message(message: OutboxMessage) -> Message:
    return Message(
        subject=message.subject,
        recipients=[message.recipient],
        body=message.body_text,
        html=message.body_html,
        sender=current_app.config["MAIL_DEFAULT_SENDER"],
        reply_to=message.reply_to,
        extra_headers={"X-Portal-Outbox-Id": str(message.id)}
        | ({"Content-Language": message.language} if message.language else {}),
    )


def _claim_next(now: datetime) -> OutboxMessage | None:
    """The oldest due message, locked for this transaction on PostgreSQL (skipping rows other workers hold)."""
    statement = (
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING.value, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(1)
        .execution_options(populate_existing=True)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update(skip_locked=True)
    return db.session.scalars(statement).first()


def _record_failure(message: OutboxMessage, error: Exception, now: datetime, report: DeliveryReport) -> None:
    config = current_app.config
    message.attempts += 1
    message.last_error = f"{type(error).__name__}: {error}"[:ERROR_TEXT_LIMIT]
    if message.attempts >= config["OUTBOX_MAX_ATTEMPTS"]:
        message.status = OutboxStatus.FAILED.value
        report.failed += 1
        logger.error(
            "outbox message %s to %s failed for good after %s attempts: %s",
            message.id,
            message.recipient,
            message.attempts,
            message.last_error,
        )
        return
    message.next_attempt_at = now + retry_delay(message.attempts, config["OUTBOX_BACKOFF_SECONDS"])
    report.retried += 1
    logger.warning(
        "outbox message %s to %s: attempt %s failed, retry at %s: %s",
        message.id,
        message.recipient,
        message.attempts,
        message.next_attempt_at.isoformat(),
        message.last_error,
    )


def deliver_due(now: datetime | None = None, batch_size: int | None = None) -> DeliveryReport:
    """Deliver up to `batch_size` due messages, committing after each one.

    Commits itself: it is called by the worker (a CLI process), not inside a request.
    If the mail server cannot be reached the pass stops after recording that attempt,
    so an outage costs one attempt per pass rather than one per queued message.
    """
    now = now or utcnow()
    limit = batch_size or current_app.config["OUTBOX_BATCH_SIZE"]
    transport = _SMTPTransport() if current_app.config.get("MAIL_SERVER") else _LogTransport()
    report = DeliveryReport()
    try:
        for _ in range(limit):
            message = _claim_next(now)
            if message is None:
                break
            try:
                transport.send(message)
            except MailServerUnreachableError as error:
                _record_failure(message, error, now, report)
                db.session.commit()
                break
            except Exception as error:  # any failure of one message is recorded, never lost
                _record_failure(message, error, now, report)
            else:
                message.attempts += 1
                message.status = OutboxStatus.SENT.value
                message.sent_at = now
                report.sent += 1
            db.session.commit()
    finally:
        transport.close()
    return report


def remove_spent_links(now: datetime | None = None) -> int:
    """Replace the links of delivered (or given-up) key-carrying messages older than their lifetime.

    The link was signed when the message was queued, so its lifetime counts from then. The
    rest of the text stays, as the record of what was sent; returns how many messages changed.
    Flushes; the caller commits.
    """
    now = now or utcnow()
    changed = 0
    for kind, lifetime in LINK_LIFETIMES.items():
        spent = db.session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.kind == kind,
                OutboxMessage.status != OutboxStatus.PENDING.value,
                OutboxMessage.created_at < now - lifetime(current_app.config),
                OutboxMessage.body_text.contains("://"),
            )
        )
        for message in spent:
            message.body_text = LINK.sub(LINK_REMOVED, message.body_text)
            if message.body_html:
                message.body_html = LINK.sub(LINK_REMOVED, message.body_html)
            changed += 1
    db.session.flush()
    if changed:
        logger.info("links removed from %d sent messages past their lifetime", changed)
    return changed

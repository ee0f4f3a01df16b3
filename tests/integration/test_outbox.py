"""The outbox worker against a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import func, select

from portal.auth.services import send_reset_link
from portal.core.outbox import MAX_BACKOFF, deliver_due, enqueue, retry_delay
from portal.extensions import db
from portal.models import OutboxMessage, OutboxStatus
from portal.models.types import utcnow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Mailbox:
    """What the loopback SMTP server received; refuses the addresses in `refuse`."""

    received: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    on_message: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 (aiosmtpd hook name)
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd hook name)
        with self.lock:
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self.received.append(message_from_bytes(envelope.content, policy=policy.default))
        for callback in self.on_message:
            callback()
        return "250 Message accepted for delivery"


@pytest.fixture()
def mailbox(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Mailbox]:
    """A real SMTP server on 127.0.0.1, with the app pointed at it."""
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", controller.port)
    yield box
    controller.stop()


@pytest.fixture()
def dead_mail_server(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """The app pointed at a loopback port where nothing listens."""
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())


def queue(count: int = 1, **overrides) -> list[int]:
    """Enqueue and commit `count` messages, as a request would; returns their ids."""
    messages = [
        enqueue(
            kind=overrides.get("kind", "test"),
            recipient=overrides.get("recipient", f"client{n}@example.om"),
            subject=overrides.get("subject", f"Your enquiry {n}"),
            body_text=overrides.get("body_text", f"Thank you for enquiry {n}."),
            body_html=overrides.get("body_html"),
            reply_to=overrides.get("reply_to"),
        )
        for n in range(count)
    ]
    db.session.commit()
    return [message.id for message in messages]


def reload(message_id: int) -> OutboxMessage:
    db.session.expire_all()
    message = db.session.get(OutboxMessage, message_id)
    assert message is not None
    return message


def test_message_is_delivered_with_its_recipient_subject_and_body(app: Flask, mailbox: Mailbox) -> None:
    [message_id] = queue(
        recipient="fatma@alnoor.om",
        subject="Your ISO 9001 enquiry ENQ-2026-000042",
        body_text="Dear Fatma,\nwe will call you within one working day.",
        body_html="<p>Dear Fatma,</p>",
        reply_to="consultants@example.om",
    )

    report = deliver_due()

    assert str(report) == "sent 1, retried 0, failed 0"
    assert mailbox.envelopes == [(app.config["MAIL_DEFAULT_SENDER"], ["fatma@alnoor.om"])]
    email = mailbox.received[0]
    assert email["To"] == "fatma@alnoor.om"
    assert email["Subject"] == "Your ISO 9001 enquiry ENQ-2026-000042"
    assert email["Reply-To"] == "consultants@example.om"
    assert "we will call you within one working day." in email.get_body(("plain",)).get_content()
    assert "<p>Dear Fatma,</p>" in email.get_body(("html",)).get_content()
    message = reload(message_id)
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 1
    assert message.sent_at is not None


def test_dead_mail_server_keeps_the_message_pending_with_growing_back_off(app: Flask, dead_mail_server) -> None:
    [message_id] = queue()
    first_pass = utcnow()

    report = deliver_due(now=first_pass)

    assert str(report) == "sent 0, retried 1, failed 0"
    message = reload(message_id)
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 1
    assert "ConnectionRefusedError" in message.last_error
    backoff = timedelta(seconds=app.config["OUTBOX_BACKOFF_SECONDS"])
    assert message.next_attempt_at == first_pass + backoff

    assert str(deliver_due(now=first_pass + backoff / 2)) == "sent 0, retried 0, failed 0"
    assert reload(message_id).attempts == 1

    second_pass = message.next_attempt_at
    deliver_due(now=second_pass)

    message = reload(message_id)
    assert message.attempts == 2
    assert message.next_attempt_at == second_pass + 2 * backoff


def test_after_the_last_attempt_the_message_is_failed_and_kept(
    app: Flask, dead_mail_server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "OUTBOX_MAX_ATTEMPTS", 3)
    [message_id] = queue()
    reports = []
    for _ in range(3):
        reports.append(str(deliver_due(now=reload(message_id).next_attempt_at)))

    assert reports == ["sent 0, retried 1, failed 0", "sent 0, retried 1, failed 0", "sent 0, retried 0, failed 1"]
    message = reload(message_id)
    assert message.status == OutboxStatus.FAILED
    assert message.attempts == 3
    assert message.last_error

    assert str(deliver_due(now=utcnow() + timedelta(days=30))) == "sent 0, retried 0, failed 0"
    assert reload(message_id).attempts == 3


def test_an_unreachable_server_costs_one_attempt_per_pass_not_one_per_message(app: Flask, dead_mail_server) -> None:
    first_id, second_id = queue(2)

    deliver_due()

    assert reload(first_id).attempts == 1
    assert reload(second_id).attempts == 0


def test_a_refused_recipient_is_retried_while_the_rest_are_delivered(app: Flask, mailbox: Mailbox) -> None:
    mailbox.refuse.add("gone@example.om")
    (refused_id,) = queue(recipient="gone@example.om")
    (delivered_id,) = queue(recipient="here@example.om")

    report = deliver_due()

    assert str(report) == "sent 1, retried 1, failed 0"
    refused = reload(refused_id)
    assert refused.status == OutboxStatus.PENDING
    assert "SMTPRecipientsRefused" in refused.last_error
    assert reload(delivered_id).status == OutboxStatus.SENT
    assert [recipients for _, recipients in mailbox.envelopes] == [["here@example.om"]]


def test_a_message_enqueued_in_a_rolled_back_transaction_never_exists(app: Flask, mailbox: Mailbox) -> None:
    enqueue("test", "someone@example.om", "Never sent", "This change was rolled back.")
    db.session.rollback()

    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    assert str(deliver_due()) == "sent 0, retried 0, failed 0"
    assert mailbox.received == []


def test_retry_delay_doubles_and_is_capped() -> None:
    assert [retry_delay(n, 60).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert retry_delay(40, 60) == MAX_BACKOFF


def test_without_mail_server_messages_are_logged_and_marked_sent(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    assert not app.config.get("MAIL_SERVER")
    [message_id] = queue(recipient="dev@example.om", subject="Password reset")

    with caplog.at_level(logging.INFO, logger="portal.core.outbox"):
        report = deliver_due()

    assert str(report) == "sent 1, retried 0, failed 0"
    assert reload(message_id).status == OutboxStatus.SENT
    logged = [record.getMessage() for record in caplog.records if record.name == "portal.core.outbox"]
    assert any(str(message_id) in line and "dev@example.om" in line and "Password reset" in line for line in logged)


def test_cli_send_prints_its_summary_and_status_counts_the_queue(app: Flask, runner, mailbox: Mailbox) -> None:
    queue(2)

    before = runner.invoke(args=["outbox", "status"])
    sent = runner.invoke(args=["outbox", "send"])
    after = runner.invoke(args=["outbox", "status"])

    assert "pending: 2" in before.output
    assert "oldest pending: 20" in before.output
    assert sent.exit_code == 0
    assert sent.output.strip() == "sent 2, retried 0, failed 0"
    assert len(mailbox.received) == 2
    assert "pending: 0" in after.output
    assert "sent: 2" in after.output
    assert "oldest pending: none" in after.output


def test_cli_loop_finishes_the_current_message_and_stops_on_sigterm(app: Flask, runner, mailbox: Mailbox) -> None:
    [message_id] = queue()
    handler_before = signal.getsignal(signal.SIGTERM)
    # The operator's `kill` arrives while the worker is in the middle of the SMTP conversation.
    mailbox.on_message.append(lambda: os.kill(os.getpid(), signal.SIGTERM))

    result = runner.invoke(args=["outbox", "send", "--loop", "--interval", "60"])

    assert result.exit_code == 0, result.output
    assert "sent 1, retried 0, failed 0" in result.output
    assert result.output.strip().endswith("outbox worker stopped")
    assert reload(message_id).status == OutboxStatus.SENT
    assert signal.getsignal(signal.SIGTERM) is handler_before


@pytest.mark.postgres
@pytest.mark.clean_tables  # threads or a second connection must see committed rows
def test_two_workers_send_every_message_exactly_once(app: Flask, mailbox: Mailbox) -> None:
    message_ids = queue(40)
    start = threading.Barrier(2)
    reports, errors = [], []

    def worker() -> None:
        try:
            with app.app_context():
                start.wait()
                reports.append(deliver_due(batch_size=100))
                db.session.remove()
        except Exception as error:  # surfaced in the main thread below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    delivered = sorted(int(email["X-Portal-Outbox-Id"]) for email in mailbox.received)
    assert delivered == sorted(message_ids)
    assert sum(report.sent for report in reports) == 40
    statuses = db.session.scalars(select(OutboxMessage.status)).all()
    assert statuses == [OutboxStatus.SENT.value] * 40


def test_sent_links_are_removed_once_their_lifetime_is_over(app: Flask, runner, make_user, monkeypatch) -> None:
    """The outbox keeps what was sent, not a live key: `flask outbox send` strips spent reset,
    invitation and quote links, and leaves recent ones and other messages as they were."""
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://portal.example.om")
    with app.test_request_context():
        send_reset_link(make_user(email="old@example.om"))
        send_reset_link(make_user(email="recent@example.om"))
    enqueue(
        "invitation",
        "new@example.om",
        "Join",
        "Choose your password: https://portal.example.om/auth/invite/abc.def.ghi",
    )
    enqueue("quote_request", "desk@body.example", "Quote", "Answer here:\nhttps://portal.example.om/q/abc.def.ghi\n")
    enqueue("enquiry_notification", "team@example.om", "New", "See https://portal.example.om/app/leads/1")
    db.session.commit()
    assert runner.invoke(args=["outbox", "send"]).exit_code == 0  # all delivered (logged) now

    ages = {  # created this long ago; each link kind against its own lifetime
        "old@example.om": timedelta(seconds=app.config["PASSWORD_RESET_MAX_AGE"] + 60),
        "recent@example.om": timedelta(seconds=app.config["PASSWORD_RESET_MAX_AGE"] - 600),
        "new@example.om": timedelta(days=8),
        "desk@body.example": timedelta(days=app.config["QUOTE_LINK_MAX_AGE_DAYS"] + 1),
        "team@example.om": timedelta(days=400),
    }
    for message in db.session.scalars(select(OutboxMessage)):
        message.created_at = utcnow() - ages[message.recipient]
    db.session.commit()
    assert runner.invoke(args=["outbox", "send"]).exit_code == 0

    bodies = {m.recipient: m.body_text for m in db.session.scalars(select(OutboxMessage))}
    assert "[link removed]" in bodies["old@example.om"] and "https://" not in bodies["old@example.om"]
    assert "To choose a new password" in bodies["old@example.om"]  # the rest is what was sent
    assert "https://portal.example.om/auth/reset/" in bodies["recent@example.om"]
    assert bodies["new@example.om"] == "Choose your password: [link removed]"
    assert bodies["desk@body.example"] == "Answer here:\n[link removed]\n"
    assert bodies["team@example.om"] == "See https://portal.example.om/app/leads/1"

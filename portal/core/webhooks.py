"""Webhooks: events queued in the caller's transaction, posted later, signed, retried.

`emit()` only adds rows (one per active endpoint subscribed to the event, all sharing one
event id), so a delivery exists if and only if the change that raised it was committed.
`deliver_due()` (run by `flask webhooks send`) posts due deliveries one transaction each:
on PostgreSQL the row is claimed with `FOR UPDATE SKIP LOCKED` and stays locked while the
HTTP call runs (at most WEBHOOK_TIMEOUT seconds), so two senders never post one delivery
twice. A non-2xx answer or a network error schedules a retry with doubling back-off; after
WEBHOOK_MAX_ATTEMPTS the delivery is failed (an admin may redeliver it). As with e-mail,
delivery is at-least-once should the commit after a post fail: receivers de-duplicate by the
event id, which stays the same on every attempt and redelivery.

Signature (README "Webhooks"): header `X-Portal-Signature: t=<unix time>,v1=<hex>` where
hex = HMAC-SHA256(endpoint secret, "<t>.<raw body>").
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import logging
import secrets
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select

from portal.core.outbox import DeliveryReport, retry_delay
from portal.domain.webhook_urls import host_of, resolved_problem, url_problem
from portal.extensions import db
from portal.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from portal.models.types import utcnow

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Portal-Signature"
RESPONSE_EXCERPT = 500
USER_AGENT = "PortalWebhooks/1"


def new_secret() -> str:
    """An endpoint's signing secret (shown to the admin once)."""
    return "whsec_" + secrets.token_urlsafe(32)


def new_event_id() -> str:
    return "evt_" + secrets.token_hex(16)


def emit(
    event: str, data: dict[str, Any] | Callable[[], dict[str, Any]], now: datetime | None = None
) -> list[WebhookDelivery]:
    """Queue `event` for every active endpoint subscribed to it, in the current transaction.

    The body is written once, so every endpoint and every attempt gets the same bytes and id.
    `data` may be a function, called only when some endpoint wants the event: a payload reads
    the lead's standards and places, which an enquiry with no subscriber need not load."""
    endpoints = [
        endpoint
        for endpoint in db.session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.active.is_(True)))
        if event in endpoint.events
    ]
    if not endpoints:
        return []
    now = now or utcnow()
    event_id = new_event_id()
    body = json.dumps(
        {"id": event_id, "type": event, "created_at": now.isoformat(), "data": data() if callable(data) else data},
        ensure_ascii=False,
        separators=(",", ":"),
        sort_keys=True,
    )
    deliveries = [
        WebhookDelivery(endpoint_id=endpoint.id, event_id=event_id, event=event, body=body, next_attempt_at=now)
        for endpoint in endpoints
    ]
    db.session.add_all(deliveries)
    logger.info("webhook %s %s queued for %d endpoint(s)", event, event_id, len(deliveries))
    return deliveries


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The v1 signature: hex HMAC-SHA256 over "<timestamp>.<body>"."""
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


class DestinationRefusedError(Exception):
    """The endpoint's address is not one the portal posts to (see portal.domain.webhook_urls)."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def check_destination(url: str) -> str | None:
    """Refuse a non-https or non-public address; a name is resolved and each address checked.

    Returns the checked address a post must connect to (None with WEBHOOK_ALLOW_PRIVATE_HOSTS,
    which checks nothing): connecting by name again would resolve it again, and a name that
    answered a public address to the check could answer a private one to the connection."""
    allow_private = current_app.config["WEBHOOK_ALLOW_PRIVATE_HOSTS"]
    problem = url_problem(url, allow_private)
    if problem is not None:
        raise DestinationRefusedError(problem)
    if allow_private:
        return None
    try:
        addresses = [str(info[4][0]) for info in socket.getaddrinfo(host_of(url), None, proto=socket.IPPROTO_TCP)]
    except (OSError, UnicodeError):
        addresses = []
    problem = resolved_problem(addresses)
    if problem is not None:
        raise DestinationRefusedError(problem)
    return addresses[0]


@dataclass(frozen=True)
class Answer:
    """What the endpoint answered: its status code and the start of its body."""

    status: int
    text: str

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class Transport(Protocol):
    def post(self, url: str, body: bytes, headers: dict[str, str], timeout: float, address: str | None) -> Answer: ...


def _pinned(connection: http.client.HTTPConnection, address: str | None) -> http.client.HTTPConnection:
    """`connection` opening its socket to `address` rather than to what its host name resolves
    to now; TLS still sends and verifies the host name, and the Host header still carries it.
    (http.client opens sockets through this one attribute.)"""
    if address is not None:
        connection._create_connection = lambda target, *args: socket.create_connection((address, target[1]), *args)  # type: ignore[attr-defined]
    return connection


class HttpTransport:
    """Posts with the standard library to the address checked before (see `check_destination`),
    with a timeout; a redirect is an answer like any other, never followed (it could lead to a
    private address)."""

    def post(self, url: str, body: bytes, headers: dict[str, str], timeout: float, address: str | None) -> Answer:
        parts = urlsplit(url)
        kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        connection = _pinned(kind(parts.hostname or "", parts.port, timeout=timeout), address)
        try:
            connection.request("POST", (parts.path or "/") + (f"?{parts.query}" if parts.query else ""), body, headers)
            response = connection.getresponse()
            return Answer(response.status, response.read(RESPONSE_EXCERPT).decode("utf-8", "replace"))
        finally:
            connection.close()


def _claim_next(now: datetime) -> WebhookDelivery | None:
    """The oldest due delivery, locked for this transaction on PostgreSQL (skipping rows other senders hold)."""
    statement = (
        select(WebhookDelivery)
        .where(WebhookDelivery.status == DeliveryStatus.PENDING.value, WebhookDelivery.next_attempt_at <= now)
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(1)
        .execution_options(populate_existing=True)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update(skip_locked=True)
    return db.session.scalars(statement).first()


def _post(delivery: WebhookDelivery, transport: Transport, now: datetime) -> Answer:
    endpoint = delivery.endpoint
    if not endpoint.active:
        raise DestinationRefusedError("disabled")
    address = check_destination(endpoint.url)
    body = delivery.body.encode()
    timestamp = int(now.timestamp())
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-Portal-Event": delivery.event,
        "X-Portal-Event-Id": delivery.event_id,
        "X-Portal-Delivery": str(delivery.id),
        SIGNATURE_HEADER: signature_header(endpoint.secret, timestamp, body),
    }
    return transport.post(endpoint.url, body, headers, current_app.config["WEBHOOK_TIMEOUT"], address)


def _record(delivery: WebhookDelivery, now: datetime, answer: Answer | None, error: str | None) -> str:
    """Store how the attempt went; returns "sent", "retried" or "failed"."""
    config = current_app.config
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.last_status_code = answer.status if answer else None
    delivery.last_response = answer.text[:RESPONSE_EXCERPT] if answer else None
    delivery.last_error = error[:RESPONSE_EXCERPT] if error else None
    if answer is not None and answer.ok:
        delivery.status = DeliveryStatus.SENT.value
        delivery.sent_at = now
        return "sent"
    if delivery.attempts >= config["WEBHOOK_MAX_ATTEMPTS"]:
        delivery.status = DeliveryStatus.FAILED.value
        logger.error("webhook delivery %s failed for good after %s attempts", delivery.id, delivery.attempts)
        return "failed"
    delivery.next_attempt_at = now + retry_delay(delivery.attempts, config["WEBHOOK_BACKOFF_SECONDS"])
    logger.warning(
        "webhook delivery %s: attempt %s failed, retry at %s",
        delivery.id,
        delivery.attempts,
        delivery.next_attempt_at.isoformat(),
    )
    return "retried"


def deliver_due(
    now: datetime | None = None, batch_size: int | None = None, transport: Transport | None = None
) -> DeliveryReport:
    """Post up to `batch_size` due deliveries, committing after each one (called by the CLI)."""
    now = now or utcnow()
    transport = transport or HttpTransport()
    report = DeliveryReport()
    for _ in range(batch_size or current_app.config["WEBHOOK_BATCH_SIZE"]):
        delivery = _claim_next(now)
        if delivery is None:
            break
        try:
            answer, error = _post(delivery, transport, now), None
        except DestinationRefusedError as refused:
            answer, error = None, f"refused destination: {refused.problem}"
        except Exception as failure:  # timeouts, refused connections, TLS errors ...: recorded, never lost
            answer, error = None, f"{type(failure).__name__}: {failure}"
        if answer is not None and not answer.ok:
            error = f"HTTP {answer.status}"
        outcome = _record(delivery, now, answer, error)
        setattr(report, outcome, getattr(report, outcome) + 1)
        db.session.commit()
    return report

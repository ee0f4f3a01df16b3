"""Register, disable, enable endpoints and redeliver (admins; audited, flushed, never committed)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import update

from portal.core import audit
from portal.core.errors import ServiceError
from portal.core.webhooks import DestinationRefusedError, check_destination, new_secret
from portal.extensions import db
from portal.models import WEBHOOK_EVENTS, DeliveryStatus, User, WebhookDelivery, WebhookEndpoint
from portal.models.types import utcnow
from portal.webhooks.presentation import URL_PROBLEMS

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class EndpointInput:
    url: str
    description: str
    events: Sequence[str]


def create_endpoint(data: EndpointInput, actor: User) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint after checking its address; returns it with its secret (shown once)."""
    url = data.url.strip()
    try:
        check_destination(url)
    except DestinationRefusedError as refused:
        raise ServiceError(str(URL_PROBLEMS[refused.problem]), field="url") from refused
    events = [event for event in WEBHOOK_EVENTS if event in data.events]
    if not events:
        raise ServiceError(_("Choose at least one event."), field="events")
    secret = new_secret()
    endpoint = WebhookEndpoint(
        url=url, description=data.description.strip(), events=events, secret=secret, created_by=actor
    )
    db.session.add(endpoint)
    db.session.flush()
    audit.record("webhook.created", actor, endpoint, {"url": url, "events": events})
    logger.info("webhook endpoint %s (%s) registered by %s", endpoint.id, url, actor.email)
    return endpoint, secret


DISABLED_ERROR = "endpoint disabled"


def set_active(endpoint: WebhookEndpoint, active: bool, actor: User) -> None:
    """Disable or enable again. Disabling queues nothing more for it, and its queued deliveries
    end as failed at once ("endpoint disabled", no attempt spent): not posted, not left to use up
    their attempts against a switch, and each one can be redelivered once it is enabled again."""
    if endpoint.active == active:
        raise ServiceError(_("The endpoint is already enabled.") if active else _("The endpoint is already disabled."))
    endpoint.active = active
    held = 0
    if not active:
        held = db.session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.endpoint_id == endpoint.id, WebhookDelivery.status == DeliveryStatus.PENDING.value)
            .values(status=DeliveryStatus.FAILED.value, last_error=DISABLED_ERROR)
        ).rowcount
    details = {"url": endpoint.url} | ({"queued_failed": held} if not active else {})
    audit.record("webhook.enabled" if active else "webhook.disabled", actor, endpoint, details)
    db.session.flush()


def redeliver(delivery: WebhookDelivery, actor: User) -> None:
    """Queue a delivered or failed event again, same body and event id, with a fresh set of attempts."""
    if delivery.status == DeliveryStatus.PENDING:
        raise ServiceError(_("This delivery is already waiting to be sent."))
    if not delivery.endpoint.active:
        raise ServiceError(_("Enable the endpoint before redelivering to it."))
    delivery.status = DeliveryStatus.PENDING.value
    delivery.attempts = 0
    delivery.next_attempt_at = utcnow()
    audit.record("webhook.redelivered", actor, delivery, {"event_id": delivery.event_id})
    db.session.flush()

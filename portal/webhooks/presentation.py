"""The words of the webhook pages: event names, delivery states, why an address was refused."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from portal.core.webhook_events import LEAD_CONVERTED, LEAD_CREATED, QUOTE_ACCEPTED, STAGE_CHANGED
from portal.domain.webhook_urls import HOST, PRIVATE, SCHEME
from portal.models import DeliveryStatus, WebhookDelivery

EVENT_LABELS = {
    LEAD_CREATED: _l("A lead is created (an enquiry arrives)"),
    LEAD_CONVERTED: _l("A lead is converted into an engagement"),
    STAGE_CHANGED: _l("An engagement changes stage"),
    QUOTE_ACCEPTED: _l("A quote is accepted"),
}

DELIVERY_STATUS_LABELS = {
    DeliveryStatus.PENDING: lazy_pgettext("delivery status", "Waiting"),
    DeliveryStatus.SENT: lazy_pgettext("delivery status", "Delivered"),
    DeliveryStatus.FAILED: lazy_pgettext("delivery status", "Failed"),
}

DELIVERY_STATUS_BADGES = {
    DeliveryStatus.PENDING: "text-bg-secondary",
    DeliveryStatus.SENT: "text-bg-success",
    DeliveryStatus.FAILED: "text-bg-danger",
}

URL_PROBLEMS = {
    SCHEME: _l("The address must start with https://."),
    HOST: _l("This address has no host we can find. Check it and try again."),
    PRIVATE: _l("This address is on a private or local network; webhooks go only to public addresses."),
}


@dataclass(frozen=True)
class DeliveryRow:
    """One delivery as the endpoint page lists it."""

    delivery: WebhookDelivery
    status_label: str
    badge: str
    can_redeliver: bool


def delivery_rows(deliveries: Sequence[WebhookDelivery]) -> list[DeliveryRow]:
    return [
        DeliveryRow(
            delivery,
            str(DELIVERY_STATUS_LABELS[DeliveryStatus(delivery.status)]),
            DELIVERY_STATUS_BADGES[DeliveryStatus(delivery.status)],
            delivery.status != DeliveryStatus.PENDING,
        )
        for delivery in deliveries
    ]

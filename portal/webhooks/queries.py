"""Reads of the webhook pages."""

from __future__ import annotations

from collections.abc import Sequence

from flask import abort
from sqlalchemy import select

from portal.extensions import db
from portal.models import WebhookDelivery, WebhookEndpoint

RECENT_DELIVERIES = 50


def endpoints() -> Sequence[WebhookEndpoint]:
    return db.session.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.id)).all()


def endpoint_or_404(endpoint_id: int) -> WebhookEndpoint:
    return db.session.get(WebhookEndpoint, endpoint_id) or abort(404)


def delivery_or_404(delivery_id: int) -> WebhookDelivery:
    return db.session.get(WebhookDelivery, delivery_id) or abort(404)


def recent_deliveries(endpoint: WebhookEndpoint) -> Sequence[WebhookDelivery]:
    """The endpoint's latest deliveries, newest first."""
    return db.session.scalars(
        select(WebhookDelivery)
        .where(WebhookDelivery.endpoint_id == endpoint.id)
        .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc())
        .limit(RECENT_DELIVERIES)
    ).all()

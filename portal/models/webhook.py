"""Webhooks: HTTPS endpoints other systems register, and the deliveries queued for them.

A delivery row is written in the transaction of the event it reports (so a rolled-back
change sends nothing) and posted later by `flask webhooks send`. The unique
(endpoint, event id) pair means one event is queued once per endpoint, whatever calls it.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.types import EncryptedString, UTCDateTime, utcnow
from portal.models.user import User

# The events an endpoint may subscribe to (README "Webhooks" documents each payload).
WEBHOOK_EVENTS: tuple[str, ...] = ("lead.created", "lead.converted", "engagement.stage_changed", "quote.accepted")


class DeliveryStatus(enum.StrEnum):
    """pending -> sent, or pending (retry later) ... -> failed after the last attempt."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class WebhookEndpoint(db.Model):
    """An address that receives the events it subscribed to, signed with its own secret.

    Signing (HMAC) needs the secret itself, so a hash would not do: it is stored encrypted
    under DATA_ENCRYPTION_KEYS, and shown to the admin once, when the endpoint is created."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(String(200), default="")
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    secret: Mapped[str] = mapped_column(EncryptedString())
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    created_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<WebhookEndpoint {self.id} {self.url}>"


class WebhookDelivery(db.Model):
    """One event for one endpoint: its exact body, and how posting it went so far."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("endpoint_id", "event_id"),
        CheckConstraint("status IN ('pending', 'sent', 'failed')", name="status_known"),
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[str] = mapped_column(String(40))
    event: Mapped[str] = mapped_column(String(40))
    # The JSON body exactly as signed and posted, the same on every attempt.
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=DeliveryStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_response: Mapped[str | None] = mapped_column(Text)  # the first characters of the answer
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    endpoint: Mapped[WebhookEndpoint] = relationship()

    def __repr__(self) -> str:
        return f"<WebhookDelivery {self.id} {self.event} {self.status}>"

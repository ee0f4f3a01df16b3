"""The client's status page: its signed links, and the documents the consultant asks the client for.

A StatusLink is one link sent to the client's contact. Only the SHA-256 of its random
nonce is stored, so the database alone never yields a working link; the signed token
(portal.client_status.tokens) carries the link id and the nonce. At most one link of an
engagement is live: a new one revokes the others (the service does it, in one transaction).

A DocumentRequest is one thing the client must provide (an organisation chart, a list of
legal requirements), with its due date; the client answers it with one or more
DocumentUploads through the status page, and the consultant accepts it or returns it
with a comment (the client then uploads again).
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.engagement import Engagement
from portal.models.types import UTCDateTime, utcnow
from portal.models.user import User


class StatusLink(db.Model):
    """One signed link to an engagement's status page: to whom, in which language, until when."""

    __tablename__ = "status_links"
    __table_args__ = (Index("ix_status_links_engagement_created", "engagement_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagements.id", ondelete="CASCADE"))
    nonce_hash: Mapped[str] = mapped_column(String(64))  # sha256 hex of the token's nonce
    language: Mapped[str] = mapped_column(String(5))
    recipient: Mapped[str] = mapped_column(String(254))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    engagement: Mapped[Engagement] = relationship()
    created_by: Mapped[User | None] = relationship()

    def is_live(self, now: datetime) -> bool:
        """Opens the page at `now`: not revoked and not expired."""
        return self.revoked_at is None and now < self.expires_at

    def __repr__(self) -> str:
        return f"<StatusLink {self.id} engagement {self.engagement_id}>"


class DocumentStatus(enum.StrEnum):
    """requested -> submitted -> accepted | returned; returned -> submitted again."""

    REQUESTED = "requested"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    RETURNED = "returned"


DOCUMENT_STATUSES = tuple(status.value for status in DocumentStatus)
# The client still has to act on these (the reminders and the upload form concern them).
AWAITING_CLIENT = (DocumentStatus.REQUESTED.value, DocumentStatus.RETURNED.value)


class DocumentRequest(db.Model):
    """One document the client must provide for the engagement, by a due date."""

    __tablename__ = "document_requests"
    __table_args__ = (
        CheckConstraint(
            "status IN (" + ", ".join(f"'{s}'" for s in DOCUMENT_STATUSES) + ")", name="document_status_known"
        ),
        Index("ix_document_requests_engagement", "engagement_id", "due_date"),
        Index("ix_document_requests_status_due", "status", "due_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagements.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")  # shown to the client
    due_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=DocumentStatus.REQUESTED.value)
    review_comment: Mapped[str] = mapped_column(Text, default="")  # shown to the client when returned
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    engagement: Mapped[Engagement] = relationship()
    uploads: Mapped[list[DocumentUpload]] = relationship(
        back_populates="request", order_by="DocumentUpload.uploaded_at", cascade="all, delete-orphan"
    )

    @property
    def awaits_client(self) -> bool:
        return self.status in AWAITING_CLIENT

    def __repr__(self) -> str:
        return f"<DocumentRequest {self.id} {self.status}>"


class DocumentUpload(db.Model):
    """One file the client sent for a request; the bytes are in shared storage under `client-documents/`."""

    __tablename__ = "document_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("document_requests.id", ondelete="CASCADE"), index=True)
    stored_name: Mapped[str] = mapped_column(String(80))
    original_name: Mapped[str] = mapped_column(String(255))  # shown as escaped text only
    extension: Mapped[str] = mapped_column(String(10))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    request: Mapped[DocumentRequest] = relationship(back_populates="uploads")

    def __repr__(self) -> str:
        return f"<DocumentUpload {self.id} of request {self.request_id}>"

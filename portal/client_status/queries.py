"""Reads of the client status area: the engagement a link opens, its links and its document requests."""

from __future__ import annotations

import enum
from datetime import datetime

from flask import abort, current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from portal.client_status import tokens
from portal.core.signing import SignedProblem
from portal.domain import lifecycle
from portal.extensions import db
from portal.models import DocumentRequest, DocumentUpload, Engagement, StatusLink


class LinkProblem(enum.StrEnum):
    """Why a status link opens nothing; the page says so with 400 (invalid) or 410 (gone)."""

    INVALID = "invalid"  # tampered, garbage, or the nonce of another link
    EXPIRED = "expired"  # past the lifetime it was sent with
    REVOKED = "revoked"  # replaced by a newer link, or revoked by the consultant
    CLOSED = "closed"  # the engagement was closed

    @property
    def status(self) -> int:
        return 400 if self is LinkProblem.INVALID else 410


def open_link(token: str, now: datetime) -> StatusLink | LinkProblem:
    """The link `token` stands for, if it still opens its engagement's page at `now`; otherwise why not."""
    read = tokens.read_token(token)
    if read is SignedProblem.EXPIRED:
        return LinkProblem.EXPIRED
    if isinstance(read, SignedProblem):
        return LinkProblem.INVALID
    link_id, nonce = read
    link = db.session.get(StatusLink, link_id, options=[joinedload(StatusLink.engagement)])
    if link is None or not tokens.matches(nonce, link.nonce_hash):
        return LinkProblem.INVALID
    if link.revoked_at is not None:
        return LinkProblem.REVOKED
    if not link.is_live(now):
        return LinkProblem.EXPIRED
    if link.engagement.stage == lifecycle.CLOSED:
        return LinkProblem.CLOSED
    return link


def latest_link(engagement: Engagement) -> StatusLink | None:
    return db.session.scalar(
        select(StatusLink)
        .where(StatusLink.engagement_id == engagement.id)
        .order_by(StatusLink.created_at.desc(), StatusLink.id.desc())
        .limit(1)
    )


def client_language(engagement: Engagement, latest: StatusLink | None) -> str:
    """The language to write to the client in: the last link's, else the enquiry's, else the firm's."""
    languages = current_app.config["LANGUAGES"]
    for language in (latest.language if latest else None, engagement.lead.language if engagement.lead else None):
        if language in languages:
            return language
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def document_requests(engagement: Engagement) -> list[DocumentRequest]:
    """The engagement's requests with their files, soonest due first."""
    return list(
        db.session.scalars(
            select(DocumentRequest)
            .where(DocumentRequest.engagement_id == engagement.id)
            .options(selectinload(DocumentRequest.uploads))
            .order_by(DocumentRequest.due_date, DocumentRequest.id)
        )
    )


def request_or_404(engagement_id: int, request_id: int) -> DocumentRequest:
    request = db.session.get(DocumentRequest, request_id)
    if request is None or request.engagement_id != engagement_id:
        abort(404)
    return request


def upload_or_404(engagement_id: int, request_id: int, upload_id: int) -> DocumentUpload:
    upload = db.session.get(DocumentUpload, upload_id)
    if upload is None or upload.request_id != request_id or upload.request.engagement_id != engagement_id:
        abort(404)
    return upload

"""The privacy notice as versioned data, and the consents recorded against it.

A notice is never edited in place: publishing changed words adds the next version, so each
consent record keeps pointing at the exact text the person was shown (PDPL art. 10: proof of
consent). The first version is the text shipped in portal/data/privacy_notice.json, written
to the database the first time a consent needs it (GET pages read it without writing).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from portal.core import audit
from portal.core.content_version import kept_for_version
from portal.core.errors import ServiceError
from portal.domain.notice_text import Block, blocks, content_hash, normalise
from portal.extensions import db
from portal.models import ConsentRecord, Lead, PrivacyNotice, User
from portal.models.types import utcnow

logger = logging.getLogger(__name__)

DEFAULT_NOTICE = Path(__file__).resolve().parent.parent / "data" / "privacy_notice.json"


@dataclass(frozen=True)
class NoticeView:
    """What the privacy page shows: the version's number, date and text in the reader's language."""

    number: int
    published_at: datetime
    blocks: list[Block]


@cache
def _default() -> dict[str, str]:
    return json.loads(DEFAULT_NOTICE.read_text(encoding="utf-8"))


def latest_notice() -> PrivacyNotice | None:
    return db.session.scalar(select(PrivacyNotice).order_by(PrivacyNotice.number.desc()).limit(1))


def all_notices() -> list[PrivacyNotice]:
    return list(db.session.scalars(select(PrivacyNotice).order_by(PrivacyNotice.number.desc())))


def _first_version() -> PrivacyNotice:
    """Version 1 as shipped (not stored)."""
    return PrivacyNotice(**_first_values())


def _first_values() -> dict[str, object]:
    default = _default()
    return {
        "number": 1,
        "published_at": datetime.fromisoformat(default["published"]),
        "body_en": normalise(default["en"]),
        "body_ar": normalise(default["ar"]),
        "content_hash": content_hash(default["en"], default["ar"]),
    }


def notice_for_page(language: str) -> NoticeView:
    """The version in force, in `language` (Arabic or English); the shipped text before any is stored."""
    notice = latest_notice() or _first_version()
    body = notice.body_ar if language == "ar" else notice.body_en
    return NoticeView(number=notice.number, published_at=notice.published_at, blocks=blocks(body))


def texts_in_force() -> dict[str, str]:
    """The version in force's texts, as the edit form starts from them."""
    notice = latest_notice() or _first_version()
    return {"body_en": notice.body_en, "body_ar": notice.body_ar}


def _insert_if_free(values: dict[str, object]) -> PrivacyNotice | None:
    """Store a version unless another transaction stored its number first (then None): one
    INSERT ... ON CONFLICT DO NOTHING, so two enquiries or two admins at once neither fail
    nor need a savepoint."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(PrivacyNotice).values(**values).on_conflict_do_nothing(index_elements=["number"])
    new_id = db.session.execute(statement.returning(PrivacyNotice.id)).scalar()
    return db.session.get(PrivacyNotice, new_id) if new_id is not None else None


def current_notice() -> PrivacyNotice:
    """The version in force, stored first if the database has none yet (the migration stores
    it; a database made otherwise gets it from the first enquiry, or the first of several at
    once). Flushes."""
    notice = latest_notice() or _insert_if_free(_first_values()) or latest_notice()
    assert notice is not None  # stored just now, or by the transaction that won the race
    return notice


def publish_notice(body_en: str, body_ar: str, actor: User) -> PrivacyNotice:
    """Publish changed words as the next version (audited). The same words again are refused:
    nothing changed, so consents given meanwhile stay on the version in force. Flushes."""
    body_en, body_ar = normalise(body_en), normalise(body_ar)
    errors = {}
    if not body_en:
        errors["body_en"] = _("Write the notice in English.")
    if not body_ar:
        errors["body_ar"] = _("Write the notice in Arabic.")
    if errors:
        raise ServiceError.for_fields(errors)
    current = current_notice()
    digest = content_hash(body_en, body_ar)
    if digest == current.content_hash:
        raise ServiceError(_("The text is the same as version %(number)s: nothing to publish.", number=current.number))
    notice = _insert_if_free(
        {
            "number": current.number + 1,
            "published_at": utcnow(),
            "body_en": body_en,
            "body_ar": body_ar,
            "content_hash": digest,
            "published_by_id": actor.id,
        }
    )
    if notice is None:
        raise ServiceError.conflict(_("Someone published a new version meanwhile. Reload the page to see it."))
    audit.record("privacy.notice_published", actor, notice, {"number": notice.number, "hash": digest})
    logger.info("privacy notice version %s published by %s", notice.number, actor.email)
    return notice


def _latest_notice_id() -> int | None:
    return db.session.scalar(select(PrivacyNotice.id).order_by(PrivacyNotice.number.desc()).limit(1))


def notice_id_in_force() -> int:
    """The id of the version in force, as consents record it. Kept per content version (a notice
    is a watched row): every enquiry records two consents, and loading the notice's texts for
    them was the dearest read of the POST. A version published on another server is seen
    within CONTENT_VERSION_MAX_AGE, as the privacy page itself is. Flushes the first time."""
    max_age = current_app.config["CONTENT_VERSION_MAX_AGE"]
    notice_id = kept_for_version(db.session, "privacy.notice_in_force", max_age, _latest_notice_id)
    return notice_id if notice_id is not None else current_notice().id


def record_consents(
    lead: Lead, *, marketing: bool, language: str, page: str, path: str, now: datetime | None = None
) -> list[ConsentRecord]:
    """The enquiry's consent and the marketing choice (given or not), each its own row against
    the notice version in force. Flushes."""
    notice_id = notice_id_in_force()
    recorded_at = now or utcnow()
    rows = [
        ConsentRecord(
            lead=lead,
            notice_id=notice_id,
            purpose=purpose,
            granted=granted,
            recorded_at=recorded_at,
            language=language,
            page=page,
            path=path[:300],
        )
        for purpose, granted in (("enquiry", True), ("marketing", marketing))
    ]
    db.session.add_all(rows)
    db.session.flush()
    return rows

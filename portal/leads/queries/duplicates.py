"""Possible duplicates of a lead, found with one query, each with its match reasons."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import joinedload

from portal.domain.duplicates import ContactKey, MatchReason, match_reasons, window
from portal.extensions import db
from portal.models import Lead


@dataclass(frozen=True)
class PossibleDuplicate:
    lead: Lead
    reasons: tuple[MatchReason, ...]


def contact_key(lead: Lead) -> ContactKey:
    return ContactKey(
        email=lead.email_normalised or "",
        phone=lead.phone or "",
        company=lead.company_normalised or "",
        created_at=lead.created_at,
    )


def possible_duplicates(lead: Lead) -> list[PossibleDuplicate]:
    """Other leads (not merged pointers) from 180 days either side sharing e-mail, phone or company."""
    key = contact_key(lead)
    matches = [Lead.email_normalised == key.email] if key.email else []
    if key.phone:
        matches.append(Lead.phone == key.phone)
    if key.company:
        matches.append(Lead.company_normalised == key.company)
    if not matches:
        return []
    start, end = window(key.created_at)
    candidates = db.session.scalars(
        select(Lead)
        .where(
            and_(
                Lead.id != lead.id,
                Lead.duplicate_of_id.is_(None),
                Lead.created_at >= start,
                Lead.created_at <= end,
                or_(*matches),
            )
        )
        .options(joinedload(Lead.assigned_to))
        .order_by(Lead.created_at)
    )
    found = []
    for candidate in candidates:
        reasons = match_reasons(key, contact_key(candidate))
        if reasons:
            found.append(PossibleDuplicate(candidate, reasons))
    return found


def merged_into(lead: Lead) -> list[Lead]:
    """Leads that were merged into this one (their pages still exist as pointers)."""
    return list(db.session.scalars(select(Lead).where(Lead.duplicate_of_id == lead.id).order_by(Lead.created_at)))

"""Reads of leads shared by the inbox, the lead page and other areas (the dashboard, the board)."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from portal.auth.queries import assignable_users
from portal.core.reference import active_standards
from portal.extensions import db
from portal.models import Activity, Lead, LeadAttachment, Standard, Tag, User


def lead_for_page(lead_id: int) -> Lead | None:
    """The lead with everything its page shows about it, loaded at once."""
    return db.session.scalar(
        select(Lead)
        .where(Lead.id == lead_id)
        .options(
            joinedload(Lead.sector),
            joinedload(Lead.region),
            joinedload(Lead.assigned_to),
            joinedload(Lead.duplicate_of),
            selectinload(Lead.standards),
            selectinload(Lead.tags),
        )
    )


class LeadFormChoices(NamedTuple):
    """The options of the lead page's forms."""

    users: list[User]  # the people a lead can go to
    standards: list[Standard]  # what an engagement can be for
    tags: list[Tag]  # the admins' tag list


def form_choices() -> LeadFormChoices:
    return LeadFormChoices(
        assignable_users(), active_standards(), list(db.session.scalars(select(Tag).order_by(func.lower(Tag.name))))
    )


def lead_timeline(lead: Lead) -> list[Activity]:
    """The lead's timeline, newest first, with each entry's author."""
    return list(
        db.session.scalars(
            select(Activity)
            .where(Activity.lead_id == lead.id)
            .options(joinedload(Activity.author))
            .order_by(Activity.created_at.desc(), Activity.id.desc())
        )
    )


def lead_attachments(lead: Lead) -> list[LeadAttachment]:
    """The files attached to the lead, newest first, with who attached each."""
    return list(
        db.session.scalars(
            select(LeadAttachment)
            .where(LeadAttachment.lead_id == lead.id)
            .options(joinedload(LeadAttachment.uploaded_by))
            .order_by(LeadAttachment.created_at.desc(), LeadAttachment.id.desc())
        )
    )

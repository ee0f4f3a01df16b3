"""Converting a qualified lead into a client and an engagement.

The client is found by normalised company name (one client per organisation, never a
duplicate) or created from the lead's contact. The engagement starts at gap_analysis,
owned by the lead's assigned consultant. A lead converts once: the status check
refuses a second try, and the unique engagements.lead_id refuses it at the database.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.core import audit, webhook_events
from portal.core.errors import ServiceError
from portal.domain import lead_status
from portal.domain.lifecycle import GAP_ANALYSIS
from portal.extensions import db
from portal.leads.services import (
    ActivityKind,
    check_version,
    ensure_not_erased,
    ensure_not_merged,
    record_activity,
    set_status,
)
from portal.models import Client, Engagement, Lead, Standard, User

logger = logging.getLogger(__name__)


def engagement_for(lead: Lead) -> Engagement | None:
    """The engagement a converted lead became, if any."""
    return db.session.scalar(select(Engagement).where(Engagement.lead_id == lead.id))


def _client_for(lead: Lead) -> Client:
    """The client with the lead's normalised company name, created if there is none yet."""
    name_key = lead.company_normalised or lead.company.strip().casefold()
    query = select(Client).where(Client.name_normalised == name_key)
    client = db.session.scalar(query)
    if client is not None:
        return client
    client = Client(
        name=lead.company,
        name_normalised=name_key,
        contact_name=lead.contact_name,
        contact_email=lead.email,
        contact_phone=lead.phone or "",
    )
    try:
        with db.session.begin_nested():  # another conversion may create the same client meanwhile
            db.session.add(client)
    except IntegrityError:
        client = db.session.scalar(query)
        if client is None:
            raise
    return client


def convert(lead: Lead, actor: User, standard_ids: Sequence[int], expected_version: int | None = None) -> Engagement:
    """Turn a qualified, assigned lead into a client (new or existing) and an engagement."""
    check_version(lead, expected_version)
    ensure_not_merged(lead)
    ensure_not_erased(lead)
    if lead.status == lead_status.CONVERTED or engagement_for(lead) is not None:
        raise ServiceError(_("This lead has already been converted."))
    if lead.status != lead_status.QUALIFIED:
        raise ServiceError(_("Only a qualified lead can be converted; qualify it first."))
    if lead.assigned_to is None:
        raise ServiceError(_("Assign the lead to the consultant who will own the engagement first."), field="assignee")
    standards = list(
        db.session.scalars(select(Standard).where(Standard.id.in_(set(standard_ids)), Standard.active.is_(True)))
    )
    if not standards or len(standards) != len(set(standard_ids)):
        raise ServiceError(_("Choose the standards the engagement is for."), field="standards")
    client = _client_for(lead)
    engagement = Engagement(client=client, owner=lead.assigned_to, lead_id=lead.id, stage=GAP_ANALYSIS)
    engagement.standards = sorted(standards, key=lambda s: s.position)
    db.session.add(engagement)
    set_status(lead, lead_status.CONVERTED, actor, via_conversion=True)
    db.session.flush()
    record_activity(
        lead, actor, ActivityKind.CONVERSION, client_id=client.id, client=client.name, engagement_id=engagement.id
    )
    audit.record("lead.converted", actor, lead, {"client_id": client.id, "engagement_id": engagement.id})
    db.session.flush()
    webhook_events.lead_converted(lead, engagement)
    logger.info("lead %s converted to engagement %s (client %s) by %s", lead.id, engagement.id, client.id, actor.email)
    return engagement

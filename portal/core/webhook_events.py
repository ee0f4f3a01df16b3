"""The four webhook events and their payloads, queued by the services that cause them.

One function per event, so the payloads (documented in README "Webhooks") have one home.
A payload names things by their stable ids, references and slugs; it never carries
internal notes, prices of quotes not accepted, or staff passwords and sessions.
"""

from __future__ import annotations

from typing import Any

from portal.core.webhooks import emit
from portal.models import Engagement, Lead, Quote, StageChange

LEAD_CREATED = "lead.created"
LEAD_CONVERTED = "lead.converted"
STAGE_CHANGED = "engagement.stage_changed"
QUOTE_ACCEPTED = "quote.accepted"


def _lead(lead: Lead) -> dict[str, Any]:
    return {
        "id": lead.id,
        "reference": lead.reference,
        "status": lead.status,
        "created_at": lead.created_at.isoformat(),
        "source": lead.source,
        "language": lead.language,
        "contact_name": lead.contact_name,
        "email": lead.email,
        "phone": lead.phone,
        "company": lead.company,
        "standards": [standard.slug for standard in lead.standards],
        "sector": lead.sector.code if lead.sector else None,
        "region": lead.region.slug if lead.region else None,
        "employees": lead.employees,
        "sites": lead.sites,
        "score": lead.score,
    }


def _engagement(engagement: Engagement) -> dict[str, Any]:
    return {
        "id": engagement.id,
        "stage": engagement.stage,
        "client": {"id": engagement.client.id, "name": engagement.client.name},
        "owner_email": engagement.owner.email if engagement.owner else None,
        "standards": [standard.slug for standard in engagement.standards],
        "certificate_number": engagement.certificate_number or None,
        "expiry_date": engagement.expiry_date.isoformat() if engagement.expiry_date else None,
    }


def lead_created(lead: Lead) -> None:
    """A new enquiry (not one the spam checks closed)."""
    emit(LEAD_CREATED, lambda: {"lead": _lead(lead)})


def lead_converted(lead: Lead, engagement: Engagement) -> None:
    emit(LEAD_CONVERTED, lambda: {"lead": _lead(lead), "engagement": _engagement(engagement)})


def stage_changed(engagement: Engagement, change: StageChange) -> None:
    emit(
        STAGE_CHANGED,
        lambda: {
            "engagement": _engagement(engagement),
            "from": change.from_stage,
            "to": change.to_stage,
            "reason": change.reason or None,
        },
    )


def quote_accepted(quote: Quote) -> None:
    """The accepted quote's own figures only (the declined ones' prices stay in the portal)."""
    emit(
        QUOTE_ACCEPTED,
        lambda: {
            "quote": {
                "id": quote.id,
                "certification_body": {"id": quote.certification_body.id, "name": quote.certification_body.name},
                "currency": quote.currency,
                "initial_fee": str(quote.initial_fee),
                "surveillance_fee": str(quote.surveillance_fee),
                "recertification_fee": str(quote.recertification_fee),
                "travel_fee": str(quote.travel_fee),
                "valid_until": quote.valid_until.isoformat() if quote.valid_until else None,
            },
            "engagement": _engagement(quote.engagement),
        },
    )

"""What the client page shows about the people to talk to."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from portal.models import Client, Engagement


@dataclass(frozen=True)
class Contact:
    """A person to talk to at the client, and where they come from in words (main contact, or which enquiry)."""

    name: str
    email: str
    phone: str
    origin: str


def contacts(client: Client, engagements: list[Engagement]) -> list[Contact]:
    """The client's main contact, then each converted enquiry's sender, once per e-mail address."""
    found: list[Contact] = []
    seen: set[str] = set()
    if client.contact_name or client.contact_email:
        found.append(Contact(client.contact_name, client.contact_email, client.contact_phone, _("Main contact")))
        seen.add(client.contact_email.casefold())
    for engagement in engagements:
        lead = engagement.lead
        if lead is not None and lead.email.casefold() not in seen:
            seen.add(lead.email.casefold())
            found.append(
                Contact(
                    lead.contact_name,
                    lead.email,
                    lead.phone,
                    _("From enquiry %(reference)s", reference=lead.reference or ""),
                )
            )
    return found

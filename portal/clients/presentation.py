"""What the client page shows about the people to talk to."""

from __future__ import annotations

from dataclasses import dataclass

from portal.models import Client, Engagement


@dataclass(frozen=True)
class Contact:
    """A person to talk to at the client: its main contact, or an enquiry's sender."""

    name: str
    email: str
    phone: str
    source: str


def contacts(client: Client, engagements: list[Engagement]) -> list[Contact]:
    """The client's main contact, then each converted enquiry's sender, once per e-mail address."""
    found: list[Contact] = []
    seen: set[str] = set()
    if client.contact_name or client.contact_email:
        found.append(Contact(client.contact_name, client.contact_email, client.contact_phone, "client"))
        seen.add(client.contact_email.casefold())
    for engagement in engagements:
        lead = engagement.lead
        if lead is not None and lead.email.casefold() not in seen:
            seen.add(lead.email.casefold())
            found.append(Contact(lead.contact_name, lead.email, lead.phone, lead.reference or ""))
    return found

"""Clearly fictional demo data for trying the portal (`flask seed demo`).

Every person here lives at @demo.example.om (a reserved example domain), so demo
rows can never be mistaken for, or mailed to, real people. Loading is idempotent:
rows are matched on their natural key and created only when missing.
"""

from __future__ import annotations

import secrets

from portal.auth.services import create_user, find_user_by_email
from portal.demo.certificates import load_demo_certificates
from portal.demo.engagements import load_demo_engagements
from portal.demo.leads import load_demo_leads
from portal.demo.quotes import load_demo_quotes
from portal.demo.registrars import load_demo_registrars
from portal.demo.sector_leads import load_demo_sector_leads
from portal.models import Role

DEMO_DOMAIN = "demo.example.om"

DEMO_STAFF: tuple[tuple[str, str], ...] = (
    ("Salma Demo (fictional consultant)", f"salma.consultant@{DEMO_DOMAIN}"),
    ("Khalid Demo (fictional consultant)", f"khalid.consultant@{DEMO_DOMAIN}"),
)


def load_demo_staff() -> int:
    """Create the demo consultants that are missing; return how many were created.

    They get random passwords nobody knows: they exist to own and be assigned work.
    For a second login to try the portal with, use `flask users create`.
    """
    created = 0
    for name, email in DEMO_STAFF:
        if find_user_by_email(email) is None:
            create_user(email=email, name=name, role=Role.CONSULTANT, password=secrets.token_urlsafe(24))
            created += 1
    return created


def load_demo_data() -> dict[str, int]:
    """Add every kind of demo row that is missing; return counts created per kind.

    Expects the reference data to be loaded already (later demo rows refer to it).
    """
    return {
        "staff": load_demo_staff(),
        "leads": load_demo_leads(),
        "hospital_and_school_leads": load_demo_sector_leads(),
        "registrars": load_demo_registrars(),
        "engagements": load_demo_engagements(),
        "certificates": load_demo_certificates(),
        "quotes": load_demo_quotes(),
    }

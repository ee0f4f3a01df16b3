"""The consultancy that runs the portal, as its settings name it.

A real consultancy deploys the portal under its own name, so no page, e-mail or piece of
structured data spells a name out: each asks `current_firm()`. The settings are checked
at start-up (portal.config.check_firm_name): the name never contains "ISO".
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app


@dataclass(frozen=True)
class Firm:
    """Who we are, for headers, footers, signatures and schema.org data; unset fields are None."""

    name: str
    legal_name: str | None
    address: str | None
    cr_number: str | None
    email: str | None
    phone: str | None
    two_factor_issuer: str


def current_firm() -> Firm:
    """The firm as this app's settings describe it (the legal name falls back to nothing, not the name)."""
    config = current_app.config
    name = config["FIRM_NAME"]
    return Firm(
        name=name,
        legal_name=config.get("FIRM_LEGAL_NAME") or None,
        address=config.get("FIRM_ADDRESS") or None,
        cr_number=config.get("FIRM_CR_NUMBER") or None,
        email=config.get("CONTACT_EMAIL") or None,
        phone=config.get("CONTACT_PHONE") or None,
        two_factor_issuer=config.get("TWO_FACTOR_ISSUER") or name,
    )

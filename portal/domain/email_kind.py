"""What kind of address an enquiry came from: a company's, a free-mail provider's, or a throwaway one.

A company address is a stronger signal of a genuine business enquiry than a free-mail
one, and a disposable address usually means spam. Neither refuses the visitor: the kind
is stored on the lead, shown to the consultant and used by the score (lead_scoring).
"""

from __future__ import annotations

import enum

import disposable_email_domains

# The common consumer mail providers. Omantel's consumer mail (omantel.net.om) is left out:
# businesses use it too, so it says nothing either way.
FREE_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "yahoo.com",
        "ymail.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "gmx.com",
        "mail.com",
        "yandex.com",
        "zoho.com",
    }
)


DISPOSABLE_DOMAINS: frozenset[str] = frozenset(disposable_email_domains.blocklist)


class EmailKind(enum.StrEnum):
    COMPANY = "company"
    FREE = "free"
    DISPOSABLE = "disposable"


def email_kind(address: str) -> EmailKind:
    """The kind of `address` by its domain (case and surrounding space ignored)."""
    domain = address.strip().rpartition("@")[2].lower().rstrip(".")
    if domain in DISPOSABLE_DOMAINS:
        return EmailKind.DISPOSABLE
    if domain in FREE_MAIL_DOMAINS:
        return EmailKind.FREE
    return EmailKind.COMPANY

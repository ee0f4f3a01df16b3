"""Which addresses count as free-mail or disposable (flagged on the lead, never refused)."""

from __future__ import annotations

import pytest

from portal.domain.email_kind import EmailKind, email_kind


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("fatma@gmail.com", EmailKind.FREE),
        ("Fatma@GMail.COM ", EmailKind.FREE),
        ("a.b@outlook.com", EmailKind.FREE),
        ("x@proton.me", EmailKind.FREE),
        ("bot@mailinator.com", EmailKind.DISPOSABLE),
        ("bot@10minutemail.com", EmailKind.DISPOSABLE),
        ("quality@omanpetro.om", EmailKind.COMPANY),
        ("ops@mail.gmail.com.example.om", EmailKind.COMPANY),  # a company domain that only contains a provider's name
    ],
)
def test_addresses_are_classified_by_their_domain(address, kind):
    assert email_kind(address) == kind

"""The quote pages are valid HTML by the Nu checker (consultants' pages and the body's link pages)."""

from __future__ import annotations

from portal.models import Role
from portal.quotes.tokens import make_token
from tests.fixtures.nu_checker import nu_errors
from tests.fixtures.quotes import body_taking_quotes, engagement_for_quotes, received_quote


def test_quote_pages_are_valid_html(client, reference, login_as, make_quote, tmp_path):
    engagement = engagement_for_quotes()
    answered = received_quote(engagement, body_taking_quotes("Gulf Assurance"), initial_audit_days=None)
    received_quote(engagement, body_taking_quotes("Quick Cert"))
    waiting = make_quote(engagement, status="requested", certification_body=body_taking_quotes("Slow Cert"))
    pages = [
        "/q/" + make_token(waiting.id, waiting.token_nonce),
        "/q/" + make_token(answered.id, answered.token_nonce),
        "/q/not-a-token",
    ]
    files = [client.get(path).data for path in pages]
    login_as(Role.CONSULTANT)
    for path in (
        f"/app/engagements/{engagement.id}/quotes",
        f"/app/engagements/{engagement.id}/quotes/{answered.id}/edit",
    ):
        files.append(client.get(path).data)
    messages = nu_errors(files, tmp_path)
    assert messages == [], messages[:5]

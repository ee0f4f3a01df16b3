"""The inbox (with its list of keys), a lead page with files and the board with movable cards
are valid HTML by the Nu checker."""

from __future__ import annotations

import io

from portal.models import Role
from tests.fixtures.auth import csrf_token_from
from tests.fixtures.documents import PDF
from tests.fixtures.engagements import add_engagement
from tests.fixtures.leads import add_lead
from tests.fixtures.nu_checker import nu_errors

# Found on these pages before the files, keys and board moves were added (the inbox's and the
# timeline's <time> carry microseconds; the lead page's required selects start with a real choice).
KNOWN = (
    "A fraction of a second must be one, two, or three digits.",
    "The first child “option” element of a “select” element with a “required” attribute",
)


def test_inbox_lead_page_and_board_are_valid_html(client, reference, login_as, tmp_path):
    consultant = login_as(Role.CONSULTANT)
    lead = add_lead()
    add_engagement(owner=consultant, stage="internal_audit")
    html = client.get(f"/app/leads/{lead.id}").get_data(as_text=True)
    data = {"csrf_token": csrf_token_from(html), "file": (io.BytesIO(PDF), "Scope.pdf")}
    assert client.post(f"/app/leads/{lead.id}/attachments", data=data).status_code == 302
    pages = [client.get(path).data for path in ("/app/leads/", f"/app/leads/{lead.id}", "/app/engagements/")]
    assert b'id="inbox-keys"' in pages[0] and b"Scope.pdf" in pages[1] and b"board-pick" in pages[2]
    messages = [
        message for message in nu_errors(pages, tmp_path) if not any(known in message["message"] for known in KNOWN)
    ]
    assert messages == [], messages[:5]

"""The lead timeline's words come from portal.leads.presentation, not from the template."""

from __future__ import annotations

from portal.leads.presentation import lead_timeline_entries
from portal.models import Activity


def titles(app, *activities: Activity) -> list[tuple[str, bool]]:
    with app.test_request_context():
        return [(entry.title, entry.fold_body) for entry in lead_timeline_entries(activities)]


def test_each_kind_is_worded_and_only_an_email_is_folded(app):
    assert titles(
        app,
        Activity(kind="note", details=None),
        Activity(kind="call", details={"outcome": "no_answer"}),
        Activity(kind="call", details={"outcome": "carrier_pigeon"}),
        Activity(kind="email", details={"subject": "Hello"}),
        Activity(kind="status_change", details={"old": "new", "new": "contacted"}),
        Activity(kind="assignment", details={"to_name": "Aisha", "from_name": None}),
        Activity(kind="assignment", details={"to_name": None, "from_name": "Aisha"}),
        Activity(kind="merge", details={"merged": "L-0002"}),
        Activity(kind="merge", details={"into": "L-0001"}),
        Activity(kind="conversion", details={"client": "Acme", "engagement_id": 7}),
        Activity(kind="created", details={}),
        Activity(kind="lead_reopened", details={}),
    ) == [
        ("Note", False),
        ("Call: No answer", False),
        ("Call: carrier_pigeon", False),
        ("E-mail sent: Hello", True),
        ("Status: New → Contacted", False),
        ("Assigned to Aisha", False),
        ("Unassigned (was Aisha)", False),
        ("Merged L-0002 into this lead", False),
        ("Merged into L-0001", False),
        ("Converted: client Acme, engagement #7", False),
        ("Enquiry received", False),
        ("Lead reopened", False),
    ]

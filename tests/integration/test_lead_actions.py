"""Every triage action on the lead page, through the real forms (CSRF on), including refusals."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Activity, AuditLog, Lead, OutboxMessage, Role
from tests.fixtures.auth import csrf_token_from
from tests.fixtures.leads import add_lead


@pytest.fixture()
def consultant(login_as):
    return login_as(Role.CONSULTANT, name="Salim Al Harthy", email="salim@example.om")


def post(client, lead: Lead, action: str, **data):
    """Send an action form as the page renders it: CSRF token and the version the page showed."""
    html = client.get(f"/app/leads/{lead.id}").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', html)
    form = {"csrf_token": csrf_token_from(html)}
    if version:
        form["version"] = version.group(1)
    form.update({key: str(value) for key, value in data.items()})
    return client.post(f"/app/leads/{lead.id}/{action}", data=form)


def fresh(lead: Lead) -> Lead:
    db.session.expire_all()
    return db.session.get(Lead, lead.id)


def activities(lead: Lead, kind: str) -> list[Activity]:
    return list(db.session.scalars(select(Activity).where(Activity.lead_id == lead.id, Activity.kind == kind)))


# --- assignment ---------------------------------------------------------------------------


def test_assigning_a_colleague_emails_them_and_writes_the_timeline(client, consultant, make_user, reference) -> None:
    colleague = make_user(Role.CONSULTANT, name="Maryam", email="maryam@example.om")
    lead = add_lead()
    response = post(client, lead, "assign", assignee=colleague.id)
    assert response.status_code == 302
    assert fresh(lead).assigned_to_id == colleague.id
    (message,) = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "lead_assigned"))
    assert message.recipient == "maryam@example.om"
    assert lead.reference in message.subject and f"/app/leads/{lead.id}" in message.body_text
    (entry,) = activities(lead, "assignment")
    assert entry.author_id == consultant.id and entry.details["to_name"] == "Maryam"
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "lead.assigned")) is not None
    assert "Assigned to Maryam" in client.get(f"/app/leads/{lead.id}").get_data(as_text=True)


def test_assigning_to_oneself_sends_no_email(client, consultant, reference) -> None:
    lead = add_lead()
    assert post(client, lead, "assign", assignee=consultant.id).status_code == 302
    assert fresh(lead).assigned_to_id == consultant.id
    assert db.session.scalars(select(OutboxMessage)).all() == []


def test_reassigning_and_unassigning(client, consultant, make_user, reference) -> None:
    first = make_user(Role.CONSULTANT, name="First")
    second = make_user(Role.CONSULTANT, name="Second")
    lead = add_lead(assigned_to_id=first.id)
    assert post(client, lead, "assign", assignee=second.id).status_code == 302
    assert fresh(lead).assigned_to_id == second.id
    assert post(client, lead, "assign", assignee=0).status_code == 302
    assert fresh(lead).assigned_to_id is None
    assert [a.details["to_name"] for a in activities(lead, "assignment")] == ["Second", ""]


def test_assigning_an_inactive_user_is_refused(client, consultant, make_user, reference) -> None:
    gone = make_user(Role.CONSULTANT, name="Gone", active=False)
    lead = add_lead()
    response = post(client, lead, "assign", assignee=gone.id)
    assert response.status_code == 400
    assert fresh(lead).assigned_to_id is None


# --- status -------------------------------------------------------------------------------


def test_new_to_contacted_to_qualified(client, consultant, reference) -> None:
    lead = add_lead()
    assert post(client, lead, "status", status="contacted").status_code == 302
    assert fresh(lead).status == "contacted"
    assert post(client, lead, "status", status="qualified").status_code == 302
    assert fresh(lead).status == "qualified"
    assert [(a.details["old"], a.details["new"]) for a in activities(lead, "status_change")] == [
        ("new", "contacted"),
        ("contacted", "qualified"),
    ]


@pytest.mark.parametrize("start", ["new", "contacted", "qualified"])
@pytest.mark.parametrize("closed", ["unqualified", "spam"])
def test_open_leads_close_with_a_reason(client, consultant, reference, start: str, closed: str) -> None:
    lead = add_lead(status=start)
    assert post(client, lead, "status", status=closed, reason="Student project").status_code == 302
    lead = fresh(lead)
    assert lead.status == closed and lead.status_reason == "Student project"


def test_closing_without_a_reason_is_refused_next_to_the_field(client, consultant, reference) -> None:
    lead = add_lead()
    response = post(client, lead, "status", status="unqualified", reason="")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(r'id="reason-error"[^>]*>Give a reason', html)
    assert fresh(lead).status == "new"


def test_reopening_an_unqualified_lead(client, consultant, reference) -> None:
    lead = add_lead(status="unqualified", status_reason="No budget")
    assert post(client, lead, "status", status="new").status_code == 302
    lead = fresh(lead)
    assert lead.status == "new" and lead.status_reason == ""


@pytest.mark.parametrize(
    ("start", "target"),
    [
        ("new", "qualified"),
        ("contacted", "new"),
        ("spam", "new"),
        ("converted", "qualified"),
        ("qualified", "converted"),
    ],
)
def test_forbidden_transitions_are_refused(client, consultant, reference, start: str, target: str) -> None:
    lead = add_lead(status=start)
    response = post(client, lead, "status", status=target, reason="because")
    assert response.status_code == 400
    assert fresh(lead).status == start
    assert activities(lead, "status_change") == []


# --- notes, calls, e-mails ----------------------------------------------------------------


def test_adding_a_note(client, consultant, reference) -> None:
    lead = add_lead()
    assert post(client, lead, "note", note="Wants a quote before Ramadan.").status_code == 302
    (note,) = activities(lead, "note")
    assert note.body == "Wants a quote before Ramadan." and note.author_id == consultant.id
    assert "Wants a quote before Ramadan." in client.get(f"/app/leads/{lead.id}").get_data(as_text=True)


def test_an_empty_note_is_refused(client, consultant, reference) -> None:
    lead = add_lead()
    response = post(client, lead, "note", note="   ")
    assert response.status_code == 400
    assert 'id="note-error"' in response.get_data(as_text=True)
    assert activities(lead, "note") == []


def test_logging_a_call(client, consultant, reference) -> None:
    lead = add_lead()
    assert post(client, lead, "call", outcome="reached", call_notes="Two sites, 40 staff.").status_code == 302
    (call,) = activities(lead, "call")
    assert call.details == {"outcome": "reached"} and call.body == "Two sites, 40 staff."


def test_a_call_with_an_unknown_outcome_is_refused(client, consultant, reference) -> None:
    lead = add_lead()
    assert post(client, lead, "call", outcome="teleported").status_code == 400
    assert activities(lead, "call") == []


def test_sending_a_template_email_goes_through_the_outbox_and_timeline(client, consultant, reference) -> None:
    lead = add_lead(contact_name="Aisha", email="aisha@alnoor.om")
    response = post(client, lead, "email", template="request_info", personal_message="See you soon.")
    assert response.status_code == 302
    (message,) = db.session.scalars(select(OutboxMessage))
    assert message.recipient == "aisha@alnoor.om" and message.reply_to == "salim@example.om"
    assert "Dear Aisha" in message.body_text and "See you soon." in message.body_text
    (entry,) = activities(lead, "email")
    assert entry.details["outbox_id"] == message.id and entry.details["template"] == "request_info"
    page = client.get(f"/app/leads/{lead.id}").get_data(as_text=True)
    assert f"E-mail sent: {message.subject}" in page


def test_spam_leads_are_not_emailed(client, consultant, reference) -> None:
    lead = add_lead(status="spam", status_reason="honeypot")
    assert post(client, lead, "email", template="follow_up").status_code == 400
    assert db.session.scalars(select(OutboxMessage)).all() == []


# --- merging ------------------------------------------------------------------------------


def test_merging_a_duplicate_moves_standards_and_activity_and_keeps_a_pointer(client, consultant, reference) -> None:
    original = add_lead(email="info@alnoor.om", standards=("iso-9001",))
    duplicate = add_lead(email="INFO@alnoor.om", standards=("iso-14001", "iso-9001"))
    assert post(client, duplicate, "note", note="Called twice").status_code == 302
    response = post(client, duplicate, "merge", target=original.id)
    assert response.status_code == 302
    duplicate, original = fresh(duplicate), db.session.get(Lead, original.id)
    assert duplicate.duplicate_of_id == original.id
    assert duplicate.status == "unqualified"
    assert sorted(s.slug for s in original.standards) == ["iso-14001", "iso-9001"]
    assert [a.body for a in activities(original, "note")] == ["Called twice"]
    assert [a.details["into"] for a in activities(duplicate, "merge")] == [original.reference]
    assert db.session.get(Lead, duplicate.id) is not None  # nothing deleted
    page = client.get(f"/app/leads/{duplicate.id}").get_data(as_text=True)
    assert "This lead was merged into" in page and 'data-testid="status-form"' not in page
    original_page = client.get(f"/app/leads/{original.id}").get_data(as_text=True)
    assert "Called twice" in original_page and duplicate.reference in original_page


def test_merging_leaves_no_chains_and_carries_the_assignee(client, consultant, make_user, reference) -> None:
    owner = make_user(Role.CONSULTANT, name="Owner")
    original = add_lead()
    duplicate = add_lead(assigned_to_id=owner.id)
    older_pointer = add_lead(duplicate_of_id=duplicate.id, status="unqualified")
    assert post(client, duplicate, "merge", target=original.id).status_code == 302
    db.session.expire_all()
    assert db.session.get(Lead, older_pointer.id).duplicate_of_id == original.id
    assert db.session.get(Lead, original.id).assigned_to_id == owner.id


def test_merging_a_lead_into_itself_is_refused(client, consultant, reference) -> None:
    lead = add_lead()
    response = post(client, lead, "merge", target=lead.id)
    assert response.status_code == 400
    assert "cannot be merged into itself" in response.get_data(as_text=True)
    assert fresh(lead).duplicate_of_id is None


@pytest.mark.parametrize("target", ["0", "99999999999999999999", "²", "ENQ-2026-000001"])
def test_merging_into_no_lead_is_refused_next_to_the_field(client, consultant, reference, target) -> None:
    lead = add_lead()
    response = post(client, lead, "merge", target=target)
    assert response.status_code == 400
    assert "Choose the lead to merge into." in response.get_data(as_text=True)
    assert fresh(lead).duplicate_of_id is None


def test_merging_into_a_merged_lead_or_a_converted_lead_away_is_refused(client, consultant, reference) -> None:
    root = add_lead()
    pointer = add_lead(duplicate_of_id=root.id, status="unqualified")
    lead = add_lead()
    assert post(client, lead, "merge", target=pointer.id).status_code == 400
    converted = add_lead(status="converted")
    assert post(client, converted, "merge", target=root.id).status_code == 400
    assert fresh(lead).duplicate_of_id is None and db.session.get(Lead, converted.id).duplicate_of_id is None


def test_a_merged_lead_takes_no_more_actions(client, consultant, reference) -> None:
    root = add_lead()
    pointer = add_lead(duplicate_of_id=root.id, status="unqualified")
    response = post(client, pointer, "status", status="new")
    assert response.status_code == 400
    assert "merged into" in response.get_data(as_text=True)
    assert fresh(pointer).status == "unqualified"


# --- permissions and CSRF -----------------------------------------------------------------


def test_actions_need_a_login(client, reference) -> None:
    lead = add_lead()
    token = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
    response = client.post(
        f"/app/leads/{lead.id}/status", data={"csrf_token": token, "status": "contacted", "version": "1"}
    )
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert fresh(lead).status == "new"


def test_actions_without_the_csrf_token_are_refused(client, consultant, reference) -> None:
    lead = add_lead()
    response = client.post(f"/app/leads/{lead.id}/status", data={"status": "contacted", "version": "1"})
    assert response.status_code == 400
    assert fresh(lead).status == "new"


def test_action_on_an_unknown_lead_is_404(client, consultant, reference) -> None:
    lead = add_lead()
    token = csrf_token_from(client.get(f"/app/leads/{lead.id}").get_data(as_text=True))
    assert client.post("/app/leads/999/note", data={"csrf_token": token, "note": "x"}).status_code == 404

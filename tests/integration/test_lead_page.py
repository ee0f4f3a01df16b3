"""The lead page: everything the visitor sent, the score, duplicates both ways, the timeline."""

from __future__ import annotations

from datetime import timedelta

from portal.domain.lead_scoring import LeadFacts, score_lead
from portal.extensions import db
from portal.leads.queries.duplicates import possible_duplicates
from portal.leads.services import add_note, log_call
from portal.models import Activity, Role
from tests.fixtures.leads import add_lead
from tests.fixtures.queries import count_queries


def test_anonymous_visitors_are_sent_to_login(client, reference) -> None:
    lead = add_lead()
    response = client.get(f"/app/leads/{lead.id}")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_unknown_lead_is_404(client, login_as) -> None:
    login_as(Role.CONSULTANT)
    assert client.get("/app/leads/999").status_code == 404


def test_page_shows_what_the_visitor_sent_with_readiness_utm_and_score(client, login_as, reference) -> None:
    login_as(Role.CONSULTANT)
    lead = add_lead(
        contact_name="Aisha Al Balushi",
        job_title="Quality manager",
        company="Al Noor Trading LLC",
        message="We need ISO 9001 before a tender in March.",
        existing_certifications="ISO 14001",
        utm={"utm_source": "linkedin", "utm_campaign": "spring"},
        source="form",
        readiness={"overall": 62, "groups": {"context": 80, "leadership": 40}, "answers": {"ctx_issues": "partly"}},
        score=71,
        score_factors=[{"name": "size", "points": 10, "explanation": "20 employees"}],
        estimate={"initial_audit_days": "4.5", "surveillance_days_each": "1.5"},
    )
    html = client.get(f"/app/leads/{lead.id}").get_data(as_text=True)
    for text in (
        "Aisha Al Balushi",
        "Quality manager",
        "Al Noor Trading LLC",
        lead.email,
        lead.phone,
        "We need ISO 9001 before a tender in March.",
        "ISO 14001",
        "ISO 9001",
        "utm_source: linkedin",
        "utm_campaign: spring",
        "62 / 100",
        "Context of the organisation",
        "Have you written down the internal and external issues",
        "Partly",
        "Score: 71 / 100",
        "20 employees",
        "Initial audit (auditor-days)",
        "Each surveillance audit (auditor-days)",
        "Muscat",
    ):
        assert text in html, text


def test_score_lines_are_worded_by_the_portal_with_readable_factor_names(client, login_as, reference) -> None:
    login_as(Role.CONSULTANT)
    facts = LeadFacts(employees=1, standards=2, sector_code=28, has_existing_certifications=True)
    factors = [factor.as_dict() for factor in score_lead(facts).factors]
    lead = add_lead(score=sum(f["points"] for f in factors), score_factors=factors)
    html = client.get(f"/app/leads/{lead.id}").get_data(as_text=True)
    for text in ("1 employee<", "2 standards wanted", "IAF sector 28: high complexity", ">Existing certifications<"):
        assert text in html, text
    assert "Existing_certifications" not in html


def test_duplicates_are_flagged_both_ways_with_the_reason(client, login_as, reference) -> None:
    login_as(Role.CONSULTANT)
    first = add_lead(
        email="Info@AlNoor.om", company="Al Noor Trading LLC", phone="+96892000001", age=timedelta(days=100)
    )
    second = add_lead(email="info@alnoor.om", company="Other Name", phone="+96892000002")
    same_company = add_lead(email="sales@x.om", company="Al Noor Trading L.L.C.", phone="+96892000003")
    stranger = add_lead(email="someone@else.om", company="Else", phone="+96892000004")

    first_page = client.get(f"/app/leads/{first.id}").get_data(as_text=True)
    assert second.reference in first_page and same_company.reference in first_page
    assert "same e-mail" in first_page and "same company" in first_page
    assert stranger.reference not in first_page
    second_page = client.get(f"/app/leads/{second.id}").get_data(as_text=True)
    assert first.reference in second_page and "same e-mail" in second_page
    assert same_company.reference not in second_page


def test_leads_older_than_180_days_apart_are_not_duplicates(app, reference) -> None:
    old = add_lead(email="a@b.om", age=timedelta(days=200))
    new = add_lead(email="a@b.om", age=timedelta(days=10))
    recent = add_lead(email="a@b.om", age=timedelta(days=1))
    assert [d.lead.id for d in possible_duplicates(new)] == [recent.id]
    assert [d.lead.id for d in possible_duplicates(old)] == []


def test_duplicates_are_found_with_one_query(app, reference) -> None:
    lead = add_lead(email="a@b.om", phone="+96892000009")
    for _ in range(5):
        add_lead(email="a@b.om")
    db.session.expire_all()
    lead = db.session.get(type(lead), lead.id)
    with count_queries() as statements:
        found = possible_duplicates(lead)
        assert all(d.lead.assigned_to is None for d in found)
    assert len(found) == 5
    assert len(statements) == 1


def test_timeline_lists_every_activity_newest_first(client, login_as, reference) -> None:
    user = login_as(Role.CONSULTANT, name="Salim Consultant")
    lead = add_lead()
    add_note(lead, user, "First note")
    log_call(lead, user, "no_answer", "Tried the mobile")
    add_note(lead, user, "Latest note")
    db.session.commit()
    first, second, third = db.session.query(Activity).order_by(Activity.id).all()
    first.created_at -= timedelta(minutes=2)
    second.created_at -= timedelta(minutes=1)
    db.session.commit()
    html = client.get(f"/app/leads/{lead.id}").get_data(as_text=True)
    assert html.index("Latest note") < html.index("Tried the mobile") < html.index("First note")
    assert "Call: No answer" in html
    assert "Salim Consultant" in html

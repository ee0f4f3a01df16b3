"""The match page: eligible bodies ranked with their score, excluded ones with reasons,
re-running with other figures, the shortlist, and a query count that does not grow."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from babel.dates import format_date
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from portal.core.clock import today_in_oman
from portal.extensions import db
from portal.models import (
    Activity,
    CertificationBody,
    Role,
    ShortlistEntry,
)
from tests.fixtures.auth import csrf_token_from
from tests.fixtures.matching import body_accredited_for, engagement_from_enquiry
from tests.fixtures.nu_checker import nu_errors
from tests.fixtures.queries import count_queries


def eligible_names(html: str) -> list[str]:
    return re.findall(r'<h3 id="body-\d+-name" class="h6 mb-1">\d+\. ([^<]+)</h3>', html)


def excluded_section(html: str) -> str:
    match = re.search(r'data-testid="excluded-bodies">(.*?)</details>', html, re.S)
    return match.group(1) if match else ""


@pytest.fixture()
def directory(reference):
    body_accredited_for("Alpha Certification", day_rate="250")
    body_accredited_for("Beta Assurance", day_rate="300")
    body_accredited_for("Gamma Partial", standards=("iso-9001",), day_rate="400")
    body_accredited_for("Delta Look-alike", accreditation_body="UK-ABCB")
    body_accredited_for("Epsilon Offices", sectors=(33,))
    body_accredited_for("Zeta Suspended", status="suspended")
    body_accredited_for("Eta Muscat Only", serves_all_oman=False)
    body_accredited_for("Theta Dormant", active=False)


def test_staff_only(client, login_as, reference):
    engagement = engagement_from_enquiry()
    assert client.get(f"/app/engagements/{engagement.id}/match").status_code == 302
    login_as(Role.CONSULTANT)
    assert client.get("/app/engagements/999999/match").status_code == 404


def test_eligible_ranked_with_score_parts_and_excluded_with_reasons(client, login_as, directory):
    engagement = engagement_from_enquiry()
    login_as(Role.CONSULTANT)
    html = client.get(f"/app/engagements/{engagement.id}/match").get_data(as_text=True)
    assert eligible_names(html) == ["Alpha Certification", "Beta Assurance", "Gamma Partial"]
    for part in ("Coverage", "Three-year cost", "Lead time", "Language", "Track record"):
        assert f'<th scope="row" class="fw-normal">{part}</th>' in html
    assert "One integrated audit is possible." in html
    assert "ISO 45001: no accreditation in the directory." in html  # Gamma covers ISO 9001 only

    excluded = excluded_section(html)
    assert (
        "UK-ABCB is not an IAF MLA signatory (the recognitions Global Accreditation Cooperation Incorporated"
        in excluded
    )
    assert "IAF sector 28 is not in its scope." in excluded
    assert "suspended." in excluded
    assert "Does not work in the client&#39;s location and does not travel there." in excluded
    assert "Inactive in the directory." in excluded
    for name in ("Delta Look-alike", "Epsilon Offices", "Zeta Suspended", "Eta Muscat Only", "Theta Dormant"):
        assert name in excluded and name not in eligible_names(html)


def test_days_and_three_year_cost_per_body(client, login_as, directory):
    engagement = engagement_from_enquiry()
    login_as(Role.CONSULTANT)
    html = client.get(f"/app/engagements/{engagement.id}/match").get_data(as_text=True)
    # 40 people, construction: ISO 9001 4 + ISO 45001 (high) 7 = 11, less 10% integrated = 10 days initial.
    assert "Initial audit 10 days (stage 1 3.5, stage 2 6.5)" in html
    alpha = html[html.index("Alpha Certification") :]
    # 10/3 = 3.33 and 20/3 = 6.67 go to the nearest half day (IAF MD 5:2019 2.2.3).
    assert "10 days initial, 3.5 each surveillance, 6.5 recertification" in alpha
    assert "OMR 4,250.000 over three years" in alpha  # (10 + 2 x 3.5) x 250
    gamma = html[html.index("Gamma Partial") :]
    assert "4 days initial, 1.5 each surveillance, 2.5 recertification" in gamma  # ISO 9001 alone


def test_changing_complexity_reruns_with_other_days(client, login_as, directory):
    engagement = engagement_from_enquiry()
    login_as(Role.CONSULTANT)
    html = client.get(f"/app/engagements/{engagement.id}/match?personnel=40&sites=1&language=ar&ohs=low").get_data(
        as_text=True
    )
    assert "Initial audit 7 days" in html  # (4 + 4) less 10% = 7.2, to the nearest half day (MD 5 2.2.3)
    assert '<option value="">Sector default (high)</option>' in html  # construction, OH&S
    assert 'name="ems"' not in html  # no ISO 14001 here: no environmental complexity to set
    assert re.search(r'<option selected value="low">|<option value="low" selected>', html)


def test_a_special_case_sector_asks_the_consultant_for_the_category(client, login_as, directory):
    # Nuclear fuel (IAF 11): IAF MD 5 leaves the OH&S category to the certification body; no default is guessed.
    engagement = engagement_from_enquiry(sector=11)
    login_as(Role.CONSULTANT)
    html = client.get(f"/app/engagements/{engagement.id}/match").get_data(as_text=True)
    assert "No default: IAF MD 5 leaves it to the certification body" in html
    error = re.search(r'id="ohs-error"[^>]*>([^<]*)<', html)
    assert error and "leaves the occupational health and safety (OH&amp;S) complexity to the certification" in error[1]
    chosen = client.get(f"/app/engagements/{engagement.id}/match?ohs=high").get_data(as_text=True)
    assert "Initial audit 10 days" in chosen  # 4 + 7 (OH&S high, 26-45) = 11, less 10% = 9.9 -> 10


def test_bad_figures_get_a_message_by_the_field_and_the_match_still_runs(client, login_as, directory):
    engagement = engagement_from_enquiry()
    login_as(Role.CONSULTANT)
    html = client.get(f"/app/engagements/{engagement.id}/match?personnel=0&ohs=extreme").get_data(as_text=True)
    assert re.search(r'id="personnel-error"[^>]*>Enter a number from 1 to 1,000,000.', html)
    assert re.search(r'id="ohs-error"[^>]*>Choose a complexity from the list.', html)
    assert "Initial audit 10 days" in html  # the engagement's own figures


def test_engagement_without_an_enquiry_asks_for_the_personnel(client, login_as, directory):
    engagement = engagement_from_enquiry(with_lead=False)
    login_as(Role.CONSULTANT)
    assert "Enter the effective personnel" in client.get(f"/app/engagements/{engagement.id}/match").get_data(
        as_text=True
    )
    html = client.get(f"/app/engagements/{engagement.id}/match?personnel=40").get_data(as_text=True)
    assert eligible_names(html)[0] == "Alpha Certification"


def test_shortlist_add_twice_then_remove(client, login_as, directory):
    engagement = engagement_from_enquiry()
    user = login_as(Role.CONSULTANT)
    alpha = db.session.scalar(select(CertificationBody).where(CertificationBody.name == "Alpha Certification"))
    page = client.get(f"/app/engagements/{engagement.id}/match?ohs=low").get_data(as_text=True)
    token = csrf_token_from(page)
    url = f"/app/engagements/{engagement.id}/shortlist/{alpha.id}"
    assert f'action="{url}"' in page  # each body's button posts to its own address
    first = client.post(url, data={"csrf_token": token, "query": "ohs=low"})
    assert first.status_code == 302
    assert first.headers["Location"].endswith(f"/app/engagements/{engagement.id}/match?ohs=low#body-{alpha.id}")
    client.post(url, data={"csrf_token": token})
    entries = db.session.scalars(select(ShortlistEntry)).all()
    assert [(e.engagement_id, e.certification_body_id, e.added_by_id) for e in entries] == [
        (engagement.id, alpha.id, user.id)
    ]
    html = client.get(f"/app/engagements/{engagement.id}/match").get_data(as_text=True)
    assert "Remove Alpha Certification from the shortlist" in html
    assert f'action="{url}/remove"' in html
    assert f'href="/app/engagements/{engagement.id}/quotes">Request quotes</a>' in html  # on to the request

    client.post(f"{url}/remove", data={"csrf_token": token})
    assert db.session.scalars(select(ShortlistEntry)).all() == []
    actions = [a.details["action"] for a in db.session.scalars(select(Activity).where(Activity.kind == "shortlist"))]
    assert actions == ["added", "removed"]


def test_shortlist_needs_the_csrf_token(client, login_as, directory):
    engagement = engagement_from_enquiry()
    login_as(Role.CONSULTANT)
    alpha = db.session.scalar(select(CertificationBody).where(CertificationBody.name == "Alpha Certification"))
    assert client.post(f"/app/engagements/{engagement.id}/shortlist/{alpha.id}").status_code == 400
    assert db.session.scalars(select(ShortlistEntry)).all() == []


def test_query_count_does_not_grow_with_the_directory(client, login_as, reference, steady_content_version):
    engagement = engagement_from_enquiry()
    login_as(Role.CONSULTANT)
    url = f"/app/engagements/{engagement.id}/match"
    for n in range(2):
        body_accredited_for(f"Small {n}")
    with count_queries() as few:
        client.get(url)
    for n in range(20):
        body_accredited_for(f"Large {n}", languages=("en",), serves_all_oman=bool(n % 2))
    with count_queries() as many:
        html = client.get(url).get_data(as_text=True)
    assert len(eligible_names(html)) + html.count('data-testid="excluded-body"') == 22
    assert len(many) == len(few)


def test_long_lists_show_the_best_first_and_all_on_request(client, login_as, directory, monkeypatch):
    from portal.matching import presentation as match_page

    monkeypatch.setattr(match_page, "SHOWN_ELIGIBLE", 2)
    monkeypatch.setattr(match_page, "SHOWN_EXCLUDED", 1)
    engagement = engagement_from_enquiry()
    login_as(Role.CONSULTANT)
    html = client.get(f"/app/engagements/{engagement.id}/match?ohs=high").get_data(as_text=True)
    assert eligible_names(html) == ["Alpha Certification", "Beta Assurance"]
    assert "3 eligible bodies" in html and "5 excluded bodies, with the reasons" in html
    assert excluded_section(html).count('data-testid="excluded-body"') == 1
    show_all = re.search(r'<a href="([^"]+)">Show all</a>', html).group(1).replace("&amp;", "&")
    assert "ohs=high" in show_all and "all=1" in show_all
    everything = client.get(show_all).get_data(as_text=True)
    assert eligible_names(everything) == ["Alpha Certification", "Beta Assurance", "Gamma Partial"]
    assert excluded_section(everything).count('data-testid="excluded-body"') == 5


def test_match_page_is_valid_html_by_the_nu_checker(client, login_as, directory, tmp_path):
    engagement = engagement_from_enquiry()
    login_as(Role.CONSULTANT)
    url = f"/app/engagements/{engagement.id}/match"
    errors = nu_errors([client.get(url).data, client.get(f"{url}?personnel=many&ohs=low").data], tmp_path)
    assert [(e["lastLine"], e["message"]) for e in errors] == []


@pytest.fixture()
def match_url(login_as, directory) -> str:
    """A consultant logged in, and the match page of a fresh engagement (set up once per test)."""
    login_as(Role.CONSULTANT)
    return f"/app/engagements/{engagement_from_enquiry().id}/match"


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.sampled_from(["personnel", "sites", "language", "ems", "ohs", "target_date", "all"]),
        st.one_of(
            st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=30),
            st.integers(-(10**12), 10**12).map(str),
            st.sampled_from(["high", "limited", "ar", "2027-02-30", "2027-06-01", "1"]),
        ),
        max_size=7,
    )
)
def test_any_figures_get_the_page_never_an_error(client, match_url, query):
    assert client.get(match_url, query_string=query).status_code == 200


@pytest.mark.parametrize(
    ("target_in_days", "wording"),
    [(None, "within the next 6 months."), (60, "within 6 months after the target date.")],
)
def test_an_accreditation_expiring_soon_is_a_warning_worded_for_the_target(
    client, login_as, reference, target_in_days, wording
):
    today = today_in_oman()
    body_accredited_for("Soon Expiring", valid_until=today + timedelta(days=150))
    target = {"wanted_by": today + timedelta(days=target_in_days)} if target_in_days else {}
    engagement = engagement_from_enquiry(**target)
    login_as(Role.CONSULTANT)
    html = client.get(f"/app/engagements/{engagement.id}/match").get_data(as_text=True)
    assert eligible_names(html) == ["Soon Expiring"]
    assert f"expires on {format_date(today + timedelta(days=150), 'medium', locale='en')}, {wording}" in html


def test_coverage_is_worded_in_the_singular_for_one_standard(client, login_as, directory):
    engagement = engagement_from_enquiry(standards=("iso-9001",))
    login_as(Role.CONSULTANT)
    html = client.get(f"/app/engagements/{engagement.id}/match").get_data(as_text=True)
    assert "1 of 1 standard." in html and "of 1 standards" not in html
    both = client.get(f"/app/engagements/{engagement_from_enquiry().id}/match").get_data(as_text=True)
    assert "2 of 2 standards. One integrated audit is possible." in both and "1 of 2 standards." in both


def test_a_directory_edit_shows_at_once_though_the_bodies_are_kept(client, login_as, directory):
    """The bodies' own columns are kept per content version: a body switched off, and another's
    day rate changed, show on the next page."""
    engagement = engagement_from_enquiry()
    login_as(Role.CONSULTANT)
    url = f"/app/engagements/{engagement.id}/match"
    assert "Alpha Certification" in eligible_names(client.get(url).get_data(as_text=True))
    bodies = {body.name: body for body in db.session.scalars(select(CertificationBody))}
    bodies["Alpha Certification"].active = False
    bodies["Beta Assurance"].day_rate = Decimal("123")
    db.session.commit()
    html = client.get(url).get_data(as_text=True)
    assert "Alpha Certification" not in eligible_names(html)
    assert "Alpha Certification" in excluded_section(html) and "Inactive in the directory." in excluded_section(html)
    assert "OMR 123.000 a day" in html


def test_an_accreditation_edit_changes_the_match_at_once(client, login_as, directory):
    """The accreditations are kept per content version too: one suspended through the registrar
    form, and another's sector taken out of its scope (a change to the scope table alone), show
    on the next page."""
    engagement = engagement_from_enquiry()
    login_as(Role.ADMIN)
    url = f"/app/engagements/{engagement.id}/match"
    assert eligible_names(client.get(url).get_data(as_text=True)) == [
        "Alpha Certification",
        "Beta Assurance",
        "Gamma Partial",
    ]
    alpha, beta = (
        db.session.scalar(select(CertificationBody).where(CertificationBody.name == name))
        for name in ("Alpha Certification", "Beta Assurance")
    )
    suspended = next(a for a in alpha.accreditations if a.standard.code == "ISO 9001")
    edit = f"/app/registrars/{alpha.slug}/accreditations/{suspended.id}/edit"
    form = {
        "csrf_token": csrf_token_from(client.get(edit).get_data(as_text=True)),
        "accreditation_body": "GAC",
        "standard": "ISO 9001",
        "sectors": ["28"],
        "number": suspended.number,
        "valid_from": suspended.valid_from.isoformat(),
        "valid_until": suspended.valid_until.isoformat(),
        "status": "suspended",
        "version": str(suspended.version),
    }
    assert client.post(edit, data=form).status_code == 302
    assert "alpha-certification-0): suspended." in client.get(url).get_data(as_text=True)

    next(a for a in beta.accreditations if a.standard.code == "ISO 45001").sectors = []
    db.session.commit()
    html = client.get(url).get_data(as_text=True)
    assert "beta-assurance-1): IAF sector 28 is not in its scope." in html
    partial = "Covers 1 of the 2 standards: the others need another body."
    assert html.count(partial) == 3  # Alpha and Beta now, as Gamma before

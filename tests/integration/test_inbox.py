"""The lead inbox /app/leads/: filters in the query string, search, sort, pages, query count."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Lead, Region, Role, Standard
from tests.fixtures.leads import add_lead
from tests.fixtures.queries import count_queries

pytestmark = pytest.mark.usefixtures("reference")

REFERENCE = re.compile(r">(ENQ-2026-\d{6})<")


def shown(client, query: str = "") -> list[str]:
    response = client.get("/app/leads/" + query)
    assert response.status_code == 200
    return REFERENCE.findall(response.get_data(as_text=True))


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get("/app/leads/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_default_view_is_open_leads_newest_first(client, login_as):
    login_as(Role.CONSULTANT)
    old = add_lead(age=timedelta(days=3), status="contacted")
    new = add_lead(age=timedelta(hours=2))
    add_lead(status="converted")
    add_lead(status="spam")
    qualified = add_lead(age=timedelta(days=1), status="qualified")
    assert shown(client) == [new.reference, qualified.reference, old.reference]


def test_status_filter_all_and_single(client, login_as):
    login_as()
    open_lead = add_lead()
    spam = add_lead(status="spam")
    assert set(shown(client, "?status=all")) == {open_lead.reference, spam.reference}
    assert shown(client, "?status=spam") == [spam.reference]


def test_assigned_filters_me_none_and_a_consultant(client, login_as, make_user):
    me = login_as()
    colleague = make_user()
    mine = add_lead(assigned_to_id=me.id)
    theirs = add_lead(assigned_to_id=colleague.id)
    nobody = add_lead()
    assert shown(client, "?assigned=me") == [mine.reference]
    assert shown(client, "?assigned=none") == [nobody.reference]
    assert shown(client, f"?assigned={colleague.id}") == [theirs.reference]


def test_standard_sector_and_location_filters(client, login_as):
    login_as()
    food = add_lead(standards=("iso-22000",), sector=3, region="salalah")
    quality = add_lead(standards=("iso-9001", "iso-14001"), sector=28, region="seeb")
    assert shown(client, "?standard=iso-22000") == [food.reference]
    assert shown(client, "?standard=iso-14001") == [quality.reference]
    assert shown(client, "?sector=28") == [quality.reference]
    assert shown(client, "?location=salalah") == [food.reference]
    # A governorate includes the cities in it.
    assert shown(client, "?location=muscat-governorate") == [quality.reference]


def test_filters_follow_an_edit_of_the_reference_data_at_once(client, login_as):
    """The filters' reference lists are kept per content version: a city added to a governorate,
    and a standard retired, are filtered by on the next page."""
    login_as()
    muscat = db.session.scalar(select(Region).where(Region.slug == "muscat-governorate"))
    assert shown(client, "?location=muscat-governorate") == []  # the lists are kept now
    db.session.add(Region(slug="al-khoud", name="Al Khoud", kind="city", governorate_id=muscat.id, position=99))
    db.session.commit()
    lead = add_lead(region="al-khoud", standards=("iso-22000",))
    assert shown(client, "?location=muscat-governorate") == [lead.reference]
    db.session.scalar(select(Standard).where(Standard.slug == "iso-22000")).active = False
    db.session.commit()
    assert shown(client, "?standard=iso-22000") == [lead.reference]  # a retired standard still filters
    assert 'value="iso-22000"' not in client.get("/app/leads/").get_data(as_text=True)  # no longer offered


def test_filters_combine(client, login_as):
    login_as()
    match = add_lead(standards=("iso-9001",), region="sohar", score=80)
    add_lead(standards=("iso-9001",), region="sohar", score=20)
    add_lead(standards=("iso-45001",), region="sohar", score=90)
    assert shown(client, "?standard=iso-9001&location=sohar&score_min=50") == [match.reference]


def test_score_range_and_created_dates(client, login_as):
    login_as()
    low = add_lead(score=10, created_at=datetime(2026, 3, 1, 8, 0, tzinfo=UTC))
    high = add_lead(score=90, created_at=datetime(2026, 3, 10, 8, 0, tzinfo=UTC))
    assert shown(client, "?score_min=50&score_max=100") == [high.reference]
    assert shown(client, "?score_max=10") == [low.reference]
    assert shown(client, "?created_from=2026-03-05") == [high.reference]
    # The end date is inclusive, in Muscat time.
    assert shown(client, "?created_from=2026-03-01&created_to=2026-03-01") == [low.reference]


def test_duplicates_filter_finds_leads_sharing_contact_details(client, login_as):
    login_as()
    first = add_lead(email="Sara@Falaj.example.om")
    second = add_lead(email="sara@falaj.example.om")
    add_lead()
    assert set(shown(client, "?duplicates=1")) == {first.reference, second.reference}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("Nizwa%20Dates", "company"),
        ("huda", "contact"),
        ("huda@nizwa-dates", "email"),
        ("9123%204567", "phone"),
        ("cold%20storage", "message"),
    ],
)
def test_search_covers_company_contact_email_phone_and_message(client, login_as, query, field):
    login_as()
    target = add_lead(
        company="Nizwa Dates Factory SAOC",
        contact_name="Huda Al Hinai",
        email="huda@nizwa-dates.example.om",
        phone="+96891234567",
        message="We run a cold storage for dates.",
    )
    add_lead()
    assert shown(client, f"?q={query}") == [target.reference], field


def test_a_whole_reference_goes_straight_to_its_lead(client, login_as):
    login_as()
    add_lead()
    target = add_lead(reference="ENQ-2026-004711", status="converted")  # not in the default view
    response = client.get("/app/leads/?q=enq-2026-004711")  # typed in lower case
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/app/leads/{target.id}")


def test_an_unknown_reference_shows_an_empty_list_not_a_redirect(client, login_as):
    login_as()
    add_lead(reference="ENQ-2026-004711")
    assert shown(client, "?q=ENQ-2026-004712&status=all") == []


@pytest.mark.parametrize("query", ["004711", "2026-004711", "4711", "ENQ-2026-0047"])
def test_part_of_a_reference_finds_the_lead(client, login_as, query):
    login_as()
    target = add_lead(reference="ENQ-2026-004711")
    add_lead()
    assert shown(client, f"?q={query}") == [target.reference]


def test_search_treats_wildcards_as_text(client, login_as):
    login_as()
    add_lead(company="Plain Co")
    assert shown(client, "?q=%25") == []


def test_sort_by_score_and_company(client, login_as):
    login_as()
    b = add_lead(company="Beta Trading", score=10)
    a = add_lead(company="alpha Services", score=70)
    c = add_lead(company="Gamma Oil", score=40)
    assert shown(client, "?sort=-score") == [a.reference, c.reference, b.reference]
    assert shown(client, "?sort=company") == [a.reference, b.reference, c.reference]
    assert shown(client, "?sort=created") == [b.reference, a.reference, c.reference]


def test_bad_values_are_ignored_with_a_message_next_to_the_field(client, login_as):
    login_as()
    lead = add_lead()
    response = client.get("/app/leads/?sort=drop_table&score_min=lots&created_from=yesterday&q=Company")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert REFERENCE.findall(html) == [lead.reference]
    assert 'id="filter-sort-error"' in html and "Unknown sort order." in html
    assert 'id="filter-score_min-error"' in html
    assert "Enter a date as YYYY-MM-DD." in html
    assert 'value="lots"' in html  # what the person typed stays in the field


def test_pages_and_capped_page_size(client, login_as):
    login_as()
    leads = [add_lead(age=timedelta(minutes=n)) for n in range(30)]
    newest_first = [lead.reference for lead in leads]
    assert shown(client) == newest_first[:25]
    assert shown(client, "?page=2") == newest_first[25:]
    assert len(shown(client, "?per_page=100000")) == 30
    page = client.get("/app/leads/?page=2&standard=iso-9001").get_data(as_text=True)
    assert "Page 2 of 2" in page
    # The page links keep the filters.
    assert "standard=iso-9001" in re.search(r'href="([^"]*page=1[^"]*)"', page).group(1)


def test_age_label_and_waiting_badge(client, login_as):
    login_as()
    add_lead(age=timedelta(hours=3))
    add_lead(age=timedelta(days=9))
    html = client.get("/app/leads/").get_data(as_text=True)
    assert ">3 h<" in html
    assert ">9 d<" in html
    # Nine calendar days always hold more than two Oman working days; three hours never do.
    assert html.count(">Waiting<") == 1


def _inbox_query_count(client, query: str) -> int:
    # The test shares the request's session: start from an empty identity map, as a real request does.
    db.session.expunge_all()
    with count_queries() as statements:
        response = client.get("/app/leads/" + query)
    assert response.status_code == 200
    return len(statements)


def _add_varied(n: int, user_id: int) -> None:
    for i in range(n):
        add_lead(
            standards=("iso-9001", "iso-14001") if i % 2 else ("iso-45001",),
            assigned_to_id=user_id if i % 3 else None,
            region="sohar" if i % 2 else "muscat",
        )


def test_query_count_does_not_grow_with_leads_or_page_size(client, login_as, steady_content_version):
    me = login_as().id
    _add_varied(5, me)
    client.get("/app/leads/")  # the filters' reference lists, read once per content version
    small = _inbox_query_count(client, "")
    _add_varied(55, me)
    large = _inbox_query_count(client, "")
    large_page = _inbox_query_count(client, "?per_page=100")
    filtered = _inbox_query_count(client, "?per_page=100&standard=iso-9001&q=company")
    # A lead's number as said on the phone: the reference's digits, whatever number the run reached.
    number = db.session.scalar(select(Lead.reference).order_by(Lead.id.desc()).limit(1)).rsplit("-", 1)[1]
    by_number = _inbox_query_count(client, f"?q={number}")
    assert small == large == large_page == filtered == by_number
    # With the rows' tags, the tag list, the saved views and their counts; PostgreSQL asks its
    # planner before counting (portal.leads.queries.filters.capped_count).
    assert small <= 11 + (db.engine.dialect.name == "postgresql")


def test_a_whole_reference_search_costs_one_lookup(client, login_as):
    login_as()
    reference = add_lead().reference
    db.session.expunge_all()
    with count_queries() as statements:
        response = client.get(f"/app/leads/?q={reference}")
    assert response.status_code == 302
    assert len(statements) == 2  # the signed-in user, the reference


def test_rows_sharing_contact_details_are_marked_as_possible_duplicates(client, login_as):
    login_as()
    first = add_lead(phone="+96899887766")
    second = add_lead(phone="+96899887766")
    alone = add_lead()
    html = client.get("/app/leads/").get_data(as_text=True)
    marked = re.findall(r">(ENQ-2026-\d{6})</bdi></a></td>\s*<td>[^<]*<span[^>]*>Possible duplicate<", html)
    assert sorted(marked) == sorted([first.reference, second.reference])
    assert alone.reference in html


def test_counting_stops_at_the_cap_and_says_so(client, login_as, monkeypatch):
    monkeypatch.setattr("portal.leads.queries.filters.COUNT_CAP", 3)
    monkeypatch.setattr("portal.leads.routes.inbox.COUNT_CAP", 3)
    login_as()
    leads = [add_lead(age=timedelta(minutes=n)) for n in range(5)]
    leads.append(add_lead(age=timedelta(minutes=9), company="Unique Falaj Works"))
    html = client.get("/app/leads/?per_page=25").get_data(as_text=True)
    assert "More than 3 leads: narrow the filters to see them all." in html
    assert REFERENCE.findall(html) == [lead.reference for lead in leads]  # the page itself is complete
    exact = client.get("/app/leads/?q=falaj").get_data(as_text=True)
    assert "More than" not in exact and ">1 lead<" in exact

"""The engagement board and list: columns, cards, filters, pagination, moves from a card,
and a query count that does not grow with the cards."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

from portal.core.clock import today_in_oman
from portal.extensions import db
from portal.models import Engagement
from portal.models.types import utcnow
from tests.fixtures.auth import csrf_token_from
from tests.fixtures.engagements import add_engagement
from tests.fixtures.queries import count_queries
from tests.fixtures.registrars import add_body


def card_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'data-testid="engagement-card" data-engagement-id="(\d+)"', html)]


def row_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<tr data-engagement-id="(\d+)"', html)]


def column_of(html: str, engagement_id: int) -> str:
    position = html.index(f'data-engagement-id="{engagement_id}"')
    return re.findall(r'data-stage="([a-z0-9_]+)"', html[:position])[-1]


def test_the_board_has_a_column_per_stage_and_cards_in_them(client, login_as, reference) -> None:
    user = login_as(name="Salma Consultant")
    engagement = add_engagement(
        owner=user, stage="internal_audit", standards=("iso-9001", "iso-14001"), client_name="Sohar Steel LLC"
    )
    engagement.stage_entered_at = utcnow() - timedelta(days=12, hours=1)
    db.session.commit()
    response = client.get("/app/engagements/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for stage in ("gap_analysis", "registrar_selection", "recertification", "on_hold"):
        assert f'data-stage="{stage}"' in html
    assert 'data-stage="closed"' not in html
    assert column_of(html, engagement.id) == "internal_audit"
    assert "Sohar Steel LLC" in html and "ISO 9001" in html and "ISO 14001" in html
    assert "Salma Consultant" in html and "12 days in stage" in html


def test_a_card_shows_the_next_due_audit(client, login_as, reference) -> None:
    add_engagement(owner=login_as(), stage="certified", decision_date=date(2026, 3, 15))
    html = client.get("/app/engagements/").get_data(as_text=True)
    assert "Surveillance audit 1 due 2027-03-15" in html


def test_moving_a_card_returns_to_the_board_with_its_filters(client, login_as, reference) -> None:
    user = login_as()
    engagement = add_engagement(owner=user, stage="implementation")
    page = client.get("/app/engagements/?owner=me")
    html = page.get_data(as_text=True)
    assert 'name="return_to" value="owner=me"' in html
    response = client.post(
        f"/app/engagements/{engagement.id}/stage",
        data={
            "csrf_token": csrf_token_from(html),
            "version": str(engagement.version),
            "to_stage": "internal_audit",
            "note": "",
            "from": "board",
            "return_to": "owner=me",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/app/engagements/?owner=me")
    db.session.expire_all()
    assert db.session.get(Engagement, engagement.id).stage == "internal_audit"


def test_a_card_move_that_needs_more_lands_on_the_engagement_page(client, login_as, reference) -> None:
    engagement = add_engagement(owner=login_as(), stage="stage2_audit")
    html = client.get("/app/engagements/").get_data(as_text=True)
    response = client.post(
        f"/app/engagements/{engagement.id}/stage",
        data={
            "csrf_token": csrf_token_from(html),
            "version": str(engagement.version),
            "to_stage": "certified",
            "from": "board",
            "return_to": "",
        },
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="certificate_number-error"' in page and "Enter the certificate number." in page


def test_the_board_offers_only_reachable_stages_on_a_card(client, login_as, reference) -> None:
    held = add_engagement(owner=login_as(), stage="on_hold", stage_before_hold="implementation")
    html = client.get("/app/engagements/").get_data(as_text=True)
    form = html[html.index(f'id="move-{held.id}-stage"') :]
    options = re.findall(r'<option value="([a-z0-9_]+)"', form[: form.index("</select>")])
    assert options == ["implementation", "closed"]


def test_the_list_filters_by_owner_stage_standard_body_and_search(client, login_as, make_user, reference) -> None:
    me = login_as()
    other = make_user()
    body = add_body(
        (), name="Muscat Certification Services", regions=(), languages=(), country="", day_rate=Decimal("0.000")
    )
    mine = add_engagement(owner=me, stage="implementation", client_name="Alpha Trading")
    theirs = add_engagement(owner=other, stage="implementation", standards=("iso-45001",), client_name="Beta Oil")
    bodied = add_engagement(owner=other, stage="stage1_audit", client_name="Gamma Foods", certification_body=body)
    unowned = add_engagement(stage="gap_analysis", client_name="Delta Build")

    def ids(query: str) -> set[int]:
        response = client.get(f"/app/engagements/?view=list&{query}")
        assert response.status_code == 200
        return set(row_ids(response.get_data(as_text=True)))

    assert ids("") == {mine.id, theirs.id, bodied.id, unowned.id}
    assert ids("owner=me") == {mine.id}
    assert ids(f"owner={other.id}") == {theirs.id, bodied.id}
    assert ids("owner=none") == {unowned.id}
    assert ids("stage=implementation") == {mine.id, theirs.id}
    assert ids("standard=iso-45001") == {theirs.id}
    assert ids(f"body={body.id}") == {bodied.id}
    assert ids("q=gamma") == {bodied.id}
    assert ids("q=oil+beta") == {theirs.id}


def test_due_within_keeps_engagements_whose_next_audit_is_due_soon(client, login_as, reference) -> None:
    user = login_as()
    today = today_in_oman()
    soon = add_engagement(owner=user, stage="certified", decision_date=today - timedelta(days=300))
    later = add_engagement(owner=user, stage="certified", decision_date=today - timedelta(days=100))
    s2 = add_engagement(owner=user, stage="surveillance_2", decision_date=today - timedelta(days=700))
    add_engagement(owner=user, stage="implementation")
    html = client.get("/app/engagements/?view=list&due_within=90").get_data(as_text=True)
    assert set(row_ids(html)) == {soon.id, s2.id}
    assert later.id not in row_ids(html)


def test_bad_filter_values_are_ignored_and_said_next_to_their_field(client, login_as, reference) -> None:
    login_as()
    add_engagement(stage="implementation")
    response = client.get("/app/engagements/?view=list&stage=finished&due_within=soon&owner=x")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="filter-stage-error"' in html and 'id="filter-due_within-error"' in html
    assert 'id="filter-owner-error"' in html
    assert len(row_ids(html)) == 1


def test_the_list_is_paged(client, login_as, reference) -> None:
    user = login_as()
    for n in range(30):
        add_engagement(owner=user, client_name=f"Client {n:02d}")
    first = client.get("/app/engagements/?view=list").get_data(as_text=True)
    second = client.get("/app/engagements/?view=list&page=2").get_data(as_text=True)
    assert len(row_ids(first)) == 25 and len(row_ids(second)) == 5
    assert not set(row_ids(first)) & set(row_ids(second))
    assert "30 engagements" in first and "page=2" in first
    capped = client.get("/app/engagements/?view=list&per_page=100000").get_data(as_text=True)
    assert len(row_ids(capped)) == 30


def test_closed_engagements_are_listed_not_boarded(client, login_as, reference) -> None:
    closed = add_engagement(owner=login_as(), stage="closed", closed_reason="no_response")
    assert closed.id not in card_ids(client.get("/app/engagements/").get_data(as_text=True))
    assert closed.id in row_ids(client.get("/app/engagements/?view=list&stage=closed").get_data(as_text=True))


def test_the_query_count_does_not_grow_with_the_cards(client, login_as, make_user, reference) -> None:
    user = login_as()
    add_engagement(owner=user, stage="certified", decision_date=date(2025, 5, 1))
    for view in ("", "?view=list"):
        db.session.expire_all()  # the test shares the session: make both requests load the same way
        with count_queries() as few:
            assert client.get(f"/app/engagements/{view}").status_code == 200
        for n in range(8):
            add_engagement(
                owner=make_user(), stage="certified" if n % 2 else "implementation", standards=("iso-9001", "iso-14001")
            )
        db.session.expire_all()
        with count_queries() as many:
            assert client.get(f"/app/engagements/{view}").status_code == 200
        assert len(many) == len(few), (view, len(few), len(many))

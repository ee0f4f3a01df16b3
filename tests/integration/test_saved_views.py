"""Saved inbox views: tabs with their counts, own and shared views, who may delete them, the
default view, and a constant number of statements whatever the number of views, tags and leads."""

from __future__ import annotations

import html as html_text
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Role, SavedView, Tag, User
from tests.fixtures.auth import csrf_token_from, log_in, press
from tests.fixtures.leads import add_lead
from tests.fixtures.queries import count_queries

pytestmark = pytest.mark.usefixtures("reference")

REFERENCE = re.compile(r">(ENQ-2026-\d{6})<")
TAB = re.compile(
    r'<a class="nav-link( active)?" href="/app/leads/\?([^"]*)"[^>]*data-testid="view-tab">\s*([^<]+?)\s*<', re.S
)
COUNT = re.compile(r'data-testid="view-tab">.*?<span class="badge text-bg-secondary">([^<]+)</span>', re.S)


def save(client, query: str, name: str, shared: bool = False):
    token = csrf_token_from(client.get("/app/leads/" + query).get_data(as_text=True))
    data = {"view_name": name, "csrf_token": token, **({"shared": "y"} if shared else {})}
    return client.post("/app/leads/views" + query, data=data)


def tabs(html: str) -> list[tuple[str, str, bool]]:
    """(name, query, active) of each tab."""
    return [(name.strip(), html_text.unescape(query), bool(active)) for active, query, name in TAB.findall(html)]


def view_named(name: str) -> SavedView:
    return db.session.scalar(select(SavedView).where(SavedView.name == name))


def second_client(app, make_user, role: Role = Role.CONSULTANT) -> tuple:
    other = make_user(role=role)
    client = app.test_client()
    assert log_in(client, other.email).status_code == 302
    return client, other


def test_saving_a_view_keeps_the_normalised_filters_and_shows_a_tab_with_its_count(client, login_as):
    me = login_as()
    add_lead(region="sohar", status="contacted")
    add_lead(region="sohar")
    add_lead(region="muscat")
    response = save(client, "?sort=-score&location=sohar&page=2", "Sohar")
    assert response.status_code == 302
    view = view_named("Sohar")
    assert (view.owner_id, view.shared, view.query) == (me.id, False, "location=sohar&sort=-score")

    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert tabs(html) == [("Open leads", "tab=open", False), ("Sohar", "location=sohar&sort=-score", True)]
    assert 'aria-current="page"' in html
    assert COUNT.findall(html) == ["3", "2"]


def test_a_view_needs_a_name_unique_among_the_owner_s_views(client, login_as):
    login_as()
    response = save(client, "?location=sohar", "")
    assert response.status_code == 400
    assert "Give the view a name." in response.get_data(as_text=True)
    save(client, "?location=sohar", "Mine")
    response = save(client, "?location=muscat", "mine")
    assert response.status_code == 400
    assert "You already have a view with this name." in response.get_data(as_text=True)


def test_own_views_are_private_shared_views_are_everyones(app, client, login_as, make_user):
    login_as()
    save(client, "?location=sohar", "My Sohar")
    save(client, "?location=muscat", "Team Muscat", shared=True)
    other_client, _other = second_client(app, make_user)
    names = [name for name, _query, _active in tabs(other_client.get("/app/leads/").get_data(as_text=True))]
    assert names == ["Open leads", "Team Muscat"]

    private = view_named("My Sohar")
    # Someone else's private view is not there for them at all.
    assert press(other_client, f"/app/leads/views/{private.id}/default", page="/app/leads/").status_code == 404
    assert press(other_client, f"/app/leads/views/{private.id}/delete", page="/app/leads/").status_code == 404


def test_only_the_owner_or_an_admin_deletes_a_shared_view(app, client, login_as, make_user):
    login_as()
    save(client, "?location=muscat", "Team Muscat", shared=True)
    shared = view_named("Team Muscat")

    other_client, _other = second_client(app, make_user)
    response = press(other_client, f"/app/leads/views/{shared.id}/delete", page="/app/leads/")
    assert response.status_code == 403
    assert "Only the person who saved this view or an admin may change it." in response.get_data(as_text=True)
    assert view_named("Team Muscat") is not None

    admin_client, _admin = second_client(app, make_user, Role.ADMIN)
    assert press(admin_client, f"/app/leads/views/{shared.id}/delete", page="/app/leads/").status_code == 302
    db.session.expire_all()
    assert view_named("Team Muscat") is None

    save(client, "?location=sohar", "Mine")
    mine = view_named("Mine")
    assert press(client, f"/app/leads/views/{mine.id}/delete", page="/app/leads/").status_code == 302
    db.session.expire_all()
    assert view_named("Mine") is None


def rename(client, view: SavedView, name: str):
    """Send the rename form from the view's own tab, as the page does."""
    page = f"/app/leads/?{view.query}"
    return press(client, f"/app/leads/views/{view.id}/rename?{view.query}", page=page, new_name=name)


def move(client, view: SavedView, direction: str):
    return press(client, f"/app/leads/views/{view.id}/move-{direction}", page="/app/leads/?tab=open")


def tab_names(client) -> list[str]:
    return [name for name, _query, _active in tabs(client.get("/app/leads/?tab=open").get_data(as_text=True))]


def test_the_owner_renames_a_view_a_taken_name_stays_next_to_the_field(client, login_as):
    login_as()
    save(client, "?location=sohar", "Sohar")
    save(client, "?location=muscat", "Muscat")
    view = view_named("Sohar")
    html = client.get("/app/leads/?location=sohar").get_data(as_text=True)
    assert 'name="new_name"' in html and 'value="Sohar"' in html  # the open tab's form, filled in

    response = rename(client, view, "  Sohar   port  ")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/app/leads/?location=sohar")  # back on its tab
    db.session.expire_all()
    assert db.session.get(SavedView, view.id).name == "Sohar port"
    assert "Sohar port" in tab_names(client)

    response = rename(client, view, "MUSCAT")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="view-new-name-error"' in page and "You already have a view with this name." in page
    assert 'value="MUSCAT"' in page  # what was typed is kept
    assert rename(client, view, "").status_code == 400
    db.session.expire_all()
    assert db.session.get(SavedView, view.id).name == "Sohar port"


def test_views_move_earlier_and_later_and_the_tabs_follow(client, login_as):
    login_as()
    for name, region in (("One", "sohar"), ("Two", "muscat"), ("Three", "nizwa")):
        save(client, f"?location={region}", name)
    assert tab_names(client) == ["Open leads", "One", "Two", "Three"]
    three, one = view_named("Three"), view_named("One")

    response = move(client, three, "earlier")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"?{three.query}")
    assert tab_names(client) == ["Open leads", "One", "Three", "Two"]
    move(client, three, "earlier")
    move(client, three, "earlier")  # already the first of the user's views: stays there
    assert tab_names(client) == ["Open leads", "Three", "One", "Two"]
    move(client, one, "later")
    move(client, one, "later")
    assert tab_names(client) == ["Open leads", "Three", "Two", "One"]
    # The open tab offers only the moves it can make.
    html = client.get(f"/app/leads/?{three.query}").get_data(as_text=True)
    assert "Move this tab later" in html and "Move this tab earlier" not in html


def test_only_the_owner_or_an_admin_renames_or_moves_a_view(app, client, login_as, make_user):
    login_as()
    save(client, "?location=sohar", "Mine")
    save(client, "?location=muscat", "Team Muscat", shared=True)
    save(client, "?location=nizwa", "Team Nizwa", shared=True)
    private, shared = view_named("Mine"), view_named("Team Muscat")

    other_client, _other = second_client(app, make_user)
    # Someone else's private view is not there for them at all; a shared one is not theirs to change.
    assert rename(other_client, private, "Taken").status_code == 404
    assert move(other_client, private, "later").status_code == 404
    response = rename(other_client, shared, "Hijacked")
    assert response.status_code == 403
    assert "Only the person who saved this view or an admin may change it." in response.get_data(as_text=True)
    assert move(other_client, shared, "later").status_code == 403
    html = other_client.get(f"/app/leads/?{shared.query}").get_data(as_text=True)
    assert 'name="new_name"' not in html and "Move this tab" not in html
    assert tab_names(other_client) == ["Open leads", "Team Muscat", "Team Nizwa"]

    admin_client, _admin = second_client(app, make_user, Role.ADMIN)
    assert move(admin_client, shared, "later").status_code == 302
    assert rename(admin_client, shared, "All of Muscat").status_code == 302
    assert tab_names(other_client) == ["Open leads", "Team Nizwa", "All of Muscat"]
    db.session.expire_all()
    assert db.session.get(SavedView, shared.id).owner_id == view_named("Mine").owner_id  # still the owner's


def test_renaming_without_the_form_s_token_is_refused(client, login_as):
    login_as()
    save(client, "?location=sohar", "Sohar")
    view = view_named("Sohar")
    assert client.post(f"/app/leads/views/{view.id}/rename", data={"new_name": "X"}).status_code == 400
    assert client.post(f"/app/leads/views/{view.id}/move-earlier").status_code == 400
    db.session.expire_all()
    assert db.session.get(SavedView, view.id).name == "Sohar"


def test_the_default_view_opens_when_no_filters_are_asked_for(app, client, login_as, make_user):
    me = login_as()
    sohar = add_lead(region="sohar")
    muscat = add_lead(region="muscat")
    save(client, "?location=sohar", "Sohar", shared=True)
    view = view_named("Sohar")
    assert press(client, f"/app/leads/views/{view.id}/default", page="/app/leads/").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, me.id).default_view_id == view.id

    response = client.get("/app/leads/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/app/leads/?location=sohar")
    assert REFERENCE.findall(client.get(response.headers["Location"]).get_data(as_text=True)) == [sohar.reference]
    # The open leads stay one tab away, and explicit filters are never overridden.
    html = client.get("/app/leads/?tab=open").get_data(as_text=True)
    assert sorted(REFERENCE.findall(html)) == sorted([sohar.reference, muscat.reference])
    assert client.get("/app/leads/?location=muscat").status_code == 200

    # A colleague's default is theirs alone; and back to the open leads with 0.
    other_client, _other = second_client(app, make_user)
    assert other_client.get("/app/leads/").status_code == 200
    assert press(client, "/app/leads/views/0/default", page="/app/leads/?tab=open").status_code == 302
    assert client.get("/app/leads/").status_code == 200

    # Deleting the default view leaves its users with the open leads.
    press(client, f"/app/leads/views/{view.id}/default", page="/app/leads/?tab=open")
    press(client, f"/app/leads/views/{view.id}/delete", page="/app/leads/?tab=open")
    db.session.expire_all()
    assert db.session.get(User, me.id).default_view_id is None
    assert client.get("/app/leads/").status_code == 200


def test_tab_counts_are_capped_like_the_inbox_count(client, login_as, monkeypatch):
    login_as()
    monkeypatch.setattr("portal.leads.queries.filters.COUNT_CAP", 2)
    for _ in range(4):
        add_lead(region="sohar")
    add_lead(region="muscat")
    save(client, "?location=muscat", "Muscat")
    html = client.get("/app/leads/?tab=open").get_data(as_text=True)
    # Five open leads, but counting stopped at the cap + 1; the Muscat view has one.
    assert COUNT.findall(html) == ["3", "1"]


def _statements(client, query: str) -> int:
    db.session.expunge_all()
    with count_queries() as statements:
        response = client.get("/app/leads/" + query)
    assert response.status_code == 200
    return len(statements)


def test_statements_stay_constant_with_tags_views_and_response_badges(
    client, login_as, make_user, steady_content_version
):
    login_as()
    tags = [Tag(name=f"Tag {n}", colour="green") for n in range(3)]
    db.session.add_all(tags)
    db.session.commit()
    for n in range(3):
        lead = add_lead(region="sohar")
        lead.tags.append(tags[n])
    db.session.commit()
    save(client, "?location=sohar", "View 1")
    tag_ids = [tag.id for tag in tags]
    few = _statements(client, "?tab=open")

    tags = list(db.session.scalars(select(Tag).order_by(Tag.id)))
    for n in range(40):
        # Unanswered for two weeks (past any target, badged), answered, or just arrived.
        age = timedelta(days=14) if n % 3 == 0 else timedelta(minutes=5)
        lead = add_lead(region="muscat" if n % 2 else "sohar", age=age)
        lead.first_response_at = lead.created_at + timedelta(minutes=30) if n % 3 == 1 else None
        lead.tags.extend(tags[: n % 4])
    db.session.commit()
    for n in range(2, 8):
        save(client, f"?location=sohar&score_min={n}", f"View {n}", shared=n % 2 == 0)
    for colleague in (make_user(), make_user()):  # colleagues' shared views are tabs too, with their counts
        db.session.add(SavedView(name=f"{colleague.name}'s", owner=colleague, shared=True, query=f"tag={tag_ids[1]}"))
    db.session.commit()
    many = _statements(client, "?tab=open&per_page=100")
    html = client.get("/app/leads/?tab=open&per_page=100").get_data(as_text=True)
    assert len(TAB.findall(html)) == 10 and "Response overdue" in html and "tag-badge" in html
    tagged = _statements(client, f"?tag={tag_ids[0]}&per_page=50")
    assert few == many == tagged

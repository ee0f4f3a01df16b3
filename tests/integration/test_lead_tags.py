"""Tags: admins keep the list (audited), consultants tag leads one by one or in bulk (on the
lead's timeline), the inbox filters by `tag=` and shows the tags, the CSV export lists them."""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Activity, AuditLog, Lead, Role, Tag
from tests.fixtures.auth import csrf_token_from, press
from tests.fixtures.leads import add_lead

pytestmark = pytest.mark.usefixtures("reference")

REFERENCE = re.compile(r">(ENQ-2026-\d{6})<")


def add_tag(name: str, colour: str = "blue") -> Tag:
    tag = Tag(name=name, colour=colour)
    db.session.add(tag)
    db.session.commit()
    return tag


def post_form(client, url: str, data: dict, page: str):
    token = csrf_token_from(client.get(page).get_data(as_text=True))
    return client.post(url, data={**data, "csrf_token": token})


def bulk(client, ids: list[int], action: str, tag: Tag, query: str = ""):
    data = {"lead_ids": ids, "action": action, "target": f"tag-{tag.id}"}
    return post_form(client, "/app/leads/bulk" + query, data, "/app/leads/" + query)


def tag_names(lead_id: int) -> list[str]:
    db.session.expire_all()
    return [tag.name for tag in db.session.get(Lead, lead_id).tags]


def test_admin_adds_edits_and_deletes_a_tag_each_audited(client, login_as):
    login_as(Role.ADMIN)
    response = post_form(client, "/app/admin/tags", {"name": "  Hot   lead ", "colour": "red"}, "/app/admin/tags")
    assert response.status_code == 302
    tag = db.session.scalar(select(Tag))
    assert (tag.name, tag.colour) == ("Hot lead", "red")
    page = client.get("/app/admin/tags").get_data(as_text=True)
    assert 'class="badge tag-badge tag-red">Hot lead<' in page

    url = f"/app/admin/tags/{tag.id}/edit"
    assert post_form(client, url, {"name": "Hot", "colour": "amber"}, url).status_code == 302
    db.session.expire_all()
    assert (tag.name, tag.colour) == ("Hot", "amber")

    lead = add_lead()
    lead.tags.append(tag)
    db.session.commit()
    assert press(client, f"/app/admin/tags/{tag.id}/delete", page="/app/admin/tags").status_code == 302
    assert db.session.scalar(select(Tag)) is None
    assert tag_names(lead.id) == []
    actions = db.session.scalars(select(AuditLog.action).where(AuditLog.action.like("tag.%")).order_by(AuditLog.id))
    assert list(actions) == ["tag.created", "tag.updated", "tag.deleted"]


def test_a_taken_name_or_an_unknown_colour_is_refused_next_to_the_field(client, login_as):
    login_as(Role.ADMIN)
    add_tag("Government")
    response = post_form(client, "/app/admin/tags", {"name": "government", "colour": "blue"}, "/app/admin/tags")
    assert response.status_code == 400
    assert "There is already a tag with this name." in response.get_data(as_text=True)
    response = post_form(client, "/app/admin/tags", {"name": "Other", "colour": "#ff0000"}, "/app/admin/tags")
    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count()).select_from(Tag)) == 1


def test_consultants_cannot_manage_tags(client, login_as):
    login_as(Role.CONSULTANT)
    assert client.get("/app/admin/tags").status_code == 403
    token = csrf_token_from(client.get("/app/leads/").get_data(as_text=True))
    response = client.post("/app/admin/tags", data={"name": "Mine", "colour": "blue", "csrf_token": token})
    assert response.status_code == 403
    assert db.session.scalar(select(Tag)) is None


def test_consultant_tags_one_lead_and_many_then_removes_a_tag(client, login_as):
    me = login_as(Role.CONSULTANT)
    hot = add_tag("Hot")
    one, two, three = add_lead(), add_lead(), add_lead()

    assert bulk(client, [one.id], "tag", hot).status_code == 302
    assert tag_names(one.id) == ["Hot"]

    response = bulk(client, [one.id, two.id, three.id], "tag", hot)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 leads changed." in page
    assert f"{one.reference} skipped: Already tagged Hot." in page
    assert [tag_names(lead.id) for lead in (one, two, three)] == [["Hot"]] * 3

    bulk(client, [two.id], "untag", hot)
    assert tag_names(two.id) == []
    kinds = db.session.execute(
        select(Activity.lead_id, Activity.kind, Activity.author_id).where(Activity.kind.in_(("tagged", "untagged")))
    ).all()
    assert sorted(kinds) == sorted(
        [(one.id, "tagged", me.id), (two.id, "tagged", me.id), (three.id, "tagged", me.id), (two.id, "untagged", me.id)]
    )
    timeline = client.get(f"/app/leads/{two.id}").get_data(as_text=True)
    assert "Tagged Hot" in timeline and "Tag removed: Hot" in timeline


def test_bulk_tagging_without_a_known_tag_is_refused_next_to_the_target(client, login_as):
    login_as(Role.CONSULTANT)
    lead = add_lead()
    data = {"lead_ids": [lead.id], "action": "tag", "target": "tag-999999"}
    response = post_form(client, "/app/leads/bulk", data, "/app/leads/")
    assert response.status_code == 400
    assert "Choose a tag." in response.get_data(as_text=True)


def test_tag_filter_and_tags_shown_in_the_rows(client, login_as):
    login_as(Role.CONSULTANT)
    hot, government = add_tag("Hot", "red"), add_tag("Government", "teal")
    tagged, both, plain = add_lead(), add_lead(), add_lead()
    tagged.tags.append(hot)
    both.tags.extend([hot, government])
    db.session.commit()

    html = client.get(f"/app/leads/?tag={hot.id}").get_data(as_text=True)
    assert sorted(REFERENCE.findall(html)) == sorted([tagged.reference, both.reference])
    assert 'class="badge tag-badge tag-teal">Government<' in html
    html = client.get(f"/app/leads/?tag={government.id}").get_data(as_text=True)
    assert REFERENCE.findall(html) == [both.reference]
    assert plain.reference in client.get("/app/leads/").get_data(as_text=True)

    response = client.get("/app/leads/?tag=hot")
    assert response.status_code == 200
    assert "Unknown tag." in response.get_data(as_text=True)


def test_tags_are_a_column_of_the_csv_export(client, login_as):
    login_as(Role.ADMIN)
    tags = [add_tag("Hot"), add_tag("Government")]
    lead = add_lead()
    lead.tags.extend(tags)
    db.session.commit()
    response = press(client, "/app/leads/export.csv", page="/app/leads/")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True)[1:])))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Tags"] == "Government; Hot"


def test_consultant_adds_and_removes_a_tag_on_the_lead_page_both_on_its_timeline(client, login_as):
    me = login_as(Role.CONSULTANT)
    hot, cold = add_tag("Hot", "red"), add_tag("Cold")
    lead = add_lead()
    page = f"/app/leads/{lead.id}"
    html = client.get(page).get_data(as_text=True)
    assert 'data-testid="tag-form"' in html and "No tags yet." in html

    response = post_form(client, f"{page}/tags", {"tag": str(hot.id)}, page)
    assert response.status_code == 302 and response.headers["Location"].endswith(page)
    assert tag_names(lead.id) == ["Hot"]
    html = client.get(page).get_data(as_text=True)
    assert "Tagged Hot." in html  # the flash
    assert re.search(r'data-testid="lead-tag">\s*<span class="badge tag-badge tag-red">Hot</span>', html)
    # Only the tags the lead does not have yet are offered.
    options = re.search(r'<select[^>]*name="tag"[^>]*>(.*?)</select>', html, re.S).group(1)
    assert "Cold" in options and "Hot" not in options

    response = post_form(client, f"{page}/tags/{hot.id}/remove", {}, page)
    assert response.status_code == 302
    assert tag_names(lead.id) == []
    rows = db.session.execute(
        select(Activity.kind, Activity.author_id, Activity.details).where(Activity.lead_id == lead.id)
    ).all()
    assert [(kind, author, details["tag"]) for kind, author, details in rows] == [
        ("tagged", me.id, "Hot"),
        ("untagged", me.id, "Hot"),
    ]
    timeline = client.get(page).get_data(as_text=True)
    assert "Tagged Hot" in timeline and "Tag removed: Hot" in timeline
    assert cold.id  # still on the list, never on the lead


def test_a_tag_already_there_or_not_chosen_is_refused_next_to_the_field(client, login_as):
    login_as(Role.CONSULTANT)
    hot = add_tag("Hot")
    lead = add_lead()
    page = f"/app/leads/{lead.id}"
    post_form(client, f"{page}/tags", {"tag": str(hot.id)}, page)
    refusals = {
        str(hot.id): "Already tagged Hot.",
        "": "Choose a tag from the list.",
        "x": "Choose a tag from the list.",
    }
    for value, message in refusals.items():
        response = post_form(client, f"{page}/tags", {"tag": value}, page)
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    response = post_form(client, f"{page}/tags/{hot.id}/remove", {}, page)
    assert response.status_code == 302
    response = post_form(client, f"{page}/tags/{hot.id}/remove", {}, page)
    assert response.status_code == 400 and "Not tagged Hot." in response.get_data(as_text=True)
    assert post_form(client, f"{page}/tags/9999/remove", {}, page).status_code == 404
    assert tag_names(lead.id) == []


def test_tagging_from_the_lead_page_needs_the_form_s_token(client, login_as):
    hot = add_tag("Hot")
    lead = add_lead()
    login_as(Role.CONSULTANT)
    assert client.post(f"/app/leads/{lead.id}/tags", data={"tag": str(hot.id)}).status_code == 400
    assert client.post(f"/app/leads/{lead.id}/tags/{hot.id}/remove").status_code == 400
    assert tag_names(lead.id) == []

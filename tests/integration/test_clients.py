"""Client pages: the list with search and paging, a client with its engagements and contacts."""

from __future__ import annotations

import re

from tests.fixtures.engagements import add_engagement
from tests.fixtures.leads import add_lead


def client_links(html: str) -> list[str]:
    return re.findall(r'<a href="/app/clients/\d+">([^<]+)</a>', html)


def test_the_list_shows_clients_with_their_engagement_counts(client, login_as, reference) -> None:
    login_as()
    add_engagement(client_name="Sur Fisheries LLC")
    add_engagement(client_name="Sur Fisheries LLC", stage="closed")
    add_engagement(client_name="Ibri Marble")
    response = client.get("/app/clients/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert client_links(html) == ["Ibri Marble", "Sur Fisheries LLC"]
    row = html[html.index("Sur Fisheries LLC") :]
    assert re.search(r"<td>2</td>", row[: row.index("</tr>")])


def test_the_list_searches_and_pages(client, login_as, reference) -> None:
    login_as()
    for n in range(27):
        add_engagement(client_name=f"Company {n:02d}")
    add_engagement(client_name="Salalah Port Services")
    assert client_links(client.get("/app/clients/?q=salalah").get_data(as_text=True)) == ["Salalah Port Services"]
    first = client_links(client.get("/app/clients/").get_data(as_text=True))
    second = client_links(client.get("/app/clients/?page=2").get_data(as_text=True))
    assert len(first) == 25 and len(second) == 3 and not set(first) & set(second)
    assert client.get("/app/clients/?page=abc").status_code == 200


def test_a_client_page_shows_engagements_and_contacts(client, login_as, reference) -> None:
    login_as()
    lead = add_lead(contact_name="Aisha Al Balushi", email="aisha@duqm-logistics.example.om", status="converted")
    engagement = add_engagement(client_name="Duqm Logistics", stage="implementation", lead_id=lead.id)
    add_engagement(client_name="Duqm Logistics", stage="certified", standards=("iso-14001",))
    html = client.get(f"/app/clients/{engagement.client_id}").get_data(as_text=True)
    assert "Duqm Logistics" in html
    assert len(re.findall(r'href="/app/engagements/\d+"', html)) == 2
    assert "ISO 14001" in html and "Implementation" in html
    assert "Aisha Al Balushi" in html and "aisha@duqm-logistics.example.om" in html
    assert lead.reference in html


def test_a_missing_client_is_404(client, login_as) -> None:
    login_as()
    assert client.get("/app/clients/4242").status_code == 404


def test_the_navigation_links_engagements_and_clients(client, login_as) -> None:
    login_as()
    html = client.get("/app/clients/").get_data(as_text=True)
    assert 'href="/app/engagements/"' in html and 'href="/app/clients/"' in html

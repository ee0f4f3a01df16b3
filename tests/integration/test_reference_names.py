"""The reference data's names (governorates and cities, IAF sectors, standards' titles and
summaries) read in the page's language: Arabic pages, forms, the inbox and e-mails name a place,
a sector or a standard in Arabic; English ones as seeded; a name changed since reads as typed."""

from __future__ import annotations

import re

from sqlalchemy import select

from portal.extensions import db
from portal.models import OutboxMessage, Region, Role
from tests.fixtures.enquiry import submit
from tests.fixtures.leads import add_lead


def text_of(html: str, pattern: str) -> str:
    found = re.search(pattern, html, re.DOTALL)
    assert found, pattern
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


def test_a_location_page_names_its_city_and_governorate_in_the_pages_language(client, reference):
    arabic = client.get("/ar/locations/sohar").get_data(as_text=True)
    english = client.get("/locations/sohar").get_data(as_text=True)

    assert text_of(arabic, r"<h1[^>]*>(.*?)</h1>") == "شهادة الأيزو في صحار"
    assert text_of(arabic, r'<p class="lead">(.*?)</p>') == "صحار، شمال الباطنة"
    assert "<title>شهادة الأيزو في صحار" in arabic
    assert "Sohar" not in text_of(arabic, r"<main[^>]*>(.*?)</main>")
    assert text_of(english, r"<h1[^>]*>(.*?)</h1>") == "ISO certification in Sohar"


def test_a_standard_page_and_the_list_give_its_title_and_summary_in_arabic(client, reference):
    page = client.get("/ar/standards/iso-27001").get_data(as_text=True)
    listing = client.get("/ar/standards").get_data(as_text=True)

    assert "أنظمة إدارة أمن المعلومات" in text_of(page, r"<h1[^>]*>(.*?)</h1>")
    assert text_of(page, r'<p class="lead">(.*?)</p>') == (
        "حماية سرية المعلومات وسلامتها وإتاحتها بناءً على تقييم المخاطر."
    )
    assert "Risk-based protection" not in page
    assert "أنظمة إدارة الجودة" in listing and "Quality management systems" not in listing


def test_the_arabic_enquiry_form_offers_sectors_places_and_standards_in_arabic(client, reference):
    arabic = client.get("/ar/enquire").get_data(as_text=True)
    english = client.get("/enquire").get_data(as_text=True)

    assert '<option value="28">28 – البناء والتشييد</option>' in arabic
    assert '<optgroup label="شمال الباطنة"><option value="north-al-batinah">شمال الباطنة (المحافظة بأكملها)' in arabic
    assert '<option value="sohar">صحار</option>' in arabic
    assert "ISO 9001 – أنظمة إدارة الجودة" in arabic
    assert '<option value="28">28 – Construction</option>' in english
    assert '<option value="sohar">Sohar</option>' in english


def test_an_enquiry_tells_an_arabic_speaking_consultant_its_place_and_sector_in_arabic(
    enquiry_app, client, make_user, monkeypatch
):
    make_user(email="noura@example.om", locale="ar")
    monkeypatch.setitem(enquiry_app.config, "NOTIFY_EMAILS", ["noura@example.om"])

    assert submit(client, region="sohar", sector="28").status_code == 302

    notification = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "enquiry_notification"))
    assert "صحار" in notification.body_text and "البناء والتشييد" in notification.body_text


def test_the_inbox_names_the_location_in_the_consultants_language(client, reference, login_as):
    consultant = login_as(Role.CONSULTANT)
    add_lead(region="sohar")
    consultant.locale = "ar"
    db.session.commit()

    inbox = client.get("/app/leads/").get_data(as_text=True)

    assert "<td>صحار</td>" in inbox


def test_a_name_changed_since_the_seed_reads_as_typed_in_both_languages(client, reference):
    sohar = db.session.scalar(select(Region).where(Region.slug == "sohar"))
    sohar.name = "Sohar Port City"
    db.session.commit()

    assert "Sohar Port City" in client.get("/ar/locations/sohar").get_data(as_text=True)
    assert "Sohar Port City" in client.get("/locations/sohar").get_data(as_text=True)


def test_the_lead_page_gives_coded_answers_in_words_in_the_consultants_language(client, reference, login_as):
    consultant = login_as(Role.CONSULTANT)
    lead = add_lead(timeline="3_6_months", heard_from="search", message="What does the process look like?")
    english = client.get(f"/app/leads/{lead.id}").get_data(as_text=True)
    consultant.locale = "ar"
    db.session.commit()
    arabic = client.get(f"/app/leads/{lead.id}").get_data(as_text=True)

    for words in ("In 3 to 6 months", "Search engine", "The website&#39;s enquiry form", "English"):
        assert words in english
    for words in ("خلال 3 إلى 6 أشهر", "محرك بحث", "نموذج الاستفسار في الموقع"):
        assert words in arabic
    assert "3_6_months" not in arabic and ">search<" not in arabic
    # A message in English keeps its own direction on an Arabic page.
    assert '<dd class="col-sm-8 text-pre-wrap" dir="auto">What does the process look like?</dd>' in arabic

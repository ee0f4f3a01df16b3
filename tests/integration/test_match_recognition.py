"""Matching against the real reference data: MLA recognition at the level that exists
(IAF MLA Annex 1, 2022: no sub-scope for ISO 22301 or ISO 37001), and standards whose
scopes are not IAF sectors (ISO 50001: ISO 50003 technical areas; ISO/IEC 27001: the
accreditation body's own wording), as a consultant reads them on the match and registrar pages."""

from __future__ import annotations

import re
from html import unescape

from portal.models import Role
from tests.fixtures.matching import body_accredited_for, engagement_from_enquiry


def eligible_names(html: str) -> list[str]:
    return re.findall(r'<h3 id="body-\d+-name" class="h6 mb-1">\d+\. ([^<]+)</h3>', html)


def match_page(client, standards) -> str:
    engagement = engagement_from_enquiry(standards=standards)  # construction, IAF sector 28
    return unescape(client.get(f"/app/engagements/{engagement.id}/match").get_data(as_text=True))


def test_22301_and_37001_count_the_main_scope_so_gcc_and_saudi_bodies_are_eligible(client, login_as, reference):
    login_as(Role.CONSULTANT)
    body_accredited_for("Gulf Continuity", standards=("iso-22301", "iso-37001"))  # GAC: no BCMS or ABMS recorded
    body_accredited_for("Riyadh Assurance", standards=("iso-22301", "iso-37001"), accreditation_body="SAAC")

    html = match_page(client, ("iso-22301", "iso-37001"))

    assert eligible_names(html) == ["Gulf Continuity", "Riyadh Assurance"]
    assert "sub-scope" not in html.split('data-testid="eligible-body"')[1]


def test_27001_still_needs_its_isms_sub_scope(client, login_as, reference):
    login_as(Role.CONSULTANT)
    body_accredited_for("Riyadh Infosec", standards=("iso-27001",), accreditation_body="SAAC")  # SAAC: no ISMS

    html = match_page(client, ("iso-27001",))

    assert eligible_names(html) == []
    assert "SAAC has not signed the IAF MLA sub-scope this standard needs: ISMS – ISO/IEC 27001 (sub-scope)." in html


def test_50001_and_27001_do_not_compare_iaf_sectors_and_the_page_says_why(client, login_as, reference):
    login_as(Role.CONSULTANT)
    body_accredited_for(
        "Energy and Data", standards=("iso-50001", "iso-27001", "iso-9001"), accreditation_body="UKAS", sectors=(33,)
    )

    html = match_page(client, ("iso-50001", "iso-27001", "iso-9001"))

    assert eligible_names(html) == ["Energy and Data"]
    (covers,) = re.findall(r"Covers (ISO[^\n·]+)", html)
    assert set(covers.strip().split(", ")) == {"ISO 50001", "ISO/IEC 27001"}
    assert "ISO 9001 (accreditation energy-and-data-2): IAF sector 28 is not in its scope." in html
    notes = html.split('data-testid="recognition-notes"')[1].split("</section>")[0]
    assert "ISO 50001: accreditation scopes are written in ISO 50003 technical areas, not IAF sectors" in notes
    assert "ISO/IEC 27001: accreditation scopes are written in the accreditation body's own words" in notes
    assert "ISO 9001:" not in notes
    assert "Global Accreditation Cooperation Incorporated" in notes and "transition period" in notes


def test_registrar_profile_names_the_missing_scope_and_the_arrangement(client, login_as, reference):
    login_as(Role.CONSULTANT)
    body_accredited_for("Riyadh Infosec", standards=("iso-27001", "iso-22301"), accreditation_body="SAAC")

    html = unescape(client.get("/app/registrars/riyadh-infosec").get_data(as_text=True))

    assert html.count("Not signed for ISMS – ISO/IEC 27001 (sub-scope)") == 1  # ISO 22301 needs only the main scope
    note = html.split('data-testid="arrangement-note">')[1].split("</p>")[0]
    assert "Since 1 January 2026 the IAF and ILAC operate as one organisation, Global Accreditation Cooperation" in note

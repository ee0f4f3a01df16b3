"""The corrected statements of the public pages (issue 15, public wording): each wrong
sentence is gone and the right one is there, as a visitor reads it."""

from __future__ import annotations

from fractions import Fraction
from html import unescape

import pytest

from portal.domain.audit_time import STAGE1_SHARE
from tests.fixtures.registrars import add_body

DECISION = "The certification body then decides on certification, on the audit team's report."
GAC_TRANSITION = "Global Accreditation Cooperation Incorporated carries those recognitions through a transition period"


@pytest.fixture()
def read(client, reference):
    """GET a public page and return its text as a reader sees it (entities decoded)."""

    def _read(path: str) -> str:
        response = client.get(path)
        assert response.status_code == 200, path
        return unescape(response.get_data(as_text=True))

    return _read


@pytest.mark.parametrize("path", ["/estimate", "/process"])
def test_the_body_decides_after_stage_2_on_the_audit_teams_report(read, path):
    """ISO/IEC 17021-1 9.5: the decision is the certification body's, taken after stage 2 on
    the audit team's report and by people who did not audit; stage 2 itself decides nothing."""
    text = read(path)

    assert "stage 2 decides on certification" not in text
    assert DECISION in text


def test_iso_9001_asks_for_no_management_representative(read):
    """ISO 9001 dropped the management representative; top management assigns
    responsibilities and authorities (5.3)."""
    text = read("/process")

    assert "management representative" not in text.lower()
    assert "Top management assigns the responsibilities and authorities for the system" in text


def test_the_stage_1_duration_agrees_with_the_estimate(read):
    """The process page once said stage 1 takes "1 to 2 days", which a 100-person hospital's
    estimate (stage 1 a third of 11 days) contradicts: both now say a third of the initial time."""
    process = read("/process")

    assert Fraction(1, 3) == STAGE1_SHARE, "the public texts say 'a third': change them with the share"
    assert "Often 1 to 2 days" not in process
    assert "About a third of the initial audit time" in process


def test_the_muscat_page_says_how_to_check_a_bodys_accreditation(read):
    text = read("/locations/muscat")

    assert "Certification bodies operating in Oman are accredited by GAC" not in text
    assert "Not every certification body working in Oman is accredited" in text
    assert "ask for its accreditation certificate and scope" in text
    assert "accreditation body's own directory" in text and "IAF CertSearch" in text


def test_a_location_page_listing_bodies_tells_how_to_check_their_scope(read):
    add_body()
    text = read("/locations/muscat")

    assert "Registrar" in text
    assert "ask the body for its accreditation certificate and scope" in text
    assert "look the certificate up in the accreditation body's directory or in IAF CertSearch" in text


@pytest.mark.parametrize("path", ["/iso-certification", "/locations/buraimi"])
def test_the_iaf_mla_is_named_with_its_successor_arrangement(read, path):
    """Since 1 January 2026 IAF and ILAC operate as Global Accreditation Cooperation
    Incorporated, whose arrangement carries the IAF MLA recognitions through a transition."""
    text = read(path)

    assert "Since 1 January 2026" in text or "since 1 January 2026" in text
    assert "Global Accreditation Cooperation Incorporated" in text
    assert "transition period" in text

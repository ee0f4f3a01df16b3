"""Cleaning what visitors type: control characters, e-mail, company and phone normalisation."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain.normalise import (
    PhoneNumberError,
    clean_line,
    clean_text,
    normalise_company,
    normalise_email,
    normalise_phone,
)


def test_clean_line_strips_controls_bidi_overrides_and_collapses_spaces():
    assert clean_line("  Al\x00 Noor\u202e\t\n Trading \x7f ") == "Al Noor Trading"


def test_clean_line_caps_length_and_reads_none_as_empty():
    assert clean_line("x" * 50, max_length=10) == "x" * 10
    assert clean_line(None) == ""


def test_clean_text_keeps_line_breaks_but_not_other_controls():
    assert clean_text("Hello\r\nWorld\x00\x1b!\ud800") == "Hello\nWorld!"


@given(st.text())
def test_cleaned_text_has_no_control_characters_or_surrogates(text):
    for cleaned, allowed in ((clean_line(text), ""), (clean_text(text), "\n\t")):
        assert all(unicodedata.category(ch) not in {"Cc", "Cs"} or ch in allowed for ch in cleaned)
        cleaned.encode("utf-8")  # storable: no lone surrogates


def test_arabic_text_is_kept():
    assert clean_line("شركة النور") == "شركة النور"


def test_email_is_trimmed_and_lower_cased():
    assert normalise_email("  Aisha.Said@Example.OM ") == "aisha.said@example.om"


@pytest.mark.parametrize(
    "spelling",
    ["Al Noor Trading L.L.C.", "al noor trading llc", "AL-NOOR TRADING LLC", "Al Noor Trading Co."],
)
def test_spellings_of_one_company_normalise_alike(spelling):
    assert normalise_company(spelling) == "al noor trading"


def test_company_made_only_of_legal_words_is_kept():
    assert normalise_company("Company LLC") == "company llc"


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("9212 3456", "+96892123456"),
        ("2412 3456", "+96824123456"),
        ("+968 9212-3456", "+96892123456"),
        ("00968 92123456", "+96892123456"),
        ("+44 20 7946 0958", "+442079460958"),
    ],
)
def test_phone_numbers_are_read_as_omani_by_default_and_stored_in_e164(typed, e164):
    assert normalise_phone(typed) == e164


@pytest.mark.parametrize("typed", ["", "123", "9212 345", "not a number", "+968 1234 5678", "9" * 41])
def test_invalid_phone_numbers_are_refused(typed):
    with pytest.raises(PhoneNumberError):
        normalise_phone(typed)

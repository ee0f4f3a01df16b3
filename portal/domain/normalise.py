"""Cleaning and normalising what visitors type: pure functions, no Flask, no database.

Text from a public form can carry control characters (NUL breaks PostgreSQL, bidi
overrides disguise text in the inbox), lone surrogates (not encodable) and runs of
white space. E-mail addresses and company names get a normalised twin so duplicate
enquiries can be found; phone numbers are stored in E.164.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import phonenumbers

DEFAULT_PHONE_REGION = "OM"

# Bidirectional overrides and isolates can make text read differently from what it is.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_WHITESPACE = re.compile(r"\s+")
_COMPANY_PUNCTUATION = re.compile(r"[^\w\s&]")
# Legal-form words that differ between two spellings of the same company.
_COMPANY_SUFFIXES = frozenset(
    {"llc", "l.l.c", "saog", "saoc", "spc", "co", "company", "est", "establishment", "ltd", "limited", "inc"}
)


def _allowed(char: str, keep_newlines: bool) -> bool:
    if keep_newlines and char in "\n\t":
        return True
    if char in _BIDI_CONTROLS:
        return False
    return unicodedata.category(char) not in {"Cc", "Cs"}


def strip_control(text: str, keep_newlines: bool = False) -> str:
    """`text` without control characters, lone surrogates or bidi overrides (newlines kept on request)."""
    if keep_newlines:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(char for char in text if _allowed(char, keep_newlines))


def clean_line(text: str | None, max_length: int | None = None) -> str:
    """One line of text: controls removed, white space collapsed and trimmed, capped at `max_length`."""
    if text is None:
        return ""
    cleaned = _WHITESPACE.sub(" ", strip_control(unicodedata.normalize("NFC", str(text)))).strip()
    return cleaned[:max_length] if max_length is not None else cleaned


def clean_text(text: str | None, max_length: int | None = None) -> str:
    """Several lines of text: controls removed except newlines and tabs, trimmed, capped."""
    if text is None:
        return ""
    cleaned = strip_control(unicodedata.normalize("NFC", str(text)), keep_newlines=True).strip()
    return cleaned[:max_length] if max_length is not None else cleaned


def slugify(name: str) -> str:
    """A URL or file-name slug: ASCII letters and digits joined by hyphens (may be empty for Arabic)."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:80].strip("-")


def normalise_email(email: str) -> str:
    """The comparison form of an e-mail address: trimmed and lower-cased."""
    return email.strip().lower()


def normalise_company(name: str) -> str:
    """The comparison form of a company name: lower case, no punctuation or legal-form words.

    "Al Noor Trading L.L.C." and "al noor trading llc" both become "al noor trading".
    """
    words = _COMPANY_PUNCTUATION.sub(" ", clean_line(name).casefold().replace("l.l.c", "llc")).split()
    kept = [word for word in words if word not in _COMPANY_SUFFIXES]
    return " ".join(kept or words)


class PhoneNumberError(ValueError):
    """The text is not a valid phone number."""


@lru_cache(maxsize=1024)
def normalise_phone(value: str, region: str = DEFAULT_PHONE_REGION) -> str:
    """The number in E.164 (`+96892123456`); local numbers are read as Omani. Raises PhoneNumberError.

    Remembered for recent numbers (a pure function of its text): a form checks the number and
    its service then stores it, and the parse is most of a phone field's cost."""
    text = clean_line(value)
    if not text or len(text) > 40:
        raise PhoneNumberError(value)
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as error:
        raise PhoneNumberError(value) from error
    if not phonenumbers.is_valid_number(number):
        raise PhoneNumberError(value)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

"""Dates, times, numbers and Omani rial amounts in the reader's language: the one place they are formatted.

Babel knows each language's month names, separators and currency sign; the house adds two
rules. English amounts keep the firm's "OMR 1,250.500" (always three decimals: the rial has
1,000 baisa). Arabic text uses Western digits, as Omani business documents do, unless
ARABIC_DIGITS = "arab" asks for Arabic-Indic ones (٠-٩). The locale and time zone are
Flask-Babel's (the page's language, or the one forced for an e-mail).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import get_date_format, get_datetime_format, get_time_format
from babel.lists import format_list
from babel.numbers import format_currency, format_decimal, format_percent
from flask import current_app
from flask_babel import get_locale, get_timezone, ngettext

# English house style: the code before the figure, a plain space, three decimals.
ENGLISH_AMOUNT = "¤ #,##0.000"
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _locale() -> Locale:
    return get_locale() or Locale.parse(current_app.config["BABEL_DEFAULT_LOCALE"])


def numbering_system(locale: Locale) -> str:
    """Babel's digit system for this language: "latn" everywhere but Arabic under ARABIC_DIGITS = "arab"."""
    if locale.language == "ar":
        return current_app.config["ARABIC_DIGITS"]
    return "latn"


def _digits(text: str, locale: Locale) -> str:
    """Babel writes Western digits in every language (its numbering system changes only the
    separators); turn them Arabic-Indic when asked."""
    return text.translate(ARABIC_INDIC) if numbering_system(locale) == "arab" else text


def format_omr(amount: Decimal | int | None) -> str:
    """An amount in Omani rials: `OMR 1,250.500` in English, `1,250.500 ر.ع.` in Arabic."""
    if amount is None:
        return ""
    locale = _locale()
    if locale.language == "en":
        return english_amount(Decimal(amount))
    text = format_currency(Decimal(amount), "OMR", locale=locale, numbering_system=numbering_system(locale))
    return _digits(text, locale)


def english_amount(amount: Decimal) -> str:
    """`amount` in ENGLISH_AMOUNT as Babel writes it (sign before the code, grouped, three
    decimals rounded half to even), without Babel parsing the pattern and looking up the
    locale's symbols each time: a match page writes 150 amounts, at 30 µs each through Babel.
    tests/integration/test_formats.py checks it against Babel."""
    return f"{'-' if amount.is_signed() else ''}OMR {abs(amount):,.3f}"


def format_number(value: Decimal | float | int, pattern: str | None = None) -> str:
    """A figure (people, days, a change) with the language's separators; `pattern` as in Babel (`#,##0.#`)."""
    locale = _locale()
    return _digits(format_decimal(value, pattern, locale=locale, numbering_system=numbering_system(locale)), locale)


def short_duration(number: int, unit: str) -> str:
    """A whole count of minutes ("min"), hours ("h") or days ("d") as a short label: "3 h" in
    English; in Arabic with the plural form the number takes ("3 ساعات", "ساعتان", "11 ساعة")."""
    count = format_number(number)  # the number as the language writes it (its digits)
    if unit == "min":
        return ngettext("%(count)s min", "%(count)s min", number, count=count)
    if unit == "h":
        return ngettext("%(count)s h", "%(count)s h", number, count=count)
    return ngettext("%(count)s d", "%(count)s d", number, count=count)


def format_words(items: list[str]) -> str:
    """Items as a sentence lists them in the reader's language ("a, b and c"; "أ و ب و ج")."""
    return format_list([str(item) for item in items], locale=_locale()) if items else ""


def format_share(value: Decimal | float) -> str:
    """A share (0.85) as a percentage with the language's sign and digits ("85%")."""
    locale = _locale()
    return _digits(format_percent(value, locale=locale, numbering_system=numbering_system(locale)), locale)


def format_day(value: date | None, length: str = "long") -> str:
    """A calendar date in words (`October 31, 2025`, `31 أكتوبر 2025`), or a Babel pattern (`d MMM`)."""
    if value is None:
        return ""
    if isinstance(value, datetime):  # a timestamp: its day in Oman, not in UTC
        value = value.astimezone(get_timezone()).date()
    locale = _locale()
    return _day_in_words(value, length, locale, numbering_system(locale))


@lru_cache(maxsize=4096)
def _day_in_words(value: date, length: str, locale: Locale, digits: str) -> str:
    """Babel's words for a date (10 µs each), kept per process: the same few thousand dates (a
    directory's validity dates, this year's days) come back page after page, a hundred on some."""
    text = babel_format_date(value, length, locale=locale)
    return text.translate(ARABIC_INDIC) if digits == "arab" else text


def format_iso_day(value: date | None) -> str:
    """A date as the workspace tables show it (2026-12-06), with the language's digits."""
    return format_day(value, "yyyy-MM-dd")


def format_moment(value: datetime | None, length: str = "medium") -> str:
    """A stored UTC timestamp in Oman time (Flask-Babel's zone), in the reader's language."""
    return moment_formatter(length)(value)


def moment_formatter(length: str = "medium") -> Callable[[datetime | None], str]:
    """`format_moment` for many timestamps (a list's rows): the language, the time zone and Babel's
    patterns for `length` ("short" to "full") are looked up once, then each timestamp is written
    as Babel's `format_datetime` writes it, its time and its date joined by the language's pattern."""
    locale = _locale()
    zone = get_timezone()
    glue = get_datetime_format(length, locale=locale).replace("'", "")
    time_pattern, date_pattern = get_time_format(length, locale=locale), get_date_format(length, locale=locale)
    arabic_indic = numbering_system(locale) == "arab"

    def moment(value: datetime | None) -> str:
        if value is None:
            return ""
        local = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(zone)
        if hasattr(zone, "normalize"):  # a pytz zone, as Babel does
            local = zone.normalize(local)
        time_text = time_pattern.apply(local.timetz(), locale, reference_date=local.date())
        text = glue.replace("{0}", time_text).replace("{1}", date_pattern.apply(local.date(), locale))
        return text.translate(ARABIC_INDIC) if arabic_indic else text

    return moment

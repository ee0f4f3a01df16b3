"""Dates, amounts and figures read right in each language (portal.core.formats).

English keeps the firm's "OMR 1,250.500"; Arabic gets Arabic month names and the rial's
Arabic sign, in Western digits unless ARABIC_DIGITS = "arab".
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from babel.dates import format_datetime
from babel.numbers import format_currency
from flask_babel import force_locale, get_locale, get_timezone
from hypothesis import example, given
from hypothesis import strategies as st

from portal import create_app
from portal.config import ConfigError
from portal.core.formats import (
    ENGLISH_AMOUNT,
    english_amount,
    format_day,
    format_iso_day,
    format_moment,
    format_number,
    format_omr,
    format_share,
    format_words,
    moment_formatter,
    short_duration,
)

ARABIC_INDIC = set("٠١٢٣٤٥٦٧٨٩")
DAY = date(2026, 12, 6)


@pytest.fixture()
def arabic_digits(app):
    app.config["ARABIC_DIGITS"] = "arab"
    yield
    app.config["ARABIC_DIGITS"] = "latn"


def test_english_amounts_keep_the_house_style(app):
    with force_locale("en"):
        assert format_omr(Decimal("1250.5")) == "OMR 1,250.500"
        assert format_omr(0) == "OMR 0.000"
        assert format_omr(Decimal("999999999.999")) == "OMR 999,999,999.999"
        assert format_omr(None) == ""


@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**12), max_value=10**12, places=5))
@example(Decimal("-0"))  # a sign with nothing after rounding: Babel keeps it
@example(Decimal("-0.0004"))
@example(Decimal("2.0005"))  # rounded half to even
@example(Decimal("2.0015"))
def test_english_amounts_are_written_as_babel_writes_the_house_pattern(amount):
    babel = format_currency(amount, "OMR", ENGLISH_AMOUNT, locale="en", currency_digits=False)
    assert english_amount(amount) == babel


def test_arabic_amounts_have_the_rial_sign_three_decimals_and_western_digits(app):
    with force_locale("ar"):
        text = format_omr(Decimal("1250.5"))
    assert "ر.ع." in text
    assert "1,250.500" in text
    assert not ARABIC_INDIC & set(text)


def test_arabic_amounts_in_arabic_indic_digits_when_asked(app, arabic_digits):
    with force_locale("ar"):
        text = format_omr(Decimal("1250.5"))
    assert "١٬٢٥٠٫٥٠٠" in text
    assert "ر.ع." in text
    with force_locale("en"):
        assert format_omr(Decimal("1250.5")) == "OMR 1,250.500"  # the setting is for Arabic only


def test_short_durations_take_each_languages_plural_forms(app):
    with force_locale("en"):
        assert [short_duration(n, "h") for n in (1, 3)] == ["1 h", "3 h"]
        assert short_duration(2, "d") == "2 d"
    with force_locale("ar"):
        hours = [short_duration(n, "h") for n in (1, 2, 3, 11, 100)]
        assert hours == ["ساعة واحدة", "ساعتان", "3 ساعات", "11 ساعة", "100 ساعة"]
        assert [short_duration(n, "d") for n in (2, 4)] == ["يومان", "4 أيام"]
        assert short_duration(5, "min") == "5 دقائق"


def test_short_durations_in_arabic_indic_digits_when_asked(app, arabic_digits):
    with force_locale("ar"):
        assert short_duration(4, "d") == "٤ أيام"


def test_dates_have_the_language_s_month_names(app):
    with force_locale("en"):
        assert format_day(DAY) == "December 6, 2026"  # as before: Babel's English
        assert format_day(DAY, "d MMM") == "6 Dec"
        assert format_iso_day(DAY) == "2026-12-06"
    with force_locale("ar"):
        assert format_day(DAY) == "6 ديسمبر 2026"
        assert format_iso_day(DAY) == "2026-12-06"
    assert format_day(None) == "" and format_iso_day(None) == ""


def test_arabic_dates_in_arabic_indic_digits_when_asked(app, arabic_digits):
    with force_locale("ar"):
        assert format_day(DAY) == "٦ ديسمبر ٢٠٢٦"
        assert format_iso_day(DAY) == "٢٠٢٦-١٢-٠٦"
        moment = format_moment(datetime(2026, 12, 6, 21, 30, tzinfo=UTC))
    assert ARABIC_INDIC & set(moment) and not set("0123456789") & set(moment)


def test_timestamps_are_shown_in_oman_time(app):
    late_evening_utc = datetime(2026, 12, 6, 21, 30, tzinfo=UTC)  # 01:30 on the 7th in Muscat
    with force_locale("en"):
        assert format_moment(late_evening_utc, "short") == "12/7/26, 1:30\u202fAM"
        assert format_day(late_evening_utc, "d MMM") == "7 Dec"
    with force_locale("ar"):
        text = format_moment(late_evening_utc, "long")
    assert "ديسمبر" in text and "7" in text and "1:30:00" in text


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("length", ["short", "medium", "long", "full"])
def test_timestamps_read_as_babel_writes_them(app, language, length):
    # A list formats its rows' timestamps with patterns looked up once: the same text as Babel's own.
    moments = [
        datetime(2026, 1, 1, tzinfo=UTC) + n * (timedelta(days=37, hours=5, minutes=11, seconds=7)) for n in range(40)
    ]
    with force_locale(language):
        moment = moment_formatter(length)
        assert [moment(value) for value in moments] == [
            format_datetime(value, length, tzinfo=get_timezone(), locale=get_locale()) for value in moments
        ]
        assert moment(None) == ""


def test_figures_follow_the_digit_setting(app, arabic_digits):
    with force_locale("en"):
        assert format_number(Decimal("1234.5"), "#,##0.#") == "1,234.5"
    with force_locale("ar"):
        assert format_number(Decimal("1234.5"), "#,##0.#") == "١٬٢٣٤٫٥"


def test_an_unknown_digit_system_refuses_to_start():
    with pytest.raises(ConfigError, match="ARABIC_DIGITS"):
        create_app({"ARABIC_DIGITS": "indian"})


def test_lists_and_shares_read_as_each_language_writes_them(app):
    with force_locale("en"):
        assert format_words(["phone", "timeline", "sites"]) == "phone, timeline, and sites"
        assert format_share(0.6) == "60%"
    with force_locale("ar"):
        assert format_words(["الهاتف", "الإطار الزمني"]) == "الهاتف والإطار الزمني"
        assert format_words([]) == ""
        assert "60" in format_share(0.6) and "%" in format_share(0.6)

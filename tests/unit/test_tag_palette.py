"""The tag palette: every colour readable (WCAG AA, 4.5:1), and the CSS classes drawing it agree."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from portal.domain.tag_palette import MIN_CONTRAST, TAG_PALETTE, contrast_ratio

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "leads.css"


def test_contrast_ratio_matches_the_wcag_reference_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#123456", "#123456") == pytest.approx(1)


@pytest.mark.parametrize("colour", TAG_PALETTE.values(), ids=lambda colour: colour.key)
def test_each_colour_keeps_its_text_readable(colour):
    assert contrast_ratio(colour.text, colour.background) >= MIN_CONTRAST


def test_the_stylesheet_draws_exactly_the_palette():
    rules = dict(
        (key, (background.lower(), text.lower()))
        for key, background, text in re.findall(
            r"\.tag-([a-z]+) \{ background-color: (#[0-9a-fA-F]{6}); color: (#[0-9a-fA-F]{6}); \}", CSS.read_text()
        )
    )
    assert rules == {key: (colour.background, colour.text) for key, colour in TAG_PALETTE.items()}

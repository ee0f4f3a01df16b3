"""The colours a tag may have: a fixed palette, each background with a text colour that reads on it.

Admins pick a key, never a free colour, so every tag badge keeps a text contrast of at least
4.5:1 (WCAG AA for normal text) and the page's strict CSP needs no inline style: each key is a
`.tag-<key>` class in static/css/leads.css, whose values are these.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_CONTRAST = 4.5


@dataclass(frozen=True)
class TagColour:
    key: str
    background: str  # #rrggbb
    text: str  # #rrggbb


TAG_PALETTE: dict[str, TagColour] = {
    colour.key: colour
    for colour in (
        TagColour("grey", "#e9ecef", "#212529"),
        TagColour("blue", "#0b5ed7", "#ffffff"),
        TagColour("green", "#146c43", "#ffffff"),
        TagColour("red", "#b02a37", "#ffffff"),
        TagColour("amber", "#ffc107", "#212529"),
        TagColour("purple", "#59359a", "#ffffff"),
        TagColour("teal", "#0f766e", "#ffffff"),
        TagColour("sand", "#f5e6c8", "#3d2b00"),
    )
}
DEFAULT_COLOUR = "grey"


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of a #rrggbb colour."""
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours, from 1 to 21."""
    high, low = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)

"""The portal's own CSS serves English (ltr) and Arabic (rtl) pages alike: logical properties
(inline-start/end, block-start/end) only, never a physical left or right.

A rule that must stay physical on purpose says so in a comment on its line containing
"direction-neutral"; the vendored Bootstrap builds (static/vendor/) are not ours to check."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS_FOLDER = Path(__file__).resolve().parents[2] / "static" / "css"
STYLESHEETS = sorted(CSS_FOLDER.glob("*.css"))
COMMENT = re.compile(r"/\*.*?\*/", re.S)
DECLARATION = re.compile(r"([a-z-]+)\s*:\s*([^;{}]+)")
PHYSICAL_WORD = re.compile(r"\b(left|right)\b")
# margin: 0 1rem 0 2rem gives the two sides different space: the fourth value is the left one.
BOX_SHORTHANDS = {"margin", "padding", "border-width", "border-style", "border-color", "inset", "border-radius"}


def physical_declarations(css: str) -> list[str]:
    """Declarations in `css` that are tied to the left or right side of the screen."""
    found = []
    for line in css.splitlines():
        if "direction-neutral" in line:
            continue
        for prop, value in DECLARATION.findall(COMMENT.sub("", line)):
            value = value.strip()
            if PHYSICAL_WORD.search(prop) or PHYSICAL_WORD.search(value):
                found.append(f"{prop}: {value}")
            elif prop in BOX_SHORTHANDS and "(" not in value:
                parts = value.replace("!important", "").split()
                if len(parts) == 4 and parts[1] != parts[3]:
                    found.append(f"{prop}: {value}")
    return found


def test_the_portal_has_stylesheets_to_check():
    assert {path.name for path in STYLESHEETS} >= {"portal.css", "estimate.css", "readiness.css"}


@pytest.mark.parametrize("path", STYLESHEETS, ids=lambda path: path.name)
def test_portal_css_uses_logical_properties_only(path: Path):
    assert physical_declarations(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("css", "physical"),
    [
        (".a { margin-left: 1rem; }", True),
        (".a { border-right: 1px solid; }", True),
        (".a { left: 0; }", True),
        (".a { float: right; }", True),
        (".a { text-align: left; }", True),
        (".a { padding: .25rem 0 .25rem 1.25rem; }", True),
        (".a { margin-inline-start: 1rem; inset-inline-end: 0; text-align: start; }", False),
        (".a { padding: 1rem 1.25rem; margin: 2rem 0; padding: 1px 2px 3px 2px; }", False),
        (".a { left: 50%; } /* direction-neutral: centred either way */", False),
        ("/* left in a comment */ .a { color: red; }", False),
    ],
)
def test_the_check_tells_physical_from_logical(css: str, physical: bool):
    assert bool(physical_declarations(css)) is physical

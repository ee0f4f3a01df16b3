"""The names of the reference data in the reader's language: Oman's governorates and cities, the
IAF sectors, the standards' titles and summaries.

They are seeded from portal/data/*.json in English and stored as such (search, exports and
imports read them there). Their translations live in the message catalogue with every other
text: `make translations` extracts them from the seed files (`extract`, named in babel.cfg), and
`local_name` looks one up where it is shown. A name an admin has since changed shows as typed,
in both languages, until the catalogue has it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, BinaryIO

from flask_babel import gettext

# Which texts of each seed file are shown to readers, and what a translator should know of them.
_TRANSLATOR_NOTES = {
    "regions.json": "Translators: an Omani governorate or city, as Omanis write it.",
    "sectors.json": "Translators: an IAF sector (IAF ID 1), as accreditation documents name it.",
    "standards.json": "Translators: an ISO standard's title or one-line summary.",
}


def local_name(text: str | None) -> str:
    """`text` (a name from the reference data) in the language in force, or as it is when the
    catalogue does not have it."""
    return gettext(text) if text else ""


def sector_label(code: int, name: str) -> str:
    """An IAF sector as lists and pages show it: "28 – Construction", named in the reader's language."""
    return f"{code} – {local_name(name)}"


def standard_label(code: str, title: str) -> str:
    """A standard as choices show it: "ISO 9001 – Quality management systems", titled in the reader's language."""
    return f"{code} – {local_name(title)}"


def _texts(file_name: str, data: Any) -> Iterator[str]:
    if file_name == "regions.json":
        for governorate in data:
            yield governorate["name"]
            yield from (city["name"] for city in governorate.get("cities", []))
    elif file_name == "sectors.json":
        yield from (label for _code, label in data)
    elif file_name == "standards.json":
        for standard in data:
            yield standard["title"]
            yield standard["summary"]


def extract(
    fileobj: BinaryIO, keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Babel extractor: each shown name of a seed file, as a message (line numbers are not kept)."""
    file_name = getattr(fileobj, "name", "").rsplit("/", 1)[-1]
    note = _TRANSLATOR_NOTES.get(file_name)
    if note is None:
        return
    for text in _texts(file_name, json.load(fileobj)):
        yield 1, None, text, [note]

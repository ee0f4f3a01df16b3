"""CSV writing shared by every export: streamed in chunks, safe to open in a spreadsheet.

Spreadsheets run a cell that starts with =, +, - or @ (or a tab or carriage return),
also after leading spaces, as a formula, so text typed by someone else could run code on
an admin's machine ("formula injection"). Such cells are prefixed with an apostrophe, which shows the text as typed; `unneutralise` undoes
it when a file we exported comes back in an import.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

CHUNK = 500
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> str:
    """The cell as text, with an apostrophe in front if a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if _runs_as_formula(text) else text


def unneutralise(text: str) -> str:
    """The cell as it was before `neutralise` (an apostrophe followed by a formula character)."""
    if text.startswith("'") and _runs_as_formula(text[1:]):
        return text[1:]
    return text


def _runs_as_formula(text: str) -> bool:
    """Spreadsheets skip leading spaces before deciding that a cell is a formula."""
    return text.lstrip(" ").startswith(FORMULA_PREFIXES)


def csv_lines(header: Iterable[Any], rows: Iterable[Iterable[Any]], chunk: int = CHUNK) -> Iterator[str]:
    """Header then rows as CSV text, neutralised, yielded every `chunk` rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    # A byte-order mark so spreadsheet programs read the UTF-8 (Arabic names) correctly.
    buffer.write("\ufeff")
    writer.writerow([neutralise(column) for column in header])
    for count, row in enumerate(rows, start=1):
        writer.writerow([neutralise(cell) for cell in row])
        if count % chunk == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()

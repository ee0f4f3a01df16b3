"""Reading a workspace list's filters from the query string, the same way on every list.

The inbox, the directory and the engagement board keep their filters in the query
string, so a view can be bookmarked and shared. They share the names (q, standard,
location, sector, sort, page, per_page ...) and the rules read here: bad values never
raise, they are ignored and come back as a message for the field; the page size is
capped; sort keys come from an allow-list. Each area's filters.py says which fields it
has and how they become SQL.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any, Generic, TypeVar

from flask import request, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from portal.domain.normalise import clean_line

PER_PAGE_CHOICES = (25, 50, 100)
MAX_SEARCH_TERMS = 5
MAX_SEARCH_LENGTH = 200
SLUG = re.compile(r"^[a-z0-9-]{1,60}$")
TRUE_VALUES = ("1", "on", "yes", "true")

F = TypeVar("F")


@dataclass
class ParsedFilter(Generic[F]):
    """The filter plus a message per field whose value was ignored."""

    filter: F
    errors: dict[str, str] = field(default_factory=dict)


def parse_int(raw: str) -> int | None:
    """A whole number of at most nine ASCII digits, or None (no sign, no overflow in SQL).

    ASCII only: str.isdigit() also accepts characters such as "²" that int() refuses.
    """
    raw = raw.strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else None


def parse_date(raw: str) -> date | None:
    """An ISO date (YYYY-MM-DD), or None."""
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        return None


def search_terms(q: str) -> list[str]:
    """The words of a search, at most MAX_SEARCH_TERMS: each one narrows the list."""
    return q.split()[:MAX_SEARCH_TERMS]


def like_pattern(term: str) -> str:
    """`term` lower-cased for a LIKE anywhere, its wildcards escaped with a backslash."""
    escaped = term.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class QueryReader:
    """Reads one list's query string into `values` (for the filter) and `errors` (per field)."""

    def __init__(self, args: MultiDict[str, str]) -> None:
        self.args = args
        self.values: dict[str, Any] = {}
        self.errors: dict[str, str] = {}

    def raw(self, name: str) -> str:
        return self.args.get(name, "").strip()

    def read(self, name: str, convert: Callable[[str], Any], message: str) -> None:
        """Keep `convert(raw)` when the field is given and converts (not None); else note `message`."""
        raw = self.raw(name)
        if not raw:
            return
        value = convert(raw)
        if value is None:
            self.errors[name] = str(message)
        else:
            self.values[name] = value

    def search(self, name: str = "q") -> None:
        """Free text without control characters (NUL breaks PostgreSQL), spaces collapsed, capped."""
        text = clean_line(self.args.get(name, ""), MAX_SEARCH_LENGTH)
        if text:
            self.values[name] = text

    def choice(self, name: str, allowed: Collection[str], message: str) -> None:
        self.read(name, lambda raw: raw if raw in allowed else None, message)

    def pattern(self, name: str, pattern: re.Pattern[str] = SLUG) -> None:
        """A slug or code: matched by shape here, the query finds whether it exists."""
        self.read(name, lambda raw: raw if pattern.match(raw) else None, _l("Unknown value."))

    def assignee(self, name: str, message: str) -> None:
        """ "me", "none" or a user id."""
        self.read(name, lambda raw: raw if raw in ("me", "none") or parse_int(raw) else None, message)

    def sector(self, name: str = "sector") -> None:
        """An IAF sector code, 1 to 39."""
        self.read(
            name,
            lambda raw: code if (code := parse_int(raw)) is not None and 1 <= code <= 39 else None,
            _l("Choose an IAF sector code from 1 to 39."),
        )

    def flag(self, name: str) -> None:
        """A checkbox: on for 1, on, yes or true; anything else leaves the default."""
        if self.raw(name) in TRUE_VALUES:
            self.values[name] = True

    def sort(self, sorts: Mapping[str, Any]) -> None:
        self.choice("sort", sorts, _l("Unknown sort order."))

    def paging(self, choices: tuple[int, ...] = PER_PAGE_CHOICES) -> None:
        """page (1 or more) and per_page, rounded up to an offered size and capped at the largest,
        so a hand-edited URL cannot ask for the whole table."""
        page = parse_int(self.args.get("page", ""))
        if page:
            self.values["page"] = page
        per_page = parse_int(self.args.get("per_page", ""))
        if per_page:
            self.values["per_page"] = min((c for c in choices if c >= per_page), default=choices[-1])


def filter_form_values(parsed: ParsedFilter[Any]) -> dict[str, Any]:
    """What a list's template hands the filter macros (templates/_macros/filters.html): the
    filter, a message per ignored field, and the query string as typed."""
    return {"flt": parsed.filter, "errors": parsed.errors, "raw": request.args}


# Stands for a row's id while its link is built: any number the route takes that no other part of the link holds.
_ROW_ID = 987654321


def row_urls(endpoint: str, key: str = "id", **values: Any) -> Callable[[int], str]:
    """Each row's link to `endpoint` (its id as `key`), from one `url_for` a page rather than one a
    row: the id is the only part that changes, and `url_for` costs some 5 µs."""
    head, _marker, tail = url_for(endpoint, **values, **{key: _ROW_ID}).partition(str(_ROW_ID))
    return lambda row_id: f"{head}{row_id}{tail}"


def known_args(args: Mapping[str, str], names: Iterable[str]) -> dict[str, str]:
    """The query-string arguments a page reads (`names`, e.g. its GET form's fields), to carry
    into a link back to it. Only those: `url_for` takes keys such as `endpoint`, `_external`
    or `_scheme` as its own options, so copying the whole query string lets a hand-typed
    `?_scheme=javascript` shape the link, or `?id=2` clash with the path's own id (a 500)."""
    return {name: args[name] for name in names if args.get(name)}


def changed_args(flt: Any, **overrides: Any) -> dict[str, Any]:
    """The fields of the filter dataclass `flt` that differ from its defaults, as query-string
    arguments for links (True as "1", dates as ISO, tuples as lists); `overrides` replace
    them, and None or "" drops an argument."""
    default = type(flt)()
    args: dict[str, Any] = {}
    for item in fields(flt):
        value = getattr(flt, item.name)
        if value == getattr(default, item.name):
            continue
        if value is True:
            value = "1"
        elif isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        args[item.name] = value
    args.update(overrides)
    return {key: value for key, value in args.items() if value is not None and value != ""}

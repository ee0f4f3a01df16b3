"""The content version: one token that changes whenever something a public page shows changes.

Public pages are cached by this token (portal/web/page_cache.py), so it must change in the
same transaction as the edit, whatever code makes it: a `before_flush` listener sees every
new, changed or deleted row of the watched tables and writes a new random token into the
`settings` row `content_version`, and a `do_orm_execute` listener does the same for bulk
`insert`/`update`/`delete` statements on those tables (the registrar import). A random token rather than a counter: two transactions
bumping at once both leave a value neither cache has seen.

Reading the row costs a query per page, more than serving the cached page itself, so a
process keeps the value it read for `max_age` seconds (CONTENT_VERSION_MAX_AGE, 1 s), and
takes its own bumps at once when they commit: an edit shows at once on the server that
made it and within that second on the others (shared caches may keep a page for minutes
anyway: PUBLIC_PAGE_MAX_AGE).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import chain
from typing import Any, TypeVar
from uuid import uuid4

from sqlalchemy import event, select
from sqlalchemy.orm import ORMExecuteState, Session

from portal.models import (
    Accreditation,
    AccreditationBody,
    CertificationBody,
    CertificationBodyLanguage,
    MlaSignature,
    PrivacyNotice,
    Region,
    Sector,
    Setting,
    Standard,
    StandardEdition,
)
from portal.models.types import utcnow

KEY = "content_version"
# The rows public pages read: standards and editions, locations and sectors, settings, and the
# directory figures (accreditation bodies and their MLA scopes, certification bodies, accreditations).
WATCHED = (
    Standard,
    StandardEdition,
    Region,
    Sector,
    Sector,
    Setting,
    AccreditationBody,
    MlaSignature,
    CertificationBody,
    CertificationBodyLanguage,
    Accreditation,
    PrivacyNotice,
)
# Settings that change with ordinary work: the auto-assignment cursor moves with every enquiry,
# and must not empty the page cache each time. Every other setting changes by an admin's hand,
# rarely, and may be kept per version (`kept_for_version`: the auto-assignment switch, which every
# enquiry reads).
WORKSPACE_SETTINGS = ("leads.auto_assign_last_user_id",)
# With the association tables, which bulk statements (the registrar import) write directly.
WATCHED_TABLES = frozenset(
    {model.__tablename__ for model in WATCHED} | {"accreditation_sectors", "certification_body_regions"}
)
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
# Values built from watched rows alone (see `kept_for_version`): a handful of kinds (the
# matching directory takes a few megabytes), each kept for the version it was built for and
# replaced when built for a newer one, so an old version's values never pile up.
MAX_KEPT_VALUES = 32
T = TypeVar("T")


@dataclass(frozen=True)
class ContentVersion:
    token: str
    changed_at: datetime


def _is_watched_change(session: Session, instance: object) -> bool:
    if not isinstance(instance, WATCHED):
        return False
    if isinstance(instance, Setting) and (instance.key == KEY or instance.key.startswith(WORKSPACE_SETTINGS)):
        return False
    return instance not in session.dirty or session.is_modified(instance)


def _bump_on_change(session: Session, _context: Any, _instances: Any) -> None:
    if any(_is_watched_change(session, o) for o in chain(session.new, session.dirty, session.deleted)):
        _bump(session)


def _bump_on_bulk_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) in WATCHED_TABLES:
            _bump(state.session)


def _bump(session: Session) -> None:
    # A row added earlier in this unit of work is pending, not yet in the identity map `get` reads.
    row = next((o for o in session.new if isinstance(o, Setting) and o.key == KEY), None)
    if row is None:
        with session.no_autoflush:
            row = session.get(Setting, KEY)
    if row is None:
        row = Setting(key=KEY)
        session.add(row)
    row.value = uuid4().hex
    row.updated_at = utcnow()
    session.info[KEY] = ContentVersion(row.value, row.updated_at)


def _take_committed_bump(session: Session) -> None:
    if (version := session.info.pop(KEY, None)) is not None:
        _known.update(version=version, read_at=time.monotonic())


def _drop_bump(session: Session, *_args: Any) -> None:
    session.info.pop(KEY, None)


# The version this process last read or committed, and when (time.monotonic()).
_known: dict[str, Any] = {"version": None, "read_at": 0.0}


# Values `kept_for_version` built, by name: (version token, value).
_kept: dict[str, tuple[str, Any]] = {}


def forget_known_version() -> None:
    """Read the row again next time, and build every kept value again (the tests roll back the
    transactions that bumped it, so a token can come round again with other rows)."""
    _known.update(version=None, read_at=0.0)
    _kept.clear()


def watch_content_changes() -> None:
    """Listen on every session (once per process: the listener is global)."""
    if not event.contains(Session, "before_flush", _bump_on_change):
        event.listen(Session, "before_flush", _bump_on_change)
        event.listen(Session, "do_orm_execute", _bump_on_bulk_statement)
        event.listen(Session, "after_commit", _take_committed_bump)
        event.listen(Session, "after_rollback", _drop_bump)


def known_version(max_age: float) -> ContentVersion | None:
    """The version this process read or committed within `max_age` seconds, if any."""
    if _known["version"] is not None and time.monotonic() - _known["read_at"] < max_age:
        return _known["version"]
    return None


def current_version(session: Session, max_age: float) -> ContentVersion:
    """The version this process knows, if read within `max_age` seconds, else read from the
    database (a plain query, not the identity map, so another server's commit shows)."""
    if (version := known_version(max_age)) is not None:
        return version
    row = session.execute(select(Setting.value, Setting.updated_at).where(Setting.key == KEY)).first()
    version = ContentVersion(row.value, row.updated_at) if row else ContentVersion("initial", EPOCH)
    _known.update(version=version, read_at=time.monotonic())
    return version


def kept_for_version(session: Session, name: str, max_age: float, build: Callable[[], T]) -> T:
    """`build()`'s value (it must read watched rows only), built once per content version in this
    process rather than on every request: the enquiry form's choices read three tables otherwise.

    Kept under the version as `current_version` knows it, so it follows an edit as the page
    cache does: at once on this server, within `max_age` seconds on the others. A session that
    has changed watched rows itself, not yet committed, builds afresh and keeps nothing."""
    if KEY in session.info:
        return build()
    token = current_version(session, max_age).token
    kept = _kept.get(name)
    if kept is not None and kept[0] == token:
        return kept[1]
    _kept.pop(name, None)  # an older version's value, freed before this one is built
    if len(_kept) >= MAX_KEPT_VALUES:
        _kept.clear()
    value = build()
    _kept[name] = (token, value)
    return value

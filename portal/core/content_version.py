"""The content version: one token that changes whenever something a public page shows changes.

Public pages are cached by this token (portal/web/page_cache.py), so it must change in the
same transaction as the edit, whatever code makes it: a `before_flush` listener sees every
new, changed or deleted row of the watched tables and writes a new random token into the
`settings` row `content_version`, and a `do_orm_execute` listener does the same for bulk
`insert`/`update`/`delete` statements on those tables (the registrar import). A random token rather than a counter: two transactions
bumping at once both leave a value neither cache has seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import chain
from typing import Any
from uuid import uuid4

from sqlalchemy import event, select
from sqlalchemy.orm import ORMExecuteState, Session

from portal.models import (
    Accreditation,
    AccreditationBody,
    CertificationBody,
    CertificationBodyLanguage,
    MlaSignature,
    Region,
    Setting,
    Standard,
    StandardEdition,
)
from portal.models.types import utcnow

KEY = "content_version"
# The rows public pages read: standards and editions, locations, settings, and the directory
# figures (accreditation bodies and their MLA scopes, certification bodies, accreditations).
WATCHED = (
    Standard,
    StandardEdition,
    Region,
    Setting,
    AccreditationBody,
    MlaSignature,
    CertificationBody,
    CertificationBodyLanguage,
    Accreditation,
)
# Settings only the workspace reads: the auto-assignment cursor moves with every enquiry, and
# must not empty the page cache each time.
WORKSPACE_SETTINGS = ("leads.",)
WATCHED_TABLES = frozenset({model.__tablename__ for model in WATCHED} | {"accreditation_sectors"})
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


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
    with session.no_autoflush:
        row = session.get(Setting, KEY)
    if row is None:
        row = Setting(key=KEY)
        session.add(row)
    row.value = uuid4().hex
    row.updated_at = utcnow()


def watch_content_changes() -> None:
    """Listen on every session (once per process: the listener is global)."""
    if not event.contains(Session, "before_flush", _bump_on_change):
        event.listen(Session, "before_flush", _bump_on_change)
        event.listen(Session, "do_orm_execute", _bump_on_bulk_statement)


def current_version(session: Session) -> ContentVersion:
    """Read straight from the database (not the identity map), so a commit elsewhere shows at once."""
    row = session.execute(select(Setting.value, Setting.updated_at).where(Setting.key == KEY)).first()
    if row is None:
        return ContentVersion("initial", EPOCH)
    return ContentVersion(row.value, row.updated_at)

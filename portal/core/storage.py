"""Where uploaded files live: storage every app server shares, never one server's disk.

A file is put, opened and deleted by its key (`quotes/<random>.pdf`, `imports/<random>.csv`).
Writes join the request's transaction: a file put or deleted by a refused action is
rolled back with it, and a committed one is seen at once by every other app server.

FILE_STORAGE picks the implementation: "database" (the default, the `stored_files`
table; works on SQLite and PostgreSQL). An S3-compatible bucket would be one more class
with the same five methods (deferring its writes to the session's after-commit event).
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from flask import current_app
from sqlalchemy import delete, select

from portal.extensions import db
from portal.models import StoredFile


class FileStorage(Protocol):
    """The five things the portal does with a stored file."""

    def put(self, key: str, content: bytes) -> None:
        """Store `content` under `key`, replacing any file there."""

    def open(self, key: str) -> bytes | None:
        """The file's bytes; None when there is no such file."""

    def delete(self, key: str) -> None:
        """Remove the file, if there is one."""

    def take(self, key: str) -> bytes | None:
        """The file's bytes, removed in the same step: of two requests taking one file, one gets it."""

    def purge(self, prefix: str, older_than: datetime) -> int:
        """Remove files under `prefix` stored before `older_than` (abandoned uploads); returns how many."""


class DatabaseStorage:
    """Files as rows of `stored_files`, in the request's session (flushed, committed by the request)."""

    def put(self, key: str, content: bytes) -> None:
        row = db.session.get(StoredFile, key) or StoredFile(key=key)
        row.content = content
        row.size = len(content)
        db.session.add(row)
        db.session.flush()

    def open(self, key: str) -> bytes | None:
        return db.session.scalar(select(StoredFile.content).where(StoredFile.key == key))

    def delete(self, key: str) -> None:
        db.session.execute(delete(StoredFile).where(StoredFile.key == key))

    def take(self, key: str) -> bytes | None:
        """One DELETE ... RETURNING: a second taker waits for the first's transaction, then finds nothing."""
        statement = delete(StoredFile).where(StoredFile.key == key).returning(StoredFile.content)
        return db.session.execute(statement).scalar_one_or_none()

    def purge(self, prefix: str, older_than: datetime) -> int:
        statement = delete(StoredFile).where(StoredFile.key.startswith(prefix), StoredFile.created_at < older_than)
        return db.session.execute(statement).rowcount


BACKENDS: dict[str, type[FileStorage]] = {"database": DatabaseStorage}  # keys: portal.config.FILE_STORAGES


def storage() -> FileStorage:
    """The storage FILE_STORAGE names (checked when the app starts: portal.config.check_file_storage)."""
    return BACKENDS[current_app.config["FILE_STORAGE"]]()

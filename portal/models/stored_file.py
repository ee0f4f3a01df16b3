"""Files every app server shares: quotation PDFs and staged directory imports, kept in the database.

One row per file, addressed by a key such as `quotes/<random>.pdf`. Used only through
`portal.core.storage`, which could keep the same files in a bucket instead.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models.types import UTCDateTime, utcnow


class StoredFile(db.Model):
    """The bytes of one file; loaded only when asked for (`deferred`), so listing keys stays cheap."""

    __tablename__ = "stored_files"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    def __repr__(self) -> str:
        return f"<StoredFile {self.key} {self.size} bytes>"

"""Secrets stored encrypted (portal.models.types.EncryptedString): writing them all again under
the first of DATA_ENCRYPTION_KEYS, the step between adding a new key and removing the old one."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from portal.extensions import db
from portal.models.types import EncryptedString


def encrypted_attributes() -> list[tuple[type, str]]:
    """(model, attribute) of every encrypted column, found from the models themselves."""
    found = []
    for mapper in db.Model.registry.mappers:
        for attribute in mapper.column_attrs:
            if any(isinstance(column.type, EncryptedString) for column in attribute.columns):
                found.append((mapper.class_, attribute.key))
    return sorted(found, key=lambda pair: (pair[0].__name__, pair[1]))


def encrypt_again(session: Session) -> dict[str, int]:
    """Write every stored secret again, so each is encrypted under the first key (read with any
    of them). Returns how many per "model.attribute". Flushes; the caller commits."""
    counts = {}
    for model, key in encrypted_attributes():
        rows = session.scalars(select(model).where(getattr(model, key).is_not(None))).all()
        for row in rows:
            flag_modified(row, key)
        counts[f"{model.__name__}.{key}"] = len(rows)
    session.flush()
    return counts

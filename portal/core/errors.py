"""The one error a service raises when it refuses an action: worded for people, tied to a field.

Routes never catch area-specific errors: `portal.web.actions.run_action` catches this one,
rolls the transaction back and puts each message next to its form field (or atop the page).
"""

from __future__ import annotations

from collections.abc import Mapping


class ServiceError(Exception):
    """A refused action. `errors` maps form field names to messages; the key None means the whole page.

    `status` is what the page is answered with: 400 for input the person can fix, 409 when
    someone else changed the same record meanwhile (see `conflict`).
    """

    def __init__(self, message: str, field: str | None = None, *, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status
        self.errors: dict[str | None, str] = {field: message}

    @classmethod
    def for_fields(cls, errors: Mapping[str, str], *, status: int = 400) -> ServiceError:
        """Several fields refused at once (a whole record checked in one go)."""
        error = cls("; ".join(errors.values()), next(iter(errors), None), status=status)
        error.errors = dict(errors)
        return error

    @classmethod
    def conflict(cls, message: str) -> ServiceError:
        """The record changed since the person's form was rendered (optimistic lock)."""
        return cls(message, status=409)

    @property
    def is_conflict(self) -> bool:
        return self.status == 409

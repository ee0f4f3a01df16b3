"""The one shape of a form post: validate, call the service, commit once, or roll back and say why.

Every route that changes data calls `run_action`; none catches a service error itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

from flask import flash, redirect
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy.orm.exc import StaleDataError

from portal.core.errors import ServiceError
from portal.extensions import db


class PageRenderer(Protocol):
    """Renders the page again with the form as the person filled it."""

    def __call__(
        self, status: int, *, error: str | None = None, conflict: str | None = None
    ) -> ResponseReturnValue: ...


def stale_message() -> str:
    return _(
        "This record was changed by someone else while you were working on it. Reload the page to see the changes."
    )


def run_action(
    form: FlaskForm,
    action: Callable[[], str | None],
    *,
    done: str | Callable[[], str],
    page: PageRenderer,
    field_names: Mapping[str, str] | None = None,
    conflict_message: Callable[[], str] = stale_message,
) -> ResponseReturnValue:
    """Validate `form`, run `action` (it returns the message to flash, or None) and commit once.

    On success: flash and redirect to `done`. On invalid input: `page(400)`. On a refused
    action (ServiceError) or a concurrent change: roll back, put each message next to its
    field (`field_names` maps a service's field name to the form's), and `page(status)`.
    """
    if not form.validate_on_submit():
        return page(400, error=incomplete_message(form))
    try:
        message = action()
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        return page(409, conflict=conflict_message())
    except ServiceError as error:
        db.session.rollback()
        if error.is_conflict:
            return page(409, conflict=error.message)
        return page(error.status, error=place_errors(form, error, field_names))
    if message:
        flash(message, "success")
    return redirect(done() if callable(done) else done)


def place_errors(form: FlaskForm, error: ServiceError, field_names: Mapping[str, str] | None = None) -> str | None:
    """Put each of the error's messages next to its visible field; return what belongs atop the page."""
    unplaced: list[str] = []
    for name, message in error.errors.items():
        field = form._fields.get((field_names or {}).get(name or "", name or ""))
        if field is None or _is_hidden(field):
            unplaced.append(message)
        else:
            field.errors = [*field.errors, message]
    return " ".join(unplaced) or None


def incomplete_message(form: FlaskForm) -> str | None:
    """A hidden field failing means the page was tampered with or is stale: say so atop the page."""
    if any(_is_hidden(field) and field.errors for field in form):
        return _("The form was incomplete. Reload the page and try again.")
    return None


def _is_hidden(field) -> bool:
    return getattr(field.widget, "input_type", None) == "hidden"

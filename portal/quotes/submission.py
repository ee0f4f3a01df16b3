"""Saving a quote form, shared by the body's link page and the consultant's manual entry.

The PDF (if any) is stored first, under a random name; should the service refuse
the figures, the new file is removed again, and a file the quote no longer points
to is removed only once the change is committed.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from portal.core.uploads import UploadError, delete_stored, store_pdf
from portal.extensions import db
from portal.quotes.forms import QuoteFiguresForm
from portal.quotes.services import QuoteError, QuoteFigures, StoredFile

UPLOAD_FOLDER = "quotes"

SaveQuote = Callable[[QuoteFigures, StoredFile | None], str | None]


def figures_from(form: QuoteFiguresForm) -> QuoteFigures:
    """The form's values as the service's plain dataclass (an empty travel amount is zero)."""
    return QuoteFigures(
        initial_fee=form.initial_fee.data,
        surveillance_fee=form.surveillance_fee.data,
        recertification_fee=form.recertification_fee.data,
        travel_fee=form.travel_fee.data if form.travel_fee.data is not None else Decimal("0"),
        initial_audit_days=form.initial_audit_days.data,
        valid_until=form.valid_until.data,
        notes=form.notes.data or "",
    )


def _store_file(form: QuoteFiguresForm) -> StoredFile | None:
    upload = form.file.data
    if upload is None or not getattr(upload, "filename", ""):
        return None
    name = store_pdf(upload.stream, UPLOAD_FOLDER, current_app.config["QUOTE_UPLOAD_MAX_BYTES"])
    return StoredFile(name, upload.filename)


def save_quote_form(form: QuoteFiguresForm, save: SaveQuote) -> QuoteError | None:
    """Store the PDF, call `save` (a service), commit; errors go onto the form's fields.

    Returns the service's refusal when it is not about one field (e.g. a conflict),
    None otherwise; `form.errors` tells whether anything was refused.
    """
    try:
        stored = _store_file(form)
    except UploadError as error:
        form.file.errors = [*form.file.errors, error.message]
        return None
    try:
        replaced = save(figures_from(form), stored)
    except StaleDataError:
        error = QuoteError(_("This quote was changed at the same moment; your figures were not saved."), conflict=True)
    except QuoteError as refused:
        error = refused
    else:
        db.session.commit()
        if replaced:
            delete_stored(UPLOAD_FOLDER, replaced)
        return None
    db.session.rollback()
    if stored is not None:
        delete_stored(UPLOAD_FOLDER, stored.file_name)
    field = getattr(form, error.field, None) if error.field else None
    if field is None:
        return error
    field.errors = [*field.errors, error.message]
    return None

"""The quotation PDF around one save, shared by the body's link page and the consultant's manual entry.

The PDF (if any) is stored first, under a random name, so the service can point the quote
at it, and the file it replaces is deleted. Both happen in the request's transaction
(portal.core.storage): a refused save keeps neither the new file nor the deletion.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app
from flask_babel import gettext as _

from portal.core.uploads import delete_stored, store_pdf
from portal.quotes.forms import QuoteFiguresForm
from portal.quotes.services import QuoteFigures, StoredFile

STORAGE_PREFIX = "quotes"

SaveQuote = Callable[[QuoteFigures, StoredFile | None], str | None]


def changed_meanwhile() -> str:
    """The conflict message when the quote changed under the save (`run_action`'s conflict_message)."""
    return _("This quote was changed at the same moment; your figures were not saved.")


class QuoteFileSave:
    """One save of a quote form with its PDF: `run` is the action, `refusal` words a refusal."""

    def __init__(self, form: QuoteFiguresForm) -> None:
        self.form = form

    def run(self, save: SaveQuote) -> None:
        """Store the PDF, call `save` (a service) with the form's figures, and drop the PDF it replaced."""
        upload = self.form.file.data
        stored = None
        if upload is not None and getattr(upload, "filename", ""):
            name = store_pdf(upload.stream, STORAGE_PREFIX, current_app.config["QUOTE_UPLOAD_MAX_BYTES"])
            stored = StoredFile(name, upload.filename)
        delete_stored(STORAGE_PREFIX, save(self.form.figures(), stored))

    def refusal(self, error: str | None, conflict: str | None) -> str | None:
        """The message to flash when the refusal is not about one of the form's fields (decided or
        changed while the person was typing); the new PDF went with the rollback."""
        return None if self.form.errors else (conflict or error)

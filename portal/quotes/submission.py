"""The quotation PDF around one save, shared by the body's link page and the consultant's manual entry.

The PDF (if any) is stored first, under a random name, so the service can point the quote
at it; should the save be refused, the new file is removed again, and a file the quote
no longer points to is removed only once the change is committed.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app
from flask_babel import gettext as _

from portal.core.uploads import delete_stored, store_pdf
from portal.quotes.forms import QuoteFiguresForm
from portal.quotes.services import QuoteFigures, StoredFile

UPLOAD_FOLDER = "quotes"

SaveQuote = Callable[[QuoteFigures, StoredFile | None], str | None]


def changed_meanwhile() -> str:
    """The conflict message when the quote changed under the save (`run_action`'s conflict_message)."""
    return _("This quote was changed at the same moment; your figures were not saved.")


class QuoteFileSave:
    """One save of a quote form with its PDF: `run` is the action, `done` and `refusal` settle the files."""

    def __init__(self, form: QuoteFiguresForm) -> None:
        self.form = form
        self.stored: StoredFile | None = None
        self.replaced: str | None = None

    def run(self, save: SaveQuote) -> None:
        """Store the PDF, then call `save` (a service) with the form's figures."""
        upload = self.form.file.data
        if upload is not None and getattr(upload, "filename", ""):
            name = store_pdf(upload.stream, UPLOAD_FOLDER, current_app.config["QUOTE_UPLOAD_MAX_BYTES"])
            self.stored = StoredFile(name, upload.filename)
        self.replaced = save(self.form.figures(), self.stored)

    def done(self, url: str) -> Callable[[], str]:
        """After the commit: remove the file the quote no longer points to, then go to `url`."""

        def settle() -> str:
            if self.replaced:
                delete_stored(UPLOAD_FOLDER, self.replaced)
            return url

        return settle

    def refusal(self, error: str | None, conflict: str | None) -> str | None:
        """After the rollback: remove the new file; the message to flash when the refusal is not
        about one of the form's fields (decided or changed while the person was typing)."""
        if self.stored is not None:
            delete_stored(UPLOAD_FOLDER, self.stored.file_name)
            self.stored = None
        return None if self.form.errors else (conflict or error)

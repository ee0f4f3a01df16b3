"""Status wording shared by every area that shows a status (one label per status)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.models import Quote, QuoteStatus

QUOTE_STATUS_LABELS = {
    QuoteStatus.REQUESTED: _l("Requested"),
    QuoteStatus.RECEIVED: _l("Received"),
    QuoteStatus.ACCEPTED: _l("Accepted"),
    QuoteStatus.DECLINED: _l("Declined"),
    QuoteStatus.EXPIRED: _l("Expired"),
    QuoteStatus.WITHDRAWN: _l("Withdrawn"),
}


def quote_status_label(quote: Quote) -> str:
    """The quote's status for people (the engagement page, the comparison)."""
    return str(QUOTE_STATUS_LABELS[QuoteStatus(quote.status)])

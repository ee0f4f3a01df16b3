"""Status wording shared by every area that shows a status (one label per status)."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

from portal.core.clock import today_in_oman
from portal.models import Quote, QuoteStatus

QUOTE_STATUS_LABELS = {
    QuoteStatus.REQUESTED: _l("Requested"),
    QuoteStatus.RECEIVED: _l("Received"),
    QuoteStatus.ACCEPTED: _l("Accepted"),
    QuoteStatus.DECLINED: _l("Declined"),
    QuoteStatus.EXPIRED: _l("Expired"),
    QuoteStatus.WITHDRAWN: _l("Withdrawn"),
}


def quote_status_label(quote: Quote, today: date | None = None) -> str:
    """The quote's status for people (the engagement page, the comparison), as of `today` in Oman:
    an open quote past its validity reads Expired before the reminders run stores it."""
    return str(QUOTE_STATUS_LABELS[QuoteStatus(quote.status_on(today or today_in_oman()))])

"""What each calendar entry says: its title and description, in the reader's language."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.domain.calendar import AUDIT, STAGE1, STAGE2, DatedItem, engagement_items, quote_deadline
from portal.domain.schedule import RECERTIFICATION, SURVEILLANCE_1, SURVEILLANCE_2
from portal.models import Engagement, Quote
from portal.web.links import absolute_url

AUDIT_TITLES = {
    STAGE1: _l("Stage 1 audit: %(client)s"),
    STAGE2: _l("Stage 2 audit: %(client)s"),
    SURVEILLANCE_1: _l("Surveillance audit 1: %(client)s"),
    SURVEILLANCE_2: _l("Surveillance audit 2: %(client)s"),
    RECERTIFICATION: _l("Recertification audit: %(client)s"),
}


@dataclass(frozen=True)
class CalendarEntry:
    """One all-day event, ready for the iCalendar writer."""

    item: DatedItem
    title: str
    description: str
    url: str
    sequence: int
    last_modified: datetime


def _engagement_title(item: DatedItem, engagement: Engagement) -> str:
    if item.kind == AUDIT:
        return str(AUDIT_TITLES[item.what] % {"client": engagement.client.name})
    return _("Certificate expires: %(client)s", client=engagement.client.name)


def _description(engagement: Engagement) -> str:
    standards = ", ".join(standard.code for standard in engagement.standards)
    if engagement.certificate_number:
        return _("%(standards)s, certificate %(number)s", standards=standards, number=engagement.certificate_number)
    return standards


def engagement_entries(engagement: Engagement) -> list[CalendarEntry]:
    """The engagement's audits and expiry. The engagement's version is the SEQUENCE: it grows
    with every change of the row, so a calendar client takes a moved date as the newer one."""
    url = absolute_url("engagements.detail", id=engagement.id)
    return [
        CalendarEntry(
            item,
            _engagement_title(item, engagement),
            _description(engagement),
            url,
            engagement.version,
            engagement.updated_at,
        )
        for item in engagement_items(engagement.calendar_dates())
    ]


def quote_entry(quote: Quote, today: date) -> CalendarEntry | None:
    """The last day an open quote can be accepted, if it has one."""
    item = quote_deadline(quote.id, quote.valid_until, quote.is_open_on(today))
    if item is None:
        return None
    title = _(
        "Quote from %(body)s valid until today: %(client)s",
        body=quote.certification_body.name,
        client=quote.engagement.client.name,
    )
    url = absolute_url("engagements.detail", id=quote.engagement_id)
    return CalendarEntry(item, title, _description(quote.engagement), url, quote.version, quote.updated_at)


def calendar_entries(engagements: Sequence[Engagement], quotes: Sequence[Quote], today: date) -> list[CalendarEntry]:
    """Every entry of these engagements and quotes, by date."""
    entries = [entry for engagement in engagements for entry in engagement_entries(engagement)]
    entries += [entry for quote in quotes if (entry := quote_entry(quote, today)) is not None]
    return sorted(entries, key=lambda entry: (entry.item.on, entry.item.uid_stem))


def feed_name(firm_name: str, whole_firm: bool, user_name: str) -> str:
    """The calendar's name as the client lists it."""
    if whole_firm:
        return _("%(firm)s: all engagements", firm=firm_name)
    return _("%(firm)s: %(name)s's engagements", firm=firm_name, name=user_name)

"""The words for an enquiry's coded answers: the timeline and where the visitor heard of the firm
(the form offers them, the lead page shows them), and where the enquiry came from."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

TIMELINE_LABELS = {
    "within_3_months": _l("Within 3 months"),
    "3_6_months": _l("In 3 to 6 months"),
    "6_12_months": _l("In 6 to 12 months"),
    "over_12_months": _l("In more than a year"),
    "not_sure": _l("Not sure yet"),
}
HEARD_FROM_LABELS = {
    "search": _l("Search engine"),
    "social": _l("Social media"),
    "referral": _l("Recommendation"),
    "event": _l("Event or exhibition"),
    "existing_client": _l("We have worked with you before"),
    "advert": _l("Advertisement"),
    "other": _l("Other"),
}
# A lead's `source`: the portal's own intakes (portal.public.enquiry.services: SOURCE_FORM,
# SOURCE_API), and the ways the demo data's leads (portal/demo/leads.py) say they came in.
SOURCE_LABELS = {
    "form": _l("The website's enquiry form"),
    "api": _l("The intake API"),
    "phone": _l("A phone call"),
    "email": _l("An e-mail"),
    "referral": _l("A referral"),
    "exhibition": _l("An exhibition"),
}


def answer_label(labels: dict[str, object], code: str | None) -> str:
    """The words for a stored code, or the code itself when these labels do not know it (an older answer)."""
    return str(labels.get(code, code)) if code else ""

"""Calendars: the private iCalendar feeds (a consultant's engagements, or the whole firm's for
an admin) and an engagement's `.ics` download. The links themselves are kept by the auth area
(`portal/auth/calendar_feeds.py`), on the account page."""

from flask import Blueprint

bp = Blueprint("calendars", __name__)

from portal.calendars import routes  # noqa: E402, F401  (the views attach themselves to bp)

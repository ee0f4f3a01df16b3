"""Template filters and globals: Oman money and time, page direction, left-to-right values, status badges, the firm."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask import Flask
from flask_babel import format_date, format_datetime, get_locale
from markupsafe import Markup

from portal.core.firm import current_firm
from portal.web.i18n import text_direction
from portal.web.navigation import public_nav_links, workspace_nav_links
from portal.web.status import status_style


def format_omr(amount: Decimal | int | None) -> str:
    """`OMR 1,250.500`: the rial has 1,000 baisa, so always three decimals."""
    if amount is None:
        return ""
    return f"OMR {Decimal(amount):,.3f}"


def format_local(value: datetime | None, fmt: str = "medium") -> str:
    """A UTC timestamp shown in Asia/Muscat (Flask-Babel's configured zone)."""
    if value is None:
        return ""
    return format_datetime(value, fmt)


def format_long_date(value: date | None) -> str:
    """A calendar date in words, in the reader's language (e.g. "31 October 2025")."""
    return format_date(value, "long") if value else ""


def left_to_right(value: object) -> Markup:
    """An e-mail, phone number, reference (ENQ-2026-000123), ISO or IAF code, number or URL,
    isolated as left-to-right text: inside Arabic the bidi algorithm would otherwise reorder
    its parts ("+968 9123 4567" read as "4567 9123 +968"). Escaped like any value."""
    if value is None or value == "":
        return Markup("")
    return Markup('<bdi dir="ltr">%s</bdi>') % value


def init_templating(app: Flask) -> None:
    app.add_template_filter(format_omr, "omr")
    app.add_template_filter(format_local, "local_dt")
    app.add_template_filter(format_long_date, "long_date")
    app.add_template_filter(left_to_right, "ltr")
    app.add_template_global(public_nav_links)
    app.add_template_global(workspace_nav_links)
    app.add_template_global(status_style)

    @app.context_processor
    def page_globals() -> dict:
        locale = str(get_locale() or app.config["BABEL_DEFAULT_LOCALE"])
        # `firm`: the one way a page or an e-mail names the consultancy (see portal.core.firm).
        return {"page_lang": locale, "page_dir": text_direction(locale), "firm": current_firm()}

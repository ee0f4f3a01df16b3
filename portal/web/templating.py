"""Template filters and globals: Oman money and time, page direction, left-to-right values, status badges, the firm."""

from __future__ import annotations

from flask import Flask
from flask_babel import get_locale
from markupsafe import Markup

from portal.core.firm import current_firm
from portal.core.formats import format_day, format_iso_day, format_moment, format_number, format_omr, format_words
from portal.core.reference_names import local_name, sector_label
from portal.web.i18n import language_choices, text_direction
from portal.web.languages import language_offer, language_switch
from portal.web.navigation import public_nav_links, workspace_nav_links
from portal.web.status import status_style


def left_to_right(value: object) -> Markup:
    """An e-mail, phone number, reference (ENQ-2026-000123), ISO or IAF code, number or URL,
    isolated as left-to-right text: inside Arabic the bidi algorithm would otherwise reorder
    its parts ("+968 9123 4567" read as "4567 9123 +968"). Escaped like any value."""
    if value is None or value == "":
        return Markup("")
    return Markup('<bdi dir="ltr">%s</bdi>') % value


def init_templating(app: Flask) -> None:
    # Every date, time, figure and amount a template shows goes through portal.core.formats.
    app.add_template_filter(format_omr, "omr")
    app.add_template_filter(format_moment, "local_dt")
    app.add_template_filter(format_day, "long_date")
    app.add_template_filter(format_iso_day, "iso_day")
    app.add_template_filter(format_number, "number")
    app.add_template_filter(format_words, "words")
    app.add_template_filter(text_direction, "text_direction")
    app.add_template_filter(left_to_right, "ltr")
    app.add_template_filter(local_name, "local_name")  # a region, sector or standard name, translated
    app.add_template_global(sector_label)
    app.add_template_global(public_nav_links)
    app.add_template_global(workspace_nav_links)
    app.add_template_global(status_style)
    app.add_template_global(language_choices)
    app.add_template_global(language_switch)
    app.add_template_global(language_offer)

    @app.context_processor
    def page_globals() -> dict:
        locale = str(get_locale() or app.config["BABEL_DEFAULT_LOCALE"])
        # `firm`: the one way a page or an e-mail names the consultancy (see portal.core.firm).
        return {"page_lang": locale, "page_dir": text_direction(locale), "firm": current_firm()}

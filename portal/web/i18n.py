"""Locale and time-zone selection for Flask-Babel.

English and Arabic (right to left): the language is chosen from a short allow-list
and the page direction follows it. A public page's language is its URL's
(portal.web.languages); other pages choose as below.
"""

from __future__ import annotations

from flask import current_app, has_request_context, session

from portal.web.languages import page_language, preferred_language

RTL_LANGUAGES = frozenset({"ar"})


def select_locale() -> str:
    """A public page's URL language; else the visitor's chosen language if supported, else the best
    Accept-Language match."""
    languages: list[str] = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands and workers: the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if language := page_language():
        return language
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return preferred_language() or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    """Everyone sees Oman time; times are stored in UTC."""
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def text_direction(locale: str) -> str:
    return "rtl" if locale.split("_")[0] in RTL_LANGUAGES else "ltr"

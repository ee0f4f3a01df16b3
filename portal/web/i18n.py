"""Locale and time-zone selection for Flask-Babel.

English and Arabic (right to left): the language is chosen from a short allow-list
(LANGUAGES) and the page direction follows it. A public page's language is its URL's
(portal.web.languages); staff read the workspace in the language of their account page;
other pages choose as below.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import current_app, g, has_request_context, request, session

from portal.web.languages import LANGUAGE_NAMES, page_language, preferred_language

View = TypeVar("View", bound=Callable)

RTL_LANGUAGES = frozenset({"ar"})
WORKSPACE_PREFIXES = ("/app/", "/auth/account/", "/auth/two-factor/")


def language_choices() -> list[tuple[str, str]]:
    """(code, name in itself) for each language the portal speaks, in LANGUAGES order."""
    return [(code, LANGUAGE_NAMES.get(code, code)) for code in current_app.config["LANGUAGES"]]


def select_locale() -> str:
    """A public page's URL language; a signed-in staff member's own language in the workspace;
    a signed link's `?lang=`; else the visitor's chosen language if supported, else the
    browser's preferred one."""
    languages: list[str] = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands and workers: the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if language := page_language():
        return language
    staff_locale = _staff_locale()
    if staff_locale in languages:
        return staff_locale
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, "language_in_query", False) and (asked := query_language()):
        return asked
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return preferred_language() or current_app.config["BABEL_DEFAULT_LOCALE"]


def _staff_locale() -> str | None:
    """The signed-in user's language on a workspace page, read from the user Flask-Login has
    already loaded (`g._login_user`) and only from what is loaded: choosing a language never
    queries the database, so the 503 page drawn while it is away still renders, and text
    written after the view committed (a streamed export) needs no expired user reloaded.
    `role_required` asks for the language while the user is fresh, so it is fixed by then."""
    if not (request.path.rstrip("/") + "/").startswith(WORKSPACE_PREFIXES):
        return None
    user = g.get("_login_user")
    return vars(user).get("locale") if user is not None else None  # anonymous: none; expired: not loaded


def language_in_query(view: View) -> View:
    """Mark a page opened without an account (a signed link) as written in its `?lang=` argument.

    Its form posts to the same address, so the language holds through them; redirects keep
    it with `query_language()`."""
    view.language_in_query = True  # type: ignore[attr-defined]
    return view


def query_language() -> str | None:
    """The `?lang=` argument when it names a language the portal speaks."""
    asked = request.args.get("lang")
    return asked if asked in current_app.config["LANGUAGES"] else None


def select_timezone() -> str:
    """Everyone sees Oman time; times are stored in UTC."""
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def text_direction(locale: str) -> str:
    return "rtl" if locale.split("_")[0] in RTL_LANGUAGES else "ltr"

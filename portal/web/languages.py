"""Public pages at one address per language: English at `/x`, Arabic at `/ar/x`.

A search engine, a shared link and a cache see one language per URL, so on public pages
the language comes from the URL, never from the session or Accept-Language. Each view is
written once: a `LanguageBlueprint` registers every rule twice, `/x` with `lang` set to the
default language and `/<lang>/x` for the others, under the same endpoint. The language is
taken out of the view arguments before the view runs (views never see it) and put back
into every `url_for` of a public endpoint, so the links, form actions and redirects of an
Arabic page stay Arabic without a view or template saying so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, current_app, g, has_request_context, make_response, request, url_for
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import LanguageAccept
from werkzeug.routing import AnyConverter, Map

LANG_ARG = "lang"
# Each language named in itself: the switch speaks to a reader of the language it leads to.
LANGUAGE_NAMES = {"en": "English", "ar": "العربية"}
# The offer of a default-language page in the reader's language, in that language: (text, "close").
OFFERS = {"ar": ("هذه الصفحة متوفرة بالعربية", "إغلاق")}


def _add_converter(state: BlueprintSetupState) -> None:
    """`<lang:lang>` in a rule matches exactly the prefixed languages of this app's settings."""
    languages = [lang for lang in state.app.config["LANGUAGES"] if lang != state.app.config["BABEL_DEFAULT_LOCALE"]]

    class LanguageConverter(AnyConverter):
        def __init__(self, url_map: Map) -> None:
            super().__init__(url_map, *languages)

    state.app.url_map.converters.setdefault("lang", LanguageConverter)


def _take_language(endpoint: str | None, values: dict[str, Any] | None) -> None:
    if values and LANG_ARG in values:
        g.page_language = values.pop(LANG_ARG)


def _keep_language(endpoint: str, values: dict[str, Any]) -> None:
    language = g.get("page_language")
    if language and LANG_ARG not in values and current_app.url_map.is_endpoint_expecting(endpoint, LANG_ARG):
        values[LANG_ARG] = language


class LanguageBlueprint(Blueprint):
    """A blueprint whose every page answers in each language at its own URL.

    A rule added with `language_less=True` (the sitemap, robots.txt) answers once, without prefix."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.record_once(_add_converter)
        self.url_value_preprocessor(_take_language)
        self.url_defaults(_keep_language)

    def add_url_rule(
        self,
        rule: str,
        endpoint: str | None = None,
        view_func: Any = None,
        provide_automatic_options: bool | None = None,
        **options: Any,
    ) -> None:
        if options.pop("language_less", False):
            super().add_url_rule(rule, endpoint, view_func, provide_automatic_options, **options)
            return
        defaults = options.pop("defaults", None) or {}
        super().add_url_rule(
            f"/<lang:{LANG_ARG}>{rule}", endpoint, view_func, provide_automatic_options, defaults=defaults, **options
        )
        # The unprefixed rule stands for the default language, a setting known only at registration.
        self.record(
            lambda state: state.add_url_rule(
                rule,
                endpoint,
                view_func,
                provide_automatic_options=provide_automatic_options,
                defaults={**defaults, LANG_ARG: state.app.config["BABEL_DEFAULT_LOCALE"]},
                **options,
            )
        )


def page_language() -> str | None:
    """The language the URL of this request gives, or None off the public pages. An address that
    matched no page but starts with a language prefix (a mistyped `/ar/…` link) still gives it,
    so its 404 page reads in the language the visitor was reading."""
    if not has_request_context():
        return None
    language = g.get("page_language")
    if language is None and request.url_rule is None:
        prefix = request.path.split("/", 2)[1]
        if prefix in current_app.config["LANGUAGES"] and prefix != current_app.config["BABEL_DEFAULT_LOCALE"]:
            language = prefix
    return language


def same_page_in(language: str) -> str | None:
    """This page's address in `language`, query string kept; None when the page has no languages."""
    endpoint = request.endpoint
    if not endpoint or not current_app.url_map.is_endpoint_expecting(endpoint, LANG_ARG):
        return None
    path = url_for(endpoint, **(request.view_args or {}), **{LANG_ARG: language})
    query = urlencode(list(request.args.items(multi=True)))
    return f"{path}?{query}" if query else path


def language_switch() -> list[tuple[str, str, str]]:
    """(language, its name in itself, URL of this page in it) for each other language of a public page."""
    current = page_language()
    if current is None:
        return []
    languages = [lang for lang in current_app.config["LANGUAGES"] if lang != current]
    return [(lang, LANGUAGE_NAMES.get(lang, lang), url) for lang in languages if (url := same_page_in(lang))]


@dataclass(frozen=True)
class LanguageOffer:
    """What the notice on a default-language page says, in the offered language, and where it leads."""

    language: str
    text: str
    dismiss: str
    url: str


def language_offer() -> LanguageOffer | None:
    """The same page in the language the browser prefers, when it is not this page's language.

    Offered on a default-language page, never imposed: a redirect would keep anyone whose
    browser prefers Arabic (a search engine's crawler, a shared link) from the English page."""
    if page_language() != current_app.config["BABEL_DEFAULT_LOCALE"]:
        return None
    preferred = preferred_language()
    if preferred not in OFFERS or not (url := same_page_in(preferred)):
        return None
    text, dismiss = OFFERS[preferred]
    return LanguageOffer(preferred, text, dismiss, url)


def preferred_language() -> str | None:
    """The browser's first choice (by quality, then its own order) among the site's languages,
    any variant counting for its language: `en-GB` is English. (Werkzeug's best_match would
    take an exact `ar;q=0.8` over `en-GB`.)"""
    return first_choice(request.accept_languages, current_app.config["LANGUAGES"])


def first_choice(accepted: LanguageAccept, languages: list[str]) -> str | None:
    """The first of `languages` in an Accept-Language header, parsed (see preferred_language)."""
    for value, _quality in accepted:
        if (language := value.lower().split("-")[0]) in languages:
            return language
    return None


def offers_language(view: Callable[..., ResponseReturnValue]) -> Callable[..., ResponseReturnValue]:
    """For a view whose template shows `language_offer()`: its default-language page depends on
    Accept-Language, so a cache must keep one copy per header (Vary); its other pages do not."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        response = make_response(view(*args, **kwargs))
        if page_language() == current_app.config["BABEL_DEFAULT_LOCALE"]:
            response.vary.add("Accept-Language")
        return response

    return wrapper

"""Translations looked up once per request and language, not once per message.

Flask-Babel finds the catalogue anew on every `_()`: a dozen context-local look-ups and
the locale turned into a string, 10-20 µs, thousands of times on a long page. Here the
catalogue it returns is kept on its own per-context namespace (`g._flask_babel`) next to
the locale it was found for; every later message of the request reads it from there with
one look-up. The pair is found again whenever the locale object changes: `force_locale`
(an e-mail in its reader's language) and `refresh()` (a new language chosen) each put a
new one in place, so a message is never looked up in the wrong language.

Python code calling `flask_babel.gettext` and friends goes through `BoundDomain`; templates'
`_`, `gettext` and `ngettext` read the kept catalogue directly, as Jinja's "newstyle" gettext
(autoescaped, always %-formatted) but without its two extra call layers per message.
"""

from __future__ import annotations

from typing import Any

from babel.support import NullTranslations
from flask import Flask, g
from flask_babel import Domain, get_locale
from jinja2.runtime import Context
from jinja2.utils import pass_context
from markupsafe import Markup

from portal.extensions import babel


class BoundDomain(Domain):
    """Flask-Babel's message domain, its catalogue kept for the request (see the module's docstring)."""

    def get_translations(self) -> NullTranslations:
        namespace = g.get("_flask_babel") if g else None  # no app context: Flask-Babel's null catalogue
        if namespace is not None:
            bound = getattr(namespace, "portal_catalogue", None)
            if bound is not None and bound[0] is getattr(namespace, "babel_locale", None):
                return bound[1]
        translations = super().get_translations()
        locale = get_locale()  # resolved by the call above; None outside an app context
        if locale is not None:
            g._flask_babel.portal_catalogue = (locale, translations)
        return translations


def bind_catalogue(app: Flask) -> None:
    """Make Flask-Babel's default domain a `BoundDomain` and give templates its lookups."""
    domain = BoundDomain(domain=app.config.get("BABEL_DOMAIN", "messages"))
    babel.__dict__["domain_instance"] = domain  # Flask-Babel's cached default domain
    lookup = domain.get_translations
    app.jinja_env.install_gettext_callables(
        gettext=lambda string: lookup().gettext(string),
        ngettext=lambda singular, plural, n: lookup().ngettext(singular, plural, n),
        pgettext=lambda context, string: lookup().pgettext(context, string),
        npgettext=lambda context, singular, plural, n: lookup().npgettext(context, singular, plural, n),
        newstyle=True,
    )

    # A message is markup the code and the translators wrote, as Jinja's own gettext treats it;
    # the values put into it are escaped by Markup's %.
    @pass_context
    def gettext(context: Context, string: str, **variables: Any) -> str:
        text = lookup().gettext(string)
        return (Markup(text) if context.eval_ctx.autoescape else text) % variables  # noqa: S704

    @pass_context
    def ngettext(context: Context, singular: str, plural: str, num: int, **variables: Any) -> str:
        variables.setdefault("num", num)
        text = lookup().ngettext(singular, plural, num)
        return (Markup(text) if context.eval_ctx.autoescape else text) % variables  # noqa: S704

    app.jinja_env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext)

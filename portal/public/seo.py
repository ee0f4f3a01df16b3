"""What search engines and link previews read: title, description, canonical URL, the
same page in each language (hreflang), Open Graph tags and JSON-LD structured data.

Absolute URLs come from PUBLIC_BASE_URL, never from the Host header, so a request
through another host name (or a proxy) cannot change the canonical address.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from portal.core.firm import current_firm
from portal.web.languages import LANG_ARG
from portal.web.links import absolute_url

SCHEMA_CONTEXT = "https://schema.org"
# Open Graph wants language_TERRITORY; Oman's languages and the English we write.
OG_LOCALES = {"en": "en_GB", "ar": "ar_OM"}


@dataclass(frozen=True)
class PageMeta:
    """Everything the `<head>` of a public page says about the page."""

    title: str
    description: str
    canonical: str
    og_type: str = "website"
    og_locale: str = "en_GB"
    json_ld: tuple[dict[str, Any], ...] = ()
    # (hreflang, absolute URL) of this page in every language, then x-default.
    alternates: tuple[tuple[str, str], ...] = ()


def page_meta(
    title: str,
    description: str,
    endpoint: str,
    *,
    og_type: str = "website",
    json_ld: Iterable[dict[str, Any]] = (),
    **values: Any,
) -> PageMeta:
    """Meta for the page at `endpoint`; the organisation's JSON-LD is always included."""
    return PageMeta(
        title=title,
        description=description,
        canonical=absolute_url(endpoint, **values),
        og_type=og_type,
        og_locale=OG_LOCALES.get(str(get_locale()), "en_GB"),
        json_ld=(organization_ld(), *json_ld),
        alternates=language_alternates(endpoint, **values),
    )


def language_alternates(endpoint: str, **values: Any) -> tuple[tuple[str, str], ...]:
    """The page at each language's URL, and x-default: the default-language page, for readers
    of any other language."""
    languages = current_app.config["LANGUAGES"]
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    urls = {language: absolute_url(endpoint, **values, **{LANG_ARG: language}) for language in languages}
    return (*urls.items(), ("x-default", urls[default]))


def organization_ld() -> dict[str, Any]:
    """schema.org data for the consultancy itself, from the firm's settings: the name and the
    contact details a search engine shows must be the ones on the page and in the CR."""
    firm = current_firm()
    data: dict[str, Any] = {
        "@context": SCHEMA_CONTEXT,
        "@type": "ProfessionalService",
        "name": firm.name,
        "url": absolute_url("public.home"),
        "description": _(
            "Consultancy that prepares organisations in Oman for ISO management-system certification "
            "by independent, accredited certification bodies."
        ),
        "areaServed": {"@type": "Country", "name": _("Oman")},
        "address": postal_address(firm.address),
        "openingHoursSpecification": {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday"],
        },
    }
    optional = {"legalName": firm.legal_name, "email": firm.email, "telephone": firm.phone}
    data.update({key: value for key, value in optional.items() if value})
    return data


def postal_address(address: str | None) -> dict[str, str]:
    """FIRM_ADDRESS as one street line (the town is in it, wherever the office is), else Muscat, Oman."""
    if address:
        return {"@type": "PostalAddress", "streetAddress": address, "addressCountry": "OM"}
    return {"@type": "PostalAddress", "addressLocality": _("Muscat"), "addressCountry": "OM"}


def faq_ld(faqs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """schema.org FAQPage data for questions shown on the page (plain-text answers)."""
    return {
        "@context": SCHEMA_CONTEXT,
        "@type": "FAQPage",
        "mainEntity": [
            {"@type": "Question", "name": question, "acceptedAnswer": {"@type": "Answer", "text": answer}}
            for question, answer in faqs
        ],
    }


def breadcrumb_ld(trail: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """schema.org BreadcrumbList from (name, absolute URL) pairs, home first."""
    return {
        "@context": SCHEMA_CONTEXT,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": number, "name": name, "item": url}
            for number, (name, url) in enumerate(trail, start=1)
        ],
    }


def json_ld_markup(data: dict[str, Any]) -> Markup:
    """JSON safe to place inside `<script type="application/ld+json">`: `<`, `>` and `&`
    are escaped so no text in the data can close the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)  # noqa: S704  (escaped above for the script data context)

"""The catalogue kept for the request (portal.web.catalogue) never answers in the wrong language.

A one-message Arabic catalogue stands in for the translators' work, so the test holds before
and after it is merged.
"""

from __future__ import annotations

from io import BytesIO

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.support import Translations
from flask import render_template_string
from flask_babel import force_locale, get_domain, gettext, ngettext, refresh

from portal.web.catalogue import BoundDomain


@pytest.fixture()
def arabic(app, monkeypatch):
    catalogue = Catalog(locale="ar")
    catalogue.add("Name", "الاسم")
    catalogue.add(
        ("%(num)s site", "%(num)s sites"), ("", "موقع واحد", "موقعان", "%(num)s مواقع", "%(num)s موقعًا", "%(num)s موقع")
    )
    buffer = BytesIO()
    write_mo(buffer, catalogue)
    buffer.seek(0)
    with app.test_request_context("/"):
        monkeypatch.setitem(get_domain().cache, ("ar", "messages"), Translations(buffer))
        yield


def test_the_default_domain_is_the_bound_one(app):
    with app.test_request_context("/"):
        assert isinstance(get_domain(), BoundDomain)


def test_forcing_a_language_inside_a_request_switches_and_switches_back(app, arabic):
    page = "{{ _('Name') }} · {{ ngettext('%(num)s site', '%(num)s sites', 2) }}"
    assert render_template_string(page) == "Name · 2 sites"
    assert gettext("Name") == "Name"
    with force_locale("ar"):  # an e-mail to an Arabic reader, written during an English page
        assert render_template_string(page) == "الاسم · موقعان"
        assert gettext("Name") == "الاسم"
        assert ngettext("%(num)s site", "%(num)s sites", 5) == "5 مواقع"
    assert render_template_string(page) == "Name · 2 sites"
    assert gettext("Name") == "Name"


def test_a_language_chosen_during_the_request_applies_at_once(app, arabic, monkeypatch):
    assert gettext("Name") == "Name"
    monkeypatch.setattr(app.extensions["babel"], "locale_selector", lambda: "ar")  # e.g. a saved choice
    refresh()  # as the account page does after saving the language
    assert gettext("Name") == "الاسم"
    assert render_template_string("{{ _('Name') }}") == "الاسم"


def test_values_put_into_a_message_are_escaped(app, arabic):
    html = render_template_string("{{ _('Hello %(name)s', name=who) }}", who="<b>x</b>")
    assert html == "Hello &lt;b&gt;x&lt;/b&gt;"

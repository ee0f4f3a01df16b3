"""The audit-time estimate form. A GET form: it changes nothing, so an estimate is a link
that can be bookmarked or shared, and it carries no CSRF token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.widgets import TextInput

from portal.public.scope_fields import (
    ScopeChoices,
    employees_field,
    region_field,
    sector_field,
    sites_field,
    standards_field,
)

# A text box with a numeric keypad: it can hold back what was typed ("forty") next to its
# message, which a type=number input cannot validly do.
NUMBER_AS_TEXT = TextInput()


class EstimateForm(ScopeChoices, FlaskForm):
    """Standards, sector, personnel, sites and location; choices come from reference data."""

    class Meta:
        csrf = False

    standards = standards_field(_l("Standards"))
    sector = sector_field()
    employees = employees_field(widget=NUMBER_AS_TEXT, render_kw={"inputmode": "numeric"})
    sites = sites_field(widget=NUMBER_AS_TEXT, render_kw={"inputmode": "numeric"})
    region = region_field()

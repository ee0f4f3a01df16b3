"""The audit-time estimate form. A GET form: it changes nothing, so an estimate is a link
that can be bookmarked or shared, and it carries no CSRF token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, NumberRange
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

MAX_EMPLOYEES = 1_000_000
MAX_SITES = 500
# A text box with a numeric keypad: it can hold back what was typed ("forty") next to its
# message, which a type=number input cannot validly do.
NUMBER_AS_TEXT = TextInput()


class EstimateForm(FlaskForm):
    """Standards, sector, personnel, sites and location; choices come from reference data."""

    class Meta:
        csrf = False

    standards = SelectMultipleField(
        _l("Standards"),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validators=[DataRequired(_l("Choose at least one standard."))],
        invalid_choice_message=_l("Choose standards from the list."),
    )
    sector = SelectField(
        _l("Sector"),
        validators=[DataRequired(_l("Choose the sector closest to your business."))],
        invalid_choice_message=_l("Choose a sector from the list."),
    )
    employees = IntegerField(
        _l("Number of employees"),
        widget=NUMBER_AS_TEXT,
        render_kw={"inputmode": "numeric"},
        validators=[
            InputRequired(_l("Tell us how many people work for you.")),
            NumberRange(1, MAX_EMPLOYEES, _l("Enter a number from 1 to 1,000,000.")),
        ],
    )
    sites = IntegerField(
        _l("Number of sites"),
        widget=NUMBER_AS_TEXT,
        render_kw={"inputmode": "numeric"},
        default=1,
        validators=[
            InputRequired(_l("Tell us how many sites are in scope.")),
            NumberRange(1, MAX_SITES, _l("Enter a number from 1 to 500.")),
        ],
    )
    region = SelectField(
        _l("Location"),
        validators=[DataRequired(_l("Choose where you are based."))],
        invalid_choice_message=_l("Choose a location from the list."),
    )

    def set_choices(
        self,
        sectors: list[tuple[str, str]],
        regions: list[tuple[str, str, str]],
        standards: list[tuple[str, str]],
    ) -> None:
        """(value, label) pairs from reference data; regions carry their governorate as optgroup."""
        self.sector.choices = [SelectChoice("", str(_l("Choose a sector")))] + [
            SelectChoice(value, label) for value, label in sectors
        ]
        self.region.choices = [SelectChoice("", str(_l("Choose a location")))] + [
            SelectChoice(value, label, optgroup=group) for value, label, group in regions
        ]
        self.standards.choices = [SelectChoice(value, label) for value, label in standards]

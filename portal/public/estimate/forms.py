"""The audit-time estimate form. A GET form: it changes nothing, so an estimate is a link
that can be bookmarked or shared, and it carries no CSRF token."""

from __future__ import annotations

from fractions import Fraction

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, IntegerField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional
from wtforms.widgets import TextInput

from portal.core.audit_time_text import COMPLEXITY_LABELS
from portal.domain.audit_time import EffectivePersonnel, effective_personnel
from portal.domain.md5_tables import TABLE_COMPLEXITIES, Complexity
from portal.public.scope_fields import (
    MAX_EMPLOYEES,
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
NUMERIC = {"inputmode": "numeric"}
DECIMAL = {"inputmode": "decimal"}
MAX_WEEK_HOURS = 84
DEFAULT_WEEK_HOURS = 40  # a starting value the visitor can see and correct


def _complexity_field(label: str, table: str) -> SelectField:
    """Empty means the sector's usual category; a special-case sector needs one chosen."""
    return SelectField(
        label,
        choices=[SelectChoice("", _l("Usual for my sector"))]
        + [SelectChoice(level.value, COMPLEXITY_LABELS[level]) for level in TABLE_COMPLEXITIES[table]],
        default="",
        validators=[Optional()],
        invalid_choice_message=_l("Choose a category from the list."),
    )


def _hours_field(label: str, **options: object) -> DecimalField:
    return DecimalField(
        label,
        widget=NUMBER_AS_TEXT,
        render_kw=DECIMAL,
        places=None,
        validators=[Optional(), NumberRange(1, MAX_WEEK_HOURS, _l("Enter hours from 1 to 84 a week."))],
        **options,
    )


class EstimateForm(ScopeChoices, FlaskForm):
    """Standards, sector, personnel (part-time by hours), sites and location; choices come from reference data."""

    class Meta:
        csrf = False

    standards = standards_field(_l("Standards"))
    sector = sector_field()
    employees = employees_field(widget=NUMBER_AS_TEXT, render_kw=NUMERIC)
    part_time = IntegerField(
        _l("Part-time staff"),
        widget=NUMBER_AS_TEXT,
        render_kw=NUMERIC,
        validators=[Optional(), NumberRange(0, MAX_EMPLOYEES, _l("Enter a number from 0 to 1,000,000."))],
    )
    part_time_hours = _hours_field(_l("Hours a part-timer works a week, on average"))
    full_time_hours = _hours_field(_l("Hours in your full-time week"), default=DEFAULT_WEEK_HOURS)
    repetitive = BooleanField(_l("Many of our people do the same simple, repetitive work"))
    sites = sites_field(widget=NUMBER_AS_TEXT, render_kw=NUMERIC)
    sites_differ = BooleanField(_l("Our sites do different work, or some carry high risks"))
    ems_complexity = _complexity_field(_l("Environmental complexity (ISO 14001)"), "ems")
    ohs_complexity = _complexity_field(_l("Health and safety complexity (ISO 45001)"), "ohs")
    region = region_field()

    def validate(self, extra_validators=None) -> bool:
        """Part-time staff are counted by their hours (IAF MD 5), so those hours are needed, within a full week."""
        valid = super().validate(extra_validators)
        hours, week = self.part_time_hours, self.full_time_hours
        if not self.part_time.data or hours.errors or week.errors:
            return valid
        if hours.data is None:
            hours.errors.append(_l("Tell us how many hours a week your part-time staff work."))
        elif week.data and hours.data > week.data:
            hours.errors.append(_l("Part-time hours cannot be more than your full-time week."))
        return valid and not hours.errors

    def people(self) -> EffectivePersonnel:
        """The effective number of personnel from the validated answers."""
        return effective_personnel(
            self.employees.data,
            self.part_time.data or 0,
            Fraction(self.part_time_hours.data or 0),
            Fraction(self.full_time_hours.data or DEFAULT_WEEK_HOURS),
        )

    def complexity(self) -> dict[str, Complexity]:
        """The categories chosen for the EMS and OH&S tables (none: the sector's usual one)."""
        chosen = {"ems": self.ems_complexity.data, "ohs": self.ohs_complexity.data}
        return {table: Complexity(level) for table, level in chosen.items() if level}

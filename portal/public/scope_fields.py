"""The questions about an organisation that the enquiry and the estimate both ask.

Sector, personnel, sites, location and standards carry the same bounds and messages
on both forms, and take their choices from reference data the same way, so a rule
changed here changes for both.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

MAX_EMPLOYEES = 1_000_000
MAX_SITES = 500


def with_placeholder(placeholder: Any, pairs: Iterable[tuple[str, Any]]) -> list[SelectChoice]:
    """A select's choices: an empty "choose ..." first, then (value, label) pairs."""
    return [SelectChoice("", str(placeholder))] + [SelectChoice(value, str(label)) for value, label in pairs]


def _required(validator: Any, required: bool) -> Any:
    """The field's "must answer" validator, or Optional (a blank answer then skips the other checks)."""
    return validator if required else Optional()


def sector_field(required: bool = True) -> Any:
    return SelectField(
        _l("Sector"),
        validators=[_required(DataRequired(_l("Choose the sector closest to your business.")), required)],
        invalid_choice_message=_l("Choose a sector from the list."),
    )


def employees_field(required: bool = True, **options: Any) -> Any:
    """Personnel in the management system; `options` (a widget, render_kw) shape the input only."""
    return IntegerField(
        _l("Number of employees"),
        validators=[
            _required(InputRequired(_l("Tell us how many people work for you.")), required),
            NumberRange(1, MAX_EMPLOYEES, _l("Enter a number from 1 to 1,000,000.")),
        ],
        **options,
    )


def sites_field(required: bool = True, **options: Any) -> Any:
    """Permanent sites in scope, 1 by default; `options` shape the input only."""
    return IntegerField(
        _l("Number of sites"),
        default=1,
        validators=[
            _required(InputRequired(_l("Tell us how many sites are in scope.")), required),
            NumberRange(1, MAX_SITES, _l("Enter a number from 1 to 500.")),
        ],
        **options,
    )


def region_field(required: bool = True) -> Any:
    return SelectField(
        _l("Location"),
        validators=[_required(DataRequired(_l("Choose where you are based.")), required)],
        invalid_choice_message=_l("Choose a location from the list."),
    )


def standards_field(label: Any) -> Any:
    """Standards as a list of checkboxes, at least one."""
    return SelectMultipleField(
        label,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validators=[DataRequired(_l("Choose at least one standard."))],
        invalid_choice_message=_l("Choose standards from the list."),
    )


class ScopeChoices:
    """Mixed into a form that has the sector, region and standards fields above."""

    sector: SelectField
    region: SelectField
    standards: SelectMultipleField

    def set_choices(
        self,
        sectors: Iterable[tuple[str, str]],
        regions: Iterable[tuple[str, str, str]],
        standards: Iterable[tuple[str, str]],
    ) -> None:
        """Choices from reference data (portal.public.queries.form_choices): (value, label)
        pairs; regions carry their governorate as optgroup."""
        self.sector.choices = with_placeholder(_l("Choose a sector"), sectors)
        self.region.choices = [SelectChoice("", str(_l("Choose a location")))] + [
            SelectChoice(value, label, optgroup=group) for value, label, group in regions
        ]
        self.standards.choices = [SelectChoice(value, label) for value, label in standards]

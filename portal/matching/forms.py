"""The match page's forms: a GET form to re-run the match with other figures, and the
POST-only shortlist buttons."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional
from wtforms.widgets import TextInput

from portal.domain.md5_tables import TABLE_COMPLEXITIES, Complexity
from portal.domain.sector_complexity import default_complexity
from portal.matching.loader import NeedsInput
from portal.matching.presentation import LANGUAGE_LABELS

COMPLEXITY_LABELS = {
    Complexity.HIGH: _l("High"),
    Complexity.MEDIUM: _l("Medium"),
    Complexity.LOW: _l("Low"),
    Complexity.LIMITED: _l("Limited"),
}


def _complexity_choices(table: str) -> list[SelectChoice]:
    return [SelectChoice("", _l("Sector default"))] + [
        SelectChoice(level.value, COMPLEXITY_LABELS[level]) for level in TABLE_COMPLEXITIES[table]
    ]


class MatchForm(FlaskForm):
    """Figures the consultant may change; empty complexity means the sector's default. A GET
    form: it changes nothing, so the view is a link and carries no CSRF token."""

    class Meta:
        csrf = False

    personnel = IntegerField(
        _l("Effective personnel"),
        widget=TextInput(),  # holds back whatever was typed beside its message
        render_kw={"inputmode": "numeric"},
        validators=[Optional(), NumberRange(1, 1_000_000, _l("Enter a number from 1 to 1,000,000."))],
    )
    sites = IntegerField(
        _l("Sites"),
        widget=TextInput(),
        render_kw={"inputmode": "numeric"},
        validators=[Optional(), NumberRange(1, 500, _l("Enter a number from 1 to 500."))],
    )
    language = SelectField(
        _l("Auditors' language"),
        choices=[SelectChoice("", _l("Any language"))] + [SelectChoice(k, v) for k, v in LANGUAGE_LABELS.items()],
        default="",
        invalid_choice_message=_l("Choose a language from the list."),
    )
    ems = SelectField(
        _l("Environmental complexity (ISO 14001)"),
        choices=_complexity_choices("ems"),
        default="",
        invalid_choice_message=_l("Choose a complexity from the list."),
    )
    ohs = SelectField(
        _l("OH&S complexity (ISO 45001)"),
        choices=_complexity_choices("ohs"),
        default="",
        invalid_choice_message=_l("Choose a complexity from the list."),
    )
    target_date = DateField(_l("Target date"), validators=[Optional()])

    def name_sector_defaults(self, sector_code: int | None) -> None:
        """Say which complexity "Sector default" stands for in this engagement's sector (none: the body chooses)."""
        for table in ("ems", "ohs"):
            level = default_complexity(table, sector_code)
            label = (
                _l("Sector default (%(level)s)", level=COMPLEXITY_LABELS[level].lower())
                if level
                else _l("No default: IAF MD 5 leaves it to the certification body")
            )
            self[table].choices = [SelectChoice("", label), *self[table].choices[1:]]

    def needs_input(self) -> NeedsInput:
        complexity = {table: Complexity(self[table].data) for table in ("ems", "ohs") if self[table].data}
        return NeedsInput(
            personnel=self.personnel.data,
            sites=self.sites.data,
            language=self.language.data or "",
            target_date=self.target_date.data,
            complexity=complexity,
        )


class ShortlistForm(FlaskForm):
    """CSRF only: the body and the action are in the URL."""

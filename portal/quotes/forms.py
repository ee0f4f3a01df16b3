"""Forms of the quotes area. Field names match the service's error fields."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, HiddenField, IntegerField, SelectMultipleField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from portal.quotes.services import QuoteFigures
from portal.web.form_fields import FiniteDecimalField


def _fee(label: str, required: bool = True) -> FiniteDecimalField:
    validators = [InputRequired(message=_l("Enter the amount in OMR."))] if required else [Optional()]
    return FiniteDecimalField(
        label,
        places=3,
        invalid_message=_l("Enter an amount in OMR, e.g. 1250.500."),
        validators=[*validators, NumberRange(min=0, message=_l("The amount cannot be negative."))],
        render_kw={"inputmode": "decimal"},
    )


class QuoteFiguresForm(FlaskForm):
    """What a body prices; shared by the body's link page and the consultant's manual entry."""

    initial_fee = _fee(_l("Initial certification audit, stage 1 + stage 2 (OMR)"))
    surveillance_fee = _fee(_l("Each surveillance audit (OMR)"))
    recertification_fee = _fee(_l("Recertification audit (OMR)"))
    travel_fee = _fee(_l("Travel and expenses over the cycle (OMR)"), required=False)
    initial_audit_days = FiniteDecimalField(
        _l("Auditor-days offered for the initial audit (stage 1 + stage 2)"),
        places=1,
        invalid_message=_l("Enter the auditor-days in half days, e.g. 4.5."),
        validators=[
            InputRequired(message=_l("Enter the auditor-days offered for the initial audit.")),
            NumberRange(min=0.5, max=999.5, message=_l("Enter the auditor-days in half days, e.g. 4.5.")),
        ],
        render_kw={"inputmode": "decimal"},
    )
    valid_until = DateField(
        _l("Quotation valid until"),
        validators=[InputRequired(message=_l("Enter the date the quotation is valid until."))],
    )
    notes = TextAreaField(_l("Notes (assumptions, what is included)"), validators=[Optional(), Length(max=5000)])
    file = FileField(_l("Quotation as PDF (optional, at most 10 MB)"), render_kw={"accept": "application/pdf,.pdf"})

    def figures(self) -> QuoteFigures:
        """The values as the service's plain dataclass (an empty travel amount is zero)."""
        return QuoteFigures(
            initial_fee=self.initial_fee.data,
            surveillance_fee=self.surveillance_fee.data,
            recertification_fee=self.recertification_fee.data,
            travel_fee=self.travel_fee.data if self.travel_fee.data is not None else Decimal("0"),
            initial_audit_days=self.initial_audit_days.data,
            valid_until=self.valid_until.data,
            notes=self.notes.data or "",
        )


class ManualQuoteForm(QuoteFiguresForm):
    """A consultant types in a quote that came by e-mail; the days may be unknown."""

    initial_audit_days = FiniteDecimalField(
        _l("Auditor-days offered for the initial audit (stage 1 + stage 2)"),
        places=1,
        invalid_message=_l("Enter the auditor-days in half days."),
        validators=[Optional(), NumberRange(min=0.5, max=999.5, message=_l("Enter the auditor-days in half days."))],
    )
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RequestQuotesForm(FlaskForm):
    certification_body_ids = MultiCheckboxField(_l("Certification bodies"), coerce=int, validate_choice=False)
    # Unticked (or absent, e.g. posted from the match page): each body is e-mailed its link.
    without_email = BooleanField(_l("Do not e-mail: the quotation came in another way and I will enter it by hand"))


class AcceptQuoteForm(FlaskForm):
    """Accept one quote: `seen` is the fingerprint of the figures on the page the consultant decided on."""

    seen = HiddenField(validators=[InputRequired(), Length(max=64)])
    notify_declined = BooleanField(_l("Send a polite e-mail to the bodies whose quotes are declined"), default=True)
    move_to_stage1 = BooleanField(_l("Move the engagement to stage 1 audit"))

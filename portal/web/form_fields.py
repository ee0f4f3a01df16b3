"""Forms and form fields shared by several areas."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField


class FiniteDecimalField(DecimalField):
    """A DecimalField that takes only ordinary numbers.

    Python's Decimal also reads "NaN", "sNaN" and "Infinity"; a signalling NaN makes
    WTForms' NumberRange raise, and an infinite amount cannot be stored, so they are
    refused here as a message next to the field, with what was typed kept.
    """

    def __init__(self, *args: Any, invalid_message: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message or _l("Enter a number.")

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(str(self.invalid_message)) from None
        if isinstance(self.data, Decimal) and not self.data.is_finite():
            self.data = None
            raise ValueError(str(self.invalid_message))


class ActionForm(FlaskForm):
    """CSRF only: a POST-only button (deactivate, export) carries just its token."""

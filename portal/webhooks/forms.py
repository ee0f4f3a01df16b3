"""The endpoint form: where to post, what for, and which events."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField
from wtforms.fields import SelectChoice
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portal.webhooks.presentation import EVENT_LABELS


class EventsField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class EndpointForm(FlaskForm):
    url = StringField(
        _l("Address (https)"),
        validators=[InputRequired(_l("Enter the address to post to.")), Length(max=500)],
        render_kw={"dir": "ltr", "inputmode": "url", "autocomplete": "off"},
    )
    description = StringField(_l("What it is for"), validators=[Optional(), Length(max=200)])
    events = EventsField(
        _l("Events"),
        choices=[SelectChoice(event, label) for event, label in EVENT_LABELS.items()],
        validators=[InputRequired(_l("Choose at least one event."))],
    )

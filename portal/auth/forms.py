"""Forms of the login, password-reset and invitation pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from portal.web.i18n import language_choices


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Remember me"))


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])


class ResetPasswordForm(FlaskForm):
    """Choosing a password, through a reset link or an invitation; the service applies the password rule."""

    password = PasswordField(_l("New password"), validators=[DataRequired()])
    confirm = PasswordField(
        _l("Confirm new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords do not match."))],
    )


class ChangePasswordForm(ResetPasswordForm):
    """A signed-in person's new password, proven by the current one (the account page)."""

    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)])


class SignInCodeForm(FlaskForm):
    """The second step of signing in: a code from the app, or one of the recovery codes."""

    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)])


class EnrolForm(FlaskForm):
    """Confirms the app holds the secret shown on the page (carried signed in `setup`)."""

    setup = HiddenField(validators=[DataRequired()])
    code = StringField(_l("Code from your app"), validators=[DataRequired(), Length(max=20)])


class DisableTwoFactorForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired(), Length(max=200)])


class LanguageForm(FlaskForm):
    """The language of one's workspace and of the e-mails the portal sends one."""

    locale = SelectField(
        _l("Language of the workspace and of your e-mails"),
        validators=[DataRequired()],
        invalid_choice_message=_l("Choose a language from the list."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # Each name in its own language, marked as such for screen readers.
        self.locale.choices = [(code, name, {"lang": code}) for code, name in language_choices()]

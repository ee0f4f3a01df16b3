"""Extension objects, created unbound and attached in `create_app`."""

from __future__ import annotations

from flask import session
from flask_babel import Babel
from flask_bootstrap import Bootstrap5
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base whose constraint names are stable across databases."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()


class SignedInLoginManager(LoginManager):
    """Flask-Login with "strong" session protection applied to signed-in sessions only.

    A visitor's session holds just a CSRF token. Flask-Login would find no identifier in it,
    "clear" it and answer a form page with a cookie deleting a `remember_token` the visitor
    never had (and refuse a remember-me cookie next to a form's session)."""

    def _session_protection_failed(self) -> bool:
        return "_user_id" in session and super()._session_protection_failed()


login_manager = SignedInLoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
babel = Babel()
mail = Mail()
bootstrap = Bootstrap5()

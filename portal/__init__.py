"""The portal's application factory."""

from __future__ import annotations

import logging
from importlib import import_module
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from portal.config import check_arabic_digits, check_file_storage, check_firm_name, config_for, default_sqlite_uri

ROOT = Path(__file__).resolve().parent.parent

# Everything that serves pages, in registration order. Each area package exposes `bp`,
# created in its __init__.py, which imports the package's views so that they attach
# themselves to it; /healthz, web plumbing with one view, is a module with its own `bp`.
AREAS: tuple[str, ...] = (
    "portal.web.health",
    "portal.public",
    "portal.public.readiness",
    "portal.public.estimate",
    "portal.public.enquiry",
    "portal.public.privacy_request",
    "portal.auth",
    "portal.workspace",
    "portal.leads",
    "portal.admin",
    "portal.registrars",
    "portal.quotes",
    "portal.engagements",
    "portal.matching",
    "portal.clients",
    "portal.privacy",
    "portal.api",
    "portal.calendars",
    "portal.webhooks",
    "portal.client_status",
)


def create_app(config: str | dict[str, Any] | None = None) -> Flask:
    """Build the app. `config` is an environment name or a dict of overrides on the testing config."""
    overrides = config if isinstance(config, dict) else {}
    config_name = "testing" if isinstance(config, dict) else config
    config_class = config_for(config_name)
    config_class.validate()

    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_relative_config=True,
    )
    app.config.from_object(config_class)
    app.config.update(overrides)
    check_file_storage(app.config["FILE_STORAGE"])
    check_firm_name(app.config)
    check_arabic_digits(app.config["ARABIC_DIGITS"])
    # Options given as an override add to the defaults (pool_pre_ping: recover when the database returns).
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        **config_class.SQLALCHEMY_ENGINE_OPTIONS,
        **overrides.get("SQLALCHEMY_ENGINE_OPTIONS", {}),
    }
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = default_sqlite_uri(app.instance_path)

    configure_logging(app)
    trust_proxies(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    register_template_helpers(app)
    return app


def configure_logging(app: Flask) -> None:
    """Log business events at INFO to stderr unless a handler is already configured; either
    way, control characters in messages are escaped (see portal.core.logs)."""
    from portal.core.logs import escape_every_handler

    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    escape_every_handler(logging.getLogger())
    # Alembic logs a line per autogenerate plugin when first imported: noise in every command's output.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES reverse proxies, take the client's address and scheme from their headers.

    Rate limits and the audit log key on the client's address, and production's HTTPS
    redirect on the scheme: without this, every visitor would share the proxy's address
    (one rate-limit budget for all), and every request would look like plain HTTP.
    Headers are believed only from as many proxies as configured, so a client cannot
    forge its address by sending them itself."""
    hops = app.config["TRUSTED_PROXIES"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def register_extensions(app: Flask) -> None:
    """Bind every extension from portal.extensions to this app."""
    from portal import models  # noqa: F401  (every table known to SQLAlchemy and Alembic)
    from portal.extensions import babel, bootstrap, csrf, db, limiter, login_manager, mail, migrate
    from portal.web.catalogue import bind_catalogue
    from portal.web.i18n import select_locale, select_timezone
    from portal.web.security import init_security

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    bind_catalogue(app)
    mail.init_app(app)
    bootstrap.init_app(app)
    login_manager.init_app(app)
    init_security(app)

    from portal.auth.session import init_login_manager

    init_login_manager(login_manager)


def register_blueprints(app: Flask) -> None:
    """One blueprint per area of work, each the `bp` of its package, registered from AREAS."""
    for name in AREAS:
        app.register_blueprint(import_module(name).bp)


def register_errorhandlers(app: Flask) -> None:
    from portal.web.errors import init_errors

    init_errors(app)


def register_commands(app: Flask) -> None:
    from portal.commands import init_cli

    init_cli(app)


def register_template_helpers(app: Flask) -> None:
    from portal.web.assets import init_assets
    from portal.web.templating import init_templating

    init_templating(app)
    init_assets(app)

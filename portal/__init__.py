"""The portal's application factory."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from portal.config import config_for, default_sqlite_uri

ROOT = Path(__file__).resolve().parent.parent


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
    """Log business events at INFO to stderr unless a handler is already configured."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
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
    from portal.i18n import select_locale, select_timezone
    from portal.security import init_security

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    mail.init_app(app)
    bootstrap.init_app(app)
    login_manager.init_app(app)
    init_security(app)

    from portal.auth.session import init_login_manager

    init_login_manager(login_manager)


def register_blueprints(app: Flask) -> None:
    """One blueprint per area of work."""
    from portal.admin.routes import bp as admin_bp
    from portal.admin.settings import bp as settings_bp
    from portal.auth.routes import bp as auth_bp
    from portal.clients.routes import bp as clients_bp
    from portal.engagements import board as _engagements_board  # noqa: F401  (routes on the engagements blueprint)
    from portal.engagements import detail as _engagements_detail  # noqa: F401  (routes on the engagements blueprint)
    from portal.engagements import match as _engagements_match  # noqa: F401  (routes on the engagements blueprint)
    from portal.engagements.blueprint import bp as engagements_bp
    from portal.health import bp as health_bp
    from portal.leads import inbox as _leads_inbox  # noqa: F401  (routes on the leads blueprint)
    from portal.leads import routes as _leads_routes  # noqa: F401  (routes on the leads blueprint)
    from portal.leads.blueprint import bp as leads_bp
    from portal.public.enquiry import bp as enquiry_bp
    from portal.public.estimate import bp as estimate_bp
    from portal.public.readiness import bp as readiness_bp
    from portal.public.routes import bp as public_bp
    from portal.quote_portal.routes import bp as quote_portal_bp
    from portal.quotes.routes import bp as quotes_bp
    from portal.registrars.blueprint import registrars_blueprint
    from portal.workspace import bp as workspace_bp

    app.register_blueprint(health_bp)
    app.register_blueprint(public_bp)
    app.register_blueprint(readiness_bp)
    app.register_blueprint(estimate_bp)
    app.register_blueprint(enquiry_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(workspace_bp)
    app.register_blueprint(leads_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(settings_bp)
    app.register_blueprint(registrars_blueprint())
    app.register_blueprint(quotes_bp)
    app.register_blueprint(quote_portal_bp)
    app.register_blueprint(engagements_bp)
    app.register_blueprint(clients_bp)


def register_errorhandlers(app: Flask) -> None:
    from portal.errors import init_errors

    init_errors(app)


def register_commands(app: Flask) -> None:
    from portal.cli import init_cli

    init_cli(app)


def register_template_helpers(app: Flask) -> None:
    from portal.templating import init_templating

    init_templating(app)

"""Alembic environment for Flask-Migrate: the app supplies the engine and the models' metadata.

Differences from the generated default:
- the portal's UTCDateTime and EncryptedString column types are rendered as
  `sa.DateTime(timezone=True)` and `sa.String(length=255)`, so migration files never
  import application code;
- logging is configured from alembic.ini only when the caller wants it (tests pass
  `configure_logger=False` so pytest keeps its own log capture);
- hand-written expression indexes are left out of comparisons (portal/models/schema_compare.py);
- an autogenerate run that finds no change writes no empty revision.
"""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

from portal.models.schema_compare import include_object, quiet_hand_written_index_warnings
from portal.models.types import EncryptedString, UTCDateTime

config = context.config
if config.attributes.get("configure_logger", True) and config.config_file_name:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db


def get_metadata():
    return target_db.metadata


def render_item(type_, obj, autogen_context):
    """Render application column types with plain SQLAlchemy ones."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and isinstance(obj, EncryptedString):
        return f"sa.String(length={obj.impl.length})"
    return False


def process_revision_directives(context_, revision, directives):
    """Skip writing a revision when autogenerate detects no change."""
    if getattr(config.cmd_opts, "autogenerate", False):
        script = directives[0]
        if script.upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")


def configure_args():
    args = dict(current_app.extensions["migrate"].configure_args)
    args.setdefault("process_revision_directives", process_revision_directives)
    args.setdefault("render_item", render_item)
    args.setdefault("include_object", include_object)
    return args


def run_migrations_offline():
    """Emit SQL to stdout (`flask db upgrade --sql`) without connecting."""
    url = target_db.engine.url.render_as_string(hide_password=False)
    context.configure(url=url, target_metadata=get_metadata(), literal_binds=True, **configure_args())
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    """Apply migrations over a connection from the app's engine."""
    with target_db.engine.connect() as connection, quiet_hand_written_index_warnings():
        context.configure(connection=connection, target_metadata=get_metadata(), **configure_args())
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

"""The admin pages, a module per kind: colleagues' accounts, the office's settings, the audit
log, and the reference data matching and the standard pages read."""

from portal.admin.routes import api_keys, audit, reference, settings, tags, users  # noqa: F401  (the views attach themselves to bp)

"""The personal-data pages, a module per page group (admins only)."""

from portal.privacy.routes import breaches, notice, people, requests  # noqa: F401  (the views attach themselves to bp)

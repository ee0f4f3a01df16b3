"""The directory's pages: the list and profiles, the admins' edit forms, import and export."""

from portal.registrars.routes import bodies, directory, imports  # noqa: F401  (the views attach themselves to bp)

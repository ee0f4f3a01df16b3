"""The form on which a person asks about their data (/privacy/request): it becomes a task in
the admins' privacy requests (portal.privacy.requests)."""

from portal.web.languages import LanguageBlueprint

bp = LanguageBlueprint("privacy_request", __name__)

from portal.public.privacy_request import routes  # noqa: E402, F401  (the views attach themselves to bp)

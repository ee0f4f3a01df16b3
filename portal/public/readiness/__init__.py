"""The public readiness self-assessment (/readiness): nothing stored, the result handed to the enquiry."""

from portal.web.languages import LanguageBlueprint

bp = LanguageBlueprint("readiness", __name__)

from portal.public.readiness import routes  # noqa: E402, F401  (the views attach themselves to bp)

"""The public audit-time estimate (/estimate): auditor-days by IAF MD 5 and an indicative cost."""

from portal.core.audit_time_text import days
from portal.web.languages import LanguageBlueprint

bp = LanguageBlueprint("estimate", __name__)
bp.add_app_template_filter(days, "days")

from portal.public.estimate import routes  # noqa: E402, F401  (the views attach themselves to bp)

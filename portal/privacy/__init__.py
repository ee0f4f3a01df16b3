"""Personal data (admins only): what the portal holds about a person, exported, corrected or
erased on request, and the retention periods after which finished records are erased; the
privacy notice's versions, the breach register and the requests people send about their data
(Royal Decree 6/2022 and its executive regulation)."""

from flask import Blueprint

bp = Blueprint("privacy", __name__, url_prefix="/app/privacy")

from portal.privacy import routes  # noqa: E402, F401  (the views attach themselves to bp)
from portal.privacy.presentation import consent_labels  # noqa: E402

# The lead page (leads area) shows a lead's consents in these words without importing this area.
bp.add_app_template_global(consent_labels)

"""Navigation entries, listed once; workspace entries show only to the roles that may open them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import current_user

PUBLIC_LINKS = [
    ("public.iso_certification", _l("ISO certification")),
    ("public.process", _l("Process")),
    ("public.standards", _l("Standards")),
    ("estimate.form", _l("Audit-time estimate")),
    ("readiness.form", _l("Readiness check")),
    ("public.contact", _l("Contact")),
    ("enquiry.form", _l("Enquire")),
]

# (endpoint, label, admin only)
WORKSPACE_LINKS = [
    ("workspace.home", _l("Dashboard"), False),
    ("leads.inbox", _l("Leads"), False),
    ("engagements.board", _l("Engagements"), False),
    ("clients.index", _l("Clients"), False),
    ("registrars.index", _l("Registrars"), False),
    ("admin.users", _l("Users"), True),
    ("admin.audit_log", _l("Audit log"), True),
    ("privacy.requests", _l("Personal data"), True),
    ("admin.settings", _l("Settings"), True),
]


def public_nav_links() -> list[tuple[str, str]]:
    return [(endpoint, str(label)) for endpoint, label in PUBLIC_LINKS]


def workspace_nav_links() -> list[tuple[str, str]]:
    """The entries the current user may open (admins see the admin pages too)."""
    is_admin = current_user.is_authenticated and current_user.is_admin
    return [(endpoint, str(label)) for endpoint, label, admin_only in WORKSPACE_LINKS if is_admin or not admin_only]

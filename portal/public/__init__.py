"""The public site: content pages, sitemap and SEO (this blueprint), and the three tools
prospective clients use without an account, each a sub-package with its own blueprint:
`enquiry/` (the form that creates a lead), `estimate/` (audit time) and `readiness/`.

Shared by them: `attachments` (a tool's result signed into the enquiry link),
`scope_fields` (questions the enquiry and the estimate both ask) and `queries`.
"""

from portal.web.languages import LanguageBlueprint

bp = LanguageBlueprint("public", __name__)

from portal.public import routes  # noqa: E402, F401  (the views attach themselves to bp)

"""The enquiry form (/enquire): a prospective client's request becomes a lead in the inbox."""

from portal.web.languages import LanguageBlueprint

bp = LanguageBlueprint("enquiry", __name__)

from portal.public.enquiry import routes  # noqa: E402, F401  (the views attach themselves to bp)

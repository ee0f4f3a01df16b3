"""Words and read models for the match page: reasons, warnings and score lines from
matching's kinds and figures, and each shown body as ready values for the template."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from babel.support import NullTranslations
from flask_babel import get_domain
from flask_babel import lazy_gettext as _l

from portal.core.audit_time_text import days, explanation
from portal.core.formats import format_day, format_omr
from portal.core.mla_text import arrangement_note, scope_label, scope_notes
from portal.domain.matching_types import Candidate, EngagementNeeds, Finding, MatchResult, ScorePart
from portal.web.listing import row_urls

SHOWN_ELIGIBLE = 50
SHOWN_EXCLUDED = 100

LANGUAGE_LABELS = {"ar": _l("Arabic"), "en": _l("English")}
PART_LABELS = {
    "coverage": _l("Coverage"),
    "cost": _l("Three-year cost"),
    "lead_time": _l("Lead time"),
    "language": _l("Language"),
    "track_record": _l("Track record"),
}


# A page words about 3,000 sentences (150 bodies): while `page_words` runs, the request's
# catalogue is read once for the page rather than once a sentence (portal.web.catalogue keeps it
# for the request, behind a few context look-ups), and each date, amount, label and sentence
# that comes again (the same finding for many bodies) is formatted once.
_PAGE: ContextVar[dict[tuple[str, Any], str] | None] = ContextVar("match_page", default=None)
_CATALOGUE: ContextVar[NullTranslations | None] = ContextVar("match_page_catalogue", default=None)


@contextmanager
def page_words() -> Iterator[None]:
    """Keep the catalogue and each formatted value for the page being worded."""
    token, catalogue = _PAGE.set({}), _CATALOGUE.set(get_domain().get_translations())
    try:
        yield
    finally:
        _CATALOGUE.reset(catalogue)
        _PAGE.reset(token)


def _catalogue() -> NullTranslations:
    return _CATALOGUE.get() or get_domain().get_translations()


def _(string: str, **variables: Any) -> str:
    """Flask-Babel's `gettext`, from the page's catalogue, each message looked up once a page."""
    text = _once("message", string, lambda message: _catalogue().gettext(message))
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    """Flask-Babel's `ngettext`, from the page's catalogue."""
    variables.setdefault("num", num)
    return _catalogue().ngettext(singular, plural, num) % variables


def _once(kind: str, value: Any, format_value: Callable[[Any], str]) -> str:
    """`format_value(value)`, formatted once a page."""
    page = _PAGE.get()
    if page is None:
        return format_value(value)
    key = (kind, value)
    if key not in page:
        page[key] = format_value(value)
    return page[key]


def language_name(code: str) -> str:
    return _once("language", code, lambda key: str(LANGUAGE_LABELS.get(key, key)))


def _day(value: date | None) -> str:
    return _once("date", value, lambda day: format_day(day, "medium")) if value else ""


def _days(value: Decimal | None) -> str:
    return _once("days", value, days)


def _omr(value: Decimal | None) -> str:
    return _once("omr", value, format_omr)


def _on(p: dict[str, Any], text: str) -> str:
    """Prefix an accreditation-level sentence with its standard and accreditation number."""
    if p.get("number"):
        return _(
            "%(standard)s (accreditation %(number)s): %(text)s", standard=p["standard"], number=p["number"], text=text
        )
    return _("%(standard)s: %(text)s", standard=p["standard"], text=text)


def _expires_soon(p: dict[str, Any]) -> str:
    day, months = _day(p["valid_until"]), p["months"]
    if p["target"]:
        return ngettext(
            "expires on %(day)s, within %(num)d month after the target date.",
            "expires on %(day)s, within %(num)d months after the target date.",
            months,
            day=day,
        )
    return ngettext(
        "expires on %(day)s, within the next %(num)d month.",
        "expires on %(day)s, within the next %(num)d months.",
        months,
        day=day,
    )


FINDINGS: dict[str, Callable[[dict[str, Any]], str]] = {
    "inactive": lambda p: _("Inactive in the directory."),
    "region_not_served": lambda p: _("Does not work in the client's location and does not travel there."),
    "no_accreditation": lambda p: _("%(standard)s: no accreditation in the directory.", standard=p["standard"]),
    "sector_not_in_scope": lambda p: _on(p, _("IAF sector %(sector)s is not in its scope.", sector=p["sector"])),
    "suspended": lambda p: _on(p, _("suspended.")),
    "withdrawn": lambda p: _on(p, _("withdrawn.")),
    "not_yet_valid": lambda p: _on(p, _("valid only from %(day)s.", day=_day(p["valid_from"]))),
    "expired": lambda p: _on(p, _("expired on %(day)s.", day=_day(p["valid_until"]))),
    "expires_before_target": lambda p: _on(
        p,
        _(
            "expires on %(day)s, before the target date %(target)s.",
            day=_day(p["valid_until"]),
            target=_day(p["target"]),
        ),
    ),
    "not_mla_signatory": lambda p: _on(
        p,
        _(
            "%(ab)s is not an IAF MLA signatory (the recognitions Global Accreditation Cooperation Incorporated's "
            "arrangement carries since 1 January 2026).",
            ab=p["accreditation_body"],
        ),
    ),
    "mla_subscope_missing": lambda p: _on(
        p,
        _(
            "%(ab)s has not signed the IAF MLA sub-scope this standard needs: %(subscope)s.",
            ab=p["accreditation_body"],
            subscope=scope_label(p["subscope"]),
        ),
    ),
    "mla_main_scope_missing": lambda p: _on(
        p,
        _(
            "%(ab)s has not signed the IAF MLA for management-systems certification (ISO/IEC 17021-1), "
            "the main scope this standard needs (it has no sub-scope).",
            ab=p["accreditation_body"],
        ),
    ),
    "expires_soon": lambda p: _on(p, _expires_soon(p)),
    "travel_charged": lambda p: _(
        "Outside the regions it serves: travel charged (%(fee)s a visit).", fee=_omr(p["fee"])
    ),
    "partial_coverage": lambda p: _(
        "Covers %(covered)s of the %(wanted)s standards: the others need another body.",
        covered=p["covered"],
        wanted=p["wanted"],
    ),
    "language_missing": lambda p: _("No auditors listed for %(language)s.", language=language_name(p["language"])),
}


def finding_text(finding: Finding) -> str:
    """The sentence for a reason or a warning (once a page: many bodies share some)."""
    return _once("finding", finding, lambda f: FINDINGS[f.kind]({"standard": f.standard, **f.params}))


def _coverage(p: dict[str, Any]) -> str:
    text = ngettext(
        "%(covered)s of %(num)d standard.", "%(covered)s of %(num)d standards.", p["wanted"], covered=p["covered"]
    )
    return text + " " + _("One integrated audit is possible.") if p["integrated"] else text


def _cost(p: dict[str, Any]) -> str:
    if not p["known"] and p["has_days"]:
        return _("No day rate in the directory: neutral.")
    if not p["known"]:
        return _("Not comparable: no audit-time table for these standards.")
    return _(
        "%(cost)s for the first cycle of every standard with a table (lowest of the eligible bodies: %(lowest)s).",
        cost=_omr(p["comparable"]),
        lowest=_omr(p["lowest"]),
    )


def _lead_time(p: dict[str, Any]) -> str:
    if p.get("known") is False:
        return _("Lead time not recorded: neutral.")
    if "target" not in p:
        return _("%(days)s days to stage 1 (no target date).", days=p["days"])
    if p["late_days"]:
        return _(
            "Stage 1 from %(ready)s, %(late)s days after the target date.", ready=_day(p["ready"]), late=p["late_days"]
        )
    return _("Stage 1 from %(ready)s, in time for the target date.", ready=_day(p["ready"]))


def _language(p: dict[str, Any]) -> str:
    if not p["asked"]:
        return _("No language asked for.")
    if p["speaks"]:
        return _("Auditors in %(language)s.", language=language_name(p["language"]))
    return _("No auditors in %(language)s.", language=language_name(p["language"]))


def _track_record(p: dict[str, Any]) -> str:
    if not p["history"]:
        return _("No quote requests yet: neutral.")
    if p["median_days"] is None:
        return _(
            "Answered %(answered)s of %(requested)s quote requests.", answered=p["answered"], requested=p["requested"]
        )
    return _(
        "Answered %(answered)s of %(requested)s quote requests, in %(days)s days (median).",
        answered=p["answered"],
        requested=p["requested"],
        days=round(p["median_days"], 1),
    )


PARTS: dict[str, Callable[[dict[str, Any]], str]] = {
    "coverage": _coverage,
    "cost": _cost,
    "lead_time": _lead_time,
    "language": _language,
    "track_record": _track_record,
}


# The template reads these by attribute: Jinja tries an attribute before an item, so a
# dictionary costs it a failed look-up on every one of the page's thousands of reads.
@dataclass(frozen=True, slots=True)
class PartView:
    name: str
    label: str
    points: Decimal
    weight: int
    text: str


@dataclass(frozen=True, slots=True)
class CandidateView:
    rank: int
    id: int
    name: str
    score: Decimal
    score_text: str
    covers_text: str
    days_text: str | None
    cost_text: str | None
    caption: str
    parts: list[PartView]
    warnings: list[str]
    not_covered: list[str]
    warnings_label: str
    shortlisted: bool
    shortlist_text: str
    shortlist_url: str


@dataclass(frozen=True, slots=True)
class ExcludedView:
    id: int
    name: str
    reasons: list[str]


@dataclass(frozen=True, slots=True)
class Headings:
    part: str
    points: str
    why: str
    shortlisted: str


def _part_view(part: ScorePart) -> PartView:
    label = _once("part", part.name, lambda name: str(PART_LABELS[name]))
    return PartView(part.name, label, part.points, part.weight, PARTS[part.name](part.params))


def part_view(part: ScorePart) -> PartView:
    """A line of a body's score (once a page: many bodies share most of their lines)."""
    return _once("part_view", part, _part_view)


def _shortlist_urls(engagement_id: int) -> Callable[[int, bool], str]:
    """Each body's shortlist address from two url_for calls a page, not one a body."""
    add, remove = (
        row_urls(endpoint, "body_id", id=engagement_id)
        for endpoint in ("matching.shortlist_add", "matching.shortlist_remove")
    )
    return lambda body_id, on_shortlist: (remove if on_shortlist else add)(body_id)


def _days_text(estimate_days: Any) -> str:
    return _(
        "%(initial)s days initial, %(surveillance)s each surveillance, %(recertification)s recertification",
        initial=_days(estimate_days.initial),
        surveillance=_days(estimate_days.surveillance),
        recertification=_days(estimate_days.recertification),
    )


def candidate_view(
    rank: int, candidate: Candidate, shortlisted: set[int], shortlist_url: Callable[[int, bool], str]
) -> CandidateView:
    """One eligible body with every sentence its card shows, worded here rather than in the loop of the template."""
    on_shortlist = candidate.body.id in shortlisted
    name = candidate.body.name
    cost = candidate.three_year_cost
    score = candidate.score
    return CandidateView(
        rank=rank,
        id=candidate.body.id,
        name=name,
        score=score,
        score_text=_("Score %(score)s / 100", score=score),
        covers_text=_("Covers %(standards)s", standards=", ".join(candidate.covered)),
        days_text=_days_text(candidate.estimate.days) if candidate.estimate.days else None,
        cost_text=None
        if cost is None
        else _(
            "%(cost)s over three years (initial + 2 surveillances, %(rate)s a day)",
            cost=_omr(cost),
            rate=_omr(candidate.body.day_rate),
        ),
        caption=_("Score of %(name)s, part by part", name=name),
        parts=[part_view(part) for part in candidate.parts],
        warnings=[finding_text(f) for f in candidate.warnings],
        not_covered=[finding_text(f) for f in candidate.not_covered],
        warnings_label=_("Warnings for %(name)s", name=name),
        shortlisted=on_shortlist,
        shortlist_text=_("Remove %(name)s from the shortlist", name=name)
        if on_shortlist
        else _("Shortlist %(name)s", name=name),
        shortlist_url=shortlist_url(candidate.body.id, on_shortlist),
    )


def result_view(
    engagement_id: int,
    needs: EngagementNeeds,
    result: MatchResult,
    shortlisted: set[int],
    show_all: bool,
) -> dict[str, Any]:
    """Ready values; with thousands of bodies only the best eligible and the first excluded are worded."""
    eligible = result.eligible if show_all else result.eligible[:SHOWN_ELIGIBLE]
    excluded = result.excluded if show_all else result.excluded[:SHOWN_EXCLUDED]
    with page_words():
        return _worded(engagement_id, needs, result, eligible, excluded, shortlisted)


def _worded(
    engagement_id: int,
    needs: EngagementNeeds,
    result: MatchResult,
    eligible: list[Candidate],
    excluded: list[Any],
    shortlisted: set[int],
) -> dict[str, Any]:
    shortlist_url = _shortlist_urls(engagement_id)
    return {
        "arrangement_note": arrangement_note(),
        "scope_notes": scope_notes((need.code, need.scope_scheme) for need in needs.standards),
        "days": result.estimate.days,
        "without_table": result.estimate.without_table,
        "explanation": explanation(result.estimate),
        "eligible": [candidate_view(rank, c, shortlisted, shortlist_url) for rank, c in enumerate(eligible, start=1)],
        "headings": Headings(_("Part"), _("Points"), _("Why"), _("Shortlisted")),
        "excluded": [ExcludedView(e.body.id, e.body.name, [finding_text(f) for f in e.reasons]) for e in excluded],
        "eligible_total": len(result.eligible),
        "excluded_total": len(result.excluded),
        "truncated": len(eligible) < len(result.eligible) or len(excluded) < len(result.excluded),
    }

"""Rules of an accreditation, as pure functions over plain values.

A certificate from a body that is not accredited for the client's standard and
sector is worth little, so the directory checks: the validity dates are in order,
a standard whose scopes are written in IAF/EA sectors names at least one, and one
body never holds two overlapping active accreditations from the same accreditation
body for the same standard. Problems come back as codes with the field they belong
to; the caller turns them into words.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

EXPIRY_WARNING_DAYS = 90


class ScopeScheme(enum.StrEnum):
    """How accreditation scopes are written for a standard, and so what matching can compare.

    Only IAF/EA sector codes are the client's sector: IAF ID 1 writes QMS and EMS scopes
    in them and IAF MD 22 applies them to OH&S. Other standards are scoped in their own
    categories, which the portal does not record for the client, so the sector is
    neither required nor compared for them and the consultant checks the scope.
    """

    IAF = "iaf"  # ISO 9001, ISO 14001, ISO 45001
    FOOD_CHAIN = "food_chain"  # ISO 22000: ISO 22003-1 food-chain categories
    TECHNICAL_AREA = "technical_area"  # ISO 13485: IAF MD 8 technical areas
    ENERGY_AREA = "energy_area"  # ISO 50001: ISO 50003 technical areas
    OWN_WORDING = "own_wording"  # ISO/IEC 27001 and others: the accreditation body's own scope wording


SECTOR_SCHEMES_REQUIRED = frozenset({ScopeScheme.IAF.value})


class Problem(enum.StrEnum):
    UNTIL_NOT_AFTER_FROM = "until_not_after_from"
    SECTORS_REQUIRED = "sectors_required"
    OVERLAP = "overlap"


@dataclass(frozen=True)
class RuleViolation:
    """A broken rule: `problem` says which, `field` where it belongs, `other` the clashing accreditation."""

    problem: Problem
    field: str
    other: object = None


@dataclass(frozen=True)
class AccreditationFacts:
    """What the overlap rule needs to know about one accreditation."""

    key: object  # the row's identity (id, or a file row number); never compared with itself
    certification_body: object
    accreditation_body: object
    standard: object
    valid_from: date
    valid_until: date
    status: str


class ExpiryWarning(enum.StrEnum):
    EXPIRED = "expired"
    EXPIRING = "expiring"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"


def check_dates(valid_from: date, valid_until: date) -> RuleViolation | None:
    """The accreditation must end after it starts."""
    if valid_until <= valid_from:
        return RuleViolation(Problem.UNTIL_NOT_AFTER_FROM, "valid_until")
    return None


def sectors_required(scope_scheme: str) -> bool:
    """Standards scoped by IAF/EA sectors need at least one, and only theirs are compared with the client's."""
    return scope_scheme in SECTOR_SCHEMES_REQUIRED


def check_sectors(scope_scheme: str, sector_codes: Iterable[int]) -> RuleViolation | None:
    if sectors_required(scope_scheme) and not list(sector_codes):
        return RuleViolation(Problem.SECTORS_REQUIRED, "sectors")
    return None


def overlaps(a: AccreditationFacts, b: AccreditationFacts) -> bool:
    """Both active, same body, accreditation body and standard, and their periods share a day."""
    return (
        a.key != b.key
        and a.status == "active"
        and b.status == "active"
        and a.certification_body == b.certification_body
        and a.accreditation_body == b.accreditation_body
        and a.standard == b.standard
        and a.valid_from <= b.valid_until
        and b.valid_from <= a.valid_until
    )


def find_overlap(candidate: AccreditationFacts, others: Iterable[AccreditationFacts]) -> RuleViolation | None:
    """The first of `others` that overlaps `candidate`, as a violation on its validity dates."""
    for other in others:
        if overlaps(candidate, other):
            return RuleViolation(Problem.OVERLAP, "valid_from", other=other.key)
    return None


def validate(
    candidate: AccreditationFacts, scope_scheme: str, sector_codes: Iterable[int], others: Iterable[AccreditationFacts]
) -> list[RuleViolation]:
    """Every broken rule of one accreditation (the overlap check only once the dates are in order)."""
    problems = [
        p
        for p in (check_dates(candidate.valid_from, candidate.valid_until), check_sectors(scope_scheme, sector_codes))
        if p
    ]
    if not any(p.problem == Problem.UNTIL_NOT_AFTER_FROM for p in problems):
        overlap = find_overlap(candidate, others)
        if overlap:
            problems.append(overlap)
    return problems


def warning_for(
    status: str, valid_until: date, today: date, window_days: int = EXPIRY_WARNING_DAYS
) -> ExpiryWarning | None:
    """What a consultant must be warned about: suspended, withdrawn, expired, or expiring within the window."""
    if status == "suspended":
        return ExpiryWarning.SUSPENDED
    if status == "withdrawn":
        return ExpiryWarning.WITHDRAWN
    if valid_until < today:
        return ExpiryWarning.EXPIRED
    if valid_until <= today + timedelta(days=window_days):
        return ExpiryWarning.EXPIRING
    return None


def is_current(status: str, valid_from: date, valid_until: date, today: date) -> bool:
    """An accreditation that backs a certificate today: active and within its dates."""
    return status == "active" and valid_from <= today <= valid_until


def nearest_expiry(periods: Iterable[tuple[str, date, date]], today: date) -> date | None:
    """The earliest end date among the current accreditations (status, from, until), or None."""
    ends = [until for status, start, until in periods if is_current(status, start, until, today)]
    return min(ends, default=None)

"""The matching loader hands matching only the accreditations that may count, and the rest on
demand: the result must be the one matching gives on the whole directory, on SQLite and PostgreSQL."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.core.clock import today_in_oman
from portal.domain.matching import match
from portal.domain.matching_types import AccreditationInfo, BodyInfo, MatchResult
from portal.extensions import db
from portal.matching.loader import NeedsInput, load_accreditation_bodies, load_directory, match_directory, needs_for
from portal.models import Accreditation, CertificationBody
from tests.fixtures.matching import body_accredited_for, engagement_from_enquiry
from tests.fixtures.queries import count_queries

STANDARDS = ("iso-9001", "iso-45001", "iso-22000")  # ISO 22000's scopes are food-chain categories, not IAF sectors


def random_directory(rng: random.Random, today: date, size: int = 60) -> None:
    """Bodies with every kind of accreditation problem, region and language, in random mixes."""
    for n in range(size):
        start = today + timedelta(days=rng.choice([-900, -30, 200]))
        body_accredited_for(
            f"Body {n:02d}",
            standards=tuple(rng.sample(STANDARDS, rng.randint(1, 3))),
            accreditation_body=rng.choice(["GAC", "UKAS", "UK-ABCB"]),
            sectors=tuple(rng.sample([12, 28, 33], rng.randint(0, 2))),
            valid_from=start,
            valid_until=max(start + timedelta(days=30), today + timedelta(days=rng.choice([-10, 100, 400, 2000]))),
            status=rng.choice(["active", "active", "suspended", "withdrawn"]),
            languages=tuple(rng.sample(["ar", "en"], rng.randint(0, 2))),
            regions=tuple(rng.sample(["sohar", "north-al-batinah", "muscat"], rng.randint(0, 2))),
            serves_all_oman=rng.random() < 0.3,
            travel_charged=rng.random() < 0.5,
            active=rng.random() < 0.9,
        )


def whole_directory() -> tuple[list[BodyInfo], list[AccreditationInfo]]:
    """Every body and accreditation as they are, read through the ORM (not the loader's SQL)."""
    bodies = [
        BodyInfo(
            b.id,
            b.name,
            b.active,
            b.day_rate,
            b.serves_all_oman,
            frozenset(r.slug for r in b.regions),
            b.travel_charged,
            b.travel_fee,
            frozenset(row.code for row in b.language_rows),
            b.lead_time_days,
        )
        for b in db.session.scalars(select(CertificationBody))
    ]
    accreditations = [
        AccreditationInfo(
            a.id,
            a.certification_body_id,
            a.accreditation_body.code,
            a.standard.code,
            frozenset(s.code for s in a.sectors),
            a.valid_from,
            a.valid_until,
            a.status,
            a.number,
        )
        for a in db.session.scalars(select(Accreditation))
    ]
    return bodies, accreditations


def canonical(result: MatchResult) -> tuple:
    return (
        [(c.body.id, c.covered, c.not_covered, c.warnings, c.three_year_cost, c.parts) for c in result.eligible],
        [(e.body.id, e.reasons) for e in result.excluded],
    )


@pytest.mark.parametrize(
    ("seed", "engagement_values"),
    [
        (1, {}),
        (2, {"standards": STANDARDS, "wanted_by_days": 365}),
        (3, {"standards": ("iso-9001", "iso-22000"), "wanted_by_days": 300, "language": "en"}),
        (4, {"sector": None, "region": None, "language": None}),
        (5, {"region": "muscat", "wanted_by_days": 120}),
    ],
)
def test_loaded_match_is_the_match_of_the_whole_directory(reference, seed, engagement_values):
    today = today_in_oman()
    random_directory(random.Random(seed), today)
    values = dict(engagement_values)
    if days := values.pop("wanted_by_days", None):
        values["wanted_by"] = today + timedelta(days=days)
    engagement = engagement_from_enquiry(**values)
    needs = needs_for(engagement, NeedsInput())

    directory = load_directory(needs, today)
    result = match_directory(needs, directory, today)
    assert len(directory.accreditations) < db.session.query(Accreditation).count()  # the loader spared some
    with count_queries() as explaining:
        loaded = canonical(result)
    assert explaining == []  # every accreditation of a body is at hand, in the kept directory

    bodies, accreditations = whole_directory()
    expected = match(needs, bodies, accreditations, load_accreditation_bodies(), {}, today=today)
    assert loaded == canonical(expected)
    assert result.eligible and result.excluded  # the mix gives both, so the comparison means something

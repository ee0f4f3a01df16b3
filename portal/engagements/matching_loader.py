"""Load the registrar directory into matching's plain values with a fixed number of queries.

Six column-only SELECTs (run on the connection, without ORM row processing) whatever
the size of the directory: bodies, their regions, their languages, the accreditations
for the wanted standards (with whether each covers the client's sector), the
accreditation bodies, and the quote history. No ORM objects are built: rows become
named tuples directly, so 2,000 bodies with 20,000 accreditations load in one go.
"""

from __future__ import annotations

import gc
import statistics
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import null, select

from portal.domain.matching import match
from portal.domain.matching_types import (
    AccreditationBodyInfo,
    AccreditationInfo,
    BodyInfo,
    EngagementNeeds,
    MatchResult,
    StandardNeed,
    TrackRecord,
)
from portal.domain.md5_tables import Complexity
from portal.extensions import db
from portal.models import (
    Accreditation,
    AccreditationBody,
    CertificationBody,
    CertificationBodyLanguage,
    Engagement,
    Quote,
    Region,
    Sector,
    Standard,
    accreditation_sectors,
    certification_body_regions,
)

SECONDS_PER_DAY = 86_400


@dataclass(frozen=True)
class Directory:
    """Everything matching reads, as plain values."""

    bodies: list[BodyInfo]
    accreditations: list[AccreditationInfo]
    accreditation_bodies: list[AccreditationBodyInfo]
    track_records: dict[int, TrackRecord] = field(default_factory=dict)


@dataclass(frozen=True)
class NeedsInput:
    """What the consultant may change on the match page; None keeps the engagement's own value."""

    personnel: int | None = None
    sites: int | None = None
    language: str | None = None
    target_date: date | None = None
    complexity: dict[str, Complexity] = field(default_factory=dict)


def standard_needs(standards: Iterable[Standard]) -> tuple[StandardNeed, ...]:
    return tuple(StandardNeed(s.code, s.md5_table, s.family, s.scope_scheme) for s in standards)


def engagement_defaults(engagement: Engagement) -> NeedsInput:
    """The engagement's figures, taken from the enquiry it came from (when there is one)."""
    lead = engagement.lead
    if lead is None:
        return NeedsInput()
    return NeedsInput(personnel=lead.employees, sites=lead.sites, language=lead.language, target_date=lead.wanted_by)


def needs_for(engagement: Engagement, given: NeedsInput) -> EngagementNeeds | None:
    """The engagement's needs with the consultant's changes; None while the personnel are unknown."""
    defaults = engagement_defaults(engagement)
    personnel = given.personnel or defaults.personnel
    if personnel is None:
        return None
    lead = engagement.lead
    region: Region | None = lead.region if lead else None
    sector: Sector | None = lead.sector if lead else None
    governorate = region.governorate if region is not None and region.governorate is not None else region
    return EngagementNeeds(
        standards=standard_needs(engagement.standards),
        personnel=personnel,
        sector_code=sector.code if sector else None,
        region=region.slug if region else None,
        governorate=governorate.slug if governorate else None,
        sites=given.sites or defaults.sites or 1,
        language=given.language if given.language is not None else defaults.language,
        target_date=given.target_date or defaults.target_date,
        complexity_overrides=dict(given.complexity),
    )


def _rows(statement) -> list:
    """Run a column-only SELECT on the session's connection: all rows at once, no ORM row processing."""
    return db.session.connection().execute(statement).all()


def _grouped(rows: Iterable[tuple[int, object]]) -> dict[int, set]:
    groups: dict[int, set] = defaultdict(set)
    for key, value in rows:
        groups[key].add(value)
    return groups


def load_bodies() -> list[BodyInfo]:
    """Every body (inactive ones too: they are listed as excluded) with its regions and languages."""
    cb = CertificationBody
    regions = _grouped(
        _rows(
            select(certification_body_regions.c.certification_body_id, Region.slug).join(
                Region, Region.id == certification_body_regions.c.region_id
            )
        )
    )
    languages = _grouped(_rows(select(CertificationBodyLanguage.certification_body_id, CertificationBodyLanguage.code)))
    rows = _rows(
        select(
            cb.id,
            cb.name,
            cb.active,
            cb.day_rate,
            cb.serves_all_oman,
            cb.travel_charged,
            cb.travel_fee,
            cb.lead_time_days,
        )
    )
    return [
        BodyInfo(
            id=row.id,
            name=row.name,
            active=row.active,
            day_rate=row.day_rate,
            serves_all_oman=row.serves_all_oman,
            regions=frozenset(regions.get(row.id, ())),
            travel_charged=row.travel_charged,
            travel_fee=row.travel_fee,
            languages=frozenset(languages.get(row.id, ())),
            lead_time_days=row.lead_time_days,
        )
        for row in rows
    ]


def load_accreditations(standard_ids: list[int], sector_code: int | None) -> list[AccreditationInfo]:
    """The accreditations for the wanted standards (the others cannot make a body eligible).

    Matching only asks whether the client's sector is in scope, so only that sector is
    read, by an outer join on the scope table's primary key: `sectors` holds the
    client's sector when in scope, else nothing.
    """
    scope = accreditation_sectors.c
    client_sector_id = select(Sector.id).where(Sector.code == sector_code).scalar_subquery()
    statement = (
        select(
            Accreditation.id,
            Accreditation.certification_body_id,
            AccreditationBody.code,
            Standard.code,
            Accreditation.valid_from,
            Accreditation.valid_until,
            Accreditation.status,
            Accreditation.number,
            scope.sector_id if sector_code is not None else null(),
        )
        .join(AccreditationBody, AccreditationBody.id == Accreditation.accreditation_body_id)
        .join(Standard, Standard.id == Accreditation.standard_id)
        .where(Accreditation.standard_id.in_(standard_ids))
    )
    if sector_code is not None:
        statement = statement.outerjoin(
            accreditation_sectors, (scope.accreditation_id == Accreditation.id) & (scope.sector_id == client_sector_id)
        )
    in_scope, out_of_scope = frozenset({sector_code}), frozenset()
    return [
        AccreditationInfo(
            id_,
            body_id,
            accreditation_body,
            standard,
            in_scope if sector_id is not None else out_of_scope,
            valid_from,
            valid_until,
            status,
            number,
        )
        for id_, body_id, accreditation_body, standard, valid_from, valid_until, status, number, sector_id in _rows(
            statement
        )
    ]


def load_accreditation_bodies() -> list[AccreditationBodyInfo]:
    rows = _rows(
        select(
            AccreditationBody.code,
            AccreditationBody.name,
            AccreditationBody.iaf_mla_signatory,
            AccreditationBody.mla_scopes,
        )
    )
    return [
        AccreditationBodyInfo(
            row.code,
            row.name,
            row.iaf_mla_signatory,
            frozenset(scope.strip() for scope in row.mla_scopes.split(",") if scope.strip()),
        )
        for row in rows
    ]


def load_track_records() -> dict[int, TrackRecord]:
    """Per body: quotes requested, answered, and the median days to answer."""
    requested: dict[int, int] = defaultdict(int)
    answer_days: dict[int, list[float]] = defaultdict(list)
    rows = _rows(select(Quote.certification_body_id, Quote.requested_at, Quote.received_at))
    for body_id, requested_at, received_at in rows:
        requested[body_id] += 1
        if received_at is not None:
            answer_days[body_id].append((received_at - requested_at).total_seconds() / SECONDS_PER_DAY)
    return {
        body_id: TrackRecord(
            requested=count,
            answered=len(answer_days[body_id]),
            median_answer_days=statistics.median(answer_days[body_id]) if answer_days[body_id] else None,
        )
        for body_id, count in requested.items()
    }


def load_directory(standard_ids: list[int], sector_code: int | None) -> Directory:
    """The whole directory for matching an engagement with these standards in this sector."""
    return Directory(
        bodies=load_bodies(),
        accreditations=load_accreditations(standard_ids, sector_code),
        accreditation_bodies=load_accreditation_bodies(),
        track_records=load_track_records(),
    )


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while the directory is loaded and matched.

    Loading 2,000 bodies builds tens of thousands of small values that live until the
    page is rendered; that many new objects make the collector sweep the whole heap
    (the app's own objects too) at least once per match and find nothing, since none
    of them form cycles and reference counting frees them. Measured with
    bench/matching.py: load + match takes about twice the CPU time with it running."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def match_engagement(engagement: Engagement, needs: EngagementNeeds, today: date) -> MatchResult:
    """Load the directory for the engagement's standards and sector, and match it."""
    with collector_paused():
        directory = load_directory([s.id for s in engagement.standards], needs.sector_code)
        return match(
            needs,
            directory.bodies,
            directory.accreditations,
            directory.accreditation_bodies,
            directory.track_records,
            today=today,
        )

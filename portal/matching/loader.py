"""Load the registrar directory into matching's plain values with a fixed number of queries.

Six column-only SELECTs (run on the connection, without ORM row processing) whatever
the size of the directory: the bodies, which of them serve the client's region, which
speak its language, the accreditations that may count in this match (matching's
AccreditationFilter: a usable status, valid on the day, the client's sector in scope),
the accreditation bodies, and the quote history. Matching re-checks every rule on
them; the database only spares it the accreditations that cannot count, most of a
large directory. The bodies' own columns are the same for every engagement: each process
keeps them per content version (portal.core.content_version), so that query runs once
after each directory edit rather than once a page.

Those are needed only to explain why a body is excluded, and a page explains a
hundred bodies or so: AccreditationsOnDemand fetches every accreditation of the
bodies shown, in one more query. No ORM objects are built: rows become named tuples
directly.
"""

from __future__ import annotations

import gc
import statistics
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from sqlalchemy import Select, null, select

from portal.core.content_version import kept_for_version
from portal.domain.matching import accreditation_filter, match
from portal.domain.matching_types import (
    AccreditationBodyInfo,
    AccreditationFilter,
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
    MlaSignature,
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
    accreditations: list[AccreditationInfo]  # those that may count (see load_countable_accreditations)
    accreditation_bodies: list[AccreditationBodyInfo]
    track_records: dict[int, TrackRecord]
    explanations: AccreditationsOnDemand  # all of a body's, to explain its exclusion


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


def _grouped(rows: Iterable[tuple[int, object]]) -> dict[int, frozenset]:
    groups: dict[int, set] = defaultdict(set)
    for key, value in rows:
        groups[key].add(value)
    return {key: frozenset(values) for key, values in groups.items()}


def _body_rows() -> list[tuple]:
    """Each body's own columns: the same for every engagement, so kept per content version
    (portal.core.content_version watches certification bodies)."""
    cb = CertificationBody
    statement = select(
        cb.id, cb.name, cb.active, cb.day_rate, cb.serves_all_oman, cb.travel_charged, cb.travel_fee, cb.lead_time_days
    )
    return [tuple(row) for row in _rows(statement)]


def load_bodies(needs: EngagementNeeds) -> list[BodyInfo]:
    """Every body (inactive ones too: they are listed as excluded), with whether it serves the
    client's region (or its governorate) and speaks the client's language: all matching asks."""
    regions = _grouped(
        _rows(
            select(certification_body_regions.c.certification_body_id, Region.slug)
            .join(Region, Region.id == certification_body_regions.c.region_id)
            .where(Region.slug.in_({needs.region, needs.governorate} - {None}))
        )
    )
    languages = _grouped(
        _rows(
            select(CertificationBodyLanguage.certification_body_id, CertificationBodyLanguage.code).where(
                CertificationBodyLanguage.code == needs.language
            )
        )
    )
    rows = kept_for_version(db.session, "matching.body_rows", current_app.config["CONTENT_VERSION_MAX_AGE"], _body_rows)
    nothing: frozenset[str] = frozenset()
    return [
        BodyInfo(
            id_,
            name,
            active,
            day_rate,
            serves_all_oman,
            regions.get(id_, nothing),
            travel_charged,
            travel_fee,
            languages.get(id_, nothing),
            lead_time_days,
        )
        for id_, name, active, day_rate, serves_all_oman, travel_charged, travel_fee, lead_time_days in rows
    ]


def _accreditations(statement: Select, sector_code: int | None) -> list[AccreditationInfo]:
    """Rows of accreditations_query() as matching's values."""
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


def accreditations_query(standard_ids: list[int], sector_code: int | None) -> Select:
    """The accreditations for the wanted standards (the others cannot make a body eligible).

    Matching only asks whether the client's sector is in scope, so only that sector is
    read, by an outer join on the scope table: its last column holds the client's
    sector when in scope, else nothing.
    """
    scope = accreditation_sectors.c
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
    if sector_code is None:
        return statement
    client_sector_id = select(Sector.id).where(Sector.code == sector_code).scalar_subquery()
    return statement.outerjoin(
        accreditation_sectors, (scope.accreditation_id == Accreditation.id) & (scope.sector_id == client_sector_id)
    )


def load_countable_accreditations(standard_ids: list[int], wanted: AccreditationFilter) -> list[AccreditationInfo]:
    """The accreditations that pass `wanted`: the only ones that can make a body eligible."""
    statement = accreditations_query(standard_ids, wanted.sector_code).where(
        Accreditation.status.not_in(wanted.refused_statuses),
        Accreditation.valid_from <= wanted.reference,
        Accreditation.valid_until >= wanted.reference,
    )
    if wanted.sector_code is not None and wanted.sector_scoped:
        in_scope = accreditation_sectors.c.sector_id.is_not(None)
        statement = statement.where(Standard.code.not_in(wanted.sector_scoped) | in_scope)
    return _accreditations(statement, wanted.sector_code)


@dataclass
class AccreditationsOnDemand:
    """Every accreditation (for the wanted standards) of the bodies a page explains.

    Called for one body it fetches that body's; `prefetch` fetches those of all the
    bodies a page is about to explain in one query, so wording a hundred exclusions
    never costs a hundred queries. It reads in the same request, just after the match:
    a directory edit committed in between can change only the words, until the page
    is reloaded.
    """

    standard_ids: list[int]
    sector_code: int | None
    _by_body: dict[int, list[AccreditationInfo]] = field(default_factory=dict)

    def prefetch(self, body_ids: Iterable[int]) -> None:
        missing = sorted({body_id for body_id in body_ids if body_id not in self._by_body})
        if not missing:
            return
        statement = accreditations_query(self.standard_ids, self.sector_code).where(
            Accreditation.certification_body_id.in_(missing)
        )
        for body_id in missing:
            self._by_body[body_id] = []
        for accreditation in _accreditations(statement, self.sector_code):
            self._by_body[accreditation.body_id].append(accreditation)

    def __call__(self, body_id: int) -> list[AccreditationInfo]:
        self.prefetch((body_id,))
        return self._by_body[body_id]


def load_accreditation_bodies() -> list[AccreditationBodyInfo]:
    """Every accreditation body with the MLA scopes it signed (two queries, however many bodies)."""
    signed: dict[int, set[str]] = defaultdict(set)
    for body_id, scope in _rows(select(MlaSignature.accreditation_body_id, MlaSignature.scope)):
        signed[body_id].add(scope)
    rows = _rows(
        select(
            AccreditationBody.id, AccreditationBody.code, AccreditationBody.name, AccreditationBody.iaf_mla_signatory
        )
    )
    return [AccreditationBodyInfo(row.code, row.name, row.iaf_mla_signatory, frozenset(signed[row.id])) for row in rows]


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


def load_directory(standard_ids: list[int], needs: EngagementNeeds, today: date) -> Directory:
    """The directory for matching these needs: every body, the accreditations that may count."""
    return Directory(
        bodies=load_bodies(needs),
        accreditations=load_countable_accreditations(standard_ids, accreditation_filter(needs, today)),
        accreditation_bodies=load_accreditation_bodies(),
        track_records=load_track_records(),
        explanations=AccreditationsOnDemand(standard_ids, needs.sector_code),
    )


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a directory is loaded, matched and shown.

    A match builds tens of thousands of small values that live until the page is
    rendered. That many new objects make the collector sweep them (and older ones) at
    least once, finding nothing: none form cycles, and reference counting frees them
    all once the page is sent. Paused until then, the collector has nothing left to
    sweep. Measured with bench/matching.py: the page takes about twice the CPU time
    with it running."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def match_directory(needs: EngagementNeeds, directory: Directory, today: date) -> MatchResult:
    """Match a loaded directory, its reasons read from `directory.explanations`."""
    return match(
        needs,
        directory.bodies,
        directory.accreditations,
        directory.accreditation_bodies,
        directory.track_records,
        today=today,
        explain_from=directory.explanations,
    )


def match_engagement(engagement: Engagement, needs: EngagementNeeds, today: date) -> tuple[MatchResult, Directory]:
    """Load the directory for the engagement's needs and match it (best inside collector_paused).

    The reasons against excluded bodies are read from `directory.explanations`: call
    its `prefetch` with the bodies a page shows before wording them."""
    directory = load_directory([s.id for s in engagement.standards], needs, today)
    return match_directory(needs, directory, today), directory

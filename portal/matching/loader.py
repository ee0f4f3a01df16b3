"""Load the registrar directory into matching's plain values.

The directory itself (bodies with the regions they serve and the languages they speak,
accreditations with their sectors, accreditation bodies with their MLA scopes) changes
only when an admin or an import edits it, which changes the content version in the same
transaction (portal.core.content_version watches every one of those tables). Each process
keeps it per content version, as compact rows, and a match reads it from memory: the
accreditations that may count for this engagement (matching's AccreditationFilter: a
usable status, valid on the day, the client's sector in scope) are picked out in Python,
and every accreditation of a body a page explains is at hand without another query.
Only the quote history (it changes with ordinary work) is read on every match, in one
query. No ORM objects are built: rows become named tuples directly.
"""

from __future__ import annotations

import gc
import statistics
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from typing import Any, NamedTuple

from flask import current_app
from sqlalchemy import DateTime, Row, String, cast, func, select, type_coerce

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


class KeptAccreditation(NamedTuple):
    """An accreditation as kept in memory: its sectors as a bit mask (bit n: IAF sector n), a
    few dozen bytes rather than a set's few hundred, 20,000 times over."""

    id: int
    body_id: int
    accreditation_body: str  # AccreditationBody.code
    standard: str  # Standard.code
    valid_from: date
    valid_until: date
    status: str
    number: str
    sectors: int


@dataclass(frozen=True, slots=True)
class KeptDirectory:
    """The whole directory as a process keeps it per content version (see load_kept_directory)."""

    bodies: tuple[BodyInfo, ...]  # every body, inactive ones too, with every region slug and language
    accreditation_bodies: tuple[AccreditationBodyInfo, ...]
    by_standard: dict[str, list[KeptAccreditation]]  # standard code -> its accreditations
    # (standard code, IAF sector) -> the standard's accreditations with the sector in scope
    in_sector: dict[tuple[str, int], list[KeptAccreditation]]
    by_body: dict[int, list[KeptAccreditation]]  # body id -> its accreditations, by id


@dataclass(frozen=True, slots=True)
class BodyAccreditations:
    """Every accreditation (for the wanted standards) of one body, when asked: to explain why it
    is excluded, or why it does not cover some standards (matching's AccreditationLookup)."""

    directory: KeptDirectory
    standards: frozenset[str]
    sector_code: int | None

    def __call__(self, body_id: int) -> list[AccreditationInfo]:
        rows = self.directory.by_body.get(body_id, ())
        return as_info((row for row in rows if row.standard in self.standards), self.sector_code)


@dataclass(frozen=True)
class Directory:
    """Everything matching reads, as plain values."""

    bodies: Sequence[BodyInfo]
    accreditations: list[AccreditationInfo]  # those that may count (see countable_accreditations)
    accreditation_bodies: Sequence[AccreditationBodyInfo]
    track_records: dict[int, TrackRecord]
    explanations: BodyAccreditations  # all of a body's, to explain its exclusion


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


def _stream(statement) -> Iterator[Row]:
    """Like _rows, one row at a time: the whole directory's rows are never all in memory at once."""
    return iter(db.session.connection().execute(statement))


class _Shared:
    """One object per distinct value (the same body id, date, code, set of sectors or of regions
    comes back thousands of times in a directory): what is kept takes a fraction of the memory.
    Keyed by type as well, so that equal values of two types (1 and True) stay apart."""

    def __init__(self) -> None:
        self._values: dict[tuple[type, Any], Any] = {}

    def __call__(self, value: Any) -> Any:
        return self._values.setdefault((type(value), value), value)


def _grouped(rows: Iterable[tuple[int, object]], shared: _Shared) -> dict[int, frozenset]:
    groups: dict[int, set] = defaultdict(set)
    for key, value in rows:
        groups[key].add(value)
    return {key: shared(frozenset(values)) for key, values in groups.items()}


def _load_bodies(shared: _Shared) -> tuple[BodyInfo, ...]:
    """Every body (inactive ones too: they are listed as excluded) with every region it serves
    and every language it speaks."""
    regions = _grouped(
        _rows(
            select(certification_body_regions.c.certification_body_id, Region.slug).join(
                Region, Region.id == certification_body_regions.c.region_id
            )
        ),
        shared,
    )
    languages = _grouped(
        _rows(select(CertificationBodyLanguage.certification_body_id, CertificationBodyLanguage.code)), shared
    )
    cb = CertificationBody
    statement = select(
        cb.id, cb.name, cb.active, cb.day_rate, cb.serves_all_oman, cb.travel_charged, cb.travel_fee, cb.lead_time_days
    ).order_by(cb.id)
    nothing: frozenset[str] = frozenset()
    return tuple(
        BodyInfo(
            shared(id_),
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
        for id_, name, active, day_rate, serves_all_oman, travel_charged, travel_fee, lead_time_days in _rows(statement)
    )


def _mask(codes: str | None) -> int:
    """IAF sectors as the database lists them ("28,35") as a KeptAccreditation's bit mask."""
    mask = 0
    for code in codes.split(",") if codes else ():
        mask |= 1 << int(code)
    return mask


def _load_accreditations(shared: _Shared) -> list[KeptAccreditation]:
    """Every accreditation, by id, with its sectors (listed by the database, one row an
    accreditation rather than one a sector: 20,000 rows rather than 140,000)."""
    scope = accreditation_sectors.c
    sectors = (
        select(scope.accreditation_id, func.aggregate_strings(cast(Sector.code, String), ",").label("codes"))
        .join(Sector, Sector.id == scope.sector_id)
        .group_by(scope.accreditation_id)
        .subquery()
    )
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
            sectors.c.codes,
        )
        .join(AccreditationBody, AccreditationBody.id == Accreditation.accreditation_body_id)
        .join(Standard, Standard.id == Accreditation.standard_id)
        .outerjoin(sectors, sectors.c.accreditation_id == Accreditation.id)
        .order_by(Accreditation.id)
    )
    return [
        KeptAccreditation(
            id_,
            shared(body_id),
            shared(accreditation_body),
            shared(standard),
            shared(valid_from),
            shared(valid_until),
            shared(status),
            number,
            shared(_mask(codes)),
        )
        for id_, body_id, accreditation_body, standard, valid_from, valid_until, status, number, codes in _stream(
            statement
        )
    ]


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


def load_kept_directory() -> KeptDirectory:
    """The whole directory from the database, in six queries (once per content version)."""
    shared = _Shared()
    accreditations = _load_accreditations(shared)
    by_standard: dict[str, list[KeptAccreditation]] = defaultdict(list)
    in_sector: dict[tuple[str, int], list[KeptAccreditation]] = defaultdict(list)
    by_body: dict[int, list[KeptAccreditation]] = defaultdict(list)
    for accreditation in accreditations:
        by_standard[accreditation.standard].append(accreditation)
        by_body[accreditation.body_id].append(accreditation)
        for code in sector_codes(accreditation.sectors):
            in_sector[accreditation.standard, code].append(accreditation)
    return KeptDirectory(
        _load_bodies(shared), tuple(load_accreditation_bodies()), dict(by_standard), dict(in_sector), dict(by_body)
    )


def kept_directory() -> KeptDirectory:
    """The directory as of the content version this process knows (portal.core.content_version)."""
    return kept_for_version(
        db.session, "matching.directory", current_app.config["CONTENT_VERSION_MAX_AGE"], load_kept_directory
    )


def sector_codes(mask: int) -> Iterator[int]:
    """The IAF sectors of a KeptAccreditation's mask (one step a sector, lowest bit first)."""
    while mask:
        lowest = mask & -mask
        yield lowest.bit_length() - 1
        mask ^= lowest


def as_info(rows: Iterable[KeptAccreditation], sector_code: int | None) -> list[AccreditationInfo]:
    """Matching's values. Matching only asks whether the client's sector is in scope, so
    `sectors` holds that one sector when it is, else nothing (as for any sector when None)."""
    in_scope, nothing = frozenset({sector_code}), frozenset()
    bit = 0 if sector_code is None else 1 << sector_code
    return [
        AccreditationInfo(
            row.id,
            row.body_id,
            row.accreditation_body,
            row.standard,
            in_scope if row.sectors & bit else nothing,
            row.valid_from,
            row.valid_until,
            row.status,
            row.number,
        )
        for row in rows
    ]


def countable_accreditations(
    directory: KeptDirectory, standards: Iterable[str], wanted: AccreditationFilter
) -> list[AccreditationInfo]:
    """The accreditations for `standards` that pass `wanted`: the only ones that can make a body
    eligible. A standard scoped by IAF sectors reads only those with the client's sector."""
    sector, reference, refused = wanted.sector_code, wanted.reference, wanted.refused_statuses
    scoped = wanted.sector_scoped if sector is not None else frozenset()
    candidates = chain.from_iterable(
        directory.in_sector.get((code, sector), ()) if code in scoped else directory.by_standard.get(code, ())
        for code in standards
    )
    rows = (row for row in candidates if row.status not in refused and row.valid_from <= reference <= row.valid_until)
    return as_info(rows, sector)


def load_track_records() -> dict[int, TrackRecord]:
    """Per body: quotes requested, answered, and the median days to answer."""
    requested: dict[int, int] = defaultdict(int)
    answer_days: dict[int, list[float]] = defaultdict(list)
    # Only differences are read, so the timestamps come as the driver gives them (both in UTC),
    # without the model's UTCDateTime making each of a thousand an aware datetime first.
    stamp = DateTime(timezone=True)
    rows = _rows(
        select(
            Quote.certification_body_id, type_coerce(Quote.requested_at, stamp), type_coerce(Quote.received_at, stamp)
        )
    )
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


def load_directory(needs: EngagementNeeds, today: date) -> Directory:
    """The directory for matching these needs: every body, the accreditations that may count."""
    kept = kept_directory()
    standards = [need.code for need in needs.standards]
    return Directory(
        bodies=kept.bodies,
        accreditations=countable_accreditations(kept, standards, accreditation_filter(needs, today)),
        accreditation_bodies=kept.accreditation_bodies,
        track_records=load_track_records(),
        explanations=BodyAccreditations(kept, frozenset(standards), needs.sector_code),
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


def match_needs(needs: EngagementNeeds, today: date) -> MatchResult:
    """Load the directory for these needs and match it (best inside collector_paused).

    The reasons against a body are worked out from the kept directory when first read."""
    return match_directory(needs, load_directory(needs, today), today)

"""What a quote costs over a certification cycle, and whether its audit days hold up.

Pure functions over Decimals: the compare page and its tests share them.

- The three-year cost of the first cycle is the initial audit (stage 1 + stage 2),
  two surveillance audits and the travel quoted; recertification starts the next
  cycle, so it is shown beside the total, not in it.
- Auditor-days offered for the initial audit are checked against the IAF MD 5
  figures: below the estimate is allowed only with justified reductions; below the
  minimum MD 5 permits (every reduction at its cap) is a warning sign of a body that
  cuts audits short.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from portal.domain.money import MILLS

SURVEILLANCE_AUDITS_PER_CYCLE = 2


class DaysVerdict(enum.StrEnum):
    """How the offered initial-audit days compare with MD 5."""

    UNKNOWN = "unknown"  # no days offered, or no MD 5 figure for these standards
    MEETS = "meets"  # at or above the estimate
    BELOW_ESTIMATE = "below_estimate"  # within the reductions MD 5 allows
    BELOW_MINIMUM = "below_minimum"  # fewer days than MD 5 allows at all


@dataclass(frozen=True)
class CycleCost:
    """A quote's figures in OMR: the first cycle's total, and recertification beside it."""

    initial: Decimal
    surveillance_total: Decimal
    travel: Decimal
    three_year_total: Decimal
    recertification: Decimal


@dataclass(frozen=True)
class DaysCheck:
    """Offered days against the MD 5 estimate and minimum, with the shortfall in days."""

    offered: Decimal | None
    estimate: Decimal | None
    minimum: Decimal | None
    verdict: DaysVerdict
    shortfall: Decimal | None = None  # days missing to reach the minimum (BELOW_MINIMUM) or estimate


def _money(value: Decimal) -> Decimal:
    return Decimal(value).quantize(MILLS)


def cycle_cost(initial: Decimal, surveillance: Decimal, recertification: Decimal, travel: Decimal) -> CycleCost:
    """Initial + 2 x surveillance + travel; recertification separate (it belongs to the next cycle)."""
    if min(initial, surveillance, recertification, travel) < 0:
        raise ValueError("fees cannot be negative")
    surveillance_total = surveillance * SURVEILLANCE_AUDITS_PER_CYCLE
    return CycleCost(
        initial=_money(initial),
        surveillance_total=_money(surveillance_total),
        travel=_money(travel),
        three_year_total=_money(initial + surveillance_total + travel),
        recertification=_money(recertification),
    )


def check_days(offered: Decimal | None, estimate: Decimal | None, minimum: Decimal | None) -> DaysCheck:
    """Compare offered initial-audit days with the MD 5 estimate and the least MD 5 allows.

    `minimum` may be None when only the estimate is known: then nothing is called
    below the minimum, only below the estimate.
    """
    if offered is None or estimate is None:
        return DaysCheck(offered, estimate, minimum, DaysVerdict.UNKNOWN)
    if minimum is not None and offered < minimum:
        return DaysCheck(offered, estimate, minimum, DaysVerdict.BELOW_MINIMUM, minimum - offered)
    if offered < estimate:
        return DaysCheck(offered, estimate, minimum, DaysVerdict.BELOW_ESTIMATE, estimate - offered)
    return DaysCheck(offered, estimate, minimum, DaysVerdict.MEETS)


def cheapest(totals: dict[int, Decimal]) -> set[int]:
    """The keys (quote ids) sharing the lowest three-year total, to highlight on the compare page."""
    if not totals:
        return set()
    low = min(totals.values())
    return {key for key, total in totals.items() if total == low}


def figures_fingerprint(
    fees: tuple[Decimal, ...], days: Decimal | None, valid_until: date | None, notes: str, document: str | None
) -> str:
    """A short digest of everything a consultant weighs when accepting a quote.

    The accept form carries the digest of the figures as shown; a body revising its quote
    between that page and the click changes it, so the acceptance is refused rather than
    binding the client to figures nobody looked at.
    """
    parts = [*(str(_money(fee)) for fee in fees), str(days), str(valid_until), notes, document or ""]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]

"""The portal's clock: now in UTC (stored), today in Oman (dates people mean)."""

from __future__ import annotations

from datetime import date

from portal.domain.working_days import MUSCAT
from portal.models.types import utcnow


def today_in_oman() -> date:
    """Today's date in Asia/Muscat: decision, due and validity dates are Oman calendar days."""
    return utcnow().astimezone(MUSCAT).date()

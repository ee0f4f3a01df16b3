"""Amounts in Omani rials: three decimals (the baisa), as the Numeric(12, 3) columns store them."""

from __future__ import annotations

from decimal import Decimal

MILLS = Decimal("0.001")  # one baisa
MAX_OMR = Decimal("999999999.999")  # the largest amount a Numeric(12, 3) column holds


def storable(amount: Decimal) -> bool:
    """Not negative and not beyond what the column holds (quotes, day rates, travel fees)."""
    return 0 <= amount <= MAX_OMR

"""Audit time is computed, then explained: two pure steps that compose into the estimate.

The golden digests pin the whole estimate (figures and notes, in order) over a grid of
inputs, as it was before the split; regenerate them (`python -m tests.unit.test_audit_time_split`)
only for an intended change of the rules or of the notes.
"""

from __future__ import annotations

import hashlib
import itertools
from decimal import Decimal

import pytest

from portal.domain.audit_time import Adjustment, AuditTimeError, StandardSpec, estimate

QMS = StandardSpec("ISO 9001:2015", "qms")
EMS = StandardSpec("ISO 14001:2015", "ems")
OHS = StandardSpec("ISO 45001:2018", "ohs")
ISMS = StandardSpec("ISO/IEC 27001:2022", None)

STANDARD_SETS = {
    "qms": [QMS],
    "ems": [EMS],
    "ohs": [OHS],
    "qms+ohs": [QMS, OHS],
    "qms+ems+ohs": [QMS, EMS, OHS],
    "isms": [ISMS],
    "qms+isms": [QMS, ISMS],
    "qms twice": [QMS, QMS],
    "ems+ohs+isms": [EMS, OHS, ISMS],
}
GRID = {
    "personnel": [1, 5, 40, 300, 10_700, 10_701, 25_000],
    "sector_code": [None, 28, 33, 38],
    "sites": [1, 2, 9, 40],
    "complexity": [{}, {"ems": "low"}, {"ohs": "high", "ems": "limited"}],
    "adjustments": [
        (),
        (Adjustment("Remote audit of the office", -10),),
        (Adjustment("Low risk", -20), Adjustment("Mature system", -15)),
        (Adjustment("Hazardous processes", 10), Adjustment("Few processes", Decimal("-2.5"))),
    ],
    "integration_saving_percent": [0, 10, 20],
    "site_reduction_percent": [0, 30, 50],
}
STRIDE = 29  # every 29th combination: each value of every input appears, with many of the others


def grid_cases(standards_key: str) -> list[dict]:
    combinations = list(itertools.product(*GRID.values()))[::STRIDE]
    return [dict(zip(GRID, values, strict=True), standards=STANDARD_SETS[standards_key]) for values in combinations]


def outcome(case: dict) -> str:
    """The estimate's full repr (every field, every note in order), or the error it raises."""
    arguments = dict(case)
    try:
        return repr(estimate(arguments.pop("standards"), arguments.pop("personnel"), **arguments))
    except AuditTimeError as error:
        return f"{error!r} field={error.field}"


def digest(standards_key: str) -> str:
    joined = "\n".join(outcome(case) for case in grid_cases(standards_key))
    return hashlib.sha256(joined.encode()).hexdigest()[:32]


GOLDEN = {
    "qms": "4fe70d96124e9ba1188a34a2e7f182e9",
    "ems": "70d8d45b7b520dc13640a7a2c81a4fc7",
    "ohs": "a03e7200c331a5cbe998810867120c4e",
    "qms+ohs": "7881ae9e3fb7d6e429cf13a43e3d2fb1",
    "qms+ems+ohs": "0a04139c7da8f0fe45248e5364937529",
    "isms": "efae56759bd1a34841e1a1954c538b4d",
    "qms+isms": "5e19b9796954632bc19fa983b5b83471",
    "qms twice": "4fe70d96124e9ba1188a34a2e7f182e9",
    "ems+ohs+isms": "d0b8b4f9be26be392d37a80267192492",
}


@pytest.mark.parametrize("standards_key", list(STANDARD_SETS))
def test_estimate_is_unchanged_over_the_grid(standards_key):
    assert digest(standards_key) == GOLDEN[standards_key]


if __name__ == "__main__":
    for key in STANDARD_SETS:
        print(f"    {key!r}: {digest(key)!r},")

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
from hypothesis import given
from hypothesis import strategies as st

from portal.domain import audit_time
from portal.domain.audit_time import (
    Adjustment,
    AuditDays,
    AuditKind,
    AuditTimeError,
    AuditTimeEstimate,
    AuditTimeFigures,
    AuditTimeInputs,
    SiteSampling,
    StandardSpec,
    StandardTime,
    compute_figures,
    estimate,
    explain_figures,
)
from portal.domain.md5_tables import Complexity
from portal.domain.sector_complexity import is_special_case

QMS = StandardSpec("ISO 9001", "qms")
EMS = StandardSpec("ISO 14001", "ems")
OHS = StandardSpec("ISO 45001", "ohs")
ISMS = StandardSpec("ISO/IEC 27001", None)

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
    "qms": "aefe0b802c55ace40cab105f1c27f907",
    "ems": "d710775597ea41d5e2c2fc5390a55512",
    "ohs": "71af36c4f53be629374e3f078b67a5bd",
    "qms+ohs": "a8a910efa5f2b19793b87c36f241b45b",
    "qms+ems+ohs": "c56f5a8482be46880926212ae62a7c8a",
    "isms": "f128ef9a760d2f4c989e107e5c2a9a24",
    "qms+isms": "2d2243fc99bd810ce20b593e0014ef99",
    "qms twice": "aefe0b802c55ace40cab105f1c27f907",
    "ems+ohs+isms": "058cab94b23059ddd7b5ba45bad9624c",
}


@pytest.mark.parametrize("standards_key", list(STANDARD_SETS))
def test_estimate_is_unchanged_over_the_grid(standards_key):
    assert digest(standards_key) == GOLDEN[standards_key]


def test_compute_figures_for_an_integrated_audit():
    # 40 staff in IT: 4 QMS days and 4 OH&S (low) days, 8 less 10% = 7.2, to the nearest half day 7 (MD 5 2.2.3);
    # surveillance 7.2/3 = 2.4 -> 2.5 and recertification 7.2 x 2/3 = 4.8 -> 5, each from the exact figure.
    figures = compute_figures(AuditTimeInputs((QMS, OHS), 40, sector_code=33))
    assert [(s.code, s.table_days, s.adjusted_days) for s in figures.standards] == [
        ("ISO 9001", Decimal(4), Decimal(4)),
        ("ISO 45001", Decimal(4), Decimal(4)),
    ]
    assert figures.combined_days == figures.days.initial == Decimal(7)
    assert (figures.days.surveillance, figures.days.recertification) == (Decimal("2.5"), Decimal(5))
    assert figures.sampling is None and figures.without_table == () and not figures.reduction_capped


def test_compute_figures_over_several_sites_and_with_the_cap():
    adjustments = (Adjustment("Low risk", -20), Adjustment("Mature system", -20))
    figures = compute_figures(AuditTimeInputs((QMS,), 400, sites=10, adjustments=adjustments))
    assert figures.reduction_capped
    assert figures.standards[0].adjusted_days == Decimal(7)  # 10 days less 30%
    # A sampled site: MD 5's -30% and MD 1's -30% together are capped at -50% (IAF MD 1:2018 7.3.1), not -60%.
    assert figures.sampling == SiteSampling(
        sites=10,
        personnel_per_site=40,
        site_reduction_percent=50,
        visited={AuditKind.INITIAL: 4, AuditKind.SURVEILLANCE: 3, AuditKind.RECERTIFICATION: 4},
    )


def test_compute_figures_without_any_table():
    figures = compute_figures(AuditTimeInputs((ISMS, ISMS), 40))
    assert figures == AuditTimeFigures(None, (), ("ISO/IEC 27001",), None)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"personnel": 0}, "personnel"),
        ({"sites": 0}, "sites"),
        ({"integration_saving_percent": 21}, "integration_saving_percent"),
        ({"site_reduction_percent": -1}, "site_reduction_percent"),
    ],
)
def test_inputs_are_checked_before_anything_is_computed(changes, field):
    with pytest.raises(AuditTimeError) as error:
        AuditTimeInputs(**{"standards": (QMS,), "personnel": 40, **changes})
    assert error.value.field == field


# Two standards with a table and one without, above 10,700 people, two factors past the cap, several sites.
EVERY_STEP = [
    "no_table",
    "table",
    "table",
    "beyond_table",
    "adjustment",
    "adjustment",
    "reduction_capped",
    "integration",
    "multi_site",
    "follow_up",
    "stages",
]


def test_explain_figures_words_the_figures_it_is_given_not_recomputed_ones():
    # Figures no calculation would give: the notes must carry them as they are.
    days = AuditDays(Decimal(9), Decimal(3), Decimal(6), Decimal("3.5"), Decimal(7))
    standards = (
        StandardTime("A", "qms", None, False, Decimal(5), Decimal("4.5")),
        StandardTime("B", "ems", Complexity.LOW, True, Decimal(6), Decimal(5)),
    )
    sampling = SiteSampling(3, 17, 25, {AuditKind.INITIAL: 3, AuditKind.SURVEILLANCE: 2, AuditKind.RECERTIFICATION: 3})
    figures = AuditTimeFigures(days, standards, ("C",), sampling, True, Decimal("8.5"))
    inputs = AuditTimeInputs((QMS,), 11_000, adjustments=(Adjustment("x", -25), Adjustment("y", -10)))
    notes = explain_figures(inputs, figures)
    assert [n.kind for n in notes] == EVERY_STEP
    by_kind = {n.kind: n.params for n in notes}
    assert by_kind["integration"] == {"count": 2, "percent": 10, "before": Decimal("9.5"), "after": Decimal("8.5")}
    assert by_kind["multi_site"]["sites"] == 3 and by_kind["multi_site"]["reduction"] == 25
    assert by_kind["reduction_capped"] == {"requested": Decimal(-35), "cap": 30}
    assert by_kind["follow_up"] == {"surveillance": Decimal("3.5"), "recertification": Decimal(7)}
    assert by_kind["stages"] == {"stage1": Decimal(3), "stage2": Decimal(6)}
    assert notes[2].params["complexity"] == Complexity.LOW and notes[2].params["overridden"]


def test_explain_figures_never_calls_the_computing(monkeypatch):
    adjustments = (Adjustment("x", -25), Adjustment("y", -20))
    inputs = AuditTimeInputs((QMS, EMS, ISMS), 12_000, sector_code=12, sites=7, adjustments=adjustments)
    figures = compute_figures(inputs)
    expected = estimate([QMS, EMS, ISMS], 12_000, sector_code=12, sites=7, adjustments=adjustments).notes

    def refuse(*args, **kwargs):
        raise AssertionError("explaining recomputed a figure")

    for name in ("table_days", "net_adjustment", "sample_size", "_site_totals", "_audit_days", "compute_figures"):
        monkeypatch.setattr(audit_time, name, refuse)
    monkeypatch.setattr(audit_time._Plan, "combined", refuse)
    monkeypatch.setattr(audit_time._Plan, "per_standard", refuse)
    assert explain_figures(inputs, figures) == expected
    assert [note.kind for note in expected] == EVERY_STEP


SPECS = st.sampled_from([QMS, EMS, OHS, ISMS])
ADJUSTMENTS = st.lists(st.builds(Adjustment, st.just("factor"), st.integers(min_value=-40, max_value=40)), max_size=4)


def _has_defaults(code: int) -> bool:
    """Not an MD 5 special case (those need a category chosen: see test_audit_time_md5)."""
    return not (is_special_case("ems", code) or is_special_case("ohs", code))


@st.composite
def inputs_strategy(draw: st.DrawFn) -> AuditTimeInputs:
    return AuditTimeInputs(
        tuple(draw(st.lists(SPECS, max_size=4))),
        draw(st.integers(min_value=1, max_value=30_000)),
        sector_code=draw(st.one_of(st.none(), st.integers(min_value=1, max_value=39).filter(_has_defaults))),
        sites=draw(st.integers(min_value=1, max_value=60)),
        adjustments=tuple(draw(ADJUSTMENTS)),
        integration_saving_percent=draw(st.integers(min_value=0, max_value=20)),
        site_reduction_percent=draw(st.integers(min_value=0, max_value=50)),
    )


@given(inputs_strategy())
def test_estimate_is_the_figures_with_their_explanation(inputs):
    figures = compute_figures(inputs)
    result = estimate(
        list(inputs.standards),
        inputs.personnel,
        sector_code=inputs.sector_code,
        sites=inputs.sites,
        adjustments=list(inputs.adjustments),
        integration_saving_percent=inputs.integration_saving_percent,
        site_reduction_percent=inputs.site_reduction_percent,
    )
    assert result == AuditTimeEstimate(
        figures.days,
        figures.standards,
        figures.without_table,
        figures.sampling,
        explain_figures(inputs, figures),
        figures.reduction_capped,
    )


@given(inputs_strategy())
def test_every_note_agrees_with_the_figures(inputs):
    figures = compute_figures(inputs)
    notes = explain_figures(inputs, figures)
    assert explain_figures(inputs, figures) == notes  # same inputs and figures, same notes
    params = {kind: [n.params for n in notes if n.kind == kind] for kind in {n.kind for n in notes}}
    assert [p["code"] for p in params.get("no_table", [])] == list(figures.without_table)
    assert [(p["code"], p["days"]) for p in params.get("table", [])] == [
        (s.code, s.table_days) for s in figures.standards
    ]
    if figures.days is None:
        return
    assert params["follow_up"] == [
        {"surveillance": figures.days.surveillance, "recertification": figures.days.recertification}
    ]
    assert params["stages"] == [{"stage1": figures.days.stage1, "stage2": figures.days.stage2}]
    assert [p["after"] for p in params.get("integration", [])] == (
        [figures.combined_days] if len(figures.standards) > 1 else []
    )
    sampled = figures.sampling is not None and figures.sampling.not_sampled is None
    assert len(params.get("multi_site", [])) == sampled
    assert len(params.get("all_sites", [])) == (figures.sampling is not None and not sampled)
    assert len(params.get("reduction_capped", [])) == figures.reduction_capped


if __name__ == "__main__":
    for key in STANDARD_SETS:
        print(f"    {key!r}: {digest(key)!r},")

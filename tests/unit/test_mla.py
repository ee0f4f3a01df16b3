"""MLA recognition at the level that exists, and which scopes compare the client's IAF sector.

Sources: IAF PL 3 (MLA structure: main scope = Level 2 + Level 3 ISO/IEC 17021-1,
sub-scope = Level 4 + Level 5); IAF "Annex 1 - Scope of the MLA" (2022) lists the
management-system Level 5 sub-scopes ISO 9001, 14001, 45001, 22000, ISO/IEC 27001,
13485 and 50001; IAF "Changes in the scope of the IAF MLA during 2023": ISO 37001 and
ISO 37301 only under review as sub-scopes. IAF ID 1 (QMS/EMS scopes in IAF codes),
IAF MD 22 (OH&S), ISO 50003 (EnMS technical areas), ISO/IEC 27006 (no IAF codes).
"""

from __future__ import annotations

import pytest

from portal.domain import mla
from portal.domain.accreditation import ScopeScheme, check_sectors, sectors_required


@pytest.mark.parametrize(
    ("family", "scope"),
    [
        ("quality", "QMS"),
        ("environment", "EMS"),
        ("ohs", "OHSMS"),
        ("food_safety", "FSMS"),
        ("information_security", "ISMS"),
        ("medical_devices", "MDMS"),
        ("energy", "EnMS"),
        ("business_continuity", mla.MAIN_SCOPE),  # ISO 22301: no MLA sub-scope
        ("anti_bribery", mla.MAIN_SCOPE),  # ISO 37001: under review in 2023, not a sub-scope
        ("compliance", mla.MAIN_SCOPE),  # ISO 37301
        ("it_service", mla.MAIN_SCOPE),  # ISO/IEC 20000-1
    ],
)
def test_each_standard_needs_its_sub_scope_where_one_exists_else_the_main_scope(family, scope):
    assert mla.required_scope(family) == scope


def test_a_body_that_signed_only_the_main_scope_is_recognised_for_22301_and_37001_but_not_for_9001():
    signed = {mla.MAIN_SCOPE}
    assert mla.recognised("business_continuity", signed)
    assert mla.recognised("anti_bribery", signed)
    assert not mla.recognised("quality", signed)


def test_a_signed_sub_scope_implies_the_main_scope_it_sits_under():
    assert mla.recognised("anti_bribery", {"QMS"})
    assert not mla.recognised("information_security", {"QMS", mla.MAIN_SCOPE})
    assert not mla.recognised("anti_bribery", {"ABMS"})  # not a scope of the arrangement at all


@pytest.mark.parametrize(
    ("scheme", "compares"),
    [
        (ScopeScheme.IAF, True),
        (ScopeScheme.FOOD_CHAIN, False),
        (ScopeScheme.TECHNICAL_AREA, False),
        (ScopeScheme.ENERGY_AREA, False),  # ISO 50001: ISO 50003 technical areas
        (ScopeScheme.OWN_WORDING, False),  # ISO/IEC 27001: the body's own scope wording
    ],
)
def test_only_iaf_sector_scopes_require_and_compare_sectors(scheme, compares):
    assert sectors_required(scheme) is compares
    assert (check_sectors(scheme, []) is not None) is compares


@pytest.mark.parametrize(
    ("family", "signatory", "signed", "expected"),
    [
        ("business_continuity", True, {"MS"}, True),  # ISO 22301: the main scope is the level that exists
        ("quality", True, {"MS"}, False),  # ISO 9001: the QMS sub-scope is missing
        ("quality", True, {"MS", "QMS"}, True),
        ("quality", True, set(), True),  # nothing recorded yet: the signatory flag decides
        ("quality", False, {"MS", "QMS"}, False),  # not a signatory: recorded scopes never count
    ],
)
def test_one_rule_says_whether_a_bodys_accreditation_is_recognised(family, signatory, signed, expected):
    assert mla.body_recognised(family, signatory, signed) is expected

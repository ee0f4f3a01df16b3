"""Which level of the recognition arrangement backs a management-system certificate.

The IAF MLA is built in levels (IAF PL 3, "Policies and procedures on the IAF MLA
structure"): the *main scope* is Level 2 management-systems certification with its
Level 3 document, ISO/IEC 17021-1; a *sub-scope* adds a Level 4 document (e.g.
ISO/IEC 27006, ISO 50003) and the Level 5 standard. The management-system sub-scopes
are ISO 9001, ISO 14001, ISO 45001, ISO 22000, ISO/IEC 27001, ISO 13485 and ISO 50001
(IAF, "Annex 1 - Scope of the MLA", 2022). ISO 22301 and ISO 37001 have none (ISO
37001 and ISO 37301 were still under review as Level 5 sub-scopes at the end of 2023:
IAF, "Changes in the scope of the IAF MLA during 2023"), so for them and every other
management-system standard the main scope is what counts.

Since 1 January 2026 IAF and ILAC operate as Global Accreditation Cooperation
Incorporated, whose arrangement carries the IAF MLA recognitions through a transition
period; the levels above are those recognitions.
"""

from __future__ import annotations

from collections.abc import Collection

MAIN_SCOPE = "MS"  # management-systems certification, ISO/IEC 17021-1
# Standard family (see portal/data/standards.json) -> its MLA sub-scope.
SUBSCOPE_BY_FAMILY = {
    "quality": "QMS",  # ISO 9001, with ISO/IEC 17021-3
    "environment": "EMS",  # ISO 14001, with ISO/IEC 17021-2
    "ohs": "OHSMS",  # ISO 45001
    "food_safety": "FSMS",  # ISO 22000, with ISO 22003-1
    "information_security": "ISMS",  # ISO/IEC 27001, with ISO/IEC 27006
    "medical_devices": "MDMS",  # ISO 13485
    "energy": "EnMS",  # ISO 50001, with ISO 50003
}
# What an admin can record as signed, main scope first.
SCOPES = (MAIN_SCOPE, *SUBSCOPE_BY_FAMILY.values())


def required_scope(family: str) -> str:
    """The level an accreditation body must have signed for a standard: its sub-scope, else the main scope."""
    return SUBSCOPE_BY_FAMILY.get(family, MAIN_SCOPE)


def recognised(family: str, signed: Collection[str]) -> bool:
    """Whether an accreditation body that signed `signed` is recognised for the standard's family.

    A sub-scope is only signed within the main scope (IAF PL 3), so any signed
    sub-scope also shows the main scope was signed.
    """
    scope = required_scope(family)
    if scope != MAIN_SCOPE:
        return scope in signed
    return any(s in SCOPES for s in signed)


def body_recognised(family: str, signatory: bool, signed: Collection[str]) -> bool:
    """Whether an accreditation body's accreditation for a standard of `family` is recognised.

    The one rule every page uses: a signatory whose signed scopes are recorded must
    have signed the required level; a signatory with none recorded yet keeps the
    benefit of its flag (reference data not yet itemised), a non-signatory never counts.
    """
    return signatory and (not signed or recognised(family, signed))

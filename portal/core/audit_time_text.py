"""Words for the audit-time explanation: the domain gives kinds and figures, this gives sentences.

Shared by the public estimate page and the consultants' match page, so a client and
a consultant read the same justification.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.domain.audit_time import AuditTimeEstimate, Note

COMPLEXITY_LABELS = {
    "high": _l("high"),
    "medium": _l("medium"),
    "low": _l("low"),
    "limited": _l("limited"),
}
TABLE_LABELS = {
    "qms": _l("quality (QMS)"),
    "ems": _l("environmental (EMS)"),
    "ohs": _l("occupational health and safety (OH&S)"),
}


def days(value: Decimal | None) -> str:
    """Auditor-days as a short localised number: 4, 1.5."""
    return "" if value is None else format_decimal(value, format="#,##0.#")


def percent(value: Decimal | int) -> str:
    return format_decimal(value, format="+#,##0.#;-#,##0.#")


def _table(p: dict[str, Any]) -> str:
    values = {
        "code": p["code"],
        "table": TABLE_LABELS[p["table"]],
        "personnel": format_decimal(p["personnel"]),
        "days": days(p["days"]),
    }
    if p["complexity"] is None:
        return _("%(code)s: %(days)s days from the IAF MD 5 %(table)s table for %(personnel)s people.", **values)
    values["complexity"] = COMPLEXITY_LABELS[p["complexity"]]
    if p["overridden"]:
        return _(
            "%(code)s: %(days)s days from the IAF MD 5 %(table)s table for %(personnel)s people at "
            "%(complexity)s complexity (set by the consultant).",
            **values,
        )
    return _(
        "%(code)s: %(days)s days from the IAF MD 5 %(table)s table for %(personnel)s people at "
        "%(complexity)s complexity, usual for the sector.",
        **values,
    )


def _no_table(p: dict[str, Any]) -> str:
    return _(
        "No audit-time table for %(code)s yet: its audit time follows its own rules, so certification bodies "
        "quote it directly.",
        code=p["code"],
    )


def _beyond_table(p: dict[str, Any]) -> str:
    return _(
        "Above %(last)s people the table continues its progression: every further %(width)s people add as many "
        "days as its last band did.",
        last=format_decimal(p["last"]),
        width=format_decimal(p["width"]),
    )


def _adjustment(p: dict[str, Any]) -> str:
    return _("%(reason)s: %(percent)s%%.", reason=p["reason"], percent=percent(p["percent"]))


def _reduction_capped(p: dict[str, Any]) -> str:
    return _(
        "The adjustments add up to %(requested)s%%, but IAF MD 5 allows at most %(cap)s%% less than the table.",
        requested=percent(p["requested"]),
        cap=p["cap"],
    )


def _integration(p: dict[str, Any]) -> str:
    return _(
        "The %(count)s standards audited together (an integrated audit, IAF MD 11): %(before)s days less "
        "%(percent)s%% gives %(after)s days.",
        count=p["count"],
        before=days(p["before"]),
        percent=p["percent"],
        after=days(p["after"]),
    )


def _multi_site(p: dict[str, Any]) -> str:
    return _(
        "%(sites)s sites: the central function and a sample of the other sites are audited (IAF MD 1): "
        "%(initial)s sites at the initial audit, %(surveillance)s at each surveillance and %(recertification)s "
        "at recertification. People are taken as spread evenly (%(per_site)s a site) and a sampled site's time "
        "is %(reduction)s%% shorter; the total never falls below that of a single site.",
        sites=p["sites"],
        initial=p["initial"],
        surveillance=p["surveillance"],
        recertification=p["recertification"],
        per_site=format_decimal(p["personnel_per_site"]),
        reduction=p["reduction"],
    )


def _follow_up(p: dict[str, Any]) -> str:
    return _(
        "Each surveillance takes about a third of the initial audit time (%(surveillance)s days) and "
        "recertification about two thirds (%(recertification)s days), rounded up to the half day.",
        surveillance=days(p["surveillance"]),
        recertification=days(p["recertification"]),
    )


def _stages(p: dict[str, Any]) -> str:
    return _(
        "The initial audit is split into stage 1, usually about a third (%(stage1)s days), and stage 2 "
        "(%(stage2)s days).",
        stage1=days(p["stage1"]),
        stage2=days(p["stage2"]),
    )


WORDERS: dict[str, Callable[[dict[str, Any]], str]] = {
    "table": _table,
    "no_table": _no_table,
    "beyond_table": _beyond_table,
    "adjustment": _adjustment,
    "reduction_capped": _reduction_capped,
    "integration": _integration,
    "multi_site": _multi_site,
    "follow_up": _follow_up,
    "stages": _stages,
}


def sentence(note: Note) -> str:
    return WORDERS[note.kind](note.params)


def explanation(result: AuditTimeEstimate, omit: frozenset[str] = frozenset()) -> list[str]:
    """The estimate's notes as sentences, in the order the calculation made them (kinds in `omit` left out)."""
    return [sentence(note) for note in result.notes if note.kind not in omit]

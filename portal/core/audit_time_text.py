"""Words for the audit-time explanation: the domain gives kinds and figures, this gives sentences.

Shared by the public estimate page and the consultants' match page, so a client and
a consultant read the same justification.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.core.formats import format_number
from portal.domain.audit_time import AuditTimeEstimate, EffectivePersonnel, NoSampling, Note

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
    return "" if value is None else format_number(value, "#,##0.#")


def percent(value: Decimal | int) -> str:
    return format_number(value, "+#,##0.#;-#,##0.#")


def _table(p: dict[str, Any]) -> str:
    values = {
        "code": p["code"],
        "table": TABLE_LABELS[p["table"]],
        "personnel": format_number(p["personnel"]),
        "days": days(p["days"]),
    }
    if p["complexity"] is None:
        return _("%(code)s: %(days)s days from the IAF MD 5 %(table)s table for %(personnel)s people.", **values)
    values["complexity"] = COMPLEXITY_LABELS[p["complexity"]]
    if p["overridden"]:
        return _(
            "%(code)s: %(days)s days from the IAF MD 5 %(table)s table for %(personnel)s people at "
            "%(complexity)s complexity, chosen instead of the sector's usual one.",
            **values,
        )
    return _(
        "%(code)s: %(days)s days from the IAF MD 5 %(table)s table for %(personnel)s people at "
        "%(complexity)s complexity, usual for the sector.",
        **values,
    )


# Why one IAF code's default may overstate (sector_complexity.SECTOR_COMPLEXITY): code -> what it spans.
SPANS = {
    17: _l("basic metals are high complexity, fabricated metal products medium"),
    24: _l("recycling hazardous waste is high complexity, other recycling medium"),
    25: _l("coal-fired generation is high complexity for the environment, other electricity supply medium"),
    29: _l("trade in fuel is medium complexity, trade in other goods low"),
    39: _l("sewage, refuse and waste processing are high complexity, other social services low"),
}


def no_table_text(code: str, document: str | None) -> str:
    """Why a standard has no figure: the document that sets its audit time, which we could not check."""
    if document:
        return _(
            "%(code)s: its audit time is set by %(document)s, not by the IAF MD 5 tables, and we have not been "
            "able to check that document's figures, so we show no number: the certification body calculates it.",
            code=code,
            document=document,
        )
    return _(
        "%(code)s: no audit-time table applies, so we show no number: the certification body calculates its "
        "audit time by the rules for that standard.",
        code=code,
    )


def _no_table(p: dict[str, Any]) -> str:
    return no_table_text(p["code"], p["document"])


def _spans(p: dict[str, Any]) -> str:
    return _(
        "The %(table)s figure uses the usual category of IAF sector %(sector)s, but the sector covers work of "
        "several categories (%(why)s): the certification body sets yours from what you actually do, so the "
        "figure may be higher or lower.",
        table=TABLE_LABELS[p["table"]],
        sector=p["sector"],
        why=SPANS[p["sector"]],
    )


def _hazardous_storage(p: dict[str, Any]) -> str:
    return _(
        "If you store large quantities of hazardous material, IAF MD 5 leaves the complexity to the certification "
        "body: choose the category you expect and the figure will follow."
    )


def _beyond_table(p: dict[str, Any]) -> str:
    return _(
        "Above %(last)s people the table continues its progression: every further %(width)s people add as many "
        "days as its last band did.",
        last=format_number(p["last"]),
        width=format_number(p["width"]),
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
        "is its table figure %(change)s%%, all adjustments and reductions together, which IAF MD 1 allows to be "
        "at most %(cap)s%% less; the total never falls below that of a single site.",
        sites=p["sites"],
        initial=p["initial"],
        surveillance=p["surveillance"],
        recertification=p["recertification"],
        per_site=format_number(p["personnel_per_site"]),
        change=percent(-p["reduction"]),
        cap=p["cap"],
    )


ALL_SITES_REASONS = {
    NoSampling.DIFFERENT_SITES: _l("the sites do not all run the same processes, or the risk is high"),
    NoSampling.TOO_FEW_SITES: _l("sampling needs at least two sites besides the central function"),
}


def _all_sites(p: dict[str, Any]) -> str:
    return _(
        "%(sites)s sites, not sampled (%(reason)s): IAF MD 1 then has every site audited at the initial audit "
        "and at recertification, and the central function with 30%% of the other sites at each surveillance "
        "(%(surveillance)s sites). People are taken as spread evenly (%(per_site)s a site), each site at its own "
        "table figure.",
        sites=p["sites"],
        reason=ALL_SITES_REASONS[p["reason"]],
        surveillance=p["surveillance"],
        per_site=format_number(p["personnel_per_site"]),
    )


def _follow_up(p: dict[str, Any]) -> str:
    return _(
        "Each surveillance takes about a third of the initial audit time (%(surveillance)s days) and "
        "recertification about two thirds (%(recertification)s days). As IAF MD 5 asks, each figure is rounded "
        "to the nearest half day (5.3 days become 5.5, 5.2 days become 5).",
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
    "spans": _spans,
    "hazardous_storage": _hazardous_storage,
    "all_sites": _all_sites,
    "beyond_table": _beyond_table,
    "adjustment": _adjustment,
    "reduction_capped": _reduction_capped,
    "integration": _integration,
    "multi_site": _multi_site,
    "follow_up": _follow_up,
    "stages": _stages,
}


def _one_decimal(value: Fraction) -> str:
    return format_number(float(value), "#,##0.#")


def personnel_text(people: EffectivePersonnel, repetitive: bool = False) -> list[str]:
    """How the effective number of personnel was reached (IAF MD 5), when it is more than the headcount given."""
    lines = []
    if people.part_time:
        lines.append(
            _(
                "Effective personnel (IAF MD 5): %(full)s full-time, every shift counted, plus %(part)s part-time "
                "staff at %(hours)s of %(week)s hours a week, about %(equivalent)s full-time; %(count)s people in "
                "all, rounded up.",
                full=format_number(people.full_time),
                part=format_number(people.part_time),
                hours=_one_decimal(people.part_time_hours),
                week=_one_decimal(people.full_time_hours),
                equivalent=_one_decimal(people.part_time * people.part_time_hours / people.full_time_hours),
                count=format_number(people.count),
            )
        )
    if repetitive:
        lines.append(
            _(
                "Where many people do the same simple, repetitive work, IAF MD 5 lets the certification body count "
                "fewer of them, with a justification of its own; we cannot know how many, so the figures above do "
                "not, and the body's may be lower."
            )
        )
    return lines


def complexity_choice_text(table: str) -> str:
    """Why a special-case sector needs the category chosen (IAF MD 5 leaves it to the certification body)."""
    return _(
        "For this sector IAF MD 5 leaves the %(table)s complexity to the certification body: choose the category "
        "you expect (the body will confirm it).",
        table=TABLE_LABELS[table],
    )


def sentence(note: Note) -> str:
    return WORDERS[note.kind](note.params)


def explanation(result: AuditTimeEstimate, omit: frozenset[str] = frozenset()) -> list[str]:
    """The estimate's notes as sentences, in the order the calculation made them (kinds in `omit` left out)."""
    return [sentence(note) for note in result.notes if note.kind not in omit]

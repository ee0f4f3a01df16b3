"""The readiness questions, answer options, group titles and advice, as translatable data.

Kept in Python rather than JSON so that every text is wrapped in ``lazy_gettext`` where
pybabel can extract it (a text read from a JSON file and passed through ``_()`` at render
time never reaches the message catalogue). The structure the scoring needs is handed to
the pure rules in ``portal.domain.readiness`` as plain ``Question`` values.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from portal.domain.readiness import Question


@dataclass(frozen=True)
class AnswerOption:
    key: str
    label: object  # a lazy string
    points: int | None  # None: "not sure", worth nothing (see portal.domain.readiness)


@dataclass(frozen=True)
class ReadinessQuestion:
    id: str
    group: str
    text: object
    help: object


ANSWER_OPTIONS: tuple[AnswerOption, ...] = (
    AnswerOption("not_in_place", _l("Not in place"), 0),
    AnswerOption("partly", _l("Partly"), 1),
    AnswerOption("fully", _l("Fully in place"), 2),
    AnswerOption("not_sure", _l("Not sure"), None),
)
POINTS = {option.key: option.points for option in ANSWER_OPTIONS}

GROUP_TITLES = {
    "context": _l("Context of the organisation"),
    "leadership": _l("Leadership"),
    "planning": _l("Planning"),
    "support": _l("Support"),
    "operation": _l("Operation"),
    "performance": _l("Performance evaluation"),
    "improvement": _l("Improvement"),
}

QUESTIONS: tuple[ReadinessQuestion, ...] = (
    ReadinessQuestion(
        "ctx_issues",
        "context",
        _l(
            "Have you written down the internal and external issues that affect your business, "
            "and what your customers, regulators, employees and other interested parties need from you?"
        ),
        _l("For example ministry and municipality requirements, key customers, suppliers, competition, Omanisation."),
    ),
    ReadinessQuestion(
        "ctx_scope",
        "context",
        _l("Have you decided which sites, activities and products or services the management system will cover?"),
        _l(
            "This is the scope. It appears on the certificate, e.g. “Supply and installation of HVAC systems, Muscat and Sohar”."
        ),
    ),
    ReadinessQuestion(
        "lead_commitment",
        "leadership",
        _l("Does top management (owner, general manager or board) take an active part in setting up the system?"),
        _l("For example: approving resources, attending key meetings, following up on actions."),
    ),
    ReadinessQuestion(
        "lead_policy",
        "leadership",
        _l("Is there an approved policy (quality, environment, safety …) that staff know and can explain?"),
        _l("Auditors ask employees what the policy means for their own work."),
    ),
    ReadinessQuestion(
        "lead_roles",
        "leadership",
        _l(
            "Are responsibilities for the management system assigned and known, including who coordinates it day to day?"
        ),
        _l("Job descriptions or an organisation chart that names the roles are the usual evidence."),
    ),
    ReadinessQuestion(
        "plan_risks",
        "planning",
        _l(
            "Have you identified the risks and opportunities in your activities and decided what to do about the important ones?"
        ),
        _l("A simple risk register with owners and actions is enough for most organisations."),
    ),
    ReadinessQuestion(
        "plan_objectives",
        "planning",
        _l("Do you have measurable objectives, each with an owner, a target date and a plan to reach it?"),
        _l(
            "For example: on-time delivery above 95%, complaints answered within two working days, no lost-time injuries."
        ),
    ),
    ReadinessQuestion(
        "sup_competence",
        "support",
        _l("Do you know which skills each role needs, and do you keep records of training and qualifications?"),
        _l("Include contract and sub-contracted staff who work under your control."),
    ),
    ReadinessQuestion(
        "sup_resources",
        "support",
        _l(
            "Are the people, equipment, premises and measuring instruments you need provided, maintained and, where needed, calibrated?"
        ),
        _l("Maintenance plans and calibration certificates are the usual evidence."),
    ),
    ReadinessQuestion(
        "sup_documents",
        "support",
        _l(
            "Are procedures, forms and records controlled: current versions in use, old ones withdrawn, records easy to find?"
        ),
        _l("A shared folder with clear names and a register of documents is often enough."),
    ),
    ReadinessQuestion(
        "op_processes",
        "operation",
        _l(
            "Are your main processes, from enquiry or order to delivery, planned and carried out to defined criteria, with records?"
        ),
        _l("Think of quotations, contract review, production or service delivery, inspection and handover."),
    ),
    ReadinessQuestion(
        "op_suppliers",
        "operation",
        _l(
            "Do you select, evaluate and monitor the suppliers and subcontractors that affect your products or services?"
        ),
        _l("An approved supplier list with a yearly evaluation is a common approach."),
    ),
    ReadinessQuestion(
        "perf_monitoring",
        "performance",
        _l(
            "Do you measure how your processes perform and how satisfied customers are, and review the figures regularly?"
        ),
        _l("For example a monthly dashboard discussed in a management meeting."),
    ),
    ReadinessQuestion(
        "perf_internal_audit",
        "performance",
        _l(
            "Has an internal audit of the whole system been planned and carried out by people who do not audit their own work?"
        ),
        _l("Certification bodies expect at least one full cycle of internal audits before the certification audit."),
    ),
    ReadinessQuestion(
        "perf_review",
        "performance",
        _l("Has top management held a management review with minutes, decisions and actions?"),
        _l(
            "The standard lists what the review must consider, such as audit results, objectives and customer feedback."
        ),
    ),
    ReadinessQuestion(
        "imp_corrective",
        "improvement",
        _l(
            "When something goes wrong, do you find the root cause, act on it and check that the action worked, with a record?"
        ),
        _l("For example a customer complaint, a defect, an incident or an audit finding."),
    ),
    ReadinessQuestion(
        "imp_continual",
        "improvement",
        _l("Do you collect improvement ideas from audits, reviews and staff, and follow them through to completion?"),
        _l("An improvement log with owners and dates shows that the system keeps getting better."),
    ),
)

ADVICE = {
    "context": _l(
        "Hold a half-day workshop with your managers: list the issues that affect the business and what "
        "interested parties need, then write down the scope (sites, activities, products or services). "
        "A consultant can facilitate the workshop and help word a scope an auditor can verify."
    ),
    "leadership": _l(
        "Ask top management to approve a short policy, name a coordinator for the management system and "
        "set a date for the first management review. A consultant can brief your leadership team on what "
        "the standard expects of them."
    ),
    "planning": _l(
        "Build a simple risk register for your main processes and set three to five measurable objectives, "
        "each with an owner, a target date and a plan. A consultant can run a risk workshop and help you "
        "choose objectives you can actually measure."
    ),
    "support": _l(
        "Write down the competence each role needs and close the training gaps, check maintenance and "
        "calibration, and keep documents and records in one controlled place. A consultant can provide "
        "templates and help keep the documentation lean."
    ),
    "operation": _l(
        "Map your main processes from order to delivery, write down the criteria each step must meet, and "
        "start evaluating your key suppliers. A consultant can help map the processes and fit the "
        "requirements to how you already work."
    ),
    "performance": _l(
        "Choose the figures you will track and review them every month, train two or three internal "
        "auditors, audit the whole system once and hold a management review. A consultant can train your "
        "internal auditors or carry out the first internal audit with them."
    ),
    "improvement": _l(
        "Start a corrective-action log: for each complaint, defect or incident record the root cause, the "
        "action taken and a check that it worked. A consultant can coach your team in root-cause analysis."
    ),
    "find_out": _l(
        "Some answers were “Not sure”. They count as not in place until someone can show the evidence: "
        "ask the people responsible and look for the records before you plan the next steps."
    ),
}

STAGE_SUMMARIES = {
    "foundations": _l(
        "Your management system is at an early stage. Organisations at this point usually start with a gap "
        "analysis against the standard and a plan for the coming months."
    ),
    "implementation": _l(
        "The foundations are in place. The work now is to close the gaps below and to run the system long "
        "enough to produce the records an auditor will ask for."
    ),
    "verification": _l(
        "Most elements are in place. Before you ask a certification body for an audit, check the system "
        "with a full internal audit and a management review."
    ),
}

SCORED_QUESTIONS: tuple[Question, ...] = tuple(Question(q.id, q.group, POINTS) for q in QUESTIONS)

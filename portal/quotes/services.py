"""Use cases of quotes: request them, receive or type them in, expire them, accept one.

Functions take plain values and the acting user (None for a certification body
answering through its link), change the rows, write timeline, audit and outbox rows,
and flush; the request commits once. Refusals raise `ServiceError` with a message and
the form field it belongs to.

Accepting is the one race that matters: the engagement row is locked
(`SELECT … FOR UPDATE` on PostgreSQL) before its quotes are read, and the partial
unique index on accepted quotes is the last guard, so two consultants accepting
different quotes at once end with exactly one accepted.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from portal.core import audit, outbox, webhook_events
from portal.core.errors import ServiceError
from portal.core.firm import current_firm
from portal.domain import lifecycle, money
from portal.domain.versions import is_stale
from portal.engagements.services import StageMoveInput, move_stage, record_activity
from portal.extensions import db
from portal.models import OPEN_QUOTE_STATUSES, CertificationBody, Engagement, Quote, QuoteStatus, User
from portal.models.types import utcnow
from portal.quotes.tokens import make_token
from portal.web.i18n import language_choices
from portal.web.links import absolute_url
from portal.web.status import quote_status_label as status_label

logger = logging.getLogger(__name__)

MAX_DAYS = Decimal("999.5")


@dataclass(frozen=True)
class QuoteFigures:
    """What a body prices: fees in OMR, auditor-days for the initial audit, validity and notes."""

    initial_fee: Decimal
    surveillance_fee: Decimal
    recertification_fee: Decimal
    travel_fee: Decimal
    initial_audit_days: Decimal | None
    valid_until: date
    notes: str = ""


@dataclass(frozen=True)
class StoredFile:
    """A PDF already stored by portal.core.uploads: its random name and the name it was sent with."""

    file_name: str
    original_name: str


@dataclass
class RequestResult:
    """Quotes created, and bodies skipped with the reason (open quote already, no e-mail, inactive)."""

    created: list[Quote] = field(default_factory=list)
    already_open: list[CertificationBody] = field(default_factory=list)
    without_email: list[CertificationBody] = field(default_factory=list)


def quote_link(quote: Quote, lang: str | None = None) -> str:
    """The absolute link a body answers through (PUBLIC_BASE_URL, as the e-mail is read elsewhere),
    its page in `lang` when given (the firm's default language otherwise)."""
    return absolute_url("quotes.respond", token=make_token(quote.id, quote.token_nonce), lang=lang)


def _other_language_links(quote: Quote) -> list[tuple[str, str]]:
    """The same link in each of the portal's other languages, each named in itself."""
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    return [(name, quote_link(quote, code)) for code, name in language_choices() if code != default]


def _open_quote_body_ids(engagement_id: int) -> set[int]:
    return set(
        db.session.scalars(
            select(Quote.certification_body_id).where(
                Quote.engagement_id == engagement_id, Quote.status.in_(OPEN_QUOTE_STATUSES)
            )
        )
    )


def request_quotes(
    engagement: Engagement, body_ids: Iterable[int], actor: User, send_email: bool = True
) -> RequestResult:
    """One requested Quote per chosen active body, and (unless `send_email` is off, for a quote
    that came in another way and is typed in by hand) one e-mail with its signed link."""
    wanted = sorted(set(body_ids))
    if not wanted:
        raise ServiceError(_("Choose at least one certification body."), field="certification_body_ids")
    bodies = list(
        db.session.scalars(
            select(CertificationBody)
            .where(CertificationBody.id.in_(wanted), CertificationBody.active.is_(True))
            .order_by(CertificationBody.name)
        )
    )
    if len(bodies) != len(wanted):
        raise ServiceError(_("Choose certification bodies from the list."), field="certification_body_ids")
    open_ids = _open_quote_body_ids(engagement.id)
    result = RequestResult()
    for body in bodies:
        if body.id in open_ids:
            result.already_open.append(body)
        elif send_email and not body.email:
            result.without_email.append(body)
        else:
            result.created.append(_request_one(engagement, body, actor, send_email))
    db.session.flush()
    return result


def _record_quote_activity(
    engagement: Engagement, quote: Quote, actor: User | None, kind: str, **details: object
) -> None:
    """A timeline line about one quote: every such line names the quote and its body."""
    record_activity(
        engagement, actor, kind, "", quote_id=quote.id, certification_body=quote.certification_body.name, **details
    )


def _request_one(engagement: Engagement, body: CertificationBody, actor: User, send_email: bool) -> Quote:
    quote = Quote(engagement=engagement, certification_body=body, requested_by=actor)
    db.session.add(quote)
    db.session.flush()  # the id and nonce the link is made of
    if send_email:  # a body has no account, so no language: the firm's, with the page's link in every language
        with outbox.written_in(None):
            outbox.enqueue(
                "quote_request",
                body.email,
                _(
                    "Request for a certification quotation from %(firm)s (ref. Q-%(id)s)",
                    firm=current_firm().name,
                    id=quote.id,
                ),
                render_template(
                    "emails/quote_request.txt",
                    quote=quote,
                    body=body,
                    link=quote_link(quote),
                    other_links=_other_language_links(quote),
                    sender=actor,
                ),
                reply_to=actor.email,
            )
    _record_quote_activity(engagement, quote, actor, "quote_requested", emailed=send_email)
    audit.record(
        "quote.requested", actor, quote, {"engagement": engagement.id, "body": body.slug, "emailed": send_email}
    )
    logger.info("quote %s requested from %s for engagement %s by %s", quote.id, body.slug, engagement.id, actor.email)
    return quote


def _check_figures(figures: QuoteFigures, today: date, days_required: bool) -> None:
    fees = {
        "initial_fee": figures.initial_fee,
        "surveillance_fee": figures.surveillance_fee,
        "recertification_fee": figures.recertification_fee,
        "travel_fee": figures.travel_fee,
    }
    for name, amount in fees.items():
        if not money.storable(amount):
            raise ServiceError(_("Enter an amount between 0 and 999,999,999.999 OMR."), field=name)
    days = figures.initial_audit_days
    if days is None and days_required:
        raise ServiceError(_("Enter the auditor-days offered for the initial audit."), field="initial_audit_days")
    if days is not None and not (0 < days <= MAX_DAYS and (days * 2) == (days * 2).to_integral_value()):
        raise ServiceError(_("Enter the auditor-days in half days, e.g. 4.5."), field="initial_audit_days")
    if figures.valid_until < today:
        raise ServiceError(_("The validity date cannot be in the past."), field="valid_until")


def _apply(quote: Quote, figures: QuoteFigures, upload: StoredFile | None) -> str | None:
    """Copy the figures onto the quote; returns the replaced file's name, to delete after the commit."""
    quote.initial_fee = figures.initial_fee
    quote.surveillance_fee = figures.surveillance_fee
    quote.recertification_fee = figures.recertification_fee
    quote.travel_fee = figures.travel_fee
    quote.initial_audit_days = figures.initial_audit_days
    quote.valid_until = figures.valid_until
    quote.notes = figures.notes.strip()[:5000]
    replaced = None
    if upload is not None:
        replaced = quote.file_name
        quote.file_name = upload.file_name
        quote.original_name = upload.original_name[:200]
    quote.status = QuoteStatus.RECEIVED.value
    quote.received_at = utcnow()
    return replaced


def submit_from_link(quote: Quote, figures: QuoteFigures, upload: StoredFile | None, today: date) -> str | None:
    """The body answers (or revises) its quote through the link; the owner is told."""
    if not quote.is_open_on(today):
        raise ServiceError(_("This quotation can no longer be changed."))
    _check_figures(figures, today, days_required=True)
    revised = quote.status == QuoteStatus.RECEIVED
    replaced = _apply(quote, figures, upload)
    body = quote.certification_body
    kind = "quote_revised" if revised else "quote_received"
    _record_quote_activity(quote.engagement, quote, None, kind)
    audit.record(f"quote.{'revised' if revised else 'received'}", None, quote, actor_email=body.email)
    _notify_owner(quote, revised)
    db.session.flush()
    logger.info("quote %s %s from %s", quote.id, "revised" if revised else "received", body.slug)
    return replaced


def _notify_owner(quote: Quote, revised: bool) -> None:
    engagement = quote.engagement
    recipients = outbox.owner_or_team(engagement.owner)
    link = absolute_url("quotes.compare", id=engagement.id)
    for address in recipients:
        with outbox.written_in(outbox.language_of(address)):
            subject = (
                _("Quotation revised by %(body)s", body=quote.certification_body.name)
                if revised
                else _("Quotation received from %(body)s", body=quote.certification_body.name)
            )
            text = render_template("emails/quote_received.txt", quote=quote, revised=revised, link=link)
            outbox.enqueue("quote_received", address, subject, text)


def record_by_hand(
    quote: Quote,
    figures: QuoteFigures,
    upload: StoredFile | None,
    actor: User,
    expected_version: int | None,
    today: date,
) -> str | None:
    """A consultant enters or corrects a quote that came another way (e-mail, paper)."""
    if is_stale(quote.version, expected_version):
        raise ServiceError.conflict(
            _("This quote was changed while you were editing it. Reload the page to see the changes.")
        )
    if not quote.is_open_on(today):
        raise ServiceError(_("Only requested or received quotes can be edited."))
    _check_figures(figures, today, days_required=False)
    replaced = _apply(quote, figures, upload)
    _record_quote_activity(quote.engagement, quote, actor, "quote_entered")
    audit.record("quote.entered", actor, quote, {"initial_fee": str(figures.initial_fee)})
    db.session.flush()
    return replaced


def expire_due_quotes(today: date) -> int:
    """Store "expired" on open quotes past their valid-until date; returns how many.

    Run by `flask reminders run`. Pages never write: they read such a quote as expired
    already (`Quote.status_on`). One guarded UPDATE, so two runs at once never clash:
    the second finds nothing left to expire.
    """
    statement = (
        update(Quote)
        .where(Quote.status.in_(OPEN_QUOTE_STATUSES), Quote.valid_until.is_not(None), Quote.valid_until < today)
        .values(status=QuoteStatus.EXPIRED.value, decided_at=utcnow(), version=Quote.version + 1)
        .returning(Quote.id)
        .execution_options(synchronize_session=False)
    )
    expired_ids = list(db.session.scalars(statement))
    if not expired_ids:
        return 0
    expired = db.session.scalars(
        select(Quote).where(Quote.id.in_(expired_ids)).execution_options(populate_existing=True)
    )
    for quote in expired:
        audit.record("quote.expired", None, quote, {"valid_until": quote.valid_until.isoformat()})
    db.session.flush()
    logger.info("expired %d quotes past their validity", len(expired_ids))
    return len(expired_ids)


def _lock_engagement(engagement_id: int) -> Engagement:
    """Re-read the engagement under a row lock, so concurrent acceptances queue behind each other."""
    return db.session.scalars(
        select(Engagement)
        .where(Engagement.id == engagement_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def accept_quote(
    engagement: Engagement,
    quote_id: int,
    actor: User,
    today: date,
    seen: str,
    notify_declined: bool = False,
    move_to_stage1: bool = False,
) -> Quote:
    """Accept one received quote, with the figures `seen` (its fingerprint on the consultant's page):
    set the engagement's body, decline the other open quotes."""
    locked = _lock_engagement(engagement.id)
    quotes = list(
        db.session.scalars(
            select(Quote).where(Quote.engagement_id == locked.id).execution_options(populate_existing=True)
        )
    )
    quote = next((q for q in quotes if q.id == quote_id), None)
    if quote is None:
        raise ServiceError(_("That quote does not belong to this engagement."))
    accepted = next((q for q in quotes if q.status == QuoteStatus.ACCEPTED), None)
    if accepted is not None:
        raise ServiceError.conflict(
            _(
                "A quote from %(body)s was already accepted for this engagement, so this one cannot be.",
                body=accepted.certification_body.name,
            )
        )
    if quote.status != QuoteStatus.RECEIVED:
        raise ServiceError(
            _("Only a received quote can be accepted; this one is %(status)s.", status=status_label(quote).lower())
        )
    if quote.valid_until is not None and quote.valid_until < today:
        raise ServiceError(_("This quote expired on %(date)s; ask the body for a new one.", date=quote.valid_until))
    if quote.fingerprint != seen:
        raise ServiceError.conflict(
            _(
                "This quote changed: review it. %(body)s revised it after your page was shown.",
                body=quote.certification_body.name,
            )
        )

    now = utcnow()
    quote.status = QuoteStatus.ACCEPTED.value
    quote.decided_at = now
    locked.certification_body_id = quote.certification_body_id
    declined = [q for q in quotes if q is not quote and q.is_open]
    for other in declined:
        other.status = QuoteStatus.DECLINED.value
        other.decided_at = now
    try:
        db.session.flush()
    except (IntegrityError, StaleDataError) as error:  # the unique index or a quote's version: another won the race
        raise ServiceError.conflict(_("Another quote was accepted for this engagement at the same moment.")) from error
    if notify_declined:
        for other in declined:
            if other.certification_body.email:
                _email_declined(other, actor)
    _record_quote_activity(locked, quote, actor, "quote_accepted", declined=len(declined))
    audit.record("quote.accepted", actor, quote, {"engagement": locked.id, "declined": [q.id for q in declined]})
    webhook_events.quote_accepted(quote)
    if move_to_stage1 and locked.stage == lifecycle.REGISTRAR_SELECTION:
        move_stage(locked, StageMoveInput(to_stage=lifecycle.STAGE1_AUDIT), actor)
    db.session.flush()
    logger.info("quote %s accepted for engagement %s by %s", quote.id, locked.id, actor.email)
    return quote


def withdraw_quote(quote: Quote, actor: User, today: date) -> None:
    """Withdraw an open request (e.g. the client changed plans); its link stops working."""
    if not quote.is_open_on(today):
        raise ServiceError(_("Only a requested or received quote can be withdrawn."))
    quote.status = QuoteStatus.WITHDRAWN.value
    quote.decided_at = utcnow()
    _record_quote_activity(quote.engagement, quote, actor, "quote_withdrawn")
    audit.record("quote.withdrawn", actor, quote)
    try:
        db.session.flush()
    except StaleDataError as error:  # decided by someone else since the page was loaded
        raise ServiceError.conflict(_("This quote was changed at the same moment; reload the page.")) from error


def _email_declined(quote: Quote, actor: User) -> None:
    with outbox.written_in(None):  # as the request was: the firm's language
        outbox.enqueue(
            "quote_declined",
            quote.certification_body.email,
            _("Your quotation to %(firm)s (ref. Q-%(id)s)", firm=current_firm().name, id=quote.id),
            render_template("emails/quote_declined.txt", quote=quote, sender=actor),
            reply_to=actor.email,
        )

"""Forms of the engagement pages. The stage and schedule forms carry the version the
person saw (optimistic locking); field names are unique across the page's forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from portal.domain import certificate, lifecycle
from portal.engagements.presentation import (
    AUDIT_LABELS,
    CERTIFICATE_ACTION_LABELS,
    CLOSE_REASON_LABELS,
    REVIEW_OUTCOME_LABELS,
    STAGE_LABELS,
)
from portal.models import CertificationBody, Engagement, Standard

DATE_MESSAGE = _l("Enter a date as YYYY-MM-DD.")


class VersionedForm(FlaskForm):
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class StageForm(VersionedForm):
    """One form for every move: the buttons (or the board's select) send `to_stage`."""

    to_stage = SelectField(_l("Move to"), validators=[DataRequired(message=_l("Choose a stage."))])
    note = TextAreaField(
        _l("Note (needed when skipping a stage or going back)"), validators=[Optional(), Length(max=2000)]
    )
    reason = SelectField(
        _l("Reason for closing"),
        choices=[SelectChoice("", _l("Choose when closing…"))]
        + [SelectChoice(key, label) for key, label in CLOSE_REASON_LABELS.items()],
        validators=[Optional()],
    )
    certificate_number = StringField(
        _l("Certificate number (when certifying)"), validators=[Optional(), Length(max=80)]
    )
    decision_date = DateField(
        _l("Certification decision date (when certifying)"), validators=[Optional()], format="%Y-%m-%d"
    )


class ScheduleForm(VersionedForm):
    expiry_date = DateField(_l("Certificate expiry"), validators=[InputRequired(message=DATE_MESSAGE)])
    surveillance_1_due = DateField(_l("Surveillance audit 1 due"), validators=[InputRequired(message=DATE_MESSAGE)])
    surveillance_2_due = DateField(_l("Surveillance audit 2 due"), validators=[InputRequired(message=DATE_MESSAGE)])
    recertification_due = DateField(_l("Recertification audit due"), validators=[InputRequired(message=DATE_MESSAGE)])
    schedule_note = TextAreaField(
        _l("Why the schedule changes"),
        validators=[DataRequired(message=_l("Say why the schedule changes.")), Length(max=2000)],
    )


class InitialAuditsForm(VersionedForm):
    """When the body holds the stage 1 and stage 2 audits (either may stay empty until agreed)."""

    stage1_audit_on = DateField(_l("Stage 1 audit on"), validators=[Optional()])
    stage2_audit_on = DateField(_l("Stage 2 audit on"), validators=[Optional()])


class CertificateStateForm(VersionedForm):
    """What the certification body did to the certificate, from when, and why (17021-1 9.6)."""

    state = SelectField(
        _l("What happened"),
        choices=[SelectChoice(key, label) for key, label in CERTIFICATE_ACTION_LABELS.items()],
        validators=[DataRequired(message=_l("Choose what happened."))],
    )
    state_date = DateField(_l("From (date)"), validators=[InputRequired(message=DATE_MESSAGE)])
    state_reason = TextAreaField(
        _l("The certification body's reason"),
        validators=[DataRequired(message=_l("Give the certification body's reason.")), Length(max=2000)],
    )


class EditionForm(VersionedForm):
    """Correct the edition a standard's certificate is to: one certified before editions were
    recorded, or one the certification body issued to an older edition during a transition."""

    edition = SelectField(
        _l("Edition on the certificate"), coerce=int, validators=[InputRequired(message=_l("Choose an edition."))]
    )


def configure_edition_form(form: EditionForm, engagement: Engagement) -> EditionForm:
    """Every recorded edition of the engagement's standards, grouped by standard."""
    form.edition.choices = {
        standard.code: [SelectChoice(edition.id, edition.edition) for edition in standard.editions]
        for standard in engagement.standards
        if standard.editions
    }
    return form


class TransferForm(FlaskForm):
    """An engagement that takes over a valid accredited certificate from another body (IAF MD 2)."""

    standard = SelectField(_l("Standard"), coerce=int, validators=[InputRequired(message=_l("Choose a standard."))])
    issuing_body = StringField(
        _l("Certification body that issued the certificate"),
        validators=[DataRequired(message=_l("Name the body that issued the certificate.")), Length(max=200)],
    )
    certificate_number = StringField(
        _l("Certificate number"),
        validators=[DataRequired(message=_l("Enter the certificate number.")), Length(max=80)],
    )
    expiry_date = DateField(_l("Certificate expiry"), validators=[InputRequired(message=DATE_MESSAGE)])
    next_audit = SelectField(
        _l("Next audit, by the accepting body"),
        choices=[
            SelectChoice(key, AUDIT_LABELS[key]) for key in ("surveillance_1", "surveillance_2", "recertification")
        ],
        validators=[DataRequired(message=_l("Choose the next audit."))],
    )
    certification_body = SelectField(_l("Accepting certification body"), coerce=int, validators=[Optional()])
    eligible = BooleanField(
        _l(
            "The certificate is issued under accreditation by an accreditation body recognised under the IAF MLA "
            "for this standard, and is not suspended"
        )
    )
    review_date = DateField(_l("Pre-transfer review date"), validators=[InputRequired(message=DATE_MESSAGE)])
    reviewer = StringField(
        _l("Reviewed by (the accepting body's reviewer)"),
        validators=[DataRequired(message=_l("Enter who did the pre-transfer review.")), Length(max=120)],
    )
    review_outcome = SelectField(
        _l("Outcome of the review"),
        choices=[SelectChoice(key, label) for key, label in REVIEW_OUTCOME_LABELS.items()],
        validators=[DataRequired(message=_l("Choose the review's outcome."))],
    )
    review_notes = TextAreaField(
        _l("Review notes (open nonconformities, complaints, scope)"), validators=[Optional(), Length(max=5000)]
    )


def configure_certificate_form(form: CertificateStateForm, engagement: Engagement) -> CertificateStateForm:
    """Offer only what may follow the certificate's recorded state (a suspension is lifted, not a valid one)."""
    form.state.choices = [
        SelectChoice(state, label)
        for state, label in CERTIFICATE_ACTION_LABELS.items()
        if engagement.certificate_state in certificate.RECORDED_FROM[state]
    ]
    return form


def configure_transfer_form(
    form: TransferForm, standards: list[Standard], bodies: list[CertificationBody]
) -> TransferForm:
    """The standards and certification bodies the transfer form offers."""
    form.standard.choices = [SelectChoice(standard.id, standard.code) for standard in standards]
    form.certification_body.choices = [SelectChoice(0, _l("Not chosen yet"))] + [
        SelectChoice(body.id, body.name) for body in bodies
    ]
    return form


class NoteForm(FlaskForm):
    body = TextAreaField(_l("Note"), validators=[DataRequired(message=_l("Write the note first.")), Length(max=5000)])


def configure_stage_form(form: StageForm, engagement: Engagement) -> StageForm:
    """The stages reachable from where the engagement is (before validating or rendering)."""
    targets = lifecycle.reachable(engagement.stage, engagement.stage_before_hold)
    form.to_stage.choices = [SelectChoice(stage, STAGE_LABELS[stage]) for stage in targets]
    return form


def fresh_forms(engagement: Engagement) -> dict[str, FlaskForm]:
    """The page's forms as they start out, with the engagement's current version and dates."""
    stage_form = configure_stage_form(StageForm(formdata=None, version=engagement.version), engagement)
    schedule_form = ScheduleForm(
        formdata=None,
        version=engagement.version,
        expiry_date=engagement.expiry_date,
        surveillance_1_due=engagement.surveillance_1_due,
        surveillance_2_due=engagement.surveillance_2_due,
        recertification_due=engagement.recertification_due,
    )
    initial_audits_form = InitialAuditsForm(
        formdata=None,
        version=engagement.version,
        stage1_audit_on=engagement.stage1_audit_on,
        stage2_audit_on=engagement.stage2_audit_on,
    )
    return {
        "stage_form": stage_form,
        "schedule_form": schedule_form,
        "initial_audits_form": initial_audits_form,
        "certificate_form": configure_certificate_form(
            CertificateStateForm(formdata=None, version=engagement.version), engagement
        ),
        "edition_form": configure_edition_form(EditionForm(formdata=None, version=engagement.version), engagement),
        "note_form": NoteForm(formdata=None),
    }

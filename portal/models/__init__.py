"""All models, imported here so Alembic and the app see every table."""

from portal.models.api import ApiEnquiry, ApiKey, IdempotentRequest
from portal.models.audit import AuditLog
from portal.models.calendar import CalendarFeed, FeedScope
from portal.models.client_status import (
    AWAITING_CLIENT,
    DocumentRequest,
    DocumentStatus,
    DocumentUpload,
    StatusLink,
)
from portal.models.engagement import (
    ENGAGEMENT_STAGES,
    CertificateTransfer,
    Client,
    Engagement,
    StageChange,
    engagement_standards,
)
from portal.models.lead import LEAD_STATUSES, Activity, Lead, LeadAttachment, LeadStatus, lead_standards
from portal.models.lead_tally import LeadStandardTally, LeadTally
from portal.models.login import LoginFailure, LoginSession
from portal.models.outbox import OutboxMessage, OutboxStatus
from portal.models.privacy import (
    CONSENT_PURPOSES,
    REQUEST_KINDS,
    REQUEST_STATUSES,
    ConsentRecord,
    PersonalDataBreach,
    PrivacyNotice,
    PrivacyRequest,
)
from portal.models.quote import OPEN_QUOTE_STATUSES, QUOTE_STATUSES, Quote, QuoteStatus
from portal.models.reference import AccreditationBody, MlaSignature, Region, Sector, Standard, StandardEdition
from portal.models.registrar import (
    ACCREDITATION_STATUSES,
    Accreditation,
    AccreditationStatus,
    CertificationBody,
    CertificationBodyLanguage,
    accreditation_sectors,
    certification_body_regions,
)
from portal.models.reminder import Reminder
from portal.models.setting import Setting
from portal.models.shortlist import ShortlistEntry
from portal.models.stored_file import StoredFile
from portal.models.tag import SavedView, Tag, lead_tags
from portal.models.user import RecoveryCode, Role, User
from portal.models.webhook import WEBHOOK_EVENTS, DeliveryStatus, WebhookDelivery, WebhookEndpoint

__all__ = [
    "AWAITING_CLIENT",
    "DocumentRequest",
    "DocumentStatus",
    "DocumentUpload",
    "StatusLink",
    "ACCREDITATION_STATUSES",
    "Accreditation",
    "AccreditationStatus",
    "CertificateTransfer",
    "CertificationBody",
    "CertificationBodyLanguage",
    "accreditation_sectors",
    "certification_body_regions",
    "AccreditationBody",
    "ApiEnquiry",
    "ApiKey",
    "IdempotentRequest",
    "Activity",
    "AuditLog",
    "CalendarFeed",
    "DeliveryStatus",
    "FeedScope",
    "Client",
    "ENGAGEMENT_STAGES",
    "Engagement",
    "LEAD_STATUSES",
    "Lead",
    "LeadAttachment",
    "LeadStatus",
    "LeadStandardTally",
    "LeadTally",
    "LoginFailure",
    "LoginSession",
    "MlaSignature",
    "OutboxMessage",
    "CONSENT_PURPOSES",
    "ConsentRecord",
    "PersonalDataBreach",
    "PrivacyNotice",
    "PrivacyRequest",
    "REQUEST_KINDS",
    "REQUEST_STATUSES",
    "OutboxStatus",
    "OPEN_QUOTE_STATUSES",
    "QUOTE_STATUSES",
    "Quote",
    "QuoteStatus",
    "RecoveryCode",
    "Region",
    "Reminder",
    "SavedView",
    "Role",
    "Sector",
    "Setting",
    "ShortlistEntry",
    "StageChange",
    "StoredFile",
    "Standard",
    "Tag",
    "StandardEdition",
    "User",
    "WEBHOOK_EVENTS",
    "WebhookDelivery",
    "WebhookEndpoint",
    "engagement_standards",
    "lead_standards",
    "lead_tags",
]

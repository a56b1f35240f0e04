"""The app's models, one module per part of the domain; every name is importable from here."""

from factcheck.models.assertions import Assertion
from factcheck.models.claims import (
    Claim,
    ClaimKind,
    ClaimQuerySet,
    Stance,
    Status,
    Topic,
    TopicQuerySet,
    is_time_only_difference,
    status_of,
)
from factcheck.models.desk import (
    Delivery,
    DeliveryChannel,
    DeliveryStatus,
    Event,
    Notification,
    NotificationPreference,
    Watch,
    Webhook,
    WebhookFormat,
)
from factcheck.models.editorial import VERDICT_RATINGS, Annotation, Resolution, Verdict
from factcheck.models.intake import FingerprintBand, IntakeJob, SourceFingerprint, SourceOriginal
from factcheck.models.passages import Passage
from factcheck.models.sources import PartialDateMixin, Precision, Source, text_digest
from factcheck.models.speakers import SourceDerivation, Speaker
from factcheck.models.suggestions import Suggestion, SuggestionRun, SuggestionState
from factcheck.models.tokens import ApiToken
from factcheck.models.translations import ClaimTranslation
from factcheck.models.users import AttributedHistory, DeletedUser
from factcheck.models.vocabulary import NameAlias, SynonymGroup

__all__ = [
    "ApiToken",
    "WebhookFormat",
    "Webhook",
    "Watch",
    "NotificationPreference",
    "Notification",
    "Event",
    "FingerprintBand",
    "IntakeJob",
    "SourceFingerprint",
    "SourceOriginal",
    "DeliveryStatus",
    "DeliveryChannel",
    "Delivery",
    "VERDICT_RATINGS",
    "Annotation",
    "Assertion",
    "AttributedHistory",
    "Claim",
    "ClaimKind",
    "ClaimQuerySet",
    "ClaimTranslation",
    "DeletedUser",
    "NameAlias",
    "PartialDateMixin",
    "Passage",
    "Precision",
    "Resolution",
    "Source",
    "SourceDerivation",
    "Speaker",
    "Stance",
    "Suggestion",
    "SuggestionRun",
    "SuggestionState",
    "Status",
    "SynonymGroup",
    "Topic",
    "TopicQuerySet",
    "Verdict",
    "is_time_only_difference",
    "status_of",
    "text_digest",
]

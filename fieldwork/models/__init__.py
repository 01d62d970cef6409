"""The domain of Fieldwork: units, who works in them, visits, concerns and how concerns end.

One module per subject; every model, and every name other code imports from `fieldwork.models`,
is re-exported here. Reads that aggregate live in selectors.py; every write that changes state
lives in services/, one module per subject.
"""

from .calendar import CalendarDay, HistoricalCalendarDay
from .concerns import (
    CallbackAttempt,
    Concern,
    ConcernEvent,
    ConcernQuerySet,
    DueDateShift,
    ExtensionRequest,
    Feedback,
    FollowUpAction,
    HistoricalConcern,
    HistoricalFollowUpAction,
    ReferenceCounter,
)
from .exports import Export
from .labels import BilingualName, Category, Principle
from .people import PersonKey
from .photos import HistoricalPhoto, Photo
from .preferences import UserPreference
from .public import PublicAttempt
from .reminders import DailyRun, ReminderLog, TaskProgress
from .rollups import RollupStamp, UnitDay, UnitMonth, UnitNow, UnitYear
from .submissions import SubmissionKey
from .talks import ConfidentialNote
from .ties import ContactPoint, ContactPointQuerySet, HistoricalContactPoint
from .units import Membership, Unit
from .visits import VISIT_HISTORY, HistoricalVisit, HistoricalVisit_cadres, HistoricalVisit_principles, Visit
from .webhooks import UnitWebhook, WebhookDelivery
from .workers import HelpGiven, Pairing, Person, PersonVisit

__all__ = [
    "VISIT_HISTORY",
    "BilingualName",
    "CalendarDay",
    "CallbackAttempt",
    "Category",
    "Concern",
    "ConcernEvent",
    "ConcernQuerySet",
    "ConfidentialNote",
    "ContactPoint",
    "ContactPointQuerySet",
    "DailyRun",
    "DueDateShift",
    "Export",
    "ExtensionRequest",
    "Feedback",
    "FollowUpAction",
    "HelpGiven",
    "HistoricalCalendarDay",
    "HistoricalConcern",
    "HistoricalContactPoint",
    "HistoricalFollowUpAction",
    "HistoricalPhoto",
    "HistoricalVisit",
    "HistoricalVisit_cadres",
    "HistoricalVisit_principles",
    "Membership",
    "Pairing",
    "Person",
    "PersonKey",
    "PersonVisit",
    "Photo",
    "Principle",
    "PublicAttempt",
    "ReferenceCounter",
    "ReminderLog",
    "RollupStamp",
    "SubmissionKey",
    "TaskProgress",
    "Unit",
    "UnitDay",
    "UnitMonth",
    "UnitNow",
    "UnitWebhook",
    "UnitYear",
    "UserPreference",
    "Visit",
    "WebhookDelivery",
]

"""SQLAlchemy models, one module per aggregate. Importing this package registers every table on `Base`."""

from wayfinder.models.base import Base, utcnow
from wayfinder.models.customer import Customer, CustomerTag, Event
from wayfinder.models.enrollment import (
    IN_JOURNEY,
    RUNNABLE,
    EdgeCount,
    Enrollment,
    EnrollmentStatus,
    EnrollmentWait,
    NodeCount,
    StepAction,
    StepHistory,
)
from wayfinder.models.journey import Journey, JourneyStatus, JourneyVersion, VersionStatus
from wayfinder.models.message import Message, MessageStatus
from wayfinder.models.trigger import EnrolRequest, EntryRefusal, FiringStatus, TriggerFiring, TriggerSchedule

__all__ = [
    "Base",
    "Customer",
    "CustomerTag",
    "Enrollment",
    "EnrollmentStatus",
    "EnrollmentWait",
    "EdgeCount",
    "EnrolRequest",
    "EntryRefusal",
    "FiringStatus",
    "TriggerFiring",
    "TriggerSchedule",
    "Event",
    "IN_JOURNEY",
    "Journey",
    "JourneyStatus",
    "JourneyVersion",
    "Message",
    "MessageStatus",
    "NodeCount",
    "RUNNABLE",
    "StepAction",
    "StepHistory",
    "VersionStatus",
    "utcnow",
]

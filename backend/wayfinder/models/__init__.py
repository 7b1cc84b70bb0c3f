"""SQLAlchemy models, one module per aggregate. Importing this package registers every table on `Base`."""

from wayfinder.models.account import Membership, RecoveryCode, Role, User
from wayfinder.models.api_key import ApiKey
from wayfinder.models.audit import AuditEntry
from wayfinder.models.base import Base, utcnow
from wayfinder.models.channel import ChannelAccount, CustomerDevice, Suppression
from wayfinder.models.customer import Customer, Event
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
from wayfinder.models.invitation import Invitation, PasswordReset
from wayfinder.models.journey import Journey, JourneyStatus, JourneyVersion, VersionStatus
from wayfinder.models.message import Message, MessageEvent, MessageEventKind, MessageStatus
from wayfinder.models.tag import CustomerTag, Tag
from wayfinder.models.trigger import EnrolRequest, EntryRefusal, FiringStatus, TriggerFiring, TriggerSchedule
from wayfinder.models.workspace import DEFAULT_WORKSPACE_ID, Workspace, WorkspaceScoped

__all__ = [
    "ApiKey",
    "AuditEntry",
    "Invitation",
    "PasswordReset",
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
    "Membership",
    "ChannelAccount",
    "CustomerDevice",
    "Message",
    "MessageEvent",
    "MessageEventKind",
    "Suppression",
    "MessageStatus",
    "NodeCount",
    "RecoveryCode",
    "Role",
    "RUNNABLE",
    "StepAction",
    "StepHistory",
    "Tag",
    "User",
    "VersionStatus",
    "Workspace",
    "WorkspaceScoped",
    "DEFAULT_WORKSPACE_ID",
    "utcnow",
]

"""SQLAlchemy tables, one module per capability (`citizens`, `conversations`, `inbox`,
`outbox`, `staff` (with the back-office's sessions and audit log), `complaints`,
`consultations`, `workshops`) on a shared `base`. Times are stored in UTC. Importing the
package registers every table with `Base.metadata`."""

from storage.models.base import Base, BigId, UtcDateTime
from storage.models.citizens import Citizen
from storage.models.complaints import Complaint, ComplaintEvent
from storage.models.consultations import (
    ConsultationAnswer,
    ConsultationRecord,
    ConsultationResponse,
    SentPoll,
)
from storage.models.conversations import Conversation
from storage.models.inbox import InboxUpdate
from storage.models.outbox import OutboxMessage
from storage.models.staff import (
    AuditEntry,
    SignInFailure,
    SignInLink,
    StaffMember,
    StaffSession,
)
from storage.models.workshops import Workshop, WorkshopRegistration

__all__ = [
    "AuditEntry",
    "Base",
    "BigId",
    "Citizen",
    "Complaint",
    "ComplaintEvent",
    "ConsultationAnswer",
    "ConsultationRecord",
    "ConsultationResponse",
    "Conversation",
    "InboxUpdate",
    "OutboxMessage",
    "SentPoll",
    "SignInFailure",
    "SignInLink",
    "StaffMember",
    "StaffSession",
    "UtcDateTime",
    "Workshop",
    "WorkshopRegistration",
]

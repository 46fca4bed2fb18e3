"""Repositories: the only way the core reads and writes rows."""

from storage.repositories.citizens import CitizenRepository
from storage.repositories.complaints import ComplaintRepository
from storage.repositories.consultations import ConsultationRepository
from storage.repositories.conversations import ConversationRepository
from storage.repositories.inbox import InboxRepository
from storage.repositories.outbox import OutboxRepository
from storage.repositories.polls import PollRepository
from storage.repositories.staff import StaffRepository
from storage.repositories.workshops import WorkshopRepository

__all__ = [
    "CitizenRepository",
    "ComplaintRepository",
    "ConsultationRepository",
    "ConversationRepository",
    "InboxRepository",
    "OutboxRepository",
    "PollRepository",
    "StaffRepository",
    "WorkshopRepository",
]

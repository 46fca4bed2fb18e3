"""Repositories: the only way the core reads and writes rows."""

from storage.repositories.citizens import CitizenRepository
from storage.repositories.conversations import ConversationRepository
from storage.repositories.inbox import InboxRepository
from storage.repositories.outbox import OutboxRepository
from storage.repositories.staff import StaffRepository

__all__ = [
    "CitizenRepository",
    "ConversationRepository",
    "InboxRepository",
    "OutboxRepository",
    "StaffRepository",
]

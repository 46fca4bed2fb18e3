"""A consultation's life for staff: stored as a draft from its file (replaced while still
a draft), opened to citizens, closed — which withdraws the reminders still queued. The
CLI and the back-office both go through these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.models import ConsultationRecord
from storage.repositories.consultations import CLOSED, OPEN, NotADraft
from storage.unit_of_work import UnitOfWork
from surveys.definitions import Consultation
from surveys.documents import consultation_to_document


class ConsultationRefused(ValueError):
    """Why a consultation cannot be stored or moved: `unknown` (no such key) or
    `not_a_draft` (opened once: its questions can no longer change)."""

    def __init__(self, reason: str, key: str) -> None:
        super().__init__(f"{key}: {reason}")
        self.reason = reason
        self.key = key


@dataclass(frozen=True, slots=True)
class Closed:
    record: ConsultationRecord
    reminders_withdrawn: int


async def store_consultation(uow: UnitOfWork, consultation: Consultation, now: datetime) -> bool:
    """Keep a checked consultation as a draft; True when it is new, False when it
    replaced a draft of the same key."""
    try:
        return await uow.consultations.save(
            consultation.key, consultation_to_document(consultation), now
        )
    except NotADraft:
        raise ConsultationRefused("not_a_draft", consultation.key) from None


async def _record(uow: UnitOfWork, key: str) -> ConsultationRecord:
    record = await uow.consultations.find(key)
    if record is None:
        raise ConsultationRefused("unknown", key)
    return record


async def open_consultation(uow: UnitOfWork, key: str, now: datetime) -> ConsultationRecord:
    """Citizens may answer it (within its dates); a closed one opens again."""
    record = await _record(uow, key)
    await uow.consultations.set_status(record, OPEN, now)
    return record


async def close_consultation(uow: UnitOfWork, key: str, now: datetime) -> Closed:
    """No more answers; the reminders queued for it are withdrawn."""
    record = await _record(uow, key)
    await uow.consultations.set_status(record, CLOSED, now)
    withdrawn = await uow.outbox.cancel(f"consultation-reminder:{record.key}:", prefix=True)
    return Closed(record, withdrawn)

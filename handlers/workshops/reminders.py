"""Reminders before a workshop and the feedback after it: the scheduled job asks what is
due now and queues it through the outbox with a dedupe key, so each goes out at most once
across restarts, several workers and downtime.

A registration gets, of the reminder offsets that have passed (24 h and 2 h before by
default), only the latest one: a bot that was down for the 24-hour reminder sends the
2-hour one, not both, and nothing once the workshop has started — the reminders of a
started workshop still waiting in the outbox are withdrawn. Reminders are keyed on the
start time, so a workshop moved to another day is reminded again for its new time.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from handlers.turns import CoreSettings
from handlers.workshops.notices import queue_feedback, queue_reminders
from handlers.workshops.seats import reminder_prefix
from storage.models import Workshop, WorkshopRegistration
from storage.repositories.workshops import REGISTERED
from storage.unit_of_work import UnitOfWork

FEEDBACK_WITHIN = timedelta(days=7)  # attendees marked later than this are not asked


def due_offset(workshop: Workshop, offsets: tuple[int, ...], now: datetime) -> int | None:
    """The smallest offset (seconds before the start) whose time has come, if any."""
    passed = [o for o in offsets if now >= workshop.starts_at - timedelta(seconds=o)]
    return min(passed) if passed and workshop.starts_at > now else None


def reminder_key(workshop: Workshop, offset: int, registration: WorkshopRegistration) -> str:
    """Keyed on the start time too: a workshop moved to another time is reminded again."""
    stamp = int(workshop.starts_at.timestamp())
    return f"{reminder_prefix(workshop.id, registration.id)}{stamp}:{offset}"


async def queue_workshop_reminders(
    uow: UnitOfWork, settings: CoreSettings, now: datetime
) -> list[str]:
    """Queue the reminders due now; the dedupe keys of those queued by this run."""
    offsets = settings.workshop_reminder_seconds
    if not offsets:
        return []
    queued: list[str] = []
    for workshop in await uow.workshops.starting_between(
        now, now + timedelta(seconds=max(offsets))
    ):
        offset = due_offset(workshop, offsets, now)
        if offset is None:
            continue
        key_of = partial(reminder_key, workshop, offset)
        seated = await uow.workshops.registrations(workshop.id, (REGISTERED,))
        reminded = await queue_reminders(uow, settings, workshop, seated, key_of, now)
        queued += [key_of(registration) for registration in reminded]
    for started in await uow.workshops.started_between(now - timedelta(days=1), now):
        await uow.outbox.cancel(reminder_prefix(started.id), prefix=True)
    return queued


async def queue_workshop_feedback(uow: UnitOfWork, settings: CoreSettings, now: datetime) -> int:
    """Ask every attendee of a workshop that ended (within a week) for a rating, once."""
    queued = 0
    for workshop in await uow.workshops.ended_between(now - FEEDBACK_WITHIN, now):
        seated = await uow.workshops.registrations(workshop.id, (REGISTERED,))
        came = [r for r in seated if r.attended_at is not None and r.rating is None]
        queued += await queue_feedback(uow, settings, workshop, came, now)
    return queued

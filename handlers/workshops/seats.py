"""Seats: signing up, the waitlist, cancelling and the promotions it causes. Each use case
runs in the caller's transaction after locking the workshop's row, so capacity holds when
many citizens take the last seats at once (PostgreSQL row lock; SQLite serialises
writers), and the waitlist is served in the order it was joined.

    sign up ─► a seat left? ─ yes ─► registered (code shown at the door)
                           └─ no ──► waitlist offered ─► waitlisted (rank n)
    cancel (registered) ─► first waitlisted promoted ─► told, may decline ─► the next one
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from random import Random

from handlers.turns import CoreSettings
from handlers.workshops.notices import queue_promotion_notice
from storage.models import Citizen, Workshop, WorkshopRegistration
from storage.repositories.workshops import PUBLISHED, REGISTERED, WAITLISTED, WITHDRAWN
from storage.unit_of_work import UnitOfWork

CODE_ALPHABET = "ACDEFHJKMNPRTUVWXY3479"  # no look-alikes (0/O, 1/I/L, 2/Z, 5/S, 8/B)
CODE_LENGTH = 6
QUEUE_STEP = timedelta(microseconds=1)  # the finest step both backends keep


@dataclass(frozen=True, slots=True)
class SignUp:
    """What a sign-up came to: `outcome` is registered, waitlisted, already_registered,
    already_waitlisted, full (the waitlist must be accepted first) or closed (past,
    cancelled, not published, unknown)."""

    outcome: str
    registration: WorkshopRegistration | None = None
    position: int = 0  # rank on the waitlist


def accepts_sign_ups(workshop: Workshop | None, now: datetime) -> bool:
    return workshop is not None and workshop.status == PUBLISHED and workshop.starts_at > now


async def new_code(uow: UnitOfWork, random: Random) -> str:
    while True:
        code = "".join(random.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not await uow.workshops.code_taken(code):
            return code


async def seats_left(uow: UnitOfWork, workshop: Workshop) -> int:
    return max(0, workshop.capacity - await uow.workshops.count(workshop.id, REGISTERED))


async def register_for_workshop(
    uow: UnitOfWork,
    settings: CoreSettings,
    workshop_id: int,
    citizen: Citizen,
    now: datetime,
    *,
    waitlist: bool = False,
) -> SignUp:
    """Give the citizen a seat, or (with `waitlist`) a place on the waitlist when full."""
    workshop = await uow.workshops.lock(workshop_id)
    if workshop is None or not accepts_sign_ups(workshop, now):
        return SignUp("closed")
    existing = await uow.workshops.registration_of(workshop.id, citizen.id)
    if existing is not None and existing.status == REGISTERED:
        return SignUp("already_registered", existing)
    if existing is not None and existing.status == WAITLISTED:
        return SignUp(
            "already_waitlisted", existing, await uow.workshops.waitlist_position(existing)
        )
    # A turn reads its clock before it waits for the workshop's lock, so a sign-up with a
    # later clock may have been given a rank meanwhile: a newcomer queues just behind the
    # last place, as ranks already told must hold.
    last_queued = await uow.workshops.end_of_waitlist(workshop.id)
    seat = last_queued is None and await seats_left(uow, workshop) > 0
    if not seat and not waitlist:
        return SignUp("full")
    status = REGISTERED if seat else WAITLISTED
    queued_at = now if last_queued is None else max(now, last_queued + QUEUE_STEP)
    registration = await _place(uow, settings, workshop, citizen, existing, status, now, queued_at)
    if status == REGISTERED:
        return SignUp("registered", registration)
    return SignUp("waitlisted", registration, await uow.workshops.waitlist_position(registration))


async def _place(
    uow: UnitOfWork,
    settings: CoreSettings,
    workshop: Workshop,
    citizen: Citizen,
    existing: WorkshopRegistration | None,
    status: str,
    now: datetime,
    queued_at: datetime,
) -> WorkshopRegistration:
    """A new registration, or a cancelled one taken up again (at the end of the queue)."""
    if existing is not None:
        existing.status, existing.queued_at = status, queued_at
        existing.cancelled_at = existing.promoted_at = None
        await uow.flush()
        return existing
    return await uow.workshops.add_registration(
        {
            "workshop_id": workshop.id,
            "citizen_id": citizen.id,
            "status": status,
            "code": await new_code(uow, settings.tracking_random),
            "queued_at": queued_at,
            "created_at": now,
        }
    )


async def cancel_registration(
    uow: UnitOfWork, settings: CoreSettings, registration_id: int, citizen_id: int, now: datetime
) -> WorkshopRegistration | None:
    """The citizen gives up their seat or waitlist place (a promoted one declining too);
    a freed seat goes to the first on the waitlist. None when there is nothing of theirs
    to cancel (someone else's, already cancelled, a workshop already started)."""
    registration = await uow.workshops.registration(registration_id)
    if registration is None or registration.citizen_id != citizen_id:
        return None
    workshop = await uow.workshops.lock(registration.workshop_id)
    registration = await uow.workshops.registration(registration_id, fresh=True)
    if workshop is None or registration is None or registration.status == WITHDRAWN:
        return None
    if workshop.starts_at <= now:
        return None
    freed = registration.status == REGISTERED
    registration.status, registration.cancelled_at = WITHDRAWN, now
    await uow.outbox.cancel(reminder_prefix(workshop.id, registration.id), prefix=True)
    if freed:
        await fill_free_seats(uow, settings, workshop, now)
    return registration


async def fill_free_seats(
    uow: UnitOfWork, settings: CoreSettings, workshop: Workshop, now: datetime
) -> list[WorkshopRegistration]:
    """Promote the first on the waitlist into every free seat, each told through the
    outbox (with a button to decline). The workshop must be locked by the caller."""
    await uow.flush()
    free = await seats_left(uow, workshop)
    promoted = await uow.workshops.waitlist(workshop.id, limit=free) if free else []
    for registration in promoted:
        registration.status, registration.promoted_at = REGISTERED, now
        await queue_promotion_notice(uow, settings, workshop, registration, now)
    await uow.flush()
    return promoted


async def promote_into_free_seats(
    uow: UnitOfWork, settings: CoreSettings, now: datetime
) -> list[WorkshopRegistration]:
    """Fill the seats freed without a cancellation in chat — a citizen who erased their
    data, say — from the waitlists of the coming workshops (run by the workshop job)."""
    promoted: list[WorkshopRegistration] = []
    upcoming = await uow.workshops.upcoming(now)
    counts = await uow.workshops.counts([workshop.id for workshop in upcoming])
    for candidate in upcoming:
        waiting = counts.get((candidate.id, WAITLISTED), 0)
        if not waiting or counts.get((candidate.id, REGISTERED), 0) >= candidate.capacity:
            continue
        workshop = await uow.workshops.lock(candidate.id)
        if workshop is not None:
            promoted += await fill_free_seats(uow, settings, workshop, now)
    return promoted


def reminder_prefix(workshop_id: int, registration_id: int | None = None) -> str:
    """The dedupe-key prefix of a workshop's reminders (of one registration)."""
    tail = "" if registration_id is None else f"{registration_id}:"
    return f"ws-reminder:{workshop_id}:{tail}"

"""Attendance at the door, by the code the citizen shows, and the rating they give after.
A code of another workshop, a waitlisted or cancelled place and a code marked already are
each told apart, and nothing is changed by them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from handlers.workshops.seats import CODE_LENGTH
from storage.models import WorkshopRegistration
from storage.repositories.workshops import CANCELLED, REGISTERED
from storage.unit_of_work import UnitOfWork

DOORS_OPEN = timedelta(hours=12)  # attendance can be marked from this long before the start


@dataclass(frozen=True, slots=True)
class Marked:
    """`outcome`: present, already, other_workshop, not_registered, unknown_code or
    not_open (a cancelled workshop, or one that has not started within the day)."""

    outcome: str
    registration: WorkshopRegistration | None = None


def normalised_code(text: str) -> str:
    return "".join(character for character in text.upper() if character.isalnum())


async def mark_attendance(uow: UnitOfWork, workshop_id: int, code: str, now: datetime) -> Marked:
    """Staff at the door mark the holder of `code` present at this workshop."""
    workshop = await uow.workshops.get(workshop_id)
    code = normalised_code(code)
    registration = await uow.workshops.by_code(code) if len(code) == CODE_LENGTH else None
    if workshop is None or registration is None:
        return Marked("unknown_code")
    if registration.workshop_id != workshop.id:
        return Marked("other_workshop")
    if workshop.status == CANCELLED or now < workshop.starts_at - DOORS_OPEN:
        return Marked("not_open", registration)
    if registration.status != REGISTERED:
        return Marked("not_registered", registration)
    if registration.attended_at is not None:
        return Marked("already", registration)
    registration.attended_at = now
    return Marked("present", registration)


async def rate_workshop(
    uow: UnitOfWork, registration_id: int, citizen_id: int, rating: int
) -> WorkshopRegistration | None:
    """The attendee's rating; None when the registration is not theirs or they did not
    attend (a forged button)."""
    registration = await uow.workshops.registration(registration_id)
    if registration is None or registration.citizen_id != citizen_id:
        return None
    if registration.attended_at is None or not 1 <= rating <= 5:
        return None
    registration.rating = rating
    return registration

"""Workshops as tables for staff: the sign-ups of one workshop (CSV/XLSX, citizen ids
pseudonymised on request), and per-workshop figures — seats taken, waitlist, attendance,
no-shows, the average rating."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from storage.models import Workshop
from storage.repositories.workshops import REGISTERED, WAITLISTED, WITHDRAWN
from storage.unit_of_work import UnitOfWork
from surveys.pseudonyms import pseudonym

COLUMNS = (
    "workshop", "code", "status", "citizen", "gender", "age_bracket", "quarter",
    "signed_up_at", "promoted_at", "cancelled_at", "attended_at", "rating",
)  # fmt: skip


async def registration_rows(
    uow: UnitOfWork, workshop: Workshop, timezone: str, pseudonym_key: str | None
) -> list[list[Any]]:
    """Header, then one row per sign-up (cancelled ones included), in waitlist order."""
    zone = ZoneInfo(timezone)
    rows: list[list[Any]] = [list(COLUMNS)]
    statuses = (REGISTERED, WAITLISTED, WITHDRAWN)
    registrations = await uow.workshops.registrations(workshop.id, statuses)
    holders = await uow.citizens.by_ids([r.citizen_id for r in registrations])
    citizens = {citizen.id: citizen for citizen in holders}
    for registration in registrations:
        citizen = citizens.get(registration.citizen_id)
        who: Any = registration.citizen_id
        if pseudonym_key is not None:
            who = pseudonym(pseudonym_key, registration.citizen_id)
        times = [
            None if moment is None else moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")
            for moment in (
                registration.created_at,
                registration.promoted_at,
                registration.cancelled_at,
                registration.attended_at,
            )
        ]
        profile = [getattr(citizen, f, None) for f in ("gender", "age_bracket", "quarter")]
        rows.append(
            [workshop.id, registration.code, registration.status, who, *profile, *times,
             registration.rating]
        )  # fmt: skip
    return rows


@dataclass(frozen=True, slots=True)
class WorkshopFigures:
    workshop_id: int
    capacity: int
    registered: int
    waitlisted: int
    cancelled: int
    attended: int
    average_rating: float | None

    @property
    def no_shows(self) -> int:
        return self.registered - self.attended


async def workshop_figures(uow: UnitOfWork, workshop: Workshop) -> WorkshopFigures:
    registrations = await uow.workshops.registrations(
        workshop.id, (REGISTERED, WAITLISTED, WITHDRAWN)
    )
    seated = [r for r in registrations if r.status == REGISTERED]
    ratings = [r.rating for r in seated if r.rating is not None]
    return WorkshopFigures(
        workshop_id=workshop.id,
        capacity=workshop.capacity,
        registered=len(seated),
        waitlisted=sum(r.status == WAITLISTED for r in registrations),
        cancelled=sum(r.status == WITHDRAWN for r in registrations),
        attended=sum(r.attended_at is not None for r in seated),
        average_rating=sum(ratings) / len(ratings) if ratings else None,
    )

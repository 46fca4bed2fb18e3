"""Read-only counts behind the participation report (the gender approach): how many people
took part in consultations, complaints and workshops over a period, per profile (quarter,
gender, age bracket). Each count is one GROUP BY on the citizens table, the people picked
by a sub-select on what they did, so a person counts once however often they took part;
rows come back as plain tuples, never as objects.

A citizen's profile is the one on their record now (`citizens`), and so is their quarter
for the quarter filter — for workshops too, whatever the workshop's quarter. Anonymous
consultation responses have no citizen: each counts as one person, with the profile
copied onto the response.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Citizen,
    Complaint,
    ConsultationResponse,
    Workshop,
    WorkshopRegistration,
)
from storage.repositories.workshops import CANCELLED, REGISTERED


@dataclass(frozen=True, slots=True)
class ParticipationFilter:
    """The period, `since` included and `until` excluded (UTC), and optionally a quarter."""

    since: datetime
    until: datetime
    quarter: str | None = None


@dataclass(frozen=True, slots=True)
class ProfileCount:
    """How many people of one profile took part (None: not given)."""

    quarter: str | None
    gender: str | None
    age_bracket: str | None
    people: int


def _in_period(column: Any, where: ParticipationFilter) -> Any:
    return (column >= where.since) & (column < where.until)


def _workshop_places(where: ParticipationFilter) -> Any:
    """Registrations on a workshop that starts in the period and was not cancelled."""
    return (
        select(WorkshopRegistration.citizen_id)
        .join(Workshop, Workshop.id == WorkshopRegistration.workshop_id)
        .where(Workshop.status != CANCELLED, _in_period(Workshop.starts_at, where))
    )


class ParticipationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def _citizens_among(self, people: Any, where: ParticipationFilter) -> Any:
        """Profiles of the citizens whose id `people` (a one-column select) yields."""
        statement = select(Citizen.quarter, Citizen.gender, Citizen.age_bracket).where(
            Citizen.id.in_(people)
        )
        if where.quarter is not None:
            statement = statement.where(Citizen.quarter == where.quarter)
        return statement

    async def _counted(self, profiles: Any) -> list[ProfileCount]:
        rows = profiles.subquery()
        columns = (rows.c.quarter, rows.c.gender, rows.c.age_bracket)
        statement = select(*columns, func.count()).group_by(*columns)
        return [ProfileCount(*row) for row in await self._session.execute(statement)]

    async def respondents(self, where: ParticipationFilter) -> list[ProfileCount]:
        """Citizens who submitted a response in the period, and each anonymous response."""
        response = ConsultationResponse
        named = self._citizens_among(
            select(response.citizen_id).where(
                response.citizen_id.is_not(None), _in_period(response.submitted_at, where)
            ),
            where,
        )
        anonymous = select(response.quarter, response.gender, response.age_bracket).where(
            response.citizen_id.is_(None), _in_period(response.submitted_at, where)
        )
        if where.quarter is not None:
            anonymous = anonymous.where(response.quarter == where.quarter)
        return await self._counted(union_all(named, anonymous))

    async def complaint_authors(self, where: ParticipationFilter) -> list[ProfileCount]:
        """Citizens who filed a complaint, an observation or a suggestion in the period."""
        filed = select(Complaint.citizen_id).where(_in_period(Complaint.filed_at, where))
        return await self._counted(self._citizens_among(filed, where))

    async def workshop_registrants(self, where: ParticipationFilter) -> list[ProfileCount]:
        """Citizens holding a seat (not waitlisted, not withdrawn) at a workshop of the
        period."""
        seats = _workshop_places(where).where(WorkshopRegistration.status == REGISTERED)
        return await self._counted(self._citizens_among(seats, where))

    async def workshop_attendees(self, where: ParticipationFilter) -> list[ProfileCount]:
        """Citizens marked present at a workshop of the period."""
        present = _workshop_places(where).where(WorkshopRegistration.attended_at.is_not(None))
        return await self._counted(self._citizens_among(present, where))

    async def ended_workshop_seats(
        self, where: ParticipationFilter, now: datetime
    ) -> tuple[int, int]:
        """(seats held at workshops of the period that ended by `now`, those marked
        present): a seat is one registration, so one person at two workshops holds two."""
        attended = case((WorkshopRegistration.attended_at.is_not(None), 1), else_=0)
        statement = (
            select(func.count(), func.coalesce(func.sum(attended), 0))
            .select_from(WorkshopRegistration)
            .join(Workshop, Workshop.id == WorkshopRegistration.workshop_id)
            .where(
                WorkshopRegistration.status == REGISTERED,
                Workshop.status != CANCELLED,
                _in_period(Workshop.starts_at, where),
                Workshop.ends_at <= now,
            )
        )
        if where.quarter is not None:
            statement = statement.join(Citizen, Citizen.id == WorkshopRegistration.citizen_id)
            statement = statement.where(Citizen.quarter == where.quarter)
        seats, present = (await self._session.execute(statement)).one()
        return int(seats), int(present)

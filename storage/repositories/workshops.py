"""Workshops and their registrations: the queries behind sign-ups, the waitlist, reminders
and attendance. A sign-up locks its workshop's row first, so two citizens taking the last
seat at once are served one after the other (SQLite serialises writers anyway)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Workshop, WorkshopRegistration

DRAFT, PUBLISHED, CANCELLED = "draft", "published", "cancelled"
REGISTERED, WAITLISTED, WITHDRAWN = "registered", "waitlisted", "cancelled"


class WorkshopRepository:
    def __init__(self, session: AsyncSession, *, locking: bool) -> None:
        self._session = session
        self._locking = locking

    # --- workshops -----------------------------------------------------------------------
    async def add(self, values: dict[str, Any]) -> Workshop:
        workshop = Workshop(**values)
        self._session.add(workshop)
        await self._session.flush()
        return workshop

    async def get(self, workshop_id: int) -> Workshop | None:
        return await self._session.get(Workshop, workshop_id)

    async def lock(self, workshop_id: int) -> Workshop | None:
        """The workshop, its row locked until the transaction ends (PostgreSQL): its seats
        are counted and given by one transaction at a time."""
        statement = select(Workshop).where(Workshop.id == workshop_id)
        if self._locking:
            statement = statement.with_for_update()
        return (await self._session.execute(statement)).scalar_one_or_none()

    async def all(self) -> list[Workshop]:
        statement = select(Workshop).order_by(Workshop.starts_at, Workshop.id)
        return list((await self._session.execute(statement)).scalars())

    async def upcoming(self, now: datetime) -> list[Workshop]:
        """Published workshops that have not started, soonest first."""
        statement = (
            select(Workshop)
            .where(Workshop.status == PUBLISHED, Workshop.starts_at > now)
            .order_by(Workshop.starts_at, Workshop.id)
        )
        return list((await self._session.execute(statement)).scalars())

    async def starting_between(self, after: datetime, until: datetime) -> list[Workshop]:
        """Published workshops starting after `after` and at the latest `until`."""
        statement = select(Workshop).where(
            Workshop.status == PUBLISHED, Workshop.starts_at > after, Workshop.starts_at <= until
        )
        return list((await self._session.execute(statement)).scalars())

    async def ended_between(self, since: datetime, until: datetime) -> list[Workshop]:
        statement = select(Workshop).where(
            Workshop.status == PUBLISHED, Workshop.ends_at > since, Workshop.ends_at <= until
        )
        return list((await self._session.execute(statement)).scalars())

    async def started_between(self, since: datetime, until: datetime) -> list[Workshop]:
        statement = select(Workshop).where(Workshop.starts_at > since, Workshop.starts_at <= until)
        return list((await self._session.execute(statement)).scalars())

    # --- registrations -------------------------------------------------------------------
    async def add_registration(self, values: dict[str, Any]) -> WorkshopRegistration:
        registration = WorkshopRegistration(**values)
        self._session.add(registration)
        await self._session.flush()
        return registration

    async def registration(
        self, registration_id: int, *, fresh: bool = False
    ) -> WorkshopRegistration | None:
        """`fresh`: read again from the database (after taking the workshop's lock)."""
        return await self._session.get(
            WorkshopRegistration, registration_id, populate_existing=fresh
        )

    async def registration_of(
        self, workshop_id: int, citizen_id: int
    ) -> WorkshopRegistration | None:
        statement = select(WorkshopRegistration).where(
            WorkshopRegistration.workshop_id == workshop_id,
            WorkshopRegistration.citizen_id == citizen_id,
        )
        return (await self._session.execute(statement)).scalar_one_or_none()

    async def by_code(self, code: str) -> WorkshopRegistration | None:
        statement = select(WorkshopRegistration).where(WorkshopRegistration.code == code)
        return (await self._session.execute(statement)).scalar_one_or_none()

    async def code_taken(self, code: str) -> bool:
        return await self.by_code(code) is not None

    async def count(self, workshop_id: int, status: str) -> int:
        statement = select(func.count(WorkshopRegistration.id)).where(
            WorkshopRegistration.workshop_id == workshop_id, WorkshopRegistration.status == status
        )
        return (await self._session.execute(statement)).scalar_one()

    async def counts(self, workshop_ids: Sequence[int]) -> dict[tuple[int, str], int]:
        """(workshop id, status) → how many registrations, for the given workshops."""
        if not workshop_ids:
            return {}
        statement = (
            select(WorkshopRegistration.workshop_id, WorkshopRegistration.status, func.count())
            .where(WorkshopRegistration.workshop_id.in_(list(workshop_ids)))
            .group_by(WorkshopRegistration.workshop_id, WorkshopRegistration.status)
        )
        rows = await self._session.execute(statement)
        return {(workshop_id, status): count for workshop_id, status, count in rows}

    async def waitlist(
        self, workshop_id: int, *, limit: int | None = None
    ) -> list[WorkshopRegistration]:
        """The waitlist in the order it is served: who joined it first (its first `limit`)."""
        return await self.registrations(workshop_id, (WAITLISTED,), limit=limit)

    async def end_of_waitlist(self, workshop_id: int) -> datetime | None:
        """When the last place on the waitlist was queued; None when nobody waits."""
        statement = select(func.max(WorkshopRegistration.queued_at)).where(
            WorkshopRegistration.workshop_id == workshop_id,
            WorkshopRegistration.status == WAITLISTED,
        )
        return (await self._session.execute(statement)).scalar_one()

    async def registrations(
        self,
        workshop_id: int,
        statuses: Sequence[str] = (REGISTERED, WAITLISTED),
        *,
        limit: int | None = None,
    ) -> list[WorkshopRegistration]:
        statement = (
            select(WorkshopRegistration)
            .where(
                WorkshopRegistration.workshop_id == workshop_id,
                WorkshopRegistration.status.in_(list(statuses)),
            )
            .order_by(WorkshopRegistration.queued_at, WorkshopRegistration.id)
            .limit(limit)
        )
        return list((await self._session.execute(statement)).scalars())

    async def waitlist_position(self, registration: WorkshopRegistration) -> int:
        """1 for the first on the waitlist."""
        earlier = select(func.count(WorkshopRegistration.id)).where(
            WorkshopRegistration.workshop_id == registration.workshop_id,
            WorkshopRegistration.status == WAITLISTED,
            (WorkshopRegistration.queued_at < registration.queued_at)
            | (
                (WorkshopRegistration.queued_at == registration.queued_at)
                & (WorkshopRegistration.id < registration.id)
            ),
        )
        return (await self._session.execute(earlier)).scalar_one() + 1

    async def of_citizen(self, citizen_id: int) -> list[tuple[WorkshopRegistration, Workshop]]:
        """The citizen's registrations with their workshops, soonest first."""
        statement = (
            select(WorkshopRegistration, Workshop)
            .join(Workshop, Workshop.id == WorkshopRegistration.workshop_id)
            .where(WorkshopRegistration.citizen_id == citizen_id)
            .order_by(Workshop.starts_at, Workshop.id)
        )
        return [(row[0], row[1]) for row in await self._session.execute(statement)]

    async def erase_citizen(self, citizen_id: int) -> None:
        await self._session.execute(
            delete(WorkshopRegistration).where(WorkshopRegistration.citizen_id == citizen_id)
        )

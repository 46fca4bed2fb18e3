"""Complaints and their history: filing (a tracking number is taken only if free), lookups
by number, by citizen and by criteria, and the events of each complaint."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Complaint, ComplaintEvent
from storage.repositories.conflicts import insert_unless_present


@dataclass(frozen=True, slots=True)
class ComplaintFilter:
    """What `tachawor complaints list` and exports select; None means any."""

    statuses: Sequence[str] | None = None
    category: str | None = None
    quarter: str | None = None
    overdue_at: datetime | None = None  # past a deadline at this moment
    open_statuses: Sequence[str] = ()  # the statuses a deadline still runs for
    assigned_service: str | None = None


class ComplaintRepository:
    def __init__(self, session: AsyncSession, *, locking: bool) -> None:
        self._session = session
        self._locking = locking

    async def add(self, values: dict[str, Any]) -> int | None:
        """Insert a complaint; None (nothing written) when its tracking number is taken."""
        return await insert_unless_present(
            self._session, Complaint.__table__, values, ["tracking_number"]
        )

    async def get(self, complaint_id: int, *, for_update: bool = False) -> Complaint | None:
        """One complaint; `for_update` locks its row (PostgreSQL) for a status change."""
        statement = select(Complaint).where(Complaint.id == complaint_id)
        if for_update and self._locking:
            statement = statement.with_for_update()
        return (await self._session.execute(statement)).scalar_one_or_none()

    async def by_number(
        self, tracking_number: str, *, citizen_id: int | None = None
    ) -> Complaint | None:
        """The complaint with this (canonical) tracking number, whoever filed it — or,
        with `citizen_id`, only if they filed it: one lookup either way, so someone
        else's number and an unused one cost the same."""
        statement = select(Complaint).where(Complaint.tracking_number == tracking_number)
        if citizen_id is not None:
            statement = statement.where(Complaint.citizen_id == citizen_id)
        return (await self._session.execute(statement)).scalar_one_or_none()

    async def of_citizen(self, citizen_id: int, *, limit: int = 50) -> list[Complaint]:
        """A citizen's complaints, newest first."""
        statement = (
            select(Complaint)
            .where(Complaint.citizen_id == citizen_id)
            .order_by(Complaint.filed_at.desc(), Complaint.id.desc())
            .limit(limit)
        )
        return list((await self._session.execute(statement)).scalars())

    async def similar(
        self, category: str, quarter: str, since: datetime, *, excluding: int
    ) -> list[str]:
        """Tracking numbers of complaints of the same category and quarter filed since."""
        statement = (
            select(Complaint.tracking_number)
            .where(
                Complaint.category == category,
                Complaint.quarter == quarter,
                Complaint.filed_at >= since,
                Complaint.id != excluding,
            )
            .order_by(Complaint.filed_at.desc())
            .limit(5)
        )
        return list((await self._session.execute(statement)).scalars())

    async def search(self, criteria: ComplaintFilter) -> list[Complaint]:
        """Complaints matching the criteria, oldest first."""
        statement = _matching(select(Complaint), criteria)
        statement = statement.order_by(Complaint.filed_at, Complaint.id)
        return list((await self._session.execute(statement)).scalars())

    async def search_page(
        self, criteria: ComplaintFilter, offset: int, limit: int
    ) -> list[Complaint]:
        """One page of the complaints matching the criteria, newest first."""
        statement = _matching(select(Complaint), criteria)
        statement = statement.order_by(Complaint.filed_at.desc(), Complaint.id.desc())
        return list((await self._session.execute(statement.offset(offset).limit(limit))).scalars())

    async def count(self, criteria: ComplaintFilter) -> int:
        statement = _matching(select(func.count(Complaint.id)), criteria)
        return (await self._session.execute(statement)).scalar_one()

    async def assigned_services(self) -> list[str]:
        """Every service complaints were assigned to, for the filter."""
        statement = (
            select(Complaint.assigned_service)
            .where(Complaint.assigned_service.is_not(None))
            .distinct()
            .order_by(Complaint.assigned_service)
        )
        return [name for name in (await self._session.execute(statement)).scalars() if name]

    async def add_event(self, values: dict[str, Any]) -> ComplaintEvent:
        """Write one history row (flushed: its id names the push it causes)."""
        event = ComplaintEvent(**values)
        self._session.add(event)
        await self._session.flush()
        return event

    async def history(self, complaint_id: int) -> list[ComplaintEvent]:
        """A complaint's events, oldest first."""
        statement = (
            select(ComplaintEvent)
            .where(ComplaintEvent.complaint_id == complaint_id)
            .order_by(ComplaintEvent.at, ComplaintEvent.id)
        )
        return list((await self._session.execute(statement)).scalars())

    async def count_of_citizen(self, citizen_id: int) -> int:
        """How many complaints a citizen filed (for My data)."""
        statement = select(func.count(Complaint.id)).where(Complaint.citizen_id == citizen_id)
        return (await self._session.execute(statement)).scalar_one()

    async def erase_of_citizen(self, citizen_id: int) -> None:
        """Delete a citizen's complaints, and their history with them."""
        await self._session.execute(delete(Complaint).where(Complaint.citizen_id == citizen_id))


def _overdue(now: datetime, open_statuses: Sequence[str]) -> Any:
    """Not acknowledged by its acknowledgement date, or still open after its answer date."""
    return or_(
        and_(Complaint.acknowledged_at.is_(None), Complaint.acknowledge_by < now),
        and_(Complaint.status.in_(list(open_statuses)), Complaint.answer_by < now),
    )


def _matching(statement: Any, criteria: ComplaintFilter) -> Any:
    if criteria.statuses is not None:
        statement = statement.where(Complaint.status.in_(list(criteria.statuses)))
    if criteria.category is not None:
        statement = statement.where(Complaint.category == criteria.category)
    if criteria.quarter is not None:
        statement = statement.where(Complaint.quarter == criteria.quarter)
    if criteria.overdue_at is not None:
        statement = statement.where(_overdue(criteria.overdue_at, criteria.open_statuses))
    if criteria.assigned_service is not None:
        statement = statement.where(Complaint.assigned_service == criteria.assigned_service)
    return statement

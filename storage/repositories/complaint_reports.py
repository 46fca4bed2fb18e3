"""Read-only questions about complaints as a whole: which deadlines need a push, what is
overdue, and the figures of the statistics. Only the needed columns are selected, so a
commune with tens of thousands of complaints is read in one pass per figure.

Deadline pushes are recognised by their outbox dedupe key (`complaint:{id}:{push}`), both
here (to skip what was queued already) and by the use case that queues them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import String, and_, case, cast, exists, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Complaint, OutboxMessage

ACK_REMINDER, ACK_MISSED = "ack-reminder", "ack-missed"
ANSWER_REMINDER, ANSWER_MISSED = "answer-reminder", "answer-missed"
CountedBy = Literal["status", "category", "quarter", "kind"]
Milestone = Literal["acknowledged_at", "resolved_at", "closed_at"]


def deadline_push_key(complaint_id: int, push: str) -> str:
    """The outbox dedupe key of one deadline push: queued once, whatever happens."""
    return f"complaint:{complaint_id}:{push}"


@dataclass(frozen=True, slots=True)
class DeadlineRow:
    """A complaint as the deadline checks and the digest see it."""

    id: int
    tracking_number: str
    status: str
    acknowledge_by: datetime
    answer_by: datetime
    citizen_id: int


_DEADLINE_COLUMNS = (
    Complaint.id,
    Complaint.tracking_number,
    Complaint.status,
    Complaint.acknowledge_by,
    Complaint.answer_by,
    Complaint.citizen_id,
)


def _queued(push: str) -> Any:
    """SQL: this complaint's `push` is in the outbox already (the unique key's index)."""
    key = literal("complaint:") + cast(Complaint.id, String) + literal(f":{push}")
    return exists().where(OutboxMessage.dedupe_key == key)


class ComplaintReportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _deadline_rows(self, condition: Any, limit: int | None = None) -> list[DeadlineRow]:
        statement = select(*_DEADLINE_COLUMNS).where(condition).order_by(Complaint.id)
        if limit is not None:
            statement = statement.limit(limit)
        return [DeadlineRow(*row) for row in await self._session.execute(statement)]

    async def needing_deadline_push(
        self,
        now: datetime,
        remind_before: timedelta,
        *,
        unacknowledged: str,
        open_statuses: Sequence[str],
        limit: int,
    ) -> list[DeadlineRow]:
        """Complaints with a reminder or an escalation due that is not queued yet: a
        deadline within `remind_before`, or missed, and nothing queued for that stage.
        At most `limit`, oldest first."""
        horizon = now + remind_before
        acknowledgement = and_(
            Complaint.status == unacknowledged,
            Complaint.acknowledge_by <= horizon,
            ~_queued(ACK_MISSED),
            or_(Complaint.acknowledge_by < now, ~_queued(ACK_REMINDER)),
        )
        answer = and_(
            Complaint.status.in_(list(open_statuses)),
            Complaint.answer_by <= horizon,
            ~_queued(ANSWER_MISSED),
            or_(Complaint.answer_by < now, ~_queued(ANSWER_REMINDER)),
        )
        return await self._deadline_rows(or_(acknowledgement, answer), limit)

    async def overdue(
        self, now: datetime, *, unacknowledged: str, open_statuses: Sequence[str]
    ) -> list[DeadlineRow]:
        """Complaints past a deadline at `now`: not acknowledged in time, or still open
        after their answer date."""
        return await self._deadline_rows(
            or_(
                and_(Complaint.status == unacknowledged, Complaint.acknowledge_by < now),
                and_(Complaint.status.in_(list(open_statuses)), Complaint.answer_by < now),
            )
        )

    async def is_queued(self, dedupe_key: str) -> bool:
        """Whether a message with this dedupe key was queued already (sent or not)."""
        statement = select(exists().where(OutboxMessage.dedupe_key == dedupe_key))
        return bool((await self._session.execute(statement)).scalar())

    async def count_by(self, field: CountedBy) -> dict[str | None, int]:
        """How many complaints per value of `field` (status, category, quarter, kind)."""
        column = getattr(Complaint, field)
        statement = select(column, func.count()).group_by(column)
        return {value: count for value, count in await self._session.execute(statement)}

    async def filing_times(self) -> list[datetime]:
        """When each complaint was filed (UTC), for counts per local month."""
        return list((await self._session.execute(select(Complaint.filed_at))).scalars())

    async def durations(self, until: Milestone) -> list[timedelta]:
        """Filing to `until` (acknowledged_at, resolved_at, closed_at), where it happened."""
        end = getattr(Complaint, until)
        statement = select(Complaint.filed_at, end).where(end.is_not(None))
        return [finish - start for start, finish in await self._session.execute(statement)]

    async def answered_in_time(self, closed_statuses: Sequence[str]) -> tuple[int, int]:
        """(closed complaints, those closed by their answer date)."""
        in_time = case((Complaint.closed_at <= Complaint.answer_by, 1), else_=0)
        statement = select(func.count(), func.coalesce(func.sum(in_time), 0)).where(
            Complaint.status.in_(list(closed_statuses)), Complaint.closed_at.is_not(None)
        )
        closed, on_time = (await self._session.execute(statement)).one()
        return int(closed), int(on_time)

    async def ratings(self) -> tuple[float | None, int]:
        """(average rating, number of ratings)."""
        statement = select(func.avg(Complaint.rating), func.count(Complaint.rating))
        average, count = (await self._session.execute(statement)).one()
        return (None if average is None else float(average)), int(count)

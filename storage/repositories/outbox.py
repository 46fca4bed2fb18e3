"""The outbox: messages to deliver later, claimed by one sender at a time."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import OutboxMessage
from storage.repositories.conflicts import insert_unless_present

PENDING, SENT, FAILED = "pending", "sent", "failed"


class OutboxRepository:
    def __init__(self, session: AsyncSession, *, locking: bool) -> None:
        self._session = session
        self._locking = locking

    async def add(
        self,
        *,
        channel: str,
        chat_id: str,
        kind: str,
        payload: dict[str, Any],
        now: datetime,
        due_at: datetime | None = None,
        citizen_id: int | None = None,
        dedupe_key: str | None = None,
    ) -> bool:
        """Queue a message; False when one with the same dedupe key is already queued."""
        values = {
            "channel": channel,
            "chat_id": chat_id,
            "citizen_id": citizen_id,
            "kind": kind,
            "payload": payload,
            "status": PENDING,
            "due_at": due_at or now,
            "attempts": 0,
            "created_at": now,
            "dedupe_key": dedupe_key,
        }
        if dedupe_key is None:
            self._session.add(OutboxMessage(**values))
            return True
        return await insert_unless_present(
            self._session, OutboxMessage.__table__, values, ["dedupe_key"]
        )

    async def claim_due(
        self, now: datetime, *, limit: int, lease: timedelta, channel: str | None = None
    ) -> list[OutboxMessage]:
        """Take up to `limit` due messages for `lease`; another sender skips them meanwhile."""
        statement = (
            select(OutboxMessage)
            .where(
                OutboxMessage.status == PENDING,
                OutboxMessage.due_at <= now,
                or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
            )
            .order_by(OutboxMessage.due_at, OutboxMessage.id)
            .limit(limit)
        )
        if channel is not None:
            statement = statement.where(OutboxMessage.channel == channel)
        if self._locking:
            statement = statement.with_for_update(skip_locked=True)
        messages = list((await self._session.execute(statement)).scalars())
        for message in messages:
            message.claimed_until = now + lease
        return messages

    async def count_by_status(self) -> dict[str, int]:
        statement = select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        return {status: count for status, count in await self._session.execute(statement)}

    async def mark_sent(self, message_id: int, now: datetime) -> None:
        await self._set(message_id, status=SENT, sent_at=now, claimed_until=None)

    async def retry_later(self, message_id: int, due_at: datetime, error: str) -> None:
        await self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(
                due_at=due_at,
                claimed_until=None,
                last_error=error[:500],
                attempts=OutboxMessage.attempts + 1,
            )
        )

    async def mark_failed(self, message_id: int, error: str) -> None:
        await self._set(message_id, status=FAILED, last_error=error[:500], claimed_until=None)

    async def _set(self, message_id: int, **values: Any) -> None:
        await self._session.execute(
            update(OutboxMessage).where(OutboxMessage.id == message_id).values(**values)
        )

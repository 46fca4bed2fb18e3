"""The inbox: every update is stored before it is handled, and handled once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import InboxUpdate
from storage.repositories.conflicts import insert_many_unless_present, insert_unless_present

ERASED = "-"
WAITING_SENDERS = (
    select(InboxUpdate.channel, InboxUpdate.channel_user_id)
    .where(
        tuple_(InboxUpdate.channel, InboxUpdate.channel_user_id).in_(
            bindparam("people", expanding=True)
        ),
        InboxUpdate.handled_at.is_(None),
    )
    .distinct()
)


class InboxRepository:
    def __init__(self, session: AsyncSession, *, locking: bool) -> None:
        self._session = session
        self._locking = locking

    async def store(
        self,
        *,
        channel: str,
        update_id: str,
        channel_user_id: str,
        chat_id: str,
        payload: dict[str, Any] | None,
        received_at: datetime,
        handled_at: datetime | None = None,
    ) -> int | None:
        """Keep a received update and return its inbox id; None when this update id was
        seen before."""
        values = {
            "channel": channel,
            "update_id": update_id,
            "channel_user_id": channel_user_id,
            "chat_id": chat_id,
            "payload": payload,
            "received_at": received_at,
            "handled_at": handled_at,
        }
        table = InboxUpdate.__table__
        return await insert_unless_present(self._session, table, values, ["channel", "update_id"])

    async def record_handled(self, rows: Sequence[dict[str, Any]]) -> set[tuple[str, str]]:
        """Record updates handled in this transaction, without their content; the
        (channel, update id) of those not seen before."""
        return await insert_many_unless_present(
            self._session, InboxUpdate.__table__, rows, ["channel", "update_id"]
        )

    async def senders_waiting(self, people: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
        """Which of these people have updates stored but not handled yet."""
        if not people:
            return set()
        rows = await self._session.execute(WAITING_SENDERS, {"people": list(people)})
        return {(row[0], row[1]) for row in rows}

    async def id_of(self, channel: str, update_id: str) -> int:
        statement = select(InboxUpdate.id).where(
            InboxUpdate.channel == channel, InboxUpdate.update_id == update_id
        )
        return (await self._session.execute(statement)).scalar_one()

    async def next_pending(
        self, channel: str, channel_user_id: str, up_to_id: int | None = None
    ) -> InboxUpdate | None:
        """This person's oldest unhandled update (the caller holds their conversation lock)."""
        statement = (
            select(InboxUpdate)
            .where(
                InboxUpdate.channel == channel,
                InboxUpdate.channel_user_id == channel_user_id,
                InboxUpdate.handled_at.is_(None),
            )
            .order_by(InboxUpdate.id)
            .limit(1)
        )
        if up_to_id is not None:
            statement = statement.where(InboxUpdate.id <= up_to_id)
        return (await self._session.execute(statement)).scalar_one_or_none()

    async def senders_with_pending(self, channel: str | None = None) -> list[tuple[str, str]]:
        """Everyone with updates stored but not handled (after a crash)."""
        statement = (
            select(InboxUpdate.channel, InboxUpdate.channel_user_id)
            .where(InboxUpdate.handled_at.is_(None))
            .group_by(InboxUpdate.channel, InboxUpdate.channel_user_id)
            .order_by(InboxUpdate.channel, InboxUpdate.channel_user_id)
        )
        if channel is not None:
            statement = statement.where(InboxUpdate.channel == channel)
        return [(row[0], row[1]) for row in await self._session.execute(statement)]

    async def mark_handled(self, inbox_id: int, handled_at: datetime) -> None:
        """Record the update as handled and drop its content (data minimisation)."""
        await self._session.execute(
            update(InboxUpdate)
            .where(InboxUpdate.id == inbox_id)
            .values(handled_at=handled_at, payload=None)
        )

    async def mark_failed(self, inbox_id: int, handled_at: datetime, error: str) -> None:
        """Give up on an update that made a step crash; its content is kept for replay."""
        await self._session.execute(
            update(InboxUpdate)
            .where(InboxUpdate.id == inbox_id)
            .values(handled_at=handled_at, error=error[:64])
        )

    async def count_failed(self, since: datetime) -> int:
        statement = select(func.count(InboxUpdate.id)).where(
            InboxUpdate.error.is_not(None), InboxUpdate.handled_at >= since
        )
        return (await self._session.execute(statement)).scalar_one()

    async def erase_sender(self, channel: str, channel_user_id: str) -> None:
        """Forget who sent what; only the bare update ids stay, for de-duplication."""
        await self._session.execute(
            update(InboxUpdate)
            .where(InboxUpdate.channel == channel, InboxUpdate.channel_user_id == channel_user_id)
            .values(payload=None, channel_user_id=ERASED, chat_id=ERASED)
        )

    async def purge_handled(self, before: datetime) -> int:
        result = await self._session.execute(
            delete(InboxUpdate).where(InboxUpdate.handled_at < before)
        )
        return result.rowcount

"""Citizens who consented: lookup, creation, erasure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Citizen, OutboxMessage
from storage.repositories.conflicts import insert_unless_present


class CitizenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def find(self, channel: str, channel_user_id: str) -> Citizen | None:
        statement = select(Citizen).where(
            Citizen.channel == channel, Citizen.channel_user_id == channel_user_id
        )
        return (await self._session.execute(statement)).scalar_one_or_none()

    async def get(self, citizen_id: int) -> Citizen | None:
        return await self._session.get(Citizen, citizen_id)

    async def by_ids(self, citizen_ids: Sequence[int]) -> list[Citizen]:
        """The citizens with these ids who still exist (erased ones are left out)."""
        found: list[Citizen] = []
        ids = sorted(set(citizen_ids))
        for start in range(0, len(ids), 1000):  # bounded IN lists
            statement = select(Citizen).where(Citizen.id.in_(ids[start : start + 1000]))
            found += (await self._session.execute(statement)).scalars()
        return sorted(found, key=lambda citizen: citizen.id)

    async def register(self, values: dict[str, Any]) -> int:
        """The id of the citizen with these channel ids, created from `values` if new."""
        keys = ["channel", "channel_user_id"]
        created = await insert_unless_present(self._session, Citizen.__table__, values, keys)
        if created is not None:
            return created
        existing = await self.find(values["channel"], values["channel_user_id"])
        assert existing is not None
        return existing.id

    async def touch(self, citizen_id: int, now: datetime) -> None:
        await self._session.execute(
            update(Citizen).where(Citizen.id == citizen_id).values(last_seen_at=now)
        )

    async def set_reachable(self, channel: str, channel_user_id: str, reachable: bool) -> None:
        await self._session.execute(
            update(Citizen)
            .where(Citizen.channel == channel, Citizen.channel_user_id == channel_user_id)
            .values(reachable=reachable)
        )

    async def erase(self, citizen_id: int) -> None:
        """Delete the citizen and everything that hangs on them: the messages to them or
        to their chat (queued before they consented, say) and the messages about them."""
        citizen = await self.get(citizen_id)
        mine = or_(
            OutboxMessage.citizen_id == citizen_id,
            OutboxMessage.about_citizen_id == citizen_id,
        )
        if citizen is not None:
            own_chat = and_(
                OutboxMessage.channel == citizen.channel,
                OutboxMessage.chat_id == citizen.chat_id,
            )
            mine = or_(mine, own_chat)
        await self._session.execute(delete(OutboxMessage).where(mine))
        await self._session.execute(delete(Citizen).where(Citizen.id == citizen_id))

    async def count(self) -> int:
        return (await self._session.execute(select(func.count(Citizen.id)))).scalar_one()

    async def count_unreachable(self) -> int:
        statement = select(func.count(Citizen.id)).where(Citizen.reachable.is_(False))
        return (await self._session.execute(statement)).scalar_one()

"""Staff accounts: who may act for the commune, and with which role."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import StaffMember

ROLES = ("admin", "agent")


class StaffRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def find(self, channel: str, channel_user_id: str) -> StaffMember | None:
        statement = select(StaffMember).where(
            StaffMember.channel == channel, StaffMember.channel_user_id == channel_user_id
        )
        return (await self._session.execute(statement)).scalar_one_or_none()

    async def get(self, staff_id: int) -> StaffMember | None:
        return await self._session.get(StaffMember, staff_id)

    async def by_login(self, login: str) -> StaffMember | None:
        statement = select(StaffMember).where(StaffMember.login == login)
        return (await self._session.execute(statement)).scalar_one_or_none()

    async def login_taken(self, login: str, *, by_other_than: int) -> bool:
        statement = select(StaffMember.id).where(
            StaffMember.login == login, StaffMember.id != by_other_than
        )
        return (await self._session.execute(statement)).first() is not None

    async def remove_by_id(self, staff_id: int) -> bool:
        result = await self._session.execute(delete(StaffMember).where(StaffMember.id == staff_id))
        return bool(result.rowcount)

    async def save(
        self, channel: str, channel_user_id: str, name: str, role: str, now: datetime
    ) -> StaffMember:
        """Add a staff member, or change the name and role of an existing one."""
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}: one of {', '.join(ROLES)}")
        member = await self.find(channel, channel_user_id)
        if member is None:
            member = StaffMember(
                channel=channel, channel_user_id=channel_user_id, added_at=now, name="", role=""
            )
            self._session.add(member)
        member.name, member.role = name, role
        await self._session.flush()
        return member

    async def remove(self, channel: str, channel_user_id: str) -> bool:
        result = await self._session.execute(
            delete(StaffMember).where(
                StaffMember.channel == channel, StaffMember.channel_user_id == channel_user_id
            )
        )
        return bool(result.rowcount)

    async def admin_ids(self) -> list[int]:
        """The admins, their rows locked until the transaction ends: two admins demoting
        or removing each other at once cannot leave the commune without one."""
        statement = (
            select(StaffMember.id)
            .where(StaffMember.role == "admin")
            .order_by(StaffMember.id)
            .with_for_update()
        )
        return list((await self._session.execute(statement)).scalars())

    async def all(self) -> list[StaffMember]:
        statement = select(StaffMember).order_by(StaffMember.role, StaffMember.name)
        return list((await self._session.execute(statement)).scalars())

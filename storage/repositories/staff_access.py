"""What the back-office keeps to let staff in: sessions, one-time sign-in links and the
failed sign-ins that throttle guessing. Tokens are stored as their SHA-256 only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import SignInFailure, SignInLink, StaffMember, StaffSession


class StaffAccessRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def open_session(self, token_hash: str, staff_id: int, ip: str, now: datetime) -> None:
        self._session.add(
            StaffSession(
                token_hash=token_hash, staff_id=staff_id, created_at=now, last_seen_at=now, ip=ip
            )
        )
        await self._session.flush()

    async def session_of(self, token_hash: str) -> tuple[StaffSession, StaffMember] | None:
        statement = (
            select(StaffSession, StaffMember)
            .join(StaffMember, StaffMember.id == StaffSession.staff_id)
            .where(StaffSession.token_hash == token_hash)
        )
        row = (await self._session.execute(statement)).one_or_none()
        return None if row is None else (row[0], row[1])

    async def touch_session(self, token_hash: str, now: datetime) -> None:
        await self._session.execute(
            update(StaffSession)
            .where(StaffSession.token_hash == token_hash)
            .values(last_seen_at=now)
        )

    async def close_session(self, token_hash: str) -> None:
        await self._session.execute(
            delete(StaffSession).where(StaffSession.token_hash == token_hash)
        )

    async def close_sessions_of(self, staff_id: int) -> int:
        result = await self._session.execute(
            delete(StaffSession).where(StaffSession.staff_id == staff_id)
        )
        return int(result.rowcount or 0)

    async def close_sessions_of_except(self, staff_id: int, keep_token_hash: str) -> int:
        """Close every session of a staff member but one (the one they are using)."""
        result = await self._session.execute(
            delete(StaffSession).where(
                StaffSession.staff_id == staff_id, StaffSession.token_hash != keep_token_hash
            )
        )
        return int(result.rowcount or 0)

    async def close_sessions_idle_since(self, before: datetime) -> int:
        result = await self._session.execute(
            delete(StaffSession).where(StaffSession.last_seen_at < before)
        )
        return int(result.rowcount or 0)

    async def close_sessions_opened_before(self, before: datetime) -> int:
        result = await self._session.execute(
            delete(StaffSession).where(StaffSession.created_at < before)
        )
        return int(result.rowcount or 0)

    async def add_link(
        self, token_hash: str, staff_id: int, now: datetime, expires_at: datetime
    ) -> None:
        self._session.add(
            SignInLink(
                token_hash=token_hash, staff_id=staff_id, created_at=now, expires_at=expires_at
            )
        )
        await self._session.flush()

    async def link(self, token_hash: str) -> SignInLink | None:
        """The link with this token, locked until the transaction ends (single use)."""
        statement = select(SignInLink).where(SignInLink.token_hash == token_hash)
        return (await self._session.execute(statement.with_for_update())).scalar_one_or_none()

    async def use_link(self, token_hash: str, now: datetime) -> bool:
        """Mark a link used; False when it was used already (by a concurrent request)."""
        result = await self._session.execute(
            update(SignInLink)
            .where(SignInLink.token_hash == token_hash, SignInLink.used_at.is_(None))
            .values(used_at=now)
        )
        return bool(result.rowcount)

    async def links_sent_since(self, staff_id: int, since: datetime) -> int:
        statement = select(func.count()).where(
            SignInLink.staff_id == staff_id, SignInLink.created_at >= since
        )
        return (await self._session.execute(statement)).scalar_one()

    async def add_failure(self, login: str, ip: str, now: datetime) -> None:
        self._session.add(SignInFailure(at=now, login=login[:40], ip=ip[:64]))
        await self._session.flush()

    async def failures_of_login(self, login: str, since: datetime) -> list[datetime]:
        """When this login was refused since `since`, oldest first."""
        statement = (
            select(SignInFailure.at)
            .where(SignInFailure.login == login[:40], SignInFailure.at >= since)
            .order_by(SignInFailure.at)
        )
        return list((await self._session.execute(statement)).scalars())

    async def failures_from(self, ip: str, since: datetime) -> list[datetime]:
        """When sign-ins from this address were refused since `since`, oldest first."""
        statement = (
            select(SignInFailure.at)
            .where(SignInFailure.ip == ip[:64], SignInFailure.at >= since)
            .order_by(SignInFailure.at)
        )
        return list((await self._session.execute(statement)).scalars())

    async def forget_failures_of(self, login: str) -> None:
        await self._session.execute(delete(SignInFailure).where(SignInFailure.login == login[:40]))

    async def purge(self, before: datetime) -> None:
        """Forget failures older than `before` (they no longer count), and links that
        expired before it or were used."""
        await self._session.execute(delete(SignInFailure).where(SignInFailure.at < before))
        await self._session.execute(
            delete(SignInLink).where(
                (SignInLink.expires_at < before) | SignInLink.used_at.is_not(None)
            )
        )

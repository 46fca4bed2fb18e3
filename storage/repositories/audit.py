"""The audit log of staff actions: written with each action, read by admins."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEntry


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Which entries to read; None means any."""

    staff_id: int | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None


class AuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, values: dict[str, Any]) -> None:
        self._session.add(AuditEntry(**values))
        await self._session.flush()

    async def page(self, criteria: AuditFilter, offset: int, limit: int) -> list[AuditEntry]:
        """Entries matching the criteria, newest first."""
        statement = _matching(select(AuditEntry), criteria)
        statement = statement.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        result = await self._session.execute(statement.offset(offset).limit(limit))
        return list(result.scalars())

    async def count(self, criteria: AuditFilter) -> int:
        statement = _matching(select(func.count(AuditEntry.id)), criteria)
        return (await self._session.execute(statement)).scalar_one()

    async def actions(self) -> Sequence[str]:
        """Every action name written so far, for the filter."""
        statement = select(AuditEntry.action).distinct().order_by(AuditEntry.action)
        return list((await self._session.execute(statement)).scalars())


def _matching(statement: Select[Any], criteria: AuditFilter) -> Select[Any]:
    if criteria.staff_id is not None:
        statement = statement.where(AuditEntry.staff_id == criteria.staff_id)
    if criteria.action is not None:
        statement = statement.where(AuditEntry.action == criteria.action)
    if criteria.since is not None:
        statement = statement.where(AuditEntry.at >= criteria.since)
    if criteria.until is not None:
        statement = statement.where(AuditEntry.at < criteria.until)
    return statement

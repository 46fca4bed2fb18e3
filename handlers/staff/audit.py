"""The audit log: every staff action in the back-office is written — who, when, what,
from which page and address — in the transaction of the action itself, so an action and
its entry exist together or not at all. Admins read it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.models import AuditEntry, StaffMember
from storage.repositories.audit import AuditFilter
from storage.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class Where:
    """Where an action came from: the page (path) and the address."""

    page: str
    ip: str


async def record_staff_action(
    uow: UnitOfWork,
    member: StaffMember | None,
    action: str,
    where: Where,
    now: datetime,
    *,
    target: str | None = None,
    detail: str | None = None,
) -> None:
    """Write one entry."""
    await uow.audit.add(
        {
            "at": now,
            "staff_id": member.id if member is not None else None,
            "staff_name": (member.name if member is not None else "?")[:120],
            "action": action[:40],
            "target": target[:120] if target else None,
            "detail": detail[:2000] if detail else None,
            "page": where.page[:300],
            "ip": where.ip[:64],
        }
    )


@dataclass(frozen=True, slots=True)
class AuditPage:
    entries: list[AuditEntry]
    total: int
    actions: list[str]


async def read_audit_log(
    uow: UnitOfWork, criteria: AuditFilter, offset: int, limit: int
) -> AuditPage:
    """A page of entries, newest first, with the count and the actions to filter by."""
    entries = await uow.audit.page(criteria, offset, limit)
    return AuditPage(entries, await uow.audit.count(criteria), list(await uow.audit.actions()))

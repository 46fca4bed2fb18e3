"""Where a complaint stands, and how it moves: one table of allowed transitions, the texts
each status requires, and the use case every channel (chat buttons, staff commands, the
CLI) goes through to change a status.

    received ─► acknowledged ─► forwarded ─► in_progress ─► resolved | rejected
                      └────────────┴──────────────┘             │
    resolved | rejected ─► reopened (the citizen, within the window) ─► in_progress
    any open status ─► outside_competence (the citizen is told where to turn)

A change writes a history row, updates the complaint's timestamps and queues the push to
the citizen, all in the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from handlers.complaints.pushes import queue_status_push
from handlers.staff import ADMIN
from handlers.turns import CoreSettings
from storage.models import Complaint, ComplaintEvent, StaffMember
from storage.unit_of_work import UnitOfWork

RECEIVED, ACKNOWLEDGED, FORWARDED = "received", "acknowledged", "forwarded"
IN_PROGRESS, RESOLVED, REJECTED = "in_progress", "resolved", "rejected"
REOPENED, OUTSIDE_COMPETENCE = "reopened", "outside_competence"
CITIZEN, SYSTEM = "citizen", "system"  # actors that are not staff names

OPEN_STATUSES = (RECEIVED, ACKNOWLEDGED, FORWARDED, IN_PROGRESS, REOPENED)
STATUSES = (*OPEN_STATUSES, RESOLVED, REJECTED, OUTSIDE_COMPETENCE)

# The one table: from each status, the statuses it may move to (in the order staff see
# them as buttons).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    RECEIVED: (ACKNOWLEDGED, REJECTED, OUTSIDE_COMPETENCE),
    ACKNOWLEDGED: (FORWARDED, IN_PROGRESS, REJECTED, OUTSIDE_COMPETENCE),
    FORWARDED: (IN_PROGRESS, REJECTED, OUTSIDE_COMPETENCE),
    IN_PROGRESS: (RESOLVED, FORWARDED, REJECTED, OUTSIDE_COMPETENCE),
    REOPENED: (IN_PROGRESS, FORWARDED, OUTSIDE_COMPETENCE),
    RESOLVED: (REOPENED,),
    REJECTED: (REOPENED,),
    OUTSIDE_COMPETENCE: (),
}


@dataclass(frozen=True, slots=True)
class StatusRule:
    """What moving to a status demands."""

    needs_comment: bool = False  # a public comment: the reason the citizen reads
    needs_service: bool = False  # the service the complaint goes to
    by_citizen: bool = False  # only the complaint's author may set it
    admin_only: bool = False  # in chat, only staff with the admin role may set it


RULES: dict[str, StatusRule] = {
    FORWARDED: StatusRule(needs_service=True),
    REJECTED: StatusRule(needs_comment=True, admin_only=True),
    OUTSIDE_COMPETENCE: StatusRule(needs_comment=True),
    REOPENED: StatusRule(by_citizen=True),
}
NO_RULE = StatusRule()


class StatusChangeRefused(ValueError):
    """A change the rules forbid; `key` names the translated explanation."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


def rule_for(status: str) -> StatusRule:
    """What moving to `status` demands (nothing special for most statuses)."""
    return RULES.get(status, NO_RULE)


def next_statuses(status: str, *, for_staff: bool = True) -> tuple[str, ...]:
    """The statuses a complaint may move to (staff never set the citizen's ones)."""
    allowed = TRANSITIONS.get(status, ())
    return tuple(s for s in allowed if not (for_staff and rule_for(s).by_citizen))


def staff_may_set(status: str, role: str) -> bool:
    """Whether staff with this role may set the status (rejecting is for admins)."""
    return not rule_for(status).admin_only or role == ADMIN


def statuses_for_staff(complaint: Complaint, role: str) -> tuple[str, ...]:
    """The statuses a staff member with this role may move the complaint to now."""
    return tuple(s for s in next_statuses(complaint.status) if staff_may_set(s, role))


def check_change(
    complaint: Complaint,
    to_status: str,
    *,
    actor: str,
    public_comment: str | None,
    service: str | None,
    now: datetime,
) -> None:
    """Raise `StatusChangeRefused` unless this change is allowed as asked."""
    rule = rule_for(to_status)
    if to_status not in TRANSITIONS.get(complaint.status, ()):
        allowed = ", ".join(next_statuses(complaint.status, for_staff=actor != CITIZEN))
        raise StatusChangeRefused(
            "complaint.refused.transition",
            f"{complaint.status} cannot become {to_status} (from {complaint.status}: "
            f"{allowed or 'no further status'})",
        )
    if rule.by_citizen != (actor == CITIZEN):
        raise StatusChangeRefused("complaint.refused.transition", f"{actor} cannot set {to_status}")
    if rule.needs_comment and not (public_comment or "").strip():
        raise StatusChangeRefused("complaint.refused.reason", f"{to_status} needs a reason")
    if rule.needs_service and not (service or complaint.assigned_service):
        raise StatusChangeRefused("complaint.refused.service", f"{to_status} needs a service")
    if to_status == REOPENED and (complaint.reopen_until is None or now > complaint.reopen_until):
        raise StatusChangeRefused("complaint.refused.reopen_window", "the reopening window ended")


def _apply(
    complaint: Complaint,
    to_status: str,
    settings: CoreSettings,
    now: datetime,
    service: str | None,
) -> None:
    """The complaint's own fields after the change (the history keeps the past)."""
    if complaint.acknowledged_at is None and complaint.status == RECEIVED:
        complaint.acknowledged_at = now  # any answer to a new complaint acknowledges it
    if service:
        complaint.assigned_service = service
    if to_status in (RESOLVED, REJECTED, OUTSIDE_COMPETENCE):
        complaint.closed_at = now
    if to_status == RESOLVED:
        complaint.resolved_at = now
    if to_status in (RESOLVED, REJECTED):
        complaint.reopen_until = now + timedelta(days=settings.complaint_reopen_days)
    if to_status == REOPENED:
        complaint.closed_at = complaint.resolved_at = complaint.reopen_until = None
    complaint.status = to_status


async def set_complaint_status(
    uow: UnitOfWork,
    settings: CoreSettings,
    complaint: Complaint,
    to_status: str,
    actor: str,
    public_comment: str | None,
    internal_note: str | None,
    now: datetime,
    *,
    service: str | None = None,
) -> ComplaintEvent:
    """Move a complaint to `to_status`: checked, recorded in its history, and told to the
    citizen (unless they made the change themselves)."""
    public_comment = (public_comment or "").strip() or None
    service = (service or "").strip()[:120] or None
    check_change(
        complaint, to_status, actor=actor, public_comment=public_comment, service=service, now=now
    )
    from_status = complaint.status
    _apply(complaint, to_status, settings, now, service)
    event = await _record(uow, complaint, from_status, actor, public_comment, internal_note, now)
    if actor != CITIZEN:
        rating, reopen = to_status == RESOLVED, to_status in (RESOLVED, REJECTED)
        await queue_status_push(uow, settings, complaint, event, now, rating=rating, reopen=reopen)
    return event


async def set_status_as_staff(
    uow: UnitOfWork,
    settings: CoreSettings,
    complaint: Complaint,
    to_status: str,
    member: StaffMember,
    public_comment: str | None,
    internal_note: str | None,
    now: datetime,
    *,
    service: str | None = None,
) -> ComplaintEvent:
    """A staff member changes a status: their role is checked first (the back-office and
    the staff chat alike), then the change as for anyone."""
    if not staff_may_set(to_status, member.role):
        raise StatusChangeRefused("staff.admin_only", f"{member.role} cannot set {to_status}")
    return await set_complaint_status(
        uow,
        settings,
        complaint,
        to_status,
        member.name,
        public_comment,
        internal_note,
        now,
        service=service,
    )


async def _record(
    uow: UnitOfWork,
    complaint: Complaint,
    from_status: str | None,
    actor: str,
    public_comment: str | None,
    internal_note: str | None,
    now: datetime,
) -> ComplaintEvent:
    """The history row of a change (the complaint already carries its new status)."""
    return await uow.complaints.add_event(
        {
            "complaint_id": complaint.id,
            "at": now,
            "actor": actor[:120],
            "from_status": from_status,
            "to_status": complaint.status,
            "public_comment": public_comment,
            "internal_note": (internal_note or "").strip() or None,
        }
    )


async def assign_complaint(
    uow: UnitOfWork, complaint: Complaint, service: str, actor: str, now: datetime
) -> ComplaintEvent:
    """Name the service in charge without changing the status (an internal note only)."""
    complaint.assigned_service = service.strip()[:120]
    note = f"assigned to {complaint.assigned_service}"
    return await _record(uow, complaint, complaint.status, actor, None, note, now)


async def add_internal_note(
    uow: UnitOfWork, complaint: Complaint, note: str, actor: str, now: datetime
) -> ComplaintEvent:
    """A note for staff only in the complaint's history; the status does not move and the
    citizen is not told."""
    text = note.strip()
    if not text:
        raise StatusChangeRefused("complaint.refused.empty_note", "an empty note")
    return await _record(uow, complaint, complaint.status, actor, None, text[:4000], now)

"""The commune's deadlines, watched for the staff group: a reminder some days before a
complaint's acknowledgement or answer deadline, an escalation once it is missed, and a
daily digest of where complaints stand.

Plain use cases on a unit of work and a moment; `bot/scheduling.py` runs them every few
minutes. Each push carries an outbox dedupe key, so it is queued once whatever the number
of runs, workers, restarts or hours of downtime: a run after a long stop sends what is due
at that moment, once (a deadline missed meanwhile is escalated, its stale reminder is not).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from handlers.complaints.statuses import OPEN_STATUSES, RECEIVED, STATUSES
from handlers.complaints.views import local_date, status_label
from handlers.languages import place_name, translate
from handlers.staff import notify_staff
from handlers.turns import CoreSettings
from storage.models import Complaint
from storage.repositories.complaint_reports import (
    ACK_MISSED,
    ACK_REMINDER,
    ANSWER_MISSED,
    ANSWER_REMINDER,
    DeadlineRow,
    deadline_push_key,
)
from storage.unit_of_work import UnitOfWork

DAY = timedelta(days=1)
DIGEST_MAX_OVERDUE = 30  # keeps the digest one readable message; the rest is counted
# Complaints handled per run: a backlog (a staff group configured late, a long stop) is
# spread over several runs, ten minutes apart, in small transactions, instead of one
# flood the group cannot read and Telegram would throttle (about 20 messages/min a group).
COMPLAINTS_PER_RUN = 50


def digest_key(day: date) -> str:
    """The dedupe key of the digest of one local day."""
    return f"digest:{day.isoformat()}"


def _stage(
    deadline: datetime, now: datetime, remind_before: timedelta, pushes: tuple[str, str]
) -> str | None:
    """The push one deadline calls for at `now`: (reminder, escalation) or None."""
    reminder, missed = pushes
    if deadline < now:
        return missed
    if remind_before > timedelta(0) and deadline - remind_before <= now:
        return reminder
    return None


def due_pushes(
    complaint: DeadlineRow, now: datetime, remind_before: timedelta
) -> list[tuple[str, datetime]]:
    """The pushes a complaint calls for at `now`, each with its deadline: the
    acknowledgement's while it is still `received`, the answer's while it is open."""
    stages: list[tuple[datetime, tuple[str, str]]] = []
    if complaint.status == RECEIVED:
        stages.append((complaint.acknowledge_by, (ACK_REMINDER, ACK_MISSED)))
    if complaint.status in OPEN_STATUSES:
        stages.append((complaint.answer_by, (ANSWER_REMINDER, ANSWER_MISSED)))
    due = []
    for deadline, pushes in stages:
        push = _stage(deadline, now, remind_before, pushes)
        if push is not None:
            due.append((push, deadline))
    return due


def days_left(deadline: datetime, now: datetime) -> int:
    return max(0, math.floor((deadline - now) / DAY))


def days_late(deadline: datetime, now: datetime) -> int:
    """Whole days late, counting a started day (one hour late is one day late)."""
    return max(1, math.ceil((now - deadline) / DAY))


def deadline_text(
    settings: CoreSettings, complaint: DeadlineRow, push: str, deadline: datetime, now: datetime
) -> str:
    """What the staff group reads, in the commune's working language."""
    locale = settings.default_locale
    late = push in (ACK_MISSED, ANSWER_MISSED)
    return translate(
        locale,
        "complaint.deadline." + push.replace("-", "_"),
        number=complaint.tracking_number,
        status=status_label(partial(translate, locale), complaint.status),
        date=local_date(settings, deadline),
        days=days_late(deadline, now) if late else days_left(deadline, now),
    )


async def queue_deadline_pushes(
    uow: UnitOfWork, settings: CoreSettings, now: datetime
) -> list[str]:
    """Remind the staff group of deadlines coming, escalate the missed ones: each once.
    Returns the dedupe keys queued by this run."""
    if not settings.staff_chat_id:
        return []
    remind_before = timedelta(days=settings.deadline_reminder_days)
    complaints = await uow.complaint_reports.needing_deadline_push(
        now,
        remind_before,
        unacknowledged=RECEIVED,
        open_statuses=OPEN_STATUSES,
        limit=COMPLAINTS_PER_RUN,
    )
    queued = []
    for complaint in complaints:
        for push, deadline in due_pushes(complaint, now, remind_before):
            key = deadline_push_key(complaint.id, push)
            text = deadline_text(settings, complaint, push, deadline, now)
            about = complaint.citizen_id
            if await notify_staff(
                uow, settings, text, (), now, dedupe_key=key, about_citizen_id=about
            ):
                queued.append(key)
    return queued


def is_overdue(complaint: Complaint, now: datetime) -> bool:
    """Not acknowledged by its acknowledgement date, or still open after its answer date
    (what `ComplaintFilter(overdue_at=…)` selects)."""
    late_answer = complaint.status in OPEN_STATUSES and complaint.answer_by < now
    return late_answer or (complaint.acknowledged_at is None and complaint.acknowledge_by < now)


def _overdue_line(t: partial[str], complaint: DeadlineRow, now: datetime) -> tuple[int, str]:
    """(days late, line): the answer deadline when missed, else the acknowledgement's."""
    if complaint.status in OPEN_STATUSES and complaint.answer_by < now:
        late = days_late(complaint.answer_by, now)
        return late, t("complaint.digest.late_answer", number=complaint.tracking_number, days=late)
    late = days_late(complaint.acknowledge_by, now)
    return late, t("complaint.digest.late_ack", number=complaint.tracking_number, days=late)


def digest_text(
    settings: CoreSettings,
    day: date,
    counts: Mapping[str | None, int],
    overdue: Sequence[DeadlineRow],
    now: datetime,
) -> str:
    """Counts per status, then the overdue complaints, most late first."""
    t = partial(translate, settings.default_locale)
    commune = place_name(settings.default_locale, settings.commune_name)
    lines = [
        t("complaint.digest.title", date=day.strftime("%d/%m/%Y"), commune=commune),
        t("complaint.stats.total", count=sum(counts.values())),
    ]
    known = [status for status in STATUSES if counts.get(status)]
    others = sorted(str(status) for status in counts if status not in STATUSES)
    for status in known + others:
        label = status_label(t, status) if status in STATUSES else status
        lines.append(t("complaint.digest.count_line", label=label, count=counts[status]))
    if not overdue:
        lines.append(t("complaint.digest.none_late"))
        return "\n".join(lines)
    lines.append(t("complaint.digest.late_title", count=len(overdue)))
    ranked = sorted((_overdue_line(t, c, now) for c in overdue), key=lambda x: -x[0])
    lines += [line for _late, line in ranked[:DIGEST_MAX_OVERDUE]]
    if len(ranked) > DIGEST_MAX_OVERDUE:
        lines.append(t("complaint.digest.late_more", count=len(ranked) - DIGEST_MAX_OVERDUE))
    return "\n".join(lines)


async def queue_daily_digest(uow: UnitOfWork, settings: CoreSettings, now: datetime) -> bool:
    """Once a local day, from DIGEST_HOUR on, the staff group gets the digest (a day
    missed while the bot was down is sent at the next run that day). False when nothing
    was queued: too early, already sent, no staff group, or no complaint at all yet."""
    local_now = now.astimezone(ZoneInfo(settings.timezone))
    if not settings.staff_chat_id or local_now.hour < settings.digest_hour:
        return False
    key = digest_key(local_now.date())
    reports = uow.complaint_reports
    if await reports.is_queued(key):
        return False
    counts = await reports.count_by("status")
    if not counts:
        return False
    overdue = await reports.overdue(now, unacknowledged=RECEIVED, open_statuses=OPEN_STATUSES)
    text = digest_text(settings, local_now.date(), counts, overdue, now)
    return await notify_staff(uow, settings, text, (), now, dedupe_key=key)

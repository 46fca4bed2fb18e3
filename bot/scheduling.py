"""Jobs the running bot schedules besides draining the outbox: the complaints' deadline
pushes and the daily digest for the staff group.

APScheduler only triggers; the database is the source of truth (no job store). Every ten
minutes, and once at start, the job asks what is due now and queues it with a dedupe key:
a second run, a second worker, a restart or a day of downtime never sends a push twice,
and what fell due while the bot was down goes out at the first run after it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from apscheduler.schedulers.base import BaseScheduler

from handlers.clock import Clock
from handlers.complaint_deadlines import queue_daily_digest, queue_deadline_pushes
from handlers.turns import CoreSettings
from storage.database import Database

logger = logging.getLogger(__name__)

COMPLAINT_JOB_ID = "complaint-deadlines"
COMPLAINT_JOB_MINUTES = 10


@dataclass(frozen=True, slots=True)
class ComplaintJobRun:
    """What one run queued: the deadline pushes' dedupe keys, and whether a digest."""

    deadline_pushes: tuple[str, ...]
    digest: bool


async def run_complaint_jobs(db: Database, settings: CoreSettings, clock: Clock) -> ComplaintJobRun:
    """Queue the deadline pushes and the digest due now, each in its own transaction (a
    failing digest does not hold back the escalations)."""
    now = clock.now()
    async with db.transaction() as uow:
        pushes = await queue_deadline_pushes(uow, settings, now)
    async with db.transaction() as uow:
        digest = await queue_daily_digest(uow, settings, now)
    if pushes or digest:
        logger.info("queued %d deadline pushes, digest: %s", len(pushes), digest)
    return ComplaintJobRun(tuple(pushes), digest)


def add_complaint_jobs(
    scheduler: BaseScheduler, db: Database, settings: CoreSettings, clock: Clock
) -> None:
    """Every ten minutes and once right away; a run never overlaps the previous one, and a
    run that is late (a busy loop, a suspended machine) still runs, once."""
    scheduler.add_job(
        run_complaint_jobs,
        "interval",
        minutes=COMPLAINT_JOB_MINUTES,
        args=(db, settings, clock),
        id=COMPLAINT_JOB_ID,
        replace_existing=True,
        next_run_time=datetime.now(UTC),
        max_instances=1,
        coalesce=True,
        misfire_grace_time=None,
    )

"""Jobs the running bot schedules besides draining the outbox: the complaints' deadline
pushes, the daily digest for the staff group, closing the quick polls of consultations
that no longer take answers, and the workshops' reminders, feedback requests and
promotions into seats freed by an erasure.

APScheduler only triggers; the database is the source of truth (no job store). Every ten
minutes, and once at start, the job asks what is due now and queues it with a dedupe key:
a second run, a second worker, a restart or a day of downtime never sends a push twice,
and what fell due while the bot was down goes out at the first run after it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from apscheduler.executors.asyncio import AsyncIOExecutor
from apscheduler.schedulers.base import BaseScheduler

from handlers.clock import Clock
from handlers.complaints import queue_daily_digest, queue_deadline_pushes
from handlers.consultations import close_finished_polls
from handlers.turns import CoreSettings
from handlers.workshops import (
    promote_into_free_seats,
    queue_workshop_feedback,
    queue_workshop_reminders,
)
from storage.database import Database

logger = logging.getLogger(__name__)


class FinishingExecutor(AsyncIOExecutor):
    """APScheduler's asyncio executor, except that a stopping bot lets the running jobs
    finish (a database transaction cut mid-statement can hang the driver's shutdown)."""

    async def finish(self, timeout: float) -> None:
        """Wait for the jobs running now, at most `timeout` seconds."""
        running = [future for future in self._pending_futures if not future.done()]
        if running:
            await asyncio.wait(running, timeout=timeout)


COMPLAINT_JOB_ID = "complaint-deadlines"
COMPLAINT_JOB_MINUTES = 10
POLL_JOB_ID = "poll-closing"
WORKSHOP_JOB_ID = "workshop-reminders"


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


async def run_poll_closing(db: Database, settings: CoreSettings, clock: Clock) -> int:
    """Queue the closing of the polls whose consultation no longer takes answers."""
    async with db.transaction() as uow:
        closing = await close_finished_polls(uow, settings, clock.now())
    if closing:
        logger.info("queued the closing of %d poll(s)", closing)
    return closing


@dataclass(frozen=True, slots=True)
class WorkshopJobRun:
    reminders: tuple[str, ...]  # dedupe keys of the reminders queued
    feedback: int


async def run_workshop_jobs(db: Database, settings: CoreSettings, clock: Clock) -> WorkshopJobRun:
    """Queue the workshop reminders and feedback requests due now."""
    now = clock.now()
    async with db.transaction() as uow:
        reminders = await queue_workshop_reminders(uow, settings, now)
    async with db.transaction() as uow:
        feedback = await queue_workshop_feedback(uow, settings, now)
    async with db.transaction() as uow:
        promoted = await promote_into_free_seats(uow, settings, now)
    if promoted:
        logger.info("promoted %d citizen(s) from workshop waitlists", len(promoted))
    if reminders or feedback:
        logger.info("queued %d workshop reminders, %d feedback requests", len(reminders), feedback)
    return WorkshopJobRun(tuple(reminders), feedback)


def add_scheduled_jobs(
    scheduler: BaseScheduler,
    db: Database,
    settings: CoreSettings,
    clock: Clock,
    *,
    workshop_job_seconds: int = 60,
) -> None:
    """The complaint and poll jobs every ten minutes, the workshop job every
    `workshop_job_seconds` (reminders may be minutes apart), each once right away; a run
    never overlaps the previous one, and a run that is late (a busy loop, a suspended
    machine) still runs, once."""
    for job, job_id in ((run_complaint_jobs, COMPLAINT_JOB_ID), (run_poll_closing, POLL_JOB_ID)):
        _every(scheduler, job, job_id, (db, settings, clock), COMPLAINT_JOB_MINUTES * 60)
    args = (db, settings, clock)
    _every(scheduler, run_workshop_jobs, WORKSHOP_JOB_ID, args, workshop_job_seconds)


def _every(
    scheduler: BaseScheduler,
    job: Callable[..., Awaitable[object]],
    job_id: str,
    args: tuple,
    seconds: int,
) -> None:
    scheduler.add_job(
        job,
        "interval",
        seconds=seconds,
        args=args,
        id=job_id,
        replace_existing=True,
        next_run_time=datetime.now(UTC),
        max_instances=1,
        coalesce=True,
        misfire_grace_time=None,
    )

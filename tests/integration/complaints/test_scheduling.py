"""The complaint job as the running bot schedules it, with a manual clock: runs repeated,
a restart with new objects, a deadline passing, the digest hour and the next day."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import func, select

from bot.scheduling import (
    COMPLAINT_JOB_ID,
    ComplaintJobRun,
    add_scheduled_jobs,
    run_complaint_jobs,
)
from storage.database import Database
from storage.models import OutboxMessage
from tests.complaint_rows import add_complaint

STAFF_GROUP = "-100200300"
DAY = timedelta(days=1)


@pytest.fixture
def commune(settings):
    return replace(settings, staff_chat_id=STAFF_GROUP, digest_hour=8)


async def queued(db) -> int:
    async with db.engine.connect() as connection:
        return (await connection.execute(select(func.count(OutboxMessage.id)))).scalar_one()


async def test_runs_restarts_deadlines_and_digests(db, commune, clock):
    clock.advance(datetime(2026, 1, 5, 6, 0, tzinfo=UTC) - clock.now())  # 07:00 local
    complaint_id, _ = await add_complaint(db, clock.now() - 10 * DAY)

    first = await run_complaint_jobs(db, commune, clock)
    assert first.deadline_pushes == (f"complaint:{complaint_id}:ack-reminder",)
    assert not first.digest, "before the digest hour"
    again = await run_complaint_jobs(db, commune, clock)
    assert again.deadline_pushes == () and not again.digest

    restarted = Database(db.url)  # a new process: new engine, nothing kept in memory
    try:
        after_restart = await run_complaint_jobs(restarted, commune, clock)
        assert after_restart.deadline_pushes == () and not after_restart.digest

        clock.advance(timedelta(hours=1, minutes=5))  # 08:05 local
        assert (await run_complaint_jobs(restarted, commune, clock)).digest
        assert not (await run_complaint_jobs(db, commune, clock)).digest

        clock.advance(5 * DAY)  # past the acknowledgement deadline, and five days later
        run = await run_complaint_jobs(restarted, commune, clock)
        assert run.deadline_pushes == (f"complaint:{complaint_id}:ack-missed",)
        assert run.digest, "another day, another digest"
        assert await run_complaint_jobs(db, commune, clock) == ComplaintJobRun((), False)
    finally:
        await restarted.close()
    assert await queued(db) == 4  # reminder, two digests, escalation


async def test_the_job_is_scheduled_every_ten_minutes_and_at_start(db, commune, clock):
    scheduler = AsyncIOScheduler()
    add_scheduled_jobs(scheduler, db, commune, clock)
    job = scheduler.get_job(COMPLAINT_JOB_ID)
    assert isinstance(job.trigger, IntervalTrigger)
    assert job.trigger.interval == timedelta(minutes=10)
    assert (job.max_instances, job.coalesce, job.misfire_grace_time) == (1, True, None)
    assert job.next_run_time <= datetime.now(UTC) + timedelta(seconds=1), "runs at start"
    assert job.args == (db, commune, clock)


async def test_a_started_scheduler_queues_what_is_due_once(db, commune, clock):
    """Two schedulers (two workers, or a restart) on one database: one escalation."""
    complaint_id, _ = await add_complaint(db, clock.now() - 20 * DAY)
    second_worker = Database(db.url)
    schedulers = [AsyncIOScheduler(), AsyncIOScheduler()]
    for scheduler, database in zip(schedulers, (db, second_worker), strict=True):
        add_scheduled_jobs(scheduler, database, commune, clock)
        scheduler.start()
    try:
        for _ in range(200):
            if await queued(db) >= 2:  # the escalation and the digest
                break
            await asyncio.sleep(0.02)
        await asyncio.sleep(0.3)  # let the other scheduler's first run finish too
    finally:
        for scheduler in schedulers:
            scheduler.shutdown(wait=False)
        await second_worker.close()
    async with db.engine.connect() as connection:
        keys = sorted((await connection.execute(select(OutboxMessage.dedupe_key))).scalars())
    assert keys == [f"complaint:{complaint_id}:ack-missed", "digest:2026-01-05"]

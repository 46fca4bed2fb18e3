"""Workshop reminders and feedback with a controllable clock, on SQLite and PostgreSQL:
each reminder at most once, late after downtime only if the workshop has not started,
withdrawn when the sign-up or the workshop is cancelled before it is sent, queued again
for a new time, and the feedback to attendees only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.scheduling import WORKSHOP_JOB_ID, add_scheduled_jobs, run_workshop_jobs
from bot.settings import reminder_seconds
from handlers.types import ButtonPress
from handlers.workshops import cancel_workshop, edit_workshop, mark_attendance
from tests.integration.test_workshops import registrations, signed_up
from tests.workshop_rows import published_workshop, pushes


async def reminders(db, chat: str, status: str | None = "pending") -> list:
    rows = await pushes(db, chat, "ws-reminder:")
    return [row for row in rows if status is None or row.status == status]


async def test_the_latest_due_reminder_goes_once_and_none_after_the_start(
    core, db, settings, clock
):
    await published_workshop(db, settings, clock.now())  # starts in 2 days
    await signed_up(core, "reminded")
    assert (await run_workshop_jobs(db, settings, clock)).reminders == ()
    clock.advance(timedelta(days=1, minutes=1))  # 24 h before, less a minute
    first = await run_workshop_jobs(db, settings, clock)
    assert len(first.reminders) == 1 and first.reminders[0].endswith(":86400")
    assert (await run_workshop_jobs(db, settings, clock)).reminders == (), "at most once"
    [reminder] = await reminders(db, "reminded")
    assert reminder.payload["text"].startswith("⏰ Rappel : « Atelier du quartier »")

    clock.advance(timedelta(hours=23))  # the bot was down past the 2-hour mark too
    late = await run_workshop_jobs(db, settings, clock)
    assert len(late.reminders) == 1 and late.reminders[0].endswith(":7200")
    clock.advance(timedelta(hours=2))  # started: what still waits is withdrawn
    assert (await run_workshop_jobs(db, settings, clock)).reminders == ()
    assert await reminders(db, "reminded") == []
    assert len(await reminders(db, "reminded", "cancelled")) == 2


async def test_downtime_past_every_reminder_and_the_start_sends_nothing(core, db, settings, clock):
    await published_workshop(db, settings, clock.now())
    await signed_up(core, "late")
    clock.advance(timedelta(days=2, minutes=5))
    assert (await run_workshop_jobs(db, settings, clock)).reminders == ()
    assert await reminders(db, "late", None) == []


async def test_a_cancellation_between_queueing_and_sending_withdraws_the_reminder(
    core, db, settings, clock
):
    workshop_id = await published_workshop(db, settings, clock.now(), capacity=1)
    leaving = await signed_up(core, "leaving")
    await signed_up(core, "staying")  # waitlisted
    clock.advance(timedelta(days=1, minutes=1))
    await run_workshop_jobs(db, settings, clock)
    assert len(await reminders(db, "leaving")) == 1
    assert await reminders(db, "staying") == [], "the waitlist is not reminded"
    await leaving.presses("❌")
    await leaving.presses("Oui, annuler")
    assert await reminders(db, "leaving") == []
    await run_workshop_jobs(db, settings, clock)
    assert len(await reminders(db, "staying")) == 1, "the promoted one is reminded"
    async with db.transaction() as uow:
        await cancel_workshop(uow, settings, workshop_id, clock.now())
    assert await reminders(db, "staying") == []


async def test_a_workshop_moved_to_another_day_is_reminded_again(core, db, settings, clock):
    workshop_id = await published_workshop(db, settings, clock.now())
    await signed_up(core, "moved")
    clock.advance(timedelta(days=1, minutes=1))
    await run_workshop_jobs(db, settings, clock)
    later = clock.now() + timedelta(days=3)
    async with db.transaction() as uow:
        changes = {"starts_at": later, "ends_at": later + timedelta(hours=2)}
        await edit_workshop(uow, settings, workshop_id, changes, clock.now())
    assert await reminders(db, "moved") == [], "the old time's reminder is withdrawn"
    clock.advance(timedelta(days=2))
    assert len((await run_workshop_jobs(db, settings, clock)).reminders) == 1


async def test_only_attendees_are_asked_for_feedback_once_and_their_rating_is_kept(
    core, db, settings, clock
):
    workshop_id = await published_workshop(db, settings, clock.now())
    came = await signed_up(core, "came")
    await signed_up(core, "absent")
    code = next(r.code for r in await registrations(db) if r.status == "registered")
    clock.advance(timedelta(days=2))
    async with db.transaction() as uow:
        assert (await mark_attendance(uow, workshop_id, code, clock.now())).outcome == "present"
    clock.advance(timedelta(hours=2, minutes=1))
    assert (await run_workshop_jobs(db, settings, clock)).feedback == 1
    assert (await run_workshop_jobs(db, settings, clock)).feedback == 0
    [question] = await pushes(db, "came", "ws-feedback:")
    assert await pushes(db, "absent", "ws-feedback:") == []
    stars = question.payload["buttons"][1][1]
    assert stars["label"] == "⭐⭐⭐⭐⭐"
    [thanks] = await came.send_payload(ButtonPress(stars["id"]))
    assert thanks.text.startswith("Merci pour votre avis !")
    assert {r.rating for r in await registrations(db)} == {5, None}


async def test_the_workshop_job_runs_at_start_and_every_configured_interval(db, settings, clock):

    scheduler = AsyncIOScheduler()
    add_scheduled_jobs(scheduler, db, settings, clock, workshop_job_seconds=5)
    job = scheduler.get_job(WORKSHOP_JOB_ID)
    assert isinstance(job.trigger, IntervalTrigger)
    assert job.trigger.interval == timedelta(seconds=5)
    assert (job.max_instances, job.coalesce, job.misfire_grace_time) == (1, True, None)
    assert job.func is run_workshop_jobs and job.args == (db, settings, clock)


def test_reminder_offsets_are_read_from_the_setting():

    assert reminder_seconds("24h,2h") == (86400, 7200)
    assert reminder_seconds(" 30s , 10s,30s") == (30, 10)
    assert reminder_seconds("") == ()
    with pytest.raises(ValueError, match="'tomorrow' is not a duration"):
        reminder_seconds("24h,tomorrow")


async def test_a_seat_freed_by_an_erasure_goes_to_the_waitlist_at_the_next_run(
    core, db, settings, clock
):
    await published_workshop(db, settings, clock.now(), capacity=1)
    seated = await signed_up(core, "erasing")
    await signed_up(core, "next")
    await seated.command("menu")
    await seated.presses("🔒")
    await seated.presses("🗑️")
    await seated.presses("Oui")
    assert [r.status for r in await registrations(db)] == ["waitlisted"]
    await run_workshop_jobs(db, settings, clock)
    assert [r.status for r in await registrations(db)] == ["registered"]
    assert len(await pushes(db, "next", "ws-promoted:")) == 1

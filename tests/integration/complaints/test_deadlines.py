"""Deadline reminders, escalations and the daily digest, on SQLite and PostgreSQL: each
push is queued once, whatever the number of runs; what falls due during downtime goes out
at the next run; dates are the commune's (Africa/Casablanca), not UTC."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from handlers.complaints.deadlines import (
    COMPLAINTS_PER_RUN,
    queue_daily_digest,
    queue_deadline_pushes,
)
from storage.models import OutboxMessage
from tests.complaint_rows import (
    add_citizen,
    add_complaint,
    add_complaints,
    complaint_values,
    set_fields,
)

STAFF_GROUP = "-100200300"
DAY = timedelta(days=1)


@pytest.fixture
def commune(settings):
    return replace(settings, staff_chat_id=STAFF_GROUP)


def move_to(clock, moment: datetime) -> None:
    clock.advance(moment - clock.now())


async def pushes(db, commune, clock) -> list[str]:
    async with db.transaction() as uow:
        return await queue_deadline_pushes(uow, commune, clock.now())


async def digest(db, commune, clock) -> bool:
    async with db.transaction() as uow:
        return await queue_daily_digest(uow, commune, clock.now())


async def staff_texts(db) -> dict[str, str]:
    """Dedupe key -> text of every message queued for the staff group."""
    async with db.engine.connect() as connection:
        rows = await connection.execute(
            select(OutboxMessage.dedupe_key, OutboxMessage.payload, OutboxMessage.chat_id)
        )
        found = {}
        for key, payload, chat_id in rows:
            assert chat_id == STAFF_GROUP
            found[key] = payload["text"]
        return found


async def test_an_unacknowledged_complaint_is_reminded_then_escalated_once(db, commune, clock):
    complaint_id, number = await add_complaint(db, clock.now())
    assert await pushes(db, commune, clock) == [], "15 days left: nothing yet"
    clock.advance(8 * DAY)
    assert await pushes(db, commune, clock) == [f"complaint:{complaint_id}:ack-reminder"]
    assert await pushes(db, commune, clock) == []
    clock.advance(6 * DAY)
    assert await pushes(db, commune, clock) == [], "the reminder is not repeated"
    clock.advance(DAY + timedelta(minutes=10))
    assert await pushes(db, commune, clock) == [f"complaint:{complaint_id}:ack-missed"]
    assert await pushes(db, commune, clock) == []
    texts = await staff_texts(db)
    reminder = texts[f"complaint:{complaint_id}:ack-reminder"]
    assert number in reminder and "20/01/2026" in reminder and "reste 7 j" in reminder
    missed = texts[f"complaint:{complaint_id}:ack-missed"]
    assert missed.startswith("🚨") and "1 j de retard" in missed


async def test_the_answer_deadline_runs_until_an_answer(db, commune, clock):
    filed = clock.now()
    complaint_id, number = await add_complaint(db, filed)
    await set_fields(db, complaint_id, status="in_progress", acknowledged_at=filed + DAY)
    clock.advance(53 * DAY)
    assert await pushes(db, commune, clock) == [f"complaint:{complaint_id}:answer-reminder"]
    clock.advance(8 * DAY)
    assert await pushes(db, commune, clock) == [f"complaint:{complaint_id}:answer-missed"]
    missed = (await staff_texts(db))[f"complaint:{complaint_id}:answer-missed"]
    assert missed == (
        f"🚨 Délai dépassé — plainte {number} (En cours de traitement) : la réponse était due "
        "le 06/03/2026 (1 j de retard)."
    ), "the date is the local one (Ramadan: UTC+0)"


@pytest.mark.parametrize("status", ["resolved", "rejected", "outside_competence"])
async def test_answered_complaints_get_no_push(db, commune, clock, status):
    filed = clock.now()
    complaint_id, _ = await add_complaint(db, filed)
    await set_fields(db, complaint_id, status=status, acknowledged_at=filed, closed_at=filed)
    clock.advance(90 * DAY)
    assert await pushes(db, commune, clock) == []


async def test_after_downtime_only_what_is_due_now_goes_out_once(db, commune, clock):
    """Down from day 0 to day 16: the acknowledgement is missed; its stale reminder is not
    sent, the escalation is, once, however many runs follow."""
    first, _ = await add_complaint(db, clock.now())
    second, _ = await add_complaint(db, clock.now() - 50 * DAY)
    await set_fields(db, second, status="acknowledged", acknowledged_at=clock.now() - 49 * DAY)
    clock.advance(16 * DAY)
    queued = await pushes(db, commune, clock)
    assert sorted(queued) == [
        f"complaint:{first}:ack-missed",
        f"complaint:{second}:answer-missed",
    ]
    for _ in range(3):
        assert await pushes(db, commune, clock) == []


async def test_a_complaint_left_received_is_escalated_for_both_deadlines(db, commune, clock):
    complaint_id, _ = await add_complaint(db, clock.now())
    clock.advance(61 * DAY)
    assert sorted(await pushes(db, commune, clock)) == [
        f"complaint:{complaint_id}:ack-missed",
        f"complaint:{complaint_id}:answer-missed",
    ]


async def test_a_backlog_is_spread_over_several_runs(db, commune, clock):
    """A staff group configured late must not receive hundreds of pushes at once."""
    citizen = await add_citizen(db, clock.now())
    backlog = COMPLAINTS_PER_RUN + 10
    filed = clock.now() - 20 * DAY
    await add_complaints(db, [complaint_values(citizen, filed) for _ in range(backlog)])
    assert len(await pushes(db, commune, clock)) == COMPLAINTS_PER_RUN
    assert len(await pushes(db, commune, clock)) == 10
    assert await pushes(db, commune, clock) == []
    assert len(await staff_texts(db)) == backlog


async def test_reminders_can_be_turned_off(db, commune, clock):
    complaint_id, _ = await add_complaint(db, clock.now())
    quiet = replace(commune, deadline_reminder_days=0)
    clock.advance(14 * DAY)
    assert await pushes(db, quiet, clock) == []
    clock.advance(2 * DAY)
    assert await pushes(db, quiet, clock) == [f"complaint:{complaint_id}:ack-missed"]


async def test_without_a_staff_group_nothing_is_queued(db, settings, clock):
    await add_complaint(db, clock.now() - 30 * DAY)
    assert await pushes(db, settings, clock) == []
    assert not await digest(db, settings, clock)
    assert await staff_texts(db) == {}


# --- the daily digest -------------------------------------------------------------------


async def test_the_digest_goes_out_once_a_day_from_the_configured_hour(db, commune, clock):
    await add_complaint(db, clock.now())
    move_to(clock, datetime(2026, 1, 6, 6, 30, tzinfo=UTC))  # 07:30 local
    assert not await digest(db, commune, clock), "before 08:00 in Taroudant"
    clock.advance(timedelta(minutes=30))  # 08:00 local
    assert await digest(db, commune, clock)
    assert not await digest(db, commune, clock)
    clock.advance(15 * timedelta(hours=1))  # 23:00 local, same day
    assert not await digest(db, commune, clock)
    clock.advance(timedelta(hours=2))  # 01:00 local the next day: too early again
    assert not await digest(db, commune, clock)
    clock.advance(timedelta(hours=7))  # 08:00 local on the 7th
    assert await digest(db, commune, clock)
    assert sorted(key for key in await staff_texts(db) if key.startswith("digest:")) == [
        "digest:2026-01-06",
        "digest:2026-01-07",
    ]


async def test_a_digest_missed_while_down_goes_out_at_the_next_run_that_day(db, commune, clock):
    await add_complaint(db, clock.now())
    move_to(clock, datetime(2026, 1, 6, 21, 40, tzinfo=UTC))  # down all day
    assert await digest(db, commune, clock)
    assert not await digest(db, commune, clock)


async def test_the_digest_day_is_the_local_day(db, commune, clock):
    """Morocco is UTC+1, and UTC+0 during Ramadan: the day and the hour are local."""
    await add_complaint(db, clock.now())
    at_midnight = replace(commune, digest_hour=0)
    move_to(clock, datetime(2026, 1, 6, 23, 30, tzinfo=UTC))  # 00:30 on the 7th
    assert await digest(db, at_midnight, clock)
    assert "digest:2026-01-07" in await staff_texts(db)
    move_to(clock, datetime(2026, 3, 2, 7, 30, tzinfo=UTC))  # Ramadan: 07:30
    assert not await digest(db, commune, clock)
    clock.advance(timedelta(minutes=30))
    assert await digest(db, commune, clock)


async def test_the_digest_counts_statuses_and_lists_late_complaints(db, commune, clock):
    now = clock.now()
    _, on_time = await add_complaint(db, now - 2 * DAY)
    _, late_ack = await add_complaint(db, now - 20 * DAY)
    late_answer_id, late_answer = await add_complaint(db, now - 70 * DAY)
    await set_fields(db, late_answer_id, status="in_progress", acknowledged_at=now - 69 * DAY)
    resolved_id, resolved = await add_complaint(db, now - 90 * DAY)
    await set_fields(db, resolved_id, status="resolved", acknowledged_at=now, closed_at=now)
    assert await digest(db, commune, clock)
    [text] = (await staff_texts(db)).values()
    lines = text.splitlines()
    assert lines[0] == "📋 Point quotidien des plaintes — commune de Taroudant, 05/01/2026"
    assert "Plaintes enregistrées : 4" in lines
    assert "• Reçue : 2" in lines and "• Résolue : 1" in lines
    assert "• En cours de traitement : 1" in lines
    assert "⚠️ En retard : 2" in lines
    assert lines[-2:] == [
        f"• {late_answer} — réponse en retard de 10 j",
        f"• {late_ack} — accusé de réception en retard de 5 j",
    ]
    assert on_time not in text and resolved not in text


async def test_without_any_complaint_there_is_no_digest(db, commune, clock):
    assert not await digest(db, commune, clock)

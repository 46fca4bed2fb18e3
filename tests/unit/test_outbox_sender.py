"""The outbox sender on a real database (SQLite and PostgreSQL), with a recording `send`
and simulated time: what is sent, retried, given up, and never sent twice."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.delivery_errors import (
    DeliveryError,
    Rejected,
    RetryLater,
    TransientNetworkError,
    Unreachable,
)
from bot.outbox_sender import OutboxPolicy, OutboxSender, RateLimiter
from handlers.clock import ManualClock
from handlers.serialization import outgoing_to_dict
from handlers.types import Outgoing
from storage.database import Database
from storage.models import OutboxMessage
from tests.unit.test_outbox_rate_limiter import SimulatedTime

CHANNEL = "telegram"


class RecordingSend:
    """Delivers by writing down; planned failures per chat, in order."""

    def __init__(self) -> None:
        self.sent: list[Outgoing] = []
        self.failures: dict[str, list[DeliveryError]] = {}

    def fail(self, chat_id: str, *errors: DeliveryError) -> None:
        self.failures.setdefault(chat_id, []).extend(errors)

    async def __call__(self, message: Outgoing) -> None:
        await asyncio.sleep(0)
        planned = self.failures.get(message.chat_id)
        if planned:
            raise planned.pop(0)
        self.sent.append(message)

    def texts(self, chat_id: str | None = None) -> list[str]:
        return [m.text for m in self.sent if chat_id is None or m.chat_id == chat_id]


@pytest.fixture
def time() -> SimulatedTime:
    return SimulatedTime()


@pytest.fixture
def send() -> RecordingSend:
    return RecordingSend()


def make_sender(
    db: Database, send: RecordingSend, clock: ManualClock, time: SimulatedTime, **policy: object
) -> OutboxSender:
    limiter = RateLimiter(clock=time.clock, sleep=time.sleep)
    return OutboxSender(
        db, send, channel=CHANNEL, limiter=limiter, clock=clock, policy=OutboxPolicy(**policy)
    )  # type: ignore[arg-type]


async def queue(db: Database, clock: ManualClock, messages: Iterable[tuple[str, str]]) -> None:
    """Pushes, each tied to its citizen when the chat belongs to a registered one."""
    async with db.transaction() as uow:
        for chat_id, text in messages:
            known = await uow.citizens.find(CHANNEL, chat_id)
            await uow.outbox.add(
                channel=CHANNEL,
                chat_id=chat_id,
                kind="push",
                payload=outgoing_to_dict(Outgoing(chat_id, text)),
                now=clock.now(),
                citizen_id=None if known is None else known.id,
            )


async def rows(db: Database) -> list[OutboxMessage]:
    async with db.engine.connect() as connection:
        result = await connection.execute(select(OutboxMessage).order_by(OutboxMessage.id))
        return list(result.all())  # type: ignore[arg-type]


async def test_due_rows_are_sent_once_and_marked(
    db: Database, send: RecordingSend, clock: ManualClock, time: SimulatedTime
) -> None:
    await queue(db, clock, [("1", "a1"), ("2", "b1"), ("1", "a2")])
    sender = make_sender(db, send, clock, time)
    report = await sender.drain()
    assert report.sent == 3 and send.texts("1") == ["a1", "a2"]
    assert [r.status for r in await rows(db)] == ["sent"] * 3
    assert (await sender.drain()).handled == 0
    assert len(send.sent) == 3


async def test_a_429_holds_its_chat_only_and_retries_the_row_later(
    db: Database, send: RecordingSend, clock: ManualClock, time: SimulatedTime
) -> None:
    await queue(db, clock, [("1", "a1"), ("2", "b1"), ("1", "a2"), ("3", "c1")])
    send.fail("1", RetryLater(12))
    start = time.now
    report = await make_sender(db, send, clock, time).drain()
    assert send.texts() == ["b1", "c1"]
    assert time.now - start < 1, "the other chats did not wait for chat 1's retry_after"
    assert report.retried == 1  # a1; a2 is never claimed before a1 (order of chat 1 kept)
    first, _, second, _ = await rows(db)
    assert first.status == second.status == "pending"
    assert second.due_at == first.due_at, "a2 waits as long as a1"
    assert first.due_at.replace(tzinfo=None) == (clock.now() + timedelta(seconds=12)).replace(
        tzinfo=None
    )
    clock.advance(timedelta(seconds=12))
    await make_sender(db, send, clock, time).drain()
    assert send.texts("1") == ["a1", "a2"]


async def test_a_blocked_citizen_is_marked_unreachable_and_messages_wait_for_an_unblock(
    db: Database, send: RecordingSend, clock: ManualClock, time: SimulatedTime
) -> None:
    async with db.transaction() as uow:
        await uow.citizens.register(citizen("77", clock))
    await queue(db, clock, [("77", "push 1"), ("78", "other"), ("77", "push 2")])
    send.fail("77", Unreachable("Forbidden: bot was blocked by the user"))
    report = await make_sender(db, send, clock, time).drain()
    assert report.chats_unreachable == {"77"} and send.texts() == ["other"]
    assert [r.status for r in await rows(db)] == ["failed", "sent", "pending"]
    async with db.transaction() as uow:
        found = await uow.citizens.find(CHANNEL, "77")
    assert found is not None and not found.reachable
    clock.advance(timedelta(days=1))
    assert (await make_sender(db, send, clock, time).drain()).handled == 0
    async with db.transaction() as uow:  # the citizen unblocks the bot (my_chat_member)
        await uow.citizens.set_reachable(CHANNEL, "77", True)
    assert (await make_sender(db, send, clock, time).drain()).sent == 1
    assert send.texts("77") == ["push 2"]


async def test_network_errors_back_off_then_give_up(
    db: Database, send: RecordingSend, clock: ManualClock, time: SimulatedTime
) -> None:
    await queue(db, clock, [("5", "notice")])
    send.fail("5", *[TransientNetworkError("Bad Gateway")] * 3)
    delays = []
    for _ in range(3):
        await make_sender(db, send, clock, time, max_attempts=3).drain()
        [row] = await rows(db)
        delays.append(row.due_at.replace(tzinfo=None) - clock.now().replace(tzinfo=None))
        clock.advance(delays[-1])
    assert delays[:2] == [timedelta(seconds=10), timedelta(seconds=20)]
    assert row.status == "failed" and "Bad Gateway" in (row.last_error or "")
    assert send.sent == []


async def test_a_rejected_row_fails_alone(
    db: Database, send: RecordingSend, clock: ManualClock, time: SimulatedTime
) -> None:
    await queue(db, clock, [("6", "bad"), ("6", "good")])
    send.fail("6", Rejected("Bad Request: chat not found"))
    await make_sender(db, send, clock, time).drain()
    assert [r.status for r in await rows(db)] == ["failed", "sent"]


async def test_a_row_whose_lease_is_ending_is_left_alone(
    db: Database, send: RecordingSend, clock: ManualClock, time: SimulatedTime
) -> None:
    await queue(db, clock, [("8", "late")])
    sender = make_sender(db, send, clock, time, lease=timedelta(seconds=5))
    assert (await sender.drain_once()) == 1
    assert send.sent == [] and [r.status for r in await rows(db)] == ["pending"]


async def test_two_senders_never_send_a_row_twice(
    db: Database, send: RecordingSend, clock: ManualClock, time: SimulatedTime
) -> None:
    await queue(db, clock, [(str(n % 40), f"m{n}") for n in range(120)])
    senders = [make_sender(db, send, clock, time, batch=10) for _ in range(2)]
    await asyncio.gather(*(s.drain() for s in senders))
    assert sorted(send.texts()) == sorted(f"m{n}" for n in range(120))
    assert {r.status for r in await rows(db)} == {"sent"}


def citizen(user_id: str, clock: ManualClock) -> dict[str, object]:
    """A consenting citizen's row values."""
    now = clock.now()
    return {
        "channel": CHANNEL,
        "channel_user_id": user_id,
        "chat_id": user_id,
        "language": "fr",
        "script": "Latn",
        "consent_at": now,
        "reachable": True,
        "created_at": now,
        "last_seen_at": now,
    }


async def test_ticks_never_run_two_drains_at_once(
    db: Database, send: RecordingSend, clock: ManualClock, time: SimulatedTime
) -> None:
    await queue(db, clock, [(str(n), f"m{n}") for n in range(50)])
    sender = make_sender(db, send, clock, time, batch=10)
    await sender.tick()
    running = sender._draining
    await sender.tick()  # a second tick while the first drain runs: nothing new starts
    assert sender._draining is running
    await sender.close()
    assert running is not None and running.done()
    assert len(send.sent) == len(set(send.texts())) <= 50

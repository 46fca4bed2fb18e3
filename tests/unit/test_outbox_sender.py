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
    OutsideWindow,
    Rejected,
    RetryLater,
    TransientNetworkError,
    Unreachable,
)
from bot.outbox_sender import OutboxPolicy, OutboxSender, Push, RateLimiter, Sent
from handlers.clock import ManualClock
from handlers.serialization import outgoing_to_dict
from handlers.types import Outgoing, PollShown
from storage.database import Database
from storage.models import OutboxMessage
from tests.unit.test_outbox_rate_limiter import SimulatedTime

CHANNEL = "telegram"


Shown = Sent | PollShown | None


class RecordingSend:
    """Delivers by writing down (with the `Push` each part came with); planned failures
    and planned return values per chat, in order."""

    def __init__(self) -> None:
        self.sent: list[Outgoing] = []
        self.pushes: list[Push | None] = []
        self.failures: dict[str, list[DeliveryError]] = {}
        self.returns: dict[str, list[Shown]] = {}

    def fail(self, chat_id: str, *errors: DeliveryError) -> None:
        self.failures.setdefault(chat_id, []).extend(errors)

    def answer(self, chat_id: str, *shown: Shown) -> None:
        self.returns.setdefault(chat_id, []).extend(shown)

    async def __call__(self, message: Outgoing, push: Push | None = None) -> Shown:
        await asyncio.sleep(0)
        planned = self.failures.get(message.chat_id)
        if planned:
            raise planned.pop(0)
        self.sent.append(message)
        self.pushes.append(push)
        answers = self.returns.get(message.chat_id)
        return answers.pop(0) if answers else None

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


# --- WhatsApp's 24-hour window ---------------------------------------------------------


async def test_a_row_outside_the_window_waits_for_its_citizen_and_goes_once_woken(
    db: Database, send: RecordingSend, clock: ManualClock, time: SimulatedTime
) -> None:
    await queue(db, clock, [("1", "a1"), ("2", "b1"), ("3", "c1")])
    send.fail("1", OutsideWindow("no template for a 'push' push outside the window"))
    report = await make_sender(db, send, clock, time).drain()
    assert (report.waiting, report.sent, report.retried, report.failed) == (1, 2, 0, 0)
    assert report.handled == 3 and send.texts() == ["b1", "c1"]
    waiting = (await rows(db))[0]
    assert waiting.status == "waiting" and "OutsideWindow" in (waiting.last_error or "")
    clock.advance(timedelta(days=2))
    assert (await make_sender(db, send, clock, time).drain()).handled == 0, "never retried"
    assert send.texts() == ["b1", "c1"]

    async with db.transaction() as uow:  # the citizen wrote (the webhook wakes their rows)
        assert await uow.outbox.wake_waiting(CHANNEL, "1", clock.now()) == 1
    report = await make_sender(db, send, clock, time).drain()
    assert report.sent == 1 and send.texts("1") == ["a1"]
    assert [r.status for r in await rows(db)] == ["sent"] * 3


async def test_the_message_id_the_channel_gives_is_kept_on_the_row(
    db: Database, send: RecordingSend, clock: ManualClock, time: SimulatedTime
) -> None:
    await queue(db, clock, [("1", "a1"), ("2", "b1")])
    send.answer("1", Sent("wamid.X"))
    await make_sender(db, send, clock, time).drain()
    assert [(r.status, r.channel_message_ref) for r in await rows(db)] == [
        ("sent", "wamid.X"),
        ("sent", None),
    ]
    async with db.transaction() as uow:
        found = await uow.outbox.find_sent(CHANNEL, "wamid.X")
    assert found is not None and found.payload["text"] == "a1"


async def test_a_row_in_parts_keeps_the_id_of_its_first_message(
    db: Database, send: RecordingSend, clock: ManualClock, time: SimulatedTime
) -> None:
    def halves(message: Outgoing) -> list[Outgoing]:
        return [Outgoing(message.chat_id, f"{message.text}/{n}") for n in (1, 2)]

    await queue(db, clock, [("1", "long")])
    send.answer("1", Sent("wamid.first"), Sent("wamid.second"))
    limiter = RateLimiter(clock=time.clock, sleep=time.sleep)
    sender = OutboxSender(db, send, channel=CHANNEL, parts=halves, limiter=limiter, clock=clock)
    await sender.drain()
    assert send.texts() == ["long/1", "long/2"]
    [row] = await rows(db)
    assert (row.status, row.channel_message_ref) == ("sent", "wamid.first")


async def test_a_row_in_parts_keeps_its_first_id_when_a_later_part_is_retried(
    db: Database, send: RecordingSend, clock: ManualClock, time: SimulatedTime
) -> None:
    def halves(message: Outgoing) -> list[Outgoing]:
        return [Outgoing(message.chat_id, f"{message.text}/{n}") for n in (1, 2)]

    await queue(db, clock, [("1", "long")])
    limiter = RateLimiter(clock=time.clock, sleep=time.sleep)
    sender = OutboxSender(db, send, channel=CHANNEL, parts=halves, limiter=limiter, clock=clock)
    send.answer("1", Sent("wamid.first"))
    failed_once: list[str] = []

    async def second_part_fails_once(message: Outgoing, push: Push | None = None) -> object:
        if message.text == "long/2" and not failed_once:
            failed_once.append(message.text)
            raise TransientNetworkError("connection reset")
        return await send(message, push)

    sender.send = second_part_fails_once
    await sender.drain()
    [row] = await rows(db)
    assert (row.status, row.parts_sent, row.channel_message_ref) == ("pending", 1, "wamid.first")
    clock.advance(timedelta(minutes=5))
    await sender.drain()
    [row] = await rows(db)
    assert send.texts() == ["long/1", "long/2"]
    assert (row.status, row.channel_message_ref) == ("sent", "wamid.first")


async def test_the_push_names_the_rows_kind_and_says_when_the_window_was_found_closed(
    db: Database, send: RecordingSend, clock: ManualClock, time: SimulatedTime
) -> None:
    async with db.transaction() as uow:
        for chat_id, kind in (("1", "complaint"), ("2", "broadcast")):
            await uow.outbox.add(
                channel=CHANNEL,
                chat_id=chat_id,
                kind=kind,
                payload=outgoing_to_dict(Outgoing(chat_id, kind)),
                now=clock.now(),
            )
    await make_sender(db, send, clock, time).drain()
    assert [(p.kind, p.window_closed) for p in send.pushes if p] == [
        ("complaint", False),
        ("broadcast", False),
    ]
    assert [(p.part, p.last_part) for p in send.pushes if p] == [(0, True), (0, True)]
    assert len({p.row_id for p in send.pushes if p}) == 2

    refused = (await rows(db))[1]
    async with db.transaction() as uow:  # WhatsApp reported it failed: 131047, later
        await uow.outbox.refused_outside_window(refused.id, clock.now(), "OutsideWindow")
    await make_sender(db, send, clock, time).drain()
    assert send.texts() == ["complaint", "broadcast", "broadcast"]
    last = send.pushes[-1]
    assert last is not None and (last.kind, last.window_closed) == ("broadcast", True)

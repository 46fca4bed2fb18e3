"""Broadcasts and published results on SQLite and PostgreSQL, delivered through the real
OutboxSender and RateLimiter on a simulated clock: 429 waited out, 403 marks the citizen
unreachable, a sender dropped half-way leaves every citizen served exactly once; the
"Answer now" button; `/broadcast` for staff admins only; results published once."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery_errors import RetryLater, Unreachable
from bot.outbox_sender import OutboxSender, RateLimiter
from handlers.consultations import broadcast_consultation, publish_results
from handlers.serialization import outgoing_from_dict
from handlers.staff import broadcast_message, broadcast_prefix
from handlers.turns import CoreSettings
from handlers.types import ButtonPress, Outgoing
from storage.models import Citizen as CitizenRow
from storage.models import ConsultationRecord, OutboxMessage
from storage.repositories.consultations import CLOSED
from tests.consultations import open_consultation, small_document
from tests.dialogue import Citizen

START = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
CHANNEL = "test"


class SimulatedTime:
    """One simulated timeline for the sender's clock and the rate limiter."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def now(self) -> datetime:
        return START + timedelta(seconds=self.seconds)

    def monotonic(self) -> float:
        return self.seconds

    async def sleep(self, seconds: float) -> None:
        self.seconds += max(seconds, 0.0)


class Crash(Exception):
    """The process dies (not a delivery error: it escapes the sender)."""


class RecordingChannel:
    """A fake channel: records what it delivers and when; answers 429 once for chats in
    `throttle`, 403 for chats in `blocked`, and dies after `crash_after` deliveries."""

    def __init__(self, time: SimulatedTime, *, throttle=(), blocked=(), crash_after=None):
        self.time = time
        self.throttle = set(throttle)
        self.blocked = set(blocked)
        self.crash_after = crash_after
        self.delivered: list[tuple[float, Outgoing]] = []
        self.refused_at: dict[str, float] = {}

    async def send(self, message: Outgoing, _push: object = None) -> None:
        if self.crash_after is not None and len(self.delivered) >= self.crash_after:
            raise Crash()
        if message.chat_id in self.blocked:
            raise Unreachable("Forbidden: bot was blocked by the user")
        if message.chat_id in self.throttle:
            self.throttle.discard(message.chat_id)
            self.refused_at[message.chat_id] = self.time.seconds
            raise RetryLater(5, "Too Many Requests: retry after 5")
        self.delivered.append((self.time.seconds, message))


def sender(db, channel: RecordingChannel, time: SimulatedTime) -> OutboxSender:
    limiter = RateLimiter(clock=time.monotonic, sleep=time.sleep)
    return OutboxSender(db, channel.send, channel=CHANNEL, limiter=limiter, clock=time)


async def drain_all(db, channel, time, rounds: int = 50) -> None:
    """Drain until nothing is pending, moving time on between drains (retries fall due)."""
    outbox = sender(db, channel, time)
    for _ in range(rounds):
        await outbox.drain()
        async with db.transaction() as uow:
            if not (await uow.outbox.delivery_counts("broadcast:")).get("pending"):
                return
        await time.sleep(1)


async def add_citizens(db, count: int, **fields) -> list[int]:
    ids = []
    async with db.transaction() as uow:
        for n in range(count):
            values = {
                "channel": CHANNEL,
                "channel_user_id": f"c{n}",
                "chat_id": f"c{n}",
                "language": "fr",
                "script": "Latn",
                "consent_at": START,
                "reachable": True,
                "created_at": START,
                "last_seen_at": START,
                **fields,
            }
            ids.append(await uow.citizens.register(values))
    return ids


@pytest.fixture
async def small(db):
    record_id, _ = await open_consultation(db, small_document(), START)
    return record_id


async def test_a_broadcast_reaches_everyone_once_honouring_429_and_403(db, small):
    await add_citizens(db, 6)
    async with db.transaction() as uow:
        queued = await broadcast_consultation(uow, CoreSettings(), "small", START)
    assert (queued.targeted, queued.queued) == (6, 6)
    time = SimulatedTime()
    channel = RecordingChannel(time, throttle={"c2"}, blocked={"c4"})
    await drain_all(db, channel, time)

    chats = Counter(message.chat_id for _, message in channel.delivered)
    assert chats == Counter({"c0": 1, "c1": 1, "c2": 1, "c3": 1, "c5": 1})
    retried_at = next(at for at, message in channel.delivered if message.chat_id == "c2")
    assert retried_at >= channel.refused_at["c2"] + 5
    others = [at for at, m in channel.delivered if m.chat_id != "c2"]
    assert max(others) < channel.refused_at["c2"] + 1, "only c2 waited out its retry_after"
    message = channel.delivered[0][1]
    assert message.text.startswith("🗳️ Nouvelle consultation : Petite consultation")
    assert message.button_labels == ["🗳️ Répondre maintenant"]
    async with db.transaction() as uow:
        counts = await uow.outbox.delivery_counts(queued.dedupe_prefix)
        blocked = await uow.citizens.find(CHANNEL, "c4")
    assert counts == {
        "sent": 5,
        "failed": 0,
        "pending": 0,
        "cancelled": 0,
        "waiting": 0,
        "unreachable": 1,
    }
    assert blocked is not None and blocked.reachable is False


async def test_the_rate_limits_hold(db, small):
    await add_citizens(db, 90)
    async with db.transaction() as uow:
        await broadcast_consultation(uow, CoreSettings(), "small", START)
    time = SimulatedTime()
    channel = RecordingChannel(time)
    await drain_all(db, channel, time)
    times = sorted(at for at, _ in channel.delivered)
    assert len(times) == 90
    assert all(b - a >= 1 / 30 - 1e-9 for a, b in pairwise(times))


async def test_a_sender_dropped_half_way_and_a_rerun_leave_everyone_served_once(db, small):
    await add_citizens(db, 40)
    async with db.transaction() as uow:
        await broadcast_consultation(uow, CoreSettings(), "small", START)
    time = SimulatedTime()
    first = RecordingChannel(time, crash_after=12)
    with pytest.raises(Crash):
        await sender(db, first, time).drain()
    assert len(first.delivered) == 12
    async with db.transaction() as uow:  # staff run the broadcast again meanwhile
        again = await broadcast_consultation(uow, CoreSettings(), "small", time.now())
    assert (again.targeted, again.queued) == (40, 0)
    await time.sleep(6 * 60)  # the dead sender's leases end
    second = RecordingChannel(time)
    await drain_all(db, second, time)
    chats = Counter(m.chat_id for _, m in first.delivered + second.delivered)
    assert chats == Counter({f"c{n}": 1 for n in range(40)})


async def test_a_staff_message_goes_to_one_quarter_once(db):
    await add_citizens(db, 3, quarter="Medina")
    async with db.transaction() as uow:
        await uow.citizens.register(
            {
                "channel": CHANNEL, "channel_user_id": "far", "chat_id": "far",
                "language": "ar", "script": "Arab", "consent_at": START, "reachable": True,
                "created_at": START, "last_seen_at": START, "quarter": "Assarag",
            }
        )  # fmt: skip
        first = await broadcast_message(
            uow, None, "Coupure d'eau demain", START, quarters=["Medina"]
        )
        second = await broadcast_message(
            uow, None, "Coupure d'eau demain", START, quarters=["Medina"]
        )
    assert (first.targeted, first.queued, second.queued) == (3, 3, 0)
    assert first.name == second.name


async def test_answer_now_opens_the_consultation(core, db, clock, small):
    clock.advance(START - clock.now())
    citizen = Citizen(core, "amina")
    await citizen.says("Bonjour")
    await citizen.presses("Français")
    await citizen.presses("✅")
    async with db.transaction() as uow:
        await broadcast_consultation(uow, CoreSettings(), "small", clock.now())
    async with AsyncSession(db.engine) as session:
        row = (await session.execute(select(OutboxMessage))).scalar_one()
    announcement = outgoing_from_dict(row.payload)
    await citizen.send_payload(ButtonPress(announcement.buttons[0][0].id))
    assert "Trois questions." in citizen.last_text
    await citizen.presses("▶️")
    assert "Aimez-vous la place ?" in citizen.last_text
    forged = await citizen.send_payload(ButtonPress("v.open.999"))
    assert "Petite consultation" not in forged[-1].text


async def test_broadcast_command_is_for_staff_admins_only(core, db, clock, small):
    citizen = Citizen(core, "someone")
    await citizen.command("nonsense")  # the first message is also greeted
    [unknown] = await citizen.command("nonsense")
    [forged] = await citizen.command("broadcast", "small")
    assert forged.text == unknown.text
    async with db.transaction() as uow:
        await uow.staff.save(CHANNEL, "agent", "Agent", "agent", clock.now())
        await uow.staff.save(CHANNEL, "admin", "Admin", "admin", clock.now())
    refused = await Citizen(core, "agent").command("broadcast", "small")
    assert "Cette action est réservée au personnel de la commune." in texts(refused)
    await add_citizens(db, 2)
    admin = Citizen(core, "admin")
    done = await admin.command("broadcast", "small")
    assert "2 message(s) mis en file pour 2 personne(s) ciblée(s)" in texts(done)
    again = await admin.command("broadcast", "small")
    assert "0 message(s) mis en file pour 2 personne(s) ciblée(s)" in texts(again)
    assert "« nope »" in texts(await admin.command("broadcast", "nope"))


def texts(replies) -> str:
    return "\n".join(reply.text for reply in replies)


async def test_results_are_published_once_to_each_participant(db, small):
    ids = await add_citizens(db, 3)
    async with db.transaction() as uow:
        for n, citizen_id in enumerate(ids):
            values = {
                "consultation_id": small, "citizen_id": citizen_id,
                "dedupe_token": f"t{n}", "started_at": START, "submitted_at": START,
                "locale": "fr", "language": "fr",
            }  # fmt: skip
            likes = "yes" if n < 2 else "no"
            answers = [
                {"question_key": "likes", "text_value": likes, "choice_values": [likes]},
                {"question_key": "score", "number_value": float(n + 3)},
            ]
            await uow.consultations.add_response(values, answers)
        record = await uow.consultations.get(small)
        await uow.consultations.set_status(record, CLOSED, START)
    async with db.transaction() as uow:
        first = await publish_results(uow, None, "small", START)
    async with db.transaction() as uow:
        second = await publish_results(uow, None, "small", START + timedelta(days=1))
    assert (first.participants, first.queued, second.queued) == (3, 3, 0)
    async with AsyncSession(db.engine) as session:
        rows = list((await session.execute(select(OutboxMessage))).scalars())
        record = await session.get(ConsultationRecord, small)
    assert {row.dedupe_key for row in rows} == {f"results:small:{i}" for i in ids}
    text = rows[0].payload["text"]
    assert "(3 réponses)" in text and "Oui 66.7%" in text and "moyenne 4.0" in text
    assert record.results_published_at == START
    assert not broadcast_prefix("small").startswith("results:")
    assert CitizenRow.__tablename__ == "citizens"


async def test_a_citizen_who_had_blocked_the_bot_gets_the_broadcast_on_unblocking(db, small):
    await add_citizens(db, 2)
    async with db.transaction() as uow:
        await uow.citizens.set_reachable(CHANNEL, "c1", False)
        queued = await broadcast_consultation(uow, CoreSettings(), "small", START)
    assert (queued.targeted, queued.queued) == (2, 2)
    time = SimulatedTime()
    channel = RecordingChannel(time)
    await drain_all(db, channel, time)
    assert [message.chat_id for _, message in channel.delivered] == ["c0"]
    async with db.transaction() as uow:
        counts = await uow.outbox.delivery_counts(queued.dedupe_prefix)
        await uow.citizens.set_reachable(CHANNEL, "c1", True)  # they unblock the bot
    assert counts["unreachable"] == 1
    await drain_all(db, channel, time)
    assert [message.chat_id for _, message in channel.delivered] == ["c0", "c1"]


async def test_a_sender_restarted_after_a_kill_resumes_within_seconds(db, small):
    """The rows a dead sender claimed come back after its short lease, not minutes later;
    at most the message on its way at the kill can go twice (here none was)."""
    await add_citizens(db, 40)
    async with db.transaction() as uow:
        await broadcast_consultation(uow, CoreSettings(), "small", START)
    time = SimulatedTime()
    first = RecordingChannel(time, crash_after=12)
    with pytest.raises(Crash):
        await sender(db, first, time).drain()
    await time.sleep(25)  # the restart
    second = RecordingChannel(time)
    await sender(db, second, time).drain()
    chats = Counter(m.chat_id for _, m in first.delivered + second.delivered)
    assert chats == Counter({f"c{n}": 1 for n in range(40)})
    assert max(at for at, _ in second.delivered) < 25 + 5


class SlowChannel(RecordingChannel):
    """Every send takes three seconds (a slow network)."""

    async def send(self, message: Outgoing, _push: object = None) -> None:
        await self.time.sleep(3)
        await super().send(message)


async def test_a_slow_batch_keeps_its_claim(db, small):
    await add_citizens(db, 30)
    async with db.transaction() as uow:
        await broadcast_consultation(uow, CoreSettings(), "small", START)
    time = SimulatedTime()
    channel = SlowChannel(time)
    report = await sender(db, channel, time).drain_once()
    assert report == 30
    assert len(channel.delivered) == 30, "renewed: no row of the batch was left behind"

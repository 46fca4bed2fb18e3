"""The outbox's pace, in simulated time: 30 messages/s in total, 1/s per chat."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

import pytest

from bot.outbox_sender import RateLimiter, interleaved


class SimulatedTime:
    """A clock that moves only when someone sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Row:
    id: int
    chat_id: str


def broadcast_rows(chats: int, rounds: int, seed: int = 7) -> list[Row]:
    """`rounds` broadcasts to `chats` citizens, in the order they would sit in the outbox."""
    rng = random.Random(seed)
    rows: list[Row] = []
    for _ in range(rounds):
        audience = [f"{9000 + n}" for n in range(chats)]
        rng.shuffle(audience)
        rows += [Row(len(rows) + 1, chat) for chat in audience]
    return rows


async def send_all(
    rows: list[Row], limiter: RateLimiter, time: SimulatedTime
) -> list[tuple[float, str]]:
    """Deliver in batches of 30, as the outbox sender claims them; (time, chat) per send."""
    sent: list[tuple[float, str]] = []
    for start in range(0, len(rows), 30):
        for row in interleaved(rows[start : start + 30]):  # type: ignore[arg-type]
            await limiter.acquire(row.chat_id)
            sent.append((time.now, row.chat_id))
    return sent


async def test_10000_messages_to_500_chats_stay_within_telegrams_limits() -> None:
    time = SimulatedTime()
    limiter = RateLimiter(clock=time.clock, sleep=time.sleep)
    sent = await send_all(broadcast_rows(chats=500, rounds=20), limiter, time)
    assert len(sent) == 10_000
    times = [at for at, _ in sent]
    rate = (len(times) - 1) / (times[-1] - times[0])
    assert 28.5 <= rate <= 30.0
    # Telegram counts over sliding windows: never 31 sends within one second.
    assert min(times[i + 30] - times[i] for i in range(len(times) - 30)) >= 1.0 - 1e-9
    last_to: dict[str, float] = {}
    for at, chat in sent:
        assert at - last_to.get(chat, -10.0) >= 1.0 - 1e-9, f"chat {chat} twice within 1 s"
        last_to[chat] = at


async def test_one_chat_gets_one_message_a_second() -> None:
    time = SimulatedTime()
    limiter = RateLimiter(clock=time.clock, sleep=time.sleep)
    sent = await send_all([Row(n, "9001") for n in range(5)], limiter, time)
    assert [round(at - sent[0][0], 6) for at, _ in sent] == [0, 1.05, 2.1, 3.15, 4.2]


async def test_a_busy_chat_does_not_hold_back_the_others() -> None:
    time = SimulatedTime()
    limiter = RateLimiter(clock=time.clock, sleep=time.sleep)
    rows = [Row(n, "9001") for n in range(10)] + [Row(10 + n, f"{n}") for n in range(20)]
    sent = await send_all(rows, limiter, time)
    others = [at for at, chat in sent if chat != "9001"]
    assert others[-1] - sent[0][0] <= 1.0  # 20 other chats served within the first second


async def test_a_429_holds_its_chat_only() -> None:
    time = SimulatedTime()
    limiter = RateLimiter(clock=time.clock, sleep=time.sleep)
    await limiter.acquire("9001")
    limiter.hold("9001", 7)
    start = time.now
    await limiter.acquire("9002")
    assert time.now - start == pytest.approx(limiter.interval), "another chat goes on"
    await limiter.acquire("9001")
    assert time.now - start == pytest.approx(7)


async def test_a_group_gets_twenty_messages_a_minute_at_most() -> None:
    time = SimulatedTime()
    limiter = RateLimiter(clock=time.clock, sleep=time.sleep)
    sent = await send_all([Row(n, "-1001") for n in range(21)], limiter, time)
    assert sent[20][0] - sent[0][0] >= 60.0


async def test_a_chat_burst_goes_at_once_then_one_message_per_interval() -> None:
    """WhatsApp's pair limit: 45 messages to one person at once, then one per 6 s."""
    time = SimulatedTime()
    limiter = RateLimiter(1000.0, 6.0, chat_burst=45, clock=time.clock, sleep=time.sleep)
    sent = await send_all([Row(n, "212600000001") for n in range(45 + 100)], limiter, time)
    times = [at - sent[0][0] for at, _ in sent]
    assert times[44] < 0.1, "the burst waits only for the total pace (1,000/s here)"
    # The 46th waits for one token: about 6 s (the burst's own 0.04 s already count).
    assert times[45] - times[44] == pytest.approx(6.0, abs=0.1)
    gaps = [later - earlier for earlier, later in itertools.pairwise(times[45:])]
    assert min(gaps) >= 6.0 - 1e-9
    assert (times[-1] - times[45]) / (len(times) - 46) == pytest.approx(6.0, abs=0.01)


async def test_a_chat_burst_refills_while_the_chat_gets_nothing() -> None:
    time = SimulatedTime()
    limiter = RateLimiter(1000.0, 6.0, chat_burst=45, clock=time.clock, sleep=time.sleep)
    await send_all([Row(n, "212600000001") for n in range(45)], limiter, time)
    await time.sleep(45 * 6.0)
    start = time.now
    await send_all([Row(n, "212600000001") for n in range(45)], limiter, time)
    assert time.now - start < 0.1, "a full burst again after 45 intervals of silence"
    assert limiter.delay("212600000001") == pytest.approx(6.0, abs=0.1)
    assert limiter.delay("212600000002") <= limiter.interval, "other chats have their own"


async def test_without_a_burst_a_chat_is_spaced_by_its_interval() -> None:
    time = SimulatedTime()
    limiter = RateLimiter(1000.0, 6.0, clock=time.clock, sleep=time.sleep)
    sent = await send_all([Row(n, "212600000001") for n in range(3)], limiter, time)
    assert [round(at - sent[0][0], 6) for at, _ in sent] == [0, 6.0, 12.0]

"""Benchmark of a broadcast to N citizens through the outbox: the real OutboxSender and
RateLimiter on a simulated clock, against a fake channel that refuses (429, as Telegram
does) what exceeds Telegram's limits: 30 messages/s in total over any 1 s window, 1
message/s per chat. Run for an announcement (one message each) and a quick poll (an intro,
then the native poll: two messages to each chat), each part sent as Telegram would.

    python bench/broadcast.py --recipients 10000 --backend sqlite postgresql

Prints the achieved rate (target: at least 95% of 30/s), refusals, parts delivered twice
and missing (targets: 0), and the wall-clock seconds spent queueing and draining.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections import Counter, deque
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.scratch_databases import scratch_database
from bot.delivery_errors import RetryLater
from bot.outbox_sender import OutboxSender, RateLimiter
from bot.telegram.sender import TelegramSender
from handlers.consultations import broadcast_consultation
from handlers.turns import CoreSettings
from handlers.types import Outgoing, PollShown
from storage.database import Database
from tests.consultations import open_consultation, quick_poll_document, small_document

START = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
CHANNEL = "telegram"
TOTAL_PER_SECOND, CHAT_INTERVAL = 30, 1.0


class SimulatedTime:
    def __init__(self) -> None:
        self.seconds = 0.0

    def now(self) -> datetime:
        return START + timedelta(seconds=self.seconds)

    def monotonic(self) -> float:
        return self.seconds

    async def sleep(self, seconds: float) -> None:
        self.seconds += max(seconds, 0.0)


class RefusingChannel:
    """Delivers what keeps within Telegram's limits and refuses the rest with a 429."""

    def __init__(self, time: SimulatedTime) -> None:
        self.time = time
        self.window: deque[float] = deque()
        self.last_by_chat: dict[str, float] = {}
        self.received: Counter[tuple[str, bool]] = Counter()  # (chat, is the poll)
        self.refused = 0

    async def send(self, part: Outgoing, _push: object = None) -> PollShown | None:
        now = self.time.seconds
        while self.window and self.window[0] <= now - 1.0:
            self.window.popleft()
        last = self.last_by_chat.get(part.chat_id)
        if len(self.window) >= TOTAL_PER_SECOND or (
            last is not None and now - last < CHAT_INTERVAL
        ):
            self.refused += 1
            raise RetryLater(1)
        self.window.append(now)
        self.last_by_chat[part.chat_id] = now
        self.received[(part.chat_id, part.poll is not None)] += 1
        return PollShown(f"poll-{part.chat_id}", str(len(self.received))) if part.poll else None


async def add_citizens(db: Database, count: int) -> None:
    async with db.transaction() as uow:
        for n in range(count):
            await uow.citizens.register(
                {
                    "channel": CHANNEL, "channel_user_id": str(10_000_000 + n),
                    "chat_id": str(10_000_000 + n), "language": ("fr", "ar", "ary")[n % 3],
                    "script": "Latn" if n % 3 == 0 else "Arab", "consent_at": START,
                    "reachable": True, "created_at": START, "last_seen_at": START,
                }
            )  # fmt: skip


async def run(db: Database, recipients: int, backend: str, key: str, kind: str) -> None:
    began = time.perf_counter()
    async with db.transaction() as uow:
        queued = await broadcast_consultation(uow, CoreSettings(), key, START)
    queueing = time.perf_counter() - began
    clock = SimulatedTime()
    channel = RefusingChannel(clock)
    limiter = RateLimiter(clock=clock.monotonic, sleep=clock.sleep)  # the bot's own defaults
    parts = TelegramSender(calls=None).parts  # Telegram's cut: a poll is an intro, then it
    sender = OutboxSender(db, channel.send, channel=CHANNEL, parts=parts, limiter=limiter,
                          clock=clock)  # fmt: skip
    began = time.perf_counter()
    report = await sender.drain()
    draining = time.perf_counter() - began
    delivered = sum(channel.received.values())
    rate = delivered / clock.seconds if clock.seconds else float("inf")
    twice = sum(count - 1 for count in channel.received.values() if count > 1)
    expected = queued.queued * (2 if kind == "quick poll" else 1)
    print(
        f"{backend:10} {kind:12} recipients {recipients}  queued {queued.queued} in "
        f"{queueing:.1f} s  sent {report.sent} rows / {delivered} messages in "
        f"{clock.seconds:.1f} simulated s  rate {rate:.2f}/s "
        f"({100 * rate / TOTAL_PER_SECOND:.1f}% of {TOTAL_PER_SECOND}/s)  "
        f"refused {channel.refused}  twice {twice}  missing {expected - delivered}  "
        f"wall {draining:.1f} s ({delivered / draining:.0f} messages/s of sender work)"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument(
        "--backend", nargs="+", choices=("sqlite", "postgresql"), default=["sqlite"]
    )
    args = parser.parse_args()
    for backend in args.backend:
        async with scratch_database(backend) as db:
            await open_consultation(db, small_document(), START)
            await open_consultation(db, quick_poll_document(), START)
            await add_citizens(db, args.recipients)
            await run(db, args.recipients, backend, "small", "announcement")
            await run(db, args.recipients, backend, "slot_poll", "quick poll")


if __name__ == "__main__":
    asyncio.run(main())

"""Benchmark of a broadcast to N citizens through the outbox: the real OutboxSender and
RateLimiter on a simulated clock, against a fake channel that checks Telegram's limits
(30 messages/s in total over any 1 s window, 1 message/s per chat).

    python bench/broadcast.py --recipients 10000 --backend sqlite postgresql

Prints the achieved rate (target: at least 95% of 30/s), limit violations and duplicates
(targets: 0), and the wall-clock seconds spent queueing and draining.
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
from bot.outbox_sender import OutboxSender, RateLimiter
from handlers.consultations import broadcast_consultation
from handlers.turns import CoreSettings
from handlers.types import Outgoing
from storage.database import Database
from tests.consultations import open_consultation, small_document

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


class LimitCheckingChannel:
    """Accepts every message and counts what Telegram would have refused."""

    def __init__(self, time: SimulatedTime) -> None:
        self.time = time
        self.window: deque[float] = deque()
        self.last_by_chat: dict[str, float] = {}
        self.received: Counter[str] = Counter()
        self.violations = 0

    async def send(self, message: Outgoing) -> None:
        now = self.time.seconds
        while self.window and self.window[0] <= now - 1.0 + 1e-9:  # float spacing
            self.window.popleft()
        self.window.append(now)
        if len(self.window) > TOTAL_PER_SECOND:
            self.violations += 1
        last = self.last_by_chat.get(message.chat_id)
        if last is not None and now - last < CHAT_INTERVAL - 1e-9:
            self.violations += 1
        self.last_by_chat[message.chat_id] = now
        self.received[message.chat_id] += 1


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


async def run(db: Database, recipients: int, backend: str) -> None:
    await open_consultation(db, small_document(), START)
    await add_citizens(db, recipients)
    began = time.perf_counter()
    async with db.transaction() as uow:
        queued = await broadcast_consultation(uow, CoreSettings(), "small", START)
    queueing = time.perf_counter() - began
    clock = SimulatedTime()
    channel = LimitCheckingChannel(clock)
    limiter = RateLimiter(TOTAL_PER_SECOND, CHAT_INTERVAL, clock=clock.monotonic, sleep=clock.sleep)
    sender = OutboxSender(db, channel.send, channel=CHANNEL, limiter=limiter, clock=clock)
    began = time.perf_counter()
    report = await sender.drain()
    draining = time.perf_counter() - began
    delivered = sum(channel.received.values())
    rate = delivered / clock.seconds if clock.seconds else float("inf")
    duplicates = sum(count - 1 for count in channel.received.values() if count > 1)
    missing = queued.queued - len(channel.received)
    print(
        f"{backend:10} recipients {recipients}  queued {queued.queued} in {queueing:.1f} s  "
        f"sent {report.sent} in {clock.seconds:.1f} simulated s  rate {rate:.2f}/s "
        f"({100 * rate / TOTAL_PER_SECOND:.1f}% of {TOTAL_PER_SECOND}/s)  "
        f"violations {channel.violations}  duplicates {duplicates}  missing {missing}  "
        f"wall {draining:.1f} s ({delivered / draining:.0f} rows/s of sender work)"
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
            await run(db, args.recipients, backend)


if __name__ == "__main__":
    asyncio.run(main())

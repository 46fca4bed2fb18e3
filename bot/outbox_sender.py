"""Delivers the outbox (pushes, reminders, broadcasts, queued replies) at the channel's pace.

Channel-neutral: it takes any `async send(Outgoing)` that raises `bot.delivery_errors` and
returns where the platform put a native poll (recorded with the row's delivery, so votes
find their consultation and the poll can be closed with it).
Each row is claimed with a lease (another sender skips it meanwhile), sent, and marked sent
in its own transaction right after: a row is sent twice only if the process dies between
the send and that commit (Telegram offers no idempotency key to close that gap).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from bot.delivery_errors import (
    DeliveryError,
    RetryLater,
    TransientNetworkError,
    Unreachable,
)
from handlers.clock import Clock, SystemClock
from handlers.consultations import remember_sent_poll
from handlers.serialization import outgoing_from_dict
from handlers.types import Outgoing, PollShown
from storage.database import Database
from storage.models import OutboxMessage

logger = logging.getLogger(__name__)

Send = Callable[[Outgoing], Awaitable[PollShown | None]]
Sleep = Callable[[float], Awaitable[None]]


class RateLimiter:
    """At most `per_second` sends in total, evenly spaced, and one per chat per `chat_interval`.

    Evenly spaced (a bucket of one token) rather than bursts: Telegram counts over sliding
    windows, and a burst of 30 followed by 30/s would put 60 in one second. Takes a clock
    and a sleep so tests can run hours of sending in simulated time.
    """

    def __init__(
        self,
        per_second: float = 30.0,
        chat_interval: float = 1.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.interval = 1.0 / per_second
        self.chat_interval = chat_interval
        self.clock = clock
        self.sleep = sleep
        self._next_send = -math.inf
        self._paused_until = -math.inf
        self._chat_next: dict[str, float] = {}

    def delay(self, chat_id: str) -> float:
        """Seconds to wait before a send to `chat_id` is allowed (0: now)."""
        ready = max(self._next_send, self._paused_until, self._chat_next.get(chat_id, -math.inf))
        return max(0.0, ready - self.clock())

    async def acquire(self, chat_id: str) -> None:
        """Wait for the right to send one message to `chat_id`, and take it."""
        while (wait := self.delay(chat_id)) > 0:
            await self.sleep(wait)
        now = self.clock()
        self._next_send = max(self._next_send, now) + self.interval
        self._chat_next[chat_id] = now + self.chat_interval
        if len(self._chat_next) > 10_000:
            self._chat_next = {c: t for c, t in self._chat_next.items() if t > now}

    def pause(self, seconds: float) -> None:
        """Send nothing at all for `seconds` (the platform said 429)."""
        self._paused_until = max(self._paused_until, self.clock() + seconds)


@dataclass(frozen=True, slots=True)
class OutboxPolicy:
    batch: int = 30  # rows claimed at once: about one second of sending
    lease: timedelta = timedelta(minutes=5)  # a claimed row is ours this long
    lease_margin: timedelta = timedelta(seconds=15)  # don't start a send this close to the end
    max_attempts: int = 6  # network failures before a row is given up
    backoff: timedelta = timedelta(seconds=10)  # first retry delay, doubled after each


@dataclass(frozen=True, slots=True)
class Hold:
    """Why a chat's later rows wait in this batch: they follow its failed row."""

    error: DeliveryError | None  # None: the lease ended, leave them to the next claimer
    delay: timedelta | None = None  # retry them with the failed row's delay


@dataclass
class DrainReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    chats_unreachable: set[str] = field(default_factory=set)

    @property
    def handled(self) -> int:
        """Rows this drain dealt with, whatever the outcome."""
        return self.sent + self.retried + self.failed + self.skipped


class OutboxSender:
    """Claims due rows of one channel and delivers them within the rate limits."""

    def __init__(
        self,
        db: Database,
        send: Send,
        *,
        channel: str,
        limiter: RateLimiter | None = None,
        clock: Clock | None = None,
        policy: OutboxPolicy | None = None,
    ) -> None:
        self.db = db
        self.send = send
        self.channel = channel
        self.limiter = limiter or RateLimiter()
        self.clock = clock or SystemClock()
        self.policy = policy or OutboxPolicy()
        self._stopping = False
        self._idle = asyncio.Event()
        self._idle.set()
        self._draining: asyncio.Task[DrainReport] | None = None

    async def tick(self) -> None:
        """The scheduler's job: start draining unless a drain is already running.

        Returns at once, so a long drain (a broadcast, a 429 pause) never overlaps the next
        tick and APScheduler has no run to skip; the drain itself goes on until nothing is
        due, at full pace."""
        if self._stopping or (self._draining is not None and not self._draining.done()):
            return
        self._draining = asyncio.create_task(self.drain())
        self._draining.add_done_callback(_log_failure)

    async def drain(self, max_seconds: float | None = None) -> DrainReport:
        """Deliver due rows batch after batch until none is due (or time is up)."""
        report = DrainReport()
        deadline = None if max_seconds is None else self.limiter.clock() + max_seconds
        self._idle.clear()
        try:
            while not self._stopping and (deadline is None or self.limiter.clock() < deadline):
                if not await self.drain_once(report):
                    break
        finally:
            self._idle.set()
        return report

    async def close(self, timeout: float = 10.0) -> None:
        """Stop after the row being sent (claimed rows left are retaken when leases end)."""
        self._stopping = True
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._idle.wait(), timeout)
        if self._draining is not None and not self._draining.done():
            self._draining.cancel()  # waiting out a long 429 pause, or a request that hangs
            with contextlib.suppress(asyncio.CancelledError):
                await self._draining

    async def drain_once(self, report: DrainReport | None = None) -> int:
        """Claim one batch and deliver it; the number of rows claimed."""
        report = report if report is not None else DrainReport()
        now = self.clock.now()
        async with self.db.transaction() as uow:
            rows = await uow.outbox.claim_due(
                now, limit=self.policy.batch, lease=self.policy.lease, channel=self.channel
            )
        held: dict[str, Hold] = {}  # chat → why its later rows wait (keeps each chat in order)
        for row in interleaved(rows):
            if self._stopping:
                break
            if row.chat_id in held:
                await self._hold_back(row, held[row.chat_id], report)
            elif (hold := await self._deliver(row, report)) is not None:
                held[row.chat_id] = hold
        return len(rows)

    async def _deliver(self, row: OutboxMessage, report: DrainReport) -> Hold | None:
        """Send one row and record the outcome; a `Hold` when the chat's next rows must wait."""
        if self._lease_ending(row):
            report.skipped += 1  # another sender may take it over: never send it twice
            return Hold(None)
        await self.limiter.acquire(row.chat_id)
        message = outgoing_from_dict(row.payload)
        try:
            shown = await self.send(message)
        except DeliveryError as error:
            return await self._failed(row, error, report)
        async with self.db.transaction() as uow:
            now = self.clock.now()
            await uow.outbox.mark_sent(row.id, now)
            if shown is not None:
                await remember_sent_poll(uow, self.channel, message, row.citizen_id, shown, now)
        report.sent += 1
        return None

    async def _failed(
        self, row: OutboxMessage, error: DeliveryError, report: DrainReport
    ) -> Hold | None:
        """Retry later, give up, or mark the person unreachable, depending on the error."""
        if isinstance(error, RetryLater):
            self.limiter.pause(error.seconds)
            delay = timedelta(seconds=error.seconds)
        elif isinstance(error, Unreachable):
            await self._unreachable(row, error, report)
            return Hold(error)
        elif (
            isinstance(error, TransientNetworkError) and row.attempts + 1 < self.policy.max_attempts
        ):
            delay = self.policy.backoff * 2**row.attempts
        else:
            await self._give_up(row, error, report)
            return None
        await self._retry(row, delay, error, report)
        return Hold(error, delay)

    async def _hold_back(self, row: OutboxMessage, hold: Hold, report: DrainReport) -> None:
        """An earlier row of this chat failed: this one waits (or fails) with it."""
        if hold.error is None:
            report.skipped += 1
        elif isinstance(hold.error, Unreachable):
            await self._give_up(row, hold.error, report)
        else:  # the same due time as the failed row: the chat's order is kept
            await self._retry(row, hold.delay or self.policy.backoff, hold.error, report)

    async def _retry(
        self, row: OutboxMessage, delay: timedelta, error: DeliveryError, report: DrainReport
    ) -> None:
        """Put the row back, due after `delay` (its attempts count goes up)."""
        async with self.db.transaction() as uow:
            await uow.outbox.retry_later(row.id, self.clock.now() + delay, _describe(error))
        report.retried += 1

    async def _give_up(self, row: OutboxMessage, error: DeliveryError, report: DrainReport) -> None:
        """Never try this row again."""
        logger.warning("outbox row %s failed for good: %s", row.id, _describe(error))
        async with self.db.transaction() as uow:
            await uow.outbox.mark_failed(row.id, _describe(error))
        report.failed += 1

    async def _unreachable(
        self, row: OutboxMessage, error: DeliveryError, report: DrainReport
    ) -> None:
        """The person blocked the bot (in a private chat, the chat id is their user id)."""
        async with self.db.transaction() as uow:
            await uow.citizens.set_reachable(self.channel, row.chat_id, False)
            await uow.outbox.mark_failed(row.id, _describe(error))
        report.failed += 1
        report.chats_unreachable.add(row.chat_id)

    def _lease_ending(self, row: OutboxMessage) -> bool:
        """Too close to the end of our claim to start sending this row."""
        claimed_until = row.claimed_until
        return claimed_until is None or self.clock.now() + self.policy.lease_margin >= claimed_until


def interleaved(rows: Iterable[OutboxMessage]) -> list[OutboxMessage]:
    """Rows round-robin by chat, each chat's own order kept: one busy chat (1 msg/s) then
    never holds back a broadcast to the others."""
    by_chat: dict[str, list[OutboxMessage]] = defaultdict(list)
    for row in rows:
        by_chat[row.chat_id].append(row)
    queues = list(by_chat.values())
    longest = max((len(q) for q in queues), default=0)
    return [q[i] for i in range(longest) for q in queues if i < len(q)]


def _log_failure(task: asyncio.Task[DrainReport]) -> None:
    """A drain that crashed (database down…) is logged; the next tick starts another."""
    if not task.cancelled() and task.exception() is not None:
        logger.error("outbox drain failed", exc_info=task.exception())


def _describe(error: BaseException) -> str:
    """An error as stored in `last_error`."""
    return f"{type(error).__name__}: {error}"[:500]

"""Delivers the outbox (pushes, reminders, broadcasts, queued replies) at the channel's pace.

Channel-neutral: it takes any `async send(Outgoing, Push)` that raises `bot.delivery_errors`
and returns where the platform put a native poll (recorded with the row's delivery, so votes
find their consultation and the poll can be closed with it) or the id the platform gave the
message (`Sent`: its delivery statuses come later, WhatsApp). A row the platform refuses
until the person writes again (`OutsideWindow`) waits for them: nothing is dropped.
Each row is claimed with a short lease, renewed while the batch goes on (another sender
skips it meanwhile), sent part by part, and each part marked in its own transaction right
after: a restarted process takes over a dead one's rows within the lease (20 s), and a
part is sent twice only if the process dies between its send and that commit (Telegram
offers no idempotency key to close that gap; on WhatsApp the part's delivery status,
which names the row and part, marks it sent meanwhile, and the lease keeps the restarted
sender from it until then).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

from bot.delivery_errors import (
    DeliveryError,
    OutsideWindow,
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
from storage.repositories.outbox import OUTSIDE_WINDOW
from storage.unit_of_work import UnitOfWork

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Push:
    """What the channel may need to know of the row a part belongs to: its kind (a
    complaint's status, a broadcast…) picks WhatsApp's template outside the window."""

    kind: str
    # The channel already refused it as outside its window: a template, or wait.
    window_closed: bool = False
    # Which row and part this is: a channel that echoes them in its delivery statuses
    # (WhatsApp's `biz_opaque_callback_data`) lets a part sent just before a crash be
    # recognised as delivered, so a restarted sender does not send it again.
    row_id: int = 0
    part: int = 0
    last_part: bool = True


@dataclass(frozen=True, slots=True)
class Sent:
    """The platform took the message and named it (WhatsApp's wamid)."""

    message_ref: str


Send = Callable[[Outgoing, Push], Awaitable[PollShown | Sent | None]]  # one part, one message
Parts = Callable[[Outgoing], Sequence[Outgoing]]  # the messages a channel shows it as
Sleep = Callable[[float], Awaitable[None]]


class RateLimiter:
    """Every message that leaves the process goes through one limiter: at most
    `per_second` in total, evenly spaced, and one per chat per `chat_interval` (per
    `group_interval` for group chats, whose ids start with "-" on Telegram).

    Telegram counts messages as they arrive, over sliding windows, and a request can take
    longer to arrive than the next one (a busy event loop, a slow connection): so the
    limits are kept on what is known to have arrived. A send starts only once the send
    `per_second` places before it has completed a second ago, and a chat's next message
    starts `chat_interval` after its previous one completed (never while one is on its
    way). The defaults stay a little under Telegram's limits (30/s, 1/s per chat, 20/min
    per group). With `chat_burst` above 1, a chat may take that many messages at once,
    then one per `chat_interval` (a token bucket: WhatsApp's pair limit, bursts of 45 then
    one per 6 s). A 429 holds the chat it came for, not the others. Takes a clock and a
    sleep so tests can run hours of sending in simulated time.
    """

    def __init__(
        self,
        per_second: float = 29.0,
        chat_interval: float = 1.05,
        *,
        group_interval: float = 3.05,
        chat_burst: int = 1,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.interval = 1.0 / per_second
        self.chat_interval = chat_interval
        self.group_interval = group_interval
        self.chat_burst = max(1, chat_burst)
        self._chat_tokens: dict[str, tuple[float, float]] = {}  # chat → (tokens, at)
        self.clock = clock
        self.sleep = sleep
        self._next_send = -math.inf
        self._chat_next: dict[str, float] = {}
        self._on_the_way: set[str] = set()
        # When each of the last `per_second` sends completed (inf: still on its way).
        self._completed: deque[list[float]] = deque(maxlen=max(1, int(per_second)))

    def delay(self, chat_id: str) -> float:
        """Seconds to wait before a send to `chat_id` is allowed (0: now)."""
        if chat_id in self._on_the_way:
            return ON_THE_WAY_POLL
        ready = max(self._next_send, self._chat_next.get(chat_id, -math.inf))
        if len(self._completed) == self._completed.maxlen:
            oldest = self._completed[0][0]
            if oldest == math.inf:
                return ON_THE_WAY_POLL
            ready = max(ready, oldest + 1.0)
        return max(0.0, ready - self.clock())

    @contextlib.asynccontextmanager
    async def sending(self, chat_id: str) -> AsyncIterator[None]:
        """Hold the right to send one message to `chat_id` while it is being sent."""
        while (wait := self.delay(chat_id)) > 0:
            await self.sleep(wait)
        now = self.clock()
        self._next_send = max(self._next_send, now) + self.interval
        completed = [math.inf]
        self._completed.append(completed)
        self._on_the_way.add(chat_id)
        try:
            yield
        finally:
            done = self.clock()
            completed[0] = done
            self._on_the_way.discard(chat_id)
            spacing = self.group_interval if chat_id.startswith("-") else self.chat_interval
            ready = done + spacing
            if self.chat_burst > 1:
                tokens, at = self._chat_tokens.get(chat_id, (float(self.chat_burst), done))
                tokens = min(float(self.chat_burst), tokens + (done - at) / spacing) - 1.0
                self._chat_tokens[chat_id] = (tokens, done)
                ready = done + max(0.0, 1.0 - tokens) * spacing
            self._chat_next[chat_id] = max(self._chat_next.get(chat_id, -math.inf), ready)
            if len(self._chat_next) > 10_000:
                self._chat_next = {c: t for c, t in self._chat_next.items() if t > done}
                full = self.chat_burst * spacing
                self._chat_tokens = {
                    c: v for c, v in self._chat_tokens.items() if done - v[1] < full
                }

    async def acquire(self, chat_id: str) -> None:
        """The right to send one message to `chat_id` that arrives at once."""
        async with self.sending(chat_id):
            pass

    def hold(self, chat_id: str, seconds: float) -> None:
        """Send nothing to `chat_id` for `seconds` (the platform said 429 for it)."""
        until = self.clock() + seconds
        self._chat_next[chat_id] = max(self._chat_next.get(chat_id, -math.inf), until)
        if self.chat_burst > 1:  # after the pause one message, then the pace: no new burst
            self._chat_tokens[chat_id] = (1.0, until)


# How often a send waiting for another one still on its way looks again.
ON_THE_WAY_POLL = 0.005


@dataclass(frozen=True, slots=True)
class OutboxPolicy:
    batch: int = 30  # rows claimed at once: about one second of sending
    # A claimed row is ours this long, renewed while we send: a sender killed mid-batch
    # holds its rows back no longer than this from the next one.
    lease: timedelta = timedelta(seconds=20)
    lease_margin: timedelta = timedelta(seconds=5)  # don't start a send this close to the end
    max_attempts: int = 6  # network failures before a row is given up
    backoff: timedelta = timedelta(seconds=10)  # first retry delay, doubled after each


@dataclass(frozen=True, slots=True)
class Hold:
    """Why a chat's later parts wait in this batch: they follow its failed one."""

    error: DeliveryError | None  # None: the lease ended, leave them to the next claimer
    delay: timedelta | None = None  # retry them with the failed row's delay
    row_id: int | None = None  # the failed row (its own later parts go with it)


@dataclass(frozen=True, slots=True)
class Unit:
    """One part of a row, as the channel sends it: one message."""

    row: OutboxMessage
    index: int
    part: Outgoing | None
    last: bool
    unsendable: DeliveryError | None = None

    @property
    def chat_id(self) -> str:
        return self.row.chat_id


def whole(message: Outgoing) -> list[Outgoing]:
    """A channel that shows each message in one send."""
    return [message]


@dataclass
class DrainReport:
    sent: int = 0  # rows delivered whole
    parts: int = 0  # messages (parts of rows) taken up
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    waiting: int = 0  # rows left for their citizen to write again
    chats_unreachable: set[str] = field(default_factory=set)

    @property
    def handled(self) -> int:
        """Rows this drain dealt with, whatever the outcome."""
        return self.sent + self.retried + self.failed + self.skipped + self.waiting


class OutboxSender:
    """Claims due rows of one channel and delivers them within the rate limits."""

    def __init__(
        self,
        db: Database,
        send: Send,
        *,
        channel: str,
        parts: Parts = whole,
        limiter: RateLimiter | None = None,
        clock: Clock | None = None,
        policy: OutboxPolicy | None = None,
    ) -> None:
        self.db = db
        self.send = send
        self.parts = parts
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
        held: dict[str, Hold] = {}  # chat → why its later parts wait (keeps each chat in order)
        for unit in interleaved(self._units(rows, report)):
            if self._stopping:
                break
            if unit.chat_id in held:
                await self._hold_back(unit, held[unit.chat_id], report)
            elif (hold := await self._deliver(unit, report)) is not None:
                held[unit.chat_id] = hold
        return len(rows)

    def _units(self, rows: Iterable[OutboxMessage], report: DrainReport) -> list[Unit]:
        """What is left to send of each row, part by part (a row's parts are separate
        messages to its chat: each keeps the chat's pace, and one that was delivered is
        never sent again)."""
        units = []
        for row in rows:
            try:
                parts = self.parts(outgoing_from_dict(row.payload))
            except DeliveryError as error:  # the channel can never show it
                units.append(Unit(row, row.parts_sent, None, True, error))
                continue
            last = len(parts) - 1
            units += [
                Unit(row, index, part, index == last)
                for index, part in enumerate(parts)
                if index >= row.parts_sent
            ]
        report.parts += len(units)
        return units

    async def _deliver(self, unit: Unit, report: DrainReport) -> Hold | None:
        """Send one part and record it; a `Hold` when the chat's next parts must wait."""
        row = unit.row
        if unit.unsendable is not None:
            await self._give_up(row, unit.unsendable, report)
            return Hold(None, row_id=row.id)
        if self._lease_ending(row) and not (
            await self._renewed(row) and not self._lease_ending(row)
        ):
            report.skipped += 1  # another sender may take it over: never send it twice
            return Hold(None)
        assert unit.part is not None
        push = Push(row.kind, row.delivery_status == OUTSIDE_WINDOW, row.id, unit.index, unit.last)
        try:
            async with self.limiter.sending(row.chat_id):
                shown = await self.send(unit.part, push)
        except DeliveryError as error:
            return await self._failed(row, error, report)
        if isinstance(shown, Sent) and unit.index == 0:
            row.channel_message_ref = shown.message_ref  # its statuses find the row by it
        async with self.db.transaction() as uow:
            now = self.clock.now()
            if unit.last:
                await uow.outbox.mark_sent(row.id, now, row.channel_message_ref)
            else:
                await uow.outbox.mark_parts_sent(
                    row.id, unit.index + 1, row.channel_message_ref if unit.index == 0 else None
                )
            if isinstance(shown, PollShown):
                await remember_sent_poll(uow, self.channel, unit.part, row.citizen_id, shown, now)
        report.sent += unit.last
        return None

    async def _failed(
        self, row: OutboxMessage, error: DeliveryError, report: DrainReport
    ) -> Hold | None:
        """Retry later, give up, or mark the person unreachable, depending on the error."""
        if isinstance(error, RetryLater):
            self.limiter.hold(row.chat_id, error.seconds)
            delay = timedelta(seconds=error.seconds)
        elif isinstance(error, Unreachable):
            await self._unreachable(row, error, report)
            return Hold(error, row_id=row.id)
        elif isinstance(error, OutsideWindow):
            await self._wait_for_person(row, error, report)
            return Hold(error, row_id=row.id)
        elif (
            isinstance(error, TransientNetworkError) and row.attempts + 1 < self.policy.max_attempts
        ):
            delay = self.policy.backoff * 2**row.attempts
        else:
            await self._give_up(row, error, report)
            return Hold(None, row_id=row.id)  # its own later parts are given up with it
        await self._retry(row, delay, error, report)
        return Hold(error, delay, row.id)

    async def _hold_back(self, unit: Unit, hold: Hold, report: DrainReport) -> None:
        """An earlier part of this chat failed: this one waits (or fails) with it. The
        later parts of the failed row itself wait with their row."""
        row = unit.row
        if unit.row.id == hold.row_id:
            return
        if hold.error is None:
            report.skipped += 1
        elif isinstance(hold.error, Unreachable):
            await self._give_up(row, hold.error, report)
        elif isinstance(hold.error, OutsideWindow):
            await self._wait_for_person(row, hold.error, report)
        else:  # the same due time as the failed row: the chat's order is kept
            await self._retry(row, hold.delay or self.policy.backoff, hold.error, report)

    async def _retry(
        self, row: OutboxMessage, delay: timedelta, error: DeliveryError, report: DrainReport
    ) -> None:
        """Put the row back, due after `delay` (its attempts count goes up)."""
        async with self.db.transaction() as uow:
            await uow.outbox.retry_later(row.id, self.clock.now() + delay, _describe(error))
        report.retried += 1

    async def _wait_for_person(
        self, row: OutboxMessage, error: DeliveryError, report: DrainReport
    ) -> None:
        """Outside the window and no template for it: the row waits for the citizen's
        next message (the webhook wakes it), counted on the dashboard meanwhile."""
        async with self.db.transaction() as uow:
            await uow.outbox.wait_for_person(row.id, _describe(error))
        report.waiting += 1

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

    async def _renewed(self, row: OutboxMessage) -> bool:
        """Extend our claim on the row if it is still ours (a long batch: 429s, a slow
        network); False when it ended and another sender may have it."""
        until = self.clock.now() + self.policy.lease
        async with self.db.transaction() as uow:
            renewed = await uow.outbox.renew_lease(row.id, row.claimed_until, until)
        if renewed:
            row.claimed_until = until
        return renewed

    def _lease_ending(self, row: OutboxMessage) -> bool:
        """Too close to the end of our claim to start sending this row."""
        claimed_until = row.claimed_until
        return claimed_until is None or self.clock.now() + self.policy.lease_margin >= claimed_until


class ForAChat(Protocol):
    @property
    def chat_id(self) -> str: ...


Item = TypeVar("Item", bound=ForAChat)


def interleaved(items: Iterable[Item]) -> list[Item]:
    """Items (rows, parts of rows) round-robin by chat, each chat's own order kept: a
    chat's second message comes after every other chat's first, so its pace (1/s) never
    holds the batch back."""
    by_chat: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        by_chat[item.chat_id].append(item)
    queues = list(by_chat.values())
    longest = max((len(q) for q in queues), default=0)
    return [q[i] for i in range(longest) for q in queues if i < len(q)]


async def failed_after_sending(
    uow: UnitOfWork, row: OutboxMessage, error: DeliveryError, now: datetime
) -> None:
    """The platform reports, later, that a row it had accepted failed: the same outcomes
    as a refusal at once — outside the window it goes again (as a template, or waits),
    an unreachable person is marked so, anything else fails the row."""
    detail = f"{_describe(error)} (reported later)"
    if isinstance(error, OutsideWindow):
        await uow.outbox.refused_outside_window(row.id, now, detail)
        return
    if isinstance(error, Unreachable):
        await uow.citizens.set_reachable(row.channel, row.chat_id, False)
    await uow.outbox.mark_failed(row.id, detail)


def _log_failure(task: asyncio.Task[DrainReport]) -> None:
    """A drain that crashed (database down…) is logged; the next tick starts another."""
    if not task.cancelled() and task.exception() is not None:
        logger.error("outbox drain failed", exc_info=task.exception())


def _describe(error: BaseException) -> str:
    """An error as stored in `last_error`."""
    return f"{type(error).__name__}: {error}"[:500]

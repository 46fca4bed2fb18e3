"""Sending to Telegram, whatever the framework: the `TelegramCalls` seam and the reply path.

Each adapter implements `TelegramCalls` with its library and translates the library's
errors into `bot.delivery_errors`. Replies to a citizen are retried a little (network
errors with back-off, 429 by waiting `retry_after`), then written to the outbox so that
nothing is lost; the outbox sender delivers them later at Telegram's pace.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from bot.delivery_errors import (
    DeliveryError,
    Rejected,
    RetryLater,
    TransientNetworkError,
    Unreachable,
)
from bot.outbox_sender import Push, RateLimiter
from bot.reply_queue import queue_replies
from bot.telegram.rendering import InvalidMessage, pieces, render_piece
from bot.telegram.updates import CHANNEL
from handlers.clock import Clock, SystemClock
from handlers.consultations import remember_sent_poll
from handlers.types import Outgoing, PollShown
from storage.database import Database

__all__ = [
    "DeliveryError",
    "Rejected",
    "ReplySender",
    "RetryLater",
    "RetryPolicy",
    "TelegramCalls",
    "TelegramSender",
    "TransientNetworkError",
    "Unreachable",
]

logger = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]


class TelegramCalls(Protocol):
    """One Bot API call: the `result` of the answer, or a `DeliveryError`."""

    async def call(
        self, method: str, params: dict[str, Any], *, timeout: float | None = None
    ) -> Any:
        """Call `method` (its Bot API name, e.g. "sendMessage") with JSON-able params
        (`timeout`: seconds to wait for the answer, when longer than usual)."""
        ...


class TelegramSender:
    """Shows the outbox's messages in Telegram, one part (one Bot API call) at a time, so
    the outbox sender paces each and never repeats one delivered (no retry here)."""

    def __init__(self, calls: TelegramCalls) -> None:
        self.calls = calls

    @staticmethod
    def parts(message: Outgoing) -> list[Outgoing]:
        """The messages Telegram shows `message` as (a text, then a poll, say)."""
        try:
            return pieces(message)
        except InvalidMessage as error:
            raise Rejected(str(error)) from error

    async def send(self, part: Outgoing, _push: Push | None = None) -> PollShown | None:
        """Send one part; where its poll is, when it is one (any kind of push alike)."""
        call = render_piece(part)
        return poll_shown(call.method, await self.calls.call(call.method, call.params))


def poll_shown(method: str, result: Any) -> PollShown | None:
    """The ids Telegram gave the poll a `sendPoll` call sent, and its message."""
    if method != "sendPoll" or not isinstance(result, dict):
        return None
    poll_id, message_id = (result.get("poll") or {}).get("id"), result.get("message_id")
    if poll_id is None or message_id is None:
        return None
    return PollShown(str(poll_id), str(message_id))


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How hard a reply is pushed before it goes to the outbox."""

    tries: int = 3  # attempts on network errors
    backoff: float = 0.5  # seconds before the 2nd attempt, doubled after each
    max_wait: float = 60.0  # total seconds spent honouring 429s for one part


class ReplySender:
    """Sends the core's replies now, or queues them in the outbox when Telegram won't."""

    def __init__(
        self,
        calls: TelegramCalls,
        db: Database,
        *,
        clock: Clock | None = None,
        policy: RetryPolicy | None = None,
        sleep: Sleep = asyncio.sleep,
        limiter: RateLimiter | None = None,
    ) -> None:
        self.calls = calls
        self.db = db
        self.clock = clock or SystemClock()
        self.policy = policy or RetryPolicy()
        self.sleep = sleep
        # The limiter the outbox sender uses too: replies count against the same limits.
        self.limiter = limiter

    async def send_all(self, replies: Sequence[Outgoing]) -> None:
        """Send replies in order; once one had to be queued, queue the rest (keeps order)."""
        for index, reply in enumerate(replies):
            if not await self.send(reply):
                if index + 1 < len(replies):
                    await self._queue(list(replies[index + 1 :]), None)
                return

    async def send(self, message: Outgoing) -> bool:
        """Send one reply; False when it (or its rest) was queued or dropped instead."""
        try:
            parts = pieces(message)
            calls = [render_piece(part) for part in parts]
        except InvalidMessage:
            logger.exception("the core produced a message Telegram would refuse")
            return True
        for index, call in enumerate(calls):
            try:
                result = await self._paced_call(message.chat_id, call.method, call.params)
            except (RetryLater, TransientNetworkError) as error:
                await self._queue(parts[index:], error)
                return False
            except Unreachable:
                await self._mark_unreachable(message.chat_id)
                return False
            except Rejected as error:
                logger.error("Telegram refused %s: %s", call.method, error)
                return True
            if (shown := poll_shown(call.method, result)) and message.poll is not None:
                await self._remember_poll(message, shown)
        return True

    async def _remember_poll(self, message: Outgoing, shown: PollShown) -> None:
        async with self.db.transaction() as uow:
            citizen = await uow.citizens.find(CHANNEL, message.chat_id)
            citizen_id = citizen.id if citizen else None
            await remember_sent_poll(uow, CHANNEL, message, citizen_id, shown, self.clock.now())

    async def _paced_call(self, chat_id: str, method: str, params: dict[str, Any]) -> Any:
        """One call, each try within the limits shared with the outbox sender, waiting
        out 429s (up to `max_wait`) and retrying network errors."""
        waited, failures = 0.0, 0
        while True:
            try:
                return await self._one_try(chat_id, method, params)
            except RetryLater as error:
                if waited + error.seconds > self.policy.max_wait:
                    raise
                waited += error.seconds
                await self.sleep(error.seconds)
            except TransientNetworkError:
                failures += 1
                if failures >= self.policy.tries:
                    raise
                await self.sleep(self.policy.backoff * 2 ** (failures - 1))

    async def _one_try(self, chat_id: str, method: str, params: dict[str, Any]) -> Any:
        if self.limiter is None:
            return await self.calls.call(method, params)
        async with self.limiter.sending(chat_id):
            return await self.calls.call(method, params)

    async def _queue(self, parts: Sequence[Outgoing], error: DeliveryError | None) -> None:
        """Write unsent parts to the outbox, tied to the citizen (erased with them)."""
        logger.warning("%d reply part(s) queued in the outbox after %r", len(parts), error)
        await queue_replies(self.db, CHANNEL, parts, self.clock.now())

    async def _mark_unreachable(self, chat_id: str) -> None:
        """The citizen blocked the bot: stop trying (in a private chat, chat id = user id)."""
        async with self.db.transaction() as uow:
            await uow.citizens.set_reachable(CHANNEL, chat_id, False)

"""Sending the core's messages on WhatsApp: each `Outgoing` rendered within the limits
(`rendering`), every Cloud API message paced per person and in total (the sender's rate
limiter), rate limits waited out briefly, and what cannot be sent now queued in the
outbox tied to the citizen — never dropped. Replies answer a message the citizen just
sent, so they are inside the 24-hour window."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from bot.delivery_errors import (
    DeliveryError,
    OutsideWindow,
    Rejected,
    RetryLater,
    TransientNetworkError,
    Unreachable,
)
from bot.outbox_sender import RateLimiter
from bot.reply_queue import queue_replies
from bot.whatsapp.rendering import Payload, buttons_of, render, shows_a_list, shows_numbers
from bot.whatsapp.updates import CHANNEL
from handlers.clock import Clock, SystemClock
from handlers.languages import translate
from handlers.types import Outgoing
from storage.database import Database

logger = logging.getLogger(__name__)

MAX_WAIT = 10.0  # seconds a reply waits out rate limits before it goes to the outbox
TRIES = 3


class MessagesApi(Protocol):
    """What sending needs of the Cloud API (`CloudApi`; a recording fake in tests)."""

    async def send(self, to: str, message: Mapping[str, Any]) -> str: ...


class WhatsAppSender:
    """Shows `Outgoing` messages to WhatsApp users through the Cloud API."""

    def __init__(
        self,
        api: MessagesApi,
        db: Database,
        *,
        limiter: RateLimiter | None = None,
        clock: Clock | None = None,
        default_locale: str = "fr",
    ) -> None:
        self.api = api
        self.db = db
        self.limiter = limiter or RateLimiter()
        self.clock = clock or SystemClock()
        self.default_locale = default_locale

    async def _menu_label(self, chat_id: str) -> str:
        """The list's menu button in the language the person reads (their conversation's,
        which exists from their first message, before any consent)."""
        async with self.db.transaction() as uow:
            conversation = await uow.conversations.find(CHANNEL, chat_id)
        locale = conversation.locale if conversation is not None else self.default_locale
        return translate(locale, "whatsapp.choose")

    async def payloads(self, message: Outgoing, locale: str | None = None) -> list[Payload]:
        """The Cloud API messages `message` is shown as (`locale`: the reader's, when
        known; else read from their conversation if a list needs its menu label)."""
        if not shows_a_list(message):
            label = ""
        elif locale is not None:
            label = translate(locale, "whatsapp.choose")
        else:
            label = await self._menu_label(message.chat_id)
        return render(message, lambda: label)

    async def send(self, message: Outgoing) -> str:
        """Every Cloud API message of `message`, in order, each within the limits (raises
        a `DeliveryError`); the id WhatsApp gave the first."""
        message_ref = await self.send_payloads(message.chat_id, await self.payloads(message))
        await self.remember_numbers(message)
        return message_ref

    async def remember_numbers(self, message: Outgoing) -> None:
        """A numbered list was shown: keep its buttons, so a typed number presses one
        (unless the question itself expects a number)."""
        if shows_numbers(message) and not message.number_expected:
            ids = [button.id for button in buttons_of(message)]
            async with self.db.transaction() as uow:
                await uow.conversations.remember_typed_choices(CHANNEL, message.chat_id, ids)

    async def send_payloads(
        self, to: str, payloads: Sequence[Payload], *, paced: bool = True
    ) -> str:
        """Send these messages to `to` in order (`paced`: each through the rate limiter;
        the outbox sender paces its own sends); the first one's id."""
        first = ""
        for payload in payloads:
            if paced:
                async with self.limiter.sending(to):
                    message_ref = await self.api.send(to, payload)
            else:
                message_ref = await self.api.send(to, payload)
            first = first or message_ref
        return first

    async def send_all(self, replies: Sequence[Outgoing]) -> None:
        """Send replies in order; once one is queued, the rest are queued behind it."""
        for index, reply in enumerate(replies):
            if not await self.send_reply(reply):
                await self._queue(list(replies[index + 1 :]), None)
                return

    async def send_reply(self, message: Outgoing) -> bool:
        """Send one reply now (waiting out a short rate limit, retrying the network);
        False when it had to be queued in the outbox, or the person is unreachable."""
        waited, failures = 0.0, 0
        while True:
            try:
                await self.send(message)
                return True
            except RetryLater as error:
                if waited + error.seconds > MAX_WAIT:
                    await self._queue([message], error)
                    return False
                waited += error.seconds
                await asyncio.sleep(error.seconds)
            except TransientNetworkError as error:
                failures += 1
                if failures >= TRIES:
                    await self._queue([message], error)
                    return False
                await asyncio.sleep(0.2 * 2**failures)
            except OutsideWindow as error:
                await self._queue([message], error)
                return False
            except Unreachable:
                async with self.db.transaction() as uow:
                    await uow.citizens.set_reachable(CHANNEL, message.chat_id, False)
                return False
            except Rejected as error:
                logger.error("WhatsApp refused a reply: %s", error)
                return True

    async def _queue(self, messages: Sequence[Outgoing], error: DeliveryError | None) -> None:
        if messages:
            logger.warning("%d WhatsApp reply(ies) queued after %r", len(messages), error)
            await queue_replies(self.db, CHANNEL, messages, self.clock.now())

"""What both adapters do with one Telegram update: store, acknowledge, handle, reply.

    update dict ─► parse ─► inbox (core.store) ─► answer the button + clear its keyboard
                    (database down: spool file ─► inbox once it answers)
                                                 ─► core.handle_pending (typing… if slow)
                                                 ─► replies (retry, else outbox)

PTB and aiogram only fetch updates and make HTTP calls; everything else is here, so the
two behave the same by construction.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import partial
from typing import Any

from bot.delivery_errors import DeliveryError, RetryLater, TransientNetworkError
from bot.telegram.sender import ReplySender, TelegramCalls
from bot.telegram.spool import UpdateSpool
from bot.telegram.updates import CHANNEL, CallbackRef, callback_of, parse_update
from handlers.conversation_core import ConversationCore
from handlers.ordering import KeyedLocks
from handlers.types import Incoming, Outgoing, Reachability
from storage.database import DATABASE_UNAVAILABLE

logger = logging.getLogger(__name__)

# Most steps answer in a few milliseconds; a "typing…" call for each would double the
# requests for nothing. It is sent only when a step is still running after this delay
# (a slow database, a big export), which is when a citizen starts to wonder.
TYPING_AFTER_SECONDS = 0.5
EMPTY_KEYBOARD = {"inline_keyboard": []}
Handling = Callable[[], Awaitable[None]]
# Pauses between the tries of a call that carries no message: within the few seconds a
# button press waits for its answer; a 429 asking for longer than that is not waited out.
COURTESY_PAUSES = (0.05, 0.2, 0.5)
MAX_COURTESY_WAIT = 1.0


class UpdateHandler:
    """Turns raw Telegram updates into core calls and Bot API calls."""

    def __init__(
        self,
        core: ConversationCore,
        calls: TelegramCalls,
        replies: ReplySender,
        *,
        bot_username: str | None = None,
        typing_after: float = TYPING_AFTER_SECONDS,
        spool: UpdateSpool | None = None,
    ) -> None:
        self.core = core
        self.spool = spool
        self.calls = calls
        self.replies = replies
        self.bot_username = bot_username
        self.typing_after = typing_after
        self._chats = KeyedLocks()
        self._in_flight: set[asyncio.Task[Any]] = set()

    def parse(self, update: Mapping[str, Any]) -> Incoming | None:
        """The update as an `Incoming`, or None when the bot ignores it (or can't read it)."""
        try:
            return parse_update(update, self.bot_username)
        except (KeyError, TypeError, ValueError, AttributeError):
            logger.exception("update %s could not be read: ignored", update.get("update_id"))
            return None

    async def on_update(self, update: Mapping[str, Any]) -> None:
        """Store the update, then handle it (a duplicate is dropped)."""
        with self._tracked():
            handling = await self.keep(update)
            if handling is not None:
                await handling()

    async def keep(self, update: Mapping[str, Any]) -> Handling | None:
        """Keep the update — in the inbox, or in the spool while the database cannot
        store it (or while earlier updates wait there) — and return what is left to do
        (None: nothing, or not until the spool is replayed). Raises only when it could be
        kept nowhere: then it must not be acknowledged."""
        if self.spool is None:
            return await self._store(update)
        if len(self.spool):
            self.spool.keep(update)
            return None
        try:
            return await self._store(update)
        except DATABASE_UNAVAILABLE as error:
            logger.error(
                "update %s kept in the spool: database unavailable (%s)",
                update.get("update_id"),
                type(error).__name__,
            )
            self.spool.keep(update)
            return None

    def handle_later(self, handling: Handling) -> None:
        """Handle a kept update in the background (counted until it is done)."""
        task = asyncio.create_task(self._run_tracked(handling))
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)

    async def _run_tracked(self, handling: Handling) -> None:
        await handling()

    async def replay_spool(self) -> None:
        """Store and handle the spooled updates, if the database answers again."""
        if self.spool is None or not len(self.spool):
            return
        if stored := await self.spool.replay(self._store_and_handle):
            logger.info("%d spooled update(s) stored", stored)

    async def _store_and_handle(self, update: Mapping[str, Any]) -> None:
        """Store (a failure raises: the update is not taken), then handle."""
        handling = await self._store(update)
        if handling is not None:
            await handling()

    async def _store(self, update: Mapping[str, Any]) -> Handling | None:
        """Store the update (a failure raises: it is not taken); what handles it."""
        incoming = self.parse(update)
        if incoming is None:
            return partial(self.acknowledge_ignored, update)
        [inbox_id] = await self.core.store([incoming])
        if inbox_id is None:
            logger.debug("update %s already stored", incoming.update_id)
            return None

        async def handling() -> None:
            try:
                await self.handle_stored(update, incoming, inbox_id)
            except Exception:  # stored: handled again on the next message or at restart
                logger.exception("update %s stored but not handled", incoming.update_id)

        return handling

    async def acknowledge_ignored(self, update: Mapping[str, Any]) -> None:
        """An update the core won't see: still stop a pressed button's spinner."""
        await self._answer(callback_of(update))

    async def handle_stored(
        self, update: Mapping[str, Any], incoming: Incoming, inbox_id: int
    ) -> None:
        """A stored update: acknowledge a pressed button, handle, send the replies."""
        with self._tracked():
            await self._handle_stored(update, incoming, inbox_id)

    async def _handle_stored(
        self, update: Mapping[str, Any], incoming: Incoming, inbox_id: int
    ) -> None:
        """Acknowledge the button, then handle and reply in this chat's order."""
        callback = callback_of(update)
        await self._answer(callback)
        await self._clear_keyboard(callback, incoming.user_id)
        async with self._chats.hold(incoming.chat_id):
            replies = await self._handle(incoming, inbox_id)
            await self.replies.send_all(replies)

    @contextmanager
    def _tracked(self) -> Iterator[None]:
        """Count the running task as in flight until it finishes."""
        task = asyncio.current_task()
        if task is None or task in self._in_flight:
            yield
            return
        self._in_flight.add(task)
        try:
            yield
        finally:
            self._in_flight.discard(task)

    async def wait_idle(self, timeout: float = 30.0) -> None:
        """Wait for the updates being handled (at shutdown), at most `timeout` seconds."""
        running = self._in_flight - {asyncio.current_task()}
        if running:
            await asyncio.wait(running, timeout=timeout)

    async def _handle(self, incoming: Incoming, inbox_id: int) -> list[Outgoing]:
        """Run the core; show "typing…" when it takes longer than `typing_after`."""
        work = asyncio.ensure_future(
            self.core.handle_pending(CHANNEL, incoming.user_id, up_to=inbox_id)
        )
        try:
            done, _ = await asyncio.wait({work}, timeout=self.typing_after)
            if not done and not isinstance(incoming.payload, Reachability):
                await self.try_call(
                    "sendChatAction", {"chat_id": incoming.chat_id, "action": "typing"}
                )
            return await work
        except asyncio.CancelledError:
            work.cancel()
            raise

    async def _answer(self, callback: CallbackRef | None) -> None:
        """Stop the spinner on the pressed button — always, even when nothing follows."""
        if callback is not None:
            await self.try_call("answerCallbackQuery", {"callback_query_id": callback.query_id})

    async def _clear_keyboard(self, callback: CallbackRef | None, user_id: str) -> None:
        """Remove the pressed message's buttons in the person's own chat, so an old choice
        cannot be made twice. A group's pushes (the staff group's) keep theirs: whoever
        presses, the others must still see and use them."""
        if callback is None or callback.chat_id is None or callback.message_id is None:
            return
        if str(callback.chat_id) != user_id:
            return
        params = {
            "chat_id": callback.chat_id,
            "message_id": callback.message_id,
            "reply_markup": EMPTY_KEYBOARD,
        }
        await self.try_call("editMessageReplyMarkup", params)

    async def try_call(self, method: str, params: dict[str, Any]) -> None:
        """A call that does not carry a message (stopping a button's spinner, clearing a
        used keyboard, "typing…"). A refusal (an expired query, a keyboard already gone)
        changes nothing; a network or server failure is tried again at once, because a
        callback query lives only seconds and an unanswered one keeps spinning."""
        for pause in (*COURTESY_PAUSES, None):
            try:
                await self.calls.call(method, params)
                return
            except (TransientNetworkError, RetryLater) as error:
                wait = error.seconds if isinstance(error, RetryLater) else pause
                if pause is None or wait is None or wait > MAX_COURTESY_WAIT:
                    logger.warning("%s failed, given up: %s", method, type(error).__name__)
                    return
                await asyncio.sleep(wait)
            except DeliveryError as error:
                logger.debug("%s failed: %s", method, error)
                return

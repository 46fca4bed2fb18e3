"""The WhatsApp webhook (aiohttp), Meta's side of the channel:

    GET  <path>?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…  → the challenge
    POST <path>  X-Hub-Signature-256 checked (403 otherwise) → messages in the inbox → 200
                 → each sender's messages handled in the background, replies sent

A message is in the inbox before Meta gets its 200, so a crash right after loses nothing
(Meta delivers again when it gets no 200, and a redelivered message — the same wamid — is
handled once). Once a person's messages are handled (their window open again), what
waited in the outbox for them is due. Delivery statuses are recorded against the outbox
row they are about (before the 200 too); a `failed` one is acted on: outside the window
(131047) the row goes again, as a template or waiting for the citizen; undeliverable
(131026…) marks them unreachable; anything else is logged and the row failed.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.outbox_sender import failed_after_sending
from bot.whatsapp.cloud_api import delivery_error_of_code
from bot.whatsapp.pushes import read_callback_data
from bot.whatsapp.sending import WhatsAppSender
from bot.whatsapp.signatures import is_signed
from bot.whatsapp.typed_choices import is_a_number, typed_choice
from bot.whatsapp.updates import CHANNEL, DeliveryStatus, read_events
from handlers.conversation_core import ConversationCore
from handlers.ordering import KeyedLocks

logger = logging.getLogger(__name__)

DEFAULT_PATH = "/whatsapp/webhook"
SIGNATURE_HEADER = "X-Hub-Signature-256"


class WhatsAppWebhook:
    def __init__(
        self,
        core: ConversationCore,
        sender: WhatsAppSender,
        *,
        app_secret: str,
        verify_token: str,
        path: str = DEFAULT_PATH,
    ) -> None:
        self.core = core
        self.sender = sender
        self.app_secret = app_secret
        self.verify_token = verify_token
        self.path = path
        self._people = KeyedLocks()
        # Called when rows were woken for a person who wrote (the outbox sender's tick).
        self.on_woken: Callable[[], Awaitable[None]] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    def application(self) -> web.Application:
        app = web.Application(client_max_size=1024 * 1024)
        app.router.add_get(self.path, self.verify)
        app.router.add_post(self.path, self.receive)
        return app

    async def start(self, host: str, port: int) -> int:
        self._runner = web.AppRunner(self.application(), access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()
        self.port = int(self._runner.addresses[0][1])
        return self.port

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        await self.wait_idle()

    async def wait_idle(self, timeout: float = 30.0) -> None:
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)

    async def verify(self, request: web.Request) -> web.Response:
        """Meta's handshake when the webhook is set up: echo the challenge."""
        query = request.query
        token = query.get("hub.verify_token", "")
        if query.get("hub.mode") == "subscribe" and hmac.compare_digest(token, self.verify_token):
            return web.Response(text=query.get("hub.challenge", ""))
        logger.warning(
            "WhatsApp webhook handshake with a wrong verify token from %s", request.remote
        )
        return web.Response(status=403)

    async def receive(self, request: web.Request) -> web.Response:
        """One webhook POST: checked, stored, answered; then handled."""
        body = await request.read()
        if not is_signed(self.app_secret, body, request.headers.get(SIGNATURE_HEADER)):
            logger.warning(
                "WhatsApp webhook call without a valid signature from %s", request.remote
            )
            return web.Response(status=403)
        try:
            events = read_events(json.loads(body))
        except (ValueError, TypeError, AttributeError):
            logger.error("WhatsApp webhook body is not an event (%d bytes): ignored", len(body))
            return web.Response(status=200)
        messages = events.messages
        if any(is_a_number(incoming) for incoming in messages):
            async with self.core.db.transaction() as uow:  # raises → 500: Meta sends again
                messages = [await typed_choice(uow, incoming) for incoming in messages]
        stored = await self.core.store(messages)  # raises → 500: Meta sends it again
        for incoming, inbox_id in zip(messages, stored, strict=True):
            if inbox_id is not None:
                self._in_background(self._handle(incoming.user_id))
        if events.statuses:
            await self._record(events.statuses)  # raises → 500: Meta sends them again
        return web.Response(status=200)

    def _in_background(self, work: Any) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _handle(self, user_id: str) -> None:
        """Handle what this person sent (one at a time per person), send the replies."""
        async with self._people.hold(user_id):
            try:
                replies = await self.core.handle_pending(CHANNEL, user_id)
                await self.sender.send_all(replies)
                async with self.core.db.transaction() as uow:
                    woken = await uow.outbox.wake_waiting(CHANNEL, user_id, self.core.clock.now())
                if woken:
                    logger.info("%d outbox message(s) were waiting for a WhatsApp user", woken)
                    if self.on_woken is not None:
                        await self.on_woken()
            except Exception:
                logger.exception("a WhatsApp message could not be handled now (kept in the inbox)")

    async def _record(self, statuses: list[DeliveryStatus]) -> None:
        """Each status against its outbox row, in one transaction."""
        async with self.core.db.transaction() as uow:
            for status in statuses:
                tagged = read_callback_data(status.callback_data)
                if tagged is not None and status.status in ("sent", "delivered", "read"):
                    row_id, part, last = tagged
                    now = self.core.clock.now()
                    if await uow.outbox.confirm_part(row_id, part, last, status.message_ref, now):
                        logger.info("outbox row %s part %s confirmed by its status", row_id, part)
                row = await uow.outbox.record_delivery(CHANNEL, status.message_ref, status.status)
                if status.status != "failed":
                    continue
                error = delivery_error_of_code(status.error_codes[0] if status.error_codes else 0)
                logger.warning(
                    "WhatsApp message %s failed: codes %s (%s)",
                    status.message_ref, status.error_codes, type(error).__name__,
                )  # fmt: skip
                if row is not None:  # else a reply sent at once: the next message is answered
                    await failed_after_sending(uow, row, error, self.core.clock.now())

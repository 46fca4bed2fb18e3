"""The WhatsApp webhook (aiohttp), Meta's side of the channel:

    GET  <path>?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…  → the challenge
    POST <path>  X-Hub-Signature-256 checked (403 otherwise) → messages in the inbox → 200
                 → each sender's messages handled in the background, replies sent

A message is in the inbox before Meta gets its 200, so a crash right after loses nothing
(Meta delivers again when it gets no 200, and a redelivered message — the same wamid — is
handled once). Delivery statuses are logged with their error codes.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from typing import Any

from aiohttp import web

from bot.whatsapp.sending import WhatsAppSender
from bot.whatsapp.signatures import is_signed
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
        stored = await self.core.store(events.messages)  # raises → 500: Meta sends it again
        for incoming, inbox_id in zip(events.messages, stored, strict=True):
            if inbox_id is not None:
                self._in_background(self._handle(incoming.user_id))
        for status in events.statuses:
            _log_status(status)
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
            except Exception:
                logger.exception("a WhatsApp message could not be handled now (kept in the inbox)")


def _log_status(status: DeliveryStatus) -> None:
    if status.status == "failed":
        logger.warning(
            "WhatsApp message %s failed: codes %s", status.message_ref, status.error_codes
        )
    else:
        logger.debug("WhatsApp message %s %s", status.message_ref, status.status)

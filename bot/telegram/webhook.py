"""The webhook receiver (aiohttp), shared by both frameworks.

The frameworks' own webhook handlers answer 200 before the update is stored, so a crash
right after loses it. Here the update is in the inbox *before* Telegram gets its 200, and
is handled in a background task; a redelivered update is answered 200 and not handled
again. Anything that is not an update is answered 200 too (and logged): Telegram would
otherwise resend it forever.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from typing import Any

from aiohttp import web

from bot.telegram.handling import UpdateHandler
from bot.telegram.updates import ALLOWED_UPDATES

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
DEFAULT_PATH = "/telegram/webhook"


class WebhookServer:
    """POST <path>: check the secret, store the update, answer, then handle it."""

    def __init__(self, handler: UpdateHandler, secret: str, *, path: str = DEFAULT_PATH) -> None:
        self.handler = handler
        self.secret = secret
        self.path = path
        self._runner: web.AppRunner | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.port: int | None = None

    async def start(self, host: str, port: int) -> int:
        """Listen on host:port (0: a free port); the port actually bound."""
        app = web.Application()
        app.router.add_post(self.path, self.receive)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        return self.port

    async def stop(self) -> None:
        """Stop listening, then let the updates being handled finish."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=30.0)

    async def receive(self, request: web.Request) -> web.Response:
        """One webhook call from Telegram."""
        if not hmac.compare_digest(request.headers.get(SECRET_HEADER, ""), self.secret):
            logger.warning("webhook call without the right secret token from %s", request.remote)
            return web.Response(status=403)
        update = _update_of(await request.read())
        if update is None:
            return web.Response(status=200)
        incoming = self.handler.parse(update)
        if incoming is None:
            await self.handler.acknowledge_ignored(update)
            return web.Response(status=200)
        [inbox_id] = await self.handler.core.store([incoming])  # raises → 500: Telegram resends
        if inbox_id is not None:
            task = asyncio.create_task(self.handler.handle_stored(update, incoming, inbox_id))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return web.Response(status=200)


def _update_of(body: bytes) -> dict[str, Any] | None:
    """The update in a webhook body, or None (logged) when it is not one."""
    try:
        update = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        logger.error("webhook body is not JSON (%d bytes): ignored", len(body))
        return None
    if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
        logger.error("webhook body is not an update: ignored")
        return None
    return update


def webhook_params(url: str, secret: str) -> dict[str, Any]:
    """setWebhook parameters: our URL, the secret Telegram will echo, the update kinds."""
    return {"url": url, "secret_token": secret, "allowed_updates": list(ALLOWED_UPDATES)}

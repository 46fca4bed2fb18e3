"""Long polling, driven by the bot itself through the framework's HTTP client.

Telegram forgets an update once getUpdates is called with a higher offset. The frameworks'
own polling loops ask for the next batch while the previous one is still being handled,
so a process killed at that moment loses updates it had acknowledged but not stored. Here
the offset moves past an update only once it is kept — in the inbox, or in the spool while
the database is down — so "acknowledged" always means "stored"; handling then goes on in
the background.

    getUpdates(offset) ─► keep each update (inbox | spool) ─► offset = its id + 1
                                                           └─► handle it (background)
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any, Protocol

from bot.delivery_errors import DeliveryError, RetryLater
from bot.telegram.handling import UpdateHandler
from bot.telegram.updates import ALLOWED_UPDATES

logger = logging.getLogger(__name__)

# Seconds to wait after a failed getUpdates (Telegram down, the network, a 409 while a
# webhook is still set) before asking again, doubled up to the last one.
ERROR_PAUSES = (0.5, 1.0, 2.0, 5.0, 10.0)
# Beyond the long poll's own wait, how long an answer may take before the call fails.
ANSWER_MARGIN = 10.0


class LongPollingCalls(Protocol):
    async def call(
        self, method: str, params: dict[str, Any], *, timeout: float | None = None
    ) -> Any: ...


class Poller:
    """Fetches updates and hands each to the handler, acknowledging only what is kept."""

    def __init__(self, calls: LongPollingCalls, handler: UpdateHandler, *, timeout: float) -> None:
        self.calls = calls
        self.handler = handler
        self.timeout = timeout
        self.offset: int | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        """Stop fetching. An answer arriving meanwhile is dropped unacknowledged:
        Telegram sends its updates again to the next getUpdates."""
        task, self._task = self._task, None
        if task is None:
            return
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    async def _run(self) -> None:
        failures = 0
        while True:
            try:
                updates = await self._fetch()
            except DeliveryError as error:
                wait = error.seconds if isinstance(error, RetryLater) else _pause(failures)
                logger.warning("getUpdates failed (%s): again in %g s", type(error).__name__, wait)
                failures += 1
                await asyncio.sleep(wait)
                continue
            failures = 0
            if not await self._keep_all(updates):
                await asyncio.sleep(_pause(0))

    async def _fetch(self) -> list[dict[str, Any]]:
        params: dict[str, Any] = {
            "timeout": int(self.timeout),
            "allowed_updates": list(ALLOWED_UPDATES),
        }
        if self.offset is not None:
            params["offset"] = self.offset
        result = await self.calls.call("getUpdates", params, timeout=self.timeout + ANSWER_MARGIN)
        return list(result or [])

    async def _keep_all(self, updates: list[dict[str, Any]]) -> bool:
        """Keep the updates in order, moving the offset past each one kept; False when one
        could be kept nowhere (it and the rest come again with the next getUpdates)."""
        for update in updates:
            try:
                handling = await self.handler.keep(update)
            except Exception:
                logger.exception(
                    "update %s could not be kept: asked for again", update.get("update_id")
                )
                return False
            self.offset = int(update["update_id"]) + 1
            if handling is not None:
                self.handler.handle_later(handling)
        return True


def _pause(failures: int) -> float:
    return ERROR_PAUSES[min(failures, len(ERROR_PAUSES) - 1)]

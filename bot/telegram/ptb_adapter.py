"""The Telegram channel through python-telegram-bot 22: polling and Bot API calls only.

One `TypeHandler(Update, …)` hands every update's dict to the shared `UpdateHandler`: no
ConversationHandler, no persistence (the core keeps the state in its database).
`concurrent_updates(True)` is safe because the core handles one citizen at a time.
"""

from __future__ import annotations

import warnings
from datetime import timedelta
from typing import Any

from telegram import Bot, Update
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler
from telegram.warnings import PTBDeprecationWarning, PTBUserWarning

from bot.delivery_errors import Rejected, RetryLater, TransientNetworkError, Unreachable
from bot.telegram.handling import UpdateHandler
from bot.telegram.updates import ALLOWED_UPDATES

_REJECTED = (BadRequest, ChatMigrated, Conflict, EndPointNotFound, InvalidToken)


class PtbCalls:
    """Bot API calls through `Bot.do_api_request`, with PTB's errors translated."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        # do_api_request warns that `bot.send_message` exists; we call methods by their
        # Bot API name on purpose (one renderer for both frameworks).
        warnings.filterwarnings("ignore", r"Please use 'Bot\.", PTBUserWarning)
        # RetryAfter's own constructor reads its deprecated int `retry_after` (PTB 22.8).
        warnings.filterwarnings("ignore", r".*`retry_after`", PTBDeprecationWarning)

    async def call(self, method: str, params: dict[str, Any]) -> Any:
        """The call's result, or `RetryLater`/`Unreachable`/`Rejected`/`TransientNetworkError`."""
        try:
            return await self.bot.do_api_request(method, api_kwargs=params)
        except RetryAfter as error:
            raise RetryLater(_seconds(error), str(error)) from error
        except Forbidden as error:
            raise Unreachable(str(error)) from error
        except _REJECTED as error:  # BadRequest before NetworkError: it is a subclass
            raise Rejected(str(error)) from error
        except (NetworkError, TelegramError) as error:
            raise TransientNetworkError(str(error)) from error


def _seconds(error: RetryAfter) -> float:
    """`retry_after` in seconds (PTB 22 returns an int or a timedelta, with a warning)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class PtbChannel:
    """A python-telegram-bot `Application` used for polling and as an HTTP client."""

    framework = "ptb"

    def __init__(self, token: str, api_root: str, *, poll_timeout: float = 10.0) -> None:
        root = api_root.rstrip("/")
        self.app: Application = (  # type: ignore[type-arg]
            ApplicationBuilder()
            .token(token)
            .base_url(root + "/bot")
            .base_file_url(root + "/file/bot")
            .concurrent_updates(True)
            .job_queue(None)
            .build()
        )
        self.calls = PtbCalls(self.app.bot)
        self.poll_timeout = poll_timeout

    async def open(self) -> str | None:
        """Connect (getMe) and return the bot's username."""
        await self.app.initialize()
        return self.app.bot.username

    async def start_polling(self, handler: UpdateHandler) -> None:
        """Fetch updates in the background and pass each to `handler`."""

        async def on_update(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
            """Every update, of every kind, goes to the shared handler."""
            await handler.on_update(update.to_dict())

        self.app.add_handler(TypeHandler(Update, on_update))
        await self.app.start()
        assert self.app.updater is not None
        await self.app.updater.start_polling(
            timeout=timedelta(seconds=self.poll_timeout), allowed_updates=list(ALLOWED_UPDATES)
        )

    async def stop_polling(self) -> None:
        """Stop fetching, then wait for the updates being handled."""
        if self.app.updater is not None and self.app.updater.running:
            await self.app.updater.stop()
        if self.app.running:
            await self.app.stop()

    async def close(self) -> None:
        """Release the HTTP client."""
        await self.app.shutdown()

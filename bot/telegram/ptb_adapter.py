"""The Telegram channel through python-telegram-bot 22: its `Bot` makes the Bot API calls,
getUpdates included (the shared `Poller` drives it, so that an update is acknowledged only
once it is stored); no Application, no ConversationHandler, no persistence (the core keeps
the state in its database).
"""

from __future__ import annotations

import warnings
from datetime import timedelta
from typing import Any

from telegram import Bot
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
from telegram.warnings import PTBDeprecationWarning, PTBUserWarning

from bot.delivery_errors import Rejected, RetryLater, TransientNetworkError, Unreachable

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

    async def call(
        self, method: str, params: dict[str, Any], *, timeout: float | None = None
    ) -> Any:
        """The call's result, or `RetryLater`/`Unreachable`/`Rejected`/`TransientNetworkError`
        (`timeout`: seconds to wait for the answer, for a long poll)."""
        try:
            if timeout is None:
                return await self.bot.do_api_request(method, api_kwargs=params)
            return await self.bot.do_api_request(method, api_kwargs=params, read_timeout=timeout)
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
    """A python-telegram-bot `Bot`, used as the HTTP client of the Bot API."""

    framework = "ptb"

    def __init__(self, token: str, api_root: str) -> None:
        root = api_root.rstrip("/")
        self.bot = Bot(token, base_url=root + "/bot", base_file_url=root + "/file/bot")
        self.calls = PtbCalls(self.bot)

    async def open(self) -> str | None:
        """Connect (getMe) and return the bot's username."""
        await self.bot.initialize()
        return self.bot.username

    async def close(self) -> None:
        """Release the HTTP client."""
        await self.bot.shutdown()

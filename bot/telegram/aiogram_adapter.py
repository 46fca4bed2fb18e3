"""The Telegram channel through aiogram 3: its `Bot` makes the Bot API calls, getUpdates
included (the shared `Poller` drives it, so that an update is acknowledged only once it is
stored); no Dispatcher, no filters, no FSM storage (the core keeps the state in its
database).
"""

from __future__ import annotations

import math
from typing import Any

import aiogram.methods
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    AiogramError,
    ClientDecodeError,
    TelegramAPIError,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods.base import TelegramMethod
from pydantic import BaseModel, ValidationError

from bot.delivery_errors import Rejected, RetryLater, TransientNetworkError, Unreachable


class AiogramCalls:
    """Bot API calls through aiogram's method classes, with aiogram's errors translated."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def call(
        self, method: str, params: dict[str, Any], *, timeout: float | None = None
    ) -> Any:
        """The call's result, or `RetryLater`/`Unreachable`/`Rejected`/`TransientNetworkError`
        (`timeout`: seconds to wait for the answer, for a long poll)."""
        try:
            request = _method_class(method)(**params)
        except (AttributeError, ValidationError) as error:
            raise Rejected(f"{method}: {error}") from error
        wait = None if timeout is None else math.ceil(timeout)
        try:
            return _plain(await self.bot(request, request_timeout=wait))
        except TelegramRetryAfter as error:
            raise RetryLater(float(error.retry_after), str(error)) from error
        except TelegramForbiddenError as error:
            raise Unreachable(str(error)) from error
        except (TelegramNetworkError, TelegramServerError, ClientDecodeError) as error:
            raise TransientNetworkError(str(error)) from error
        except (TelegramAPIError, AiogramError) as error:
            raise Rejected(str(error)) from error


def _method_class(method: str) -> type[TelegramMethod[Any]]:
    """`sendMessage` → `aiogram.methods.SendMessage`."""
    found = getattr(aiogram.methods, method[:1].upper() + method[1:])
    if not (isinstance(found, type) and issubclass(found, TelegramMethod)):
        raise AttributeError(f"no Bot API method {method!r}")
    return found


def _plain(result: Any) -> Any:
    """aiogram's result as the JSON Telegram sent (dicts, lists, plain values)."""
    if isinstance(result, BaseModel):
        return result.model_dump(mode="json", exclude_none=True, by_alias=True)
    if isinstance(result, list):
        return [_plain(item) for item in result]
    return result


class AiogramChannel:
    """An aiogram `Bot`, used as the HTTP client of the Bot API."""

    framework = "aiogram"

    def __init__(self, token: str, api_root: str) -> None:
        session = AiohttpSession(api=TelegramAPIServer.from_base(api_root))
        self.bot = Bot(token, session=session)
        self.calls = AiogramCalls(self.bot)

    async def open(self) -> str | None:
        """Connect (getMe) and return the bot's username."""
        return (await self.bot.me()).username

    async def close(self) -> None:
        """Release the HTTP client."""
        await self.bot.session.close()

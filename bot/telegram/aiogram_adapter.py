"""The Telegram channel through aiogram 3: polling and Bot API calls only.

One async function receives every update and hands its dict to the shared `UpdateHandler`.
It has no filters (aiogram runs sync filters in threads) and uses no FSM storage (the core
keeps the state in its database).

Why it is registered on four event observers and not on `dp.update`: the Dispatcher's own
update listener is the first handler of `dp.update`, matches every update and returns
UNHANDLED without trying the next handler, so a handler on `dp.update` is never called
(checked on aiogram 3.31).
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiogram.methods
from aiogram import Bot, Dispatcher
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
from aiogram.types import TelegramObject, Update
from pydantic import BaseModel, ValidationError

from bot.delivery_errors import Rejected, RetryLater, TransientNetworkError, Unreachable
from bot.telegram.handling import UpdateHandler
from bot.telegram.updates import ALLOWED_UPDATES


class AiogramCalls:
    """Bot API calls through aiogram's method classes, with aiogram's errors translated."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def call(self, method: str, params: dict[str, Any]) -> Any:
        """The call's result, or `RetryLater`/`Unreachable`/`Rejected`/`TransientNetworkError`."""
        try:
            request = _method_class(method)(**params)
        except (AttributeError, ValidationError) as error:
            raise Rejected(f"{method}: {error}") from error
        try:
            return _plain(await self.bot(request))
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
    """An aiogram `Bot` and `Dispatcher` used for polling and as an HTTP client."""

    framework = "aiogram"

    def __init__(self, token: str, api_root: str, *, poll_timeout: float = 10.0) -> None:
        session = AiohttpSession(api=TelegramAPIServer.from_base(api_root))
        self.bot = Bot(token, session=session)
        self.dispatcher = Dispatcher(disable_fsm=True)
        self.calls = AiogramCalls(self.bot)
        self.poll_timeout = poll_timeout
        self._polling: asyncio.Task[None] | None = None

    async def open(self) -> str | None:
        """Connect (getMe) and return the bot's username."""
        return (await self.bot.me()).username

    async def start_polling(self, handler: UpdateHandler) -> None:
        """Fetch updates in the background and pass each to `handler`."""

        async def on_update(_event: TelegramObject, event_update: Update) -> None:
            """Every update, of every kind, goes to the shared handler."""
            await handler.on_update(
                event_update.model_dump(mode="json", exclude_none=True, by_alias=True)
            )

        dp = self.dispatcher
        for observer in (dp.message, dp.callback_query, dp.poll_answer, dp.my_chat_member):
            observer.register(on_update)
        await self._start_dispatcher()

    async def _start_dispatcher(self) -> None:
        """Run the dispatcher's polling as a task; return once it has started."""
        started = asyncio.Event()

        async def on_startup() -> None:
            """Polling begins."""
            started.set()

        self.dispatcher.startup.register(on_startup)
        polling = asyncio.create_task(
            self.dispatcher.start_polling(
                self.bot,
                polling_timeout=int(self.poll_timeout),
                allowed_updates=list(ALLOWED_UPDATES),
                handle_signals=False,
                close_bot_session=False,
            )
        )
        self._polling = polling
        waiting = asyncio.ensure_future(started.wait())
        await asyncio.wait({waiting, polling}, return_when=asyncio.FIRST_COMPLETED)
        waiting.cancel()
        if polling.done():
            polling.result()  # raise what stopped polling from starting

    async def stop_polling(self) -> None:
        """Stop fetching (the handler waits for the updates in progress)."""
        task, self._polling = self._polling, None
        if task is None:
            return
        if not task.done():
            await self.dispatcher.stop_polling()
        await task

    async def close(self) -> None:
        """Release the HTTP client."""
        await self.bot.session.close()

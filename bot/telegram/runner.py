"""Running the Telegram channel: `run_polling` (`tachawor run`) and `run_webhook`
(`tachawor webhook`), with either framework (`BOT_FRAMEWORK=ptb|aiogram`).

At start: connect, register the command menus, store what the update spool kept while
the database was down, handle what a crash left in the inbox, then receive updates;
APScheduler drains the outbox every second and retries the spool every 5 s. SIGINT/SIGTERM (or the
`stop` event) stop everything in order: no new updates, the current ones finish, the
outbox sender stops between two rows.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlparse

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.delivery_errors import Rejected, RetryLater, TransientNetworkError, Unreachable
from bot.outbox_sender import OutboxSender, RateLimiter
from bot.scheduling import FinishingExecutor, add_scheduled_jobs
from bot.settings import Settings
from bot.telegram.handling import TYPING_AFTER_SECONDS, UpdateHandler
from bot.telegram.polling import Poller
from bot.telegram.rendering import command_menus
from bot.telegram.sender import ReplySender, RetryPolicy, TelegramCalls, TelegramSender
from bot.telegram.spool import UpdateSpool
from bot.telegram.updates import CHANNEL
from bot.telegram.webhook import DEFAULT_PATH, WebhookServer, webhook_params
from handlers.clock import Clock
from handlers.conversation_core import ConversationCore
from storage.database import Database

logger = logging.getLogger(__name__)


class TelegramChannel(Protocol):
    """A framework's side of the channel: fetch updates, make calls (see the adapters)."""

    framework: str
    calls: TelegramCalls

    async def open(self) -> str | None:
        """Connect (getMe); the bot's username."""
        ...

    async def close(self) -> None:
        """Release the HTTP client."""
        ...


@dataclass(frozen=True, slots=True)
class RunOptions:
    """Knobs the defaults get right in production; tests turn them."""

    poll_timeout: float = 10.0  # seconds a getUpdates call may wait for an update
    typing_after: float = TYPING_AFTER_SECONDS
    outbox_interval: float = 1.0
    spool_interval: float = 5.0  # seconds between tries to store updates kept on disk
    reply_policy: RetryPolicy | None = None
    handle_signals: bool = True
    chat_interval: float = 1.05  # seconds between two messages to one chat (Telegram: 1/s)
    group_interval: float = 3.05  # the same in a group (Telegram: 20/min)
    clock: Clock | None = None


async def run_polling(
    settings: Settings,
    core: ConversationCore,
    db: Database,
    *,
    stop: asyncio.Event | None = None,
    options: RunOptions | None = None,
) -> None:
    """Receive updates by long polling until SIGINT/SIGTERM or `stop` is set."""
    app = TelegramApp(settings, core, db, options or RunOptions())

    async def start_polling() -> None:
        await app.start()
        # A webhook left from `tachawor webhook` would make getUpdates fail (409).
        await app.channel.calls.call("deleteWebhook", {"drop_pending_updates": False})
        app.poller = Poller(app.channel.calls, app.handler, timeout=app.options.poll_timeout)
        await app.poller.start()
        logger.info("polling Telegram with %s", settings.bot_framework)

    with _stopped_by_signals(stop, app.options.handle_signals) as stopped:
        try:
            if await _unless_stopped(start_polling(), stopped):
                await stopped.wait()
        finally:
            await app.stop()


async def run_webhook(
    settings: Settings,
    core: ConversationCore,
    db: Database,
    *,
    stop: asyncio.Event | None = None,
    options: RunOptions | None = None,
) -> None:
    """Receive updates on `WEBHOOK_URL` (listening on WEBHOOK_LISTEN:WEBHOOK_PORT)."""
    if not settings.webhook_url or settings.webhook_secret is None:
        raise ValueError("webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET")  # checked by the CLI
    secret = settings.webhook_secret.get_secret_value()
    app = TelegramApp(settings, core, db, options or RunOptions())
    path = urlparse(settings.webhook_url).path or DEFAULT_PATH
    server = WebhookServer(app.handler, secret, path=path)

    async def start_receiving() -> None:
        await app.start()
        await server.start(settings.webhook_listen, settings.webhook_port)
        await app.channel.calls.call("setWebhook", webhook_params(settings.webhook_url, secret))
        logger.info("webhook on %s:%s%s", settings.webhook_listen, server.port, path)

    with _stopped_by_signals(stop, app.options.handle_signals) as stopped:
        try:
            if await _unless_stopped(start_receiving(), stopped):
                await stopped.wait()
        finally:
            await server.stop()
            await app.stop()


class TelegramRefused(Exception):
    """Telegram answered, and refused the bot's token: no retry can help."""


# Seconds between tries to reach Telegram at start: soon at first, then every half minute.
CONNECT_PAUSES = (1.0, 2.0, 5.0, 10.0, 30.0)


class TelegramApp:
    """Everything one running bot needs, wired once: channel, handler, senders, scheduler."""

    def __init__(
        self, settings: Settings, core: ConversationCore, db: Database, options: RunOptions
    ) -> None:
        if settings.telegram_bot_token is None:
            raise ValueError("TELEGRAM_BOT_TOKEN is not set")
        self.options = options
        self.core = core
        self.workshop_job_seconds = settings.workshop_job_seconds
        self.api_base_url = settings.telegram_api_base_url
        self.channel = _channel(settings, options)
        calls = self.channel.calls
        clock = options.clock or core.clock
        # One limiter for everything that leaves: replies and the outbox alike.
        limiter = RateLimiter(
            chat_interval=options.chat_interval, group_interval=options.group_interval
        )
        self.replies = ReplySender(
            calls, db, clock=clock, policy=options.reply_policy, limiter=limiter
        )
        self.handler = UpdateHandler(
            core,
            calls,
            self.replies,
            typing_after=options.typing_after,
            spool=UpdateSpool(Path(settings.update_spool_path)),
        )
        telegram = TelegramSender(calls)
        self.outbox = OutboxSender(
            db, telegram.send, channel=CHANNEL, parts=telegram.parts, limiter=limiter, clock=clock
        )
        self.jobs = FinishingExecutor()
        self.scheduler = AsyncIOScheduler(executors={"default": self.jobs})
        self.poller: Poller | None = None
        self._opened = False

    async def start(self) -> None:
        """Connect, set the command menus, finish what a crash left, start the outbox."""
        self._opened = True  # the HTTP client is in use from the first call: close it
        await self._reach_telegram()
        self.handler.bot_username = await self.channel.open()
        for language_code, commands in command_menus():
            params: dict[str, object] = {"commands": commands}
            if language_code:
                params["language_code"] = language_code
            await self.channel.calls.call("setMyCommands", params)
        await self.handler.replay_spool()
        await self.replies.send_all(await self.core.resume(CHANNEL))
        for job, job_id, seconds in (
            (self.handler.replay_spool, "spool", self.options.spool_interval),
            (self.outbox.tick, "outbox", self.options.outbox_interval),
        ):
            self.scheduler.add_job(
                job, "interval", seconds=seconds, id=job_id, max_instances=1, coalesce=True
            )
        core = self.core
        add_scheduled_jobs(
            self.scheduler,
            core.db,
            core.settings,
            self.options.clock or core.clock,
            workshop_job_seconds=self.workshop_job_seconds,
        )
        self.scheduler.start()

    async def _reach_telegram(self) -> None:
        """getMe until Telegram answers: an unreachable server is waited for (a line in
        the log at each try), a refused token stops the start with one clear line."""
        pauses = iter(CONNECT_PAUSES)
        pause = next(pauses)
        while True:
            try:
                await self.channel.calls.call("getMe", {})
                return
            except (TransientNetworkError, RetryLater) as error:
                wait = error.seconds if isinstance(error, RetryLater) else pause
                logger.warning(
                    "Telegram is unreachable at %s (%s): trying again in %g s",
                    self.api_base_url,
                    type(error).__name__,
                    wait,
                )
                await asyncio.sleep(wait)
                pause = next(pauses, pause)
            except (Rejected, Unreachable) as error:
                raise TelegramRefused(
                    f"Telegram refused TELEGRAM_BOT_TOKEN at {self.api_base_url}: {error} "
                    "(check the token @BotFather gave)"
                ) from None

    async def stop(self) -> None:
        """Stop receiving, let the current updates and outbox row finish, disconnect."""
        if self.scheduler.running:
            self.scheduler.pause()
            await self.jobs.finish(timeout=10.0)
        if self.poller is not None:
            await self.poller.stop()
        await self.handler.wait_idle()
        await self.outbox.close()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        if self._opened:
            await self.channel.close()


def _channel(settings: Settings, options: RunOptions) -> TelegramChannel:
    """The chosen framework's channel (imported lazily: run only one of them)."""
    assert settings.telegram_bot_token is not None
    token = settings.telegram_bot_token.get_secret_value()
    root = settings.telegram_api_base_url
    if settings.bot_framework == "aiogram":
        from bot.telegram.aiogram_adapter import AiogramChannel

        return AiogramChannel(token, root)
    from bot.telegram.ptb_adapter import PtbChannel

    return PtbChannel(token, root)


@contextlib.contextmanager
def _stopped_by_signals(
    stop: asyncio.Event | None, handle_signals: bool
) -> Iterator[asyncio.Event]:
    """An event set by `stop`'s owner, or by SIGINT/SIGTERM when `handle_signals` —
    from the first moment of the start, so a signal during it stops the bot cleanly."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    installed: list[signal.Signals] = []
    if handle_signals:
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, stop.set)
                installed.append(sig)
    try:
        yield stop
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)


async def _unless_stopped(starting: Coroutine[Any, Any, None], stop: asyncio.Event) -> bool:
    """Run the start, unless the stop comes first (then it is cancelled): started?"""
    start = asyncio.ensure_future(starting)
    stopped = asyncio.ensure_future(stop.wait())
    await asyncio.wait({start, stopped}, return_when=asyncio.FIRST_COMPLETED)
    stopped.cancel()
    if not start.done():
        start.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await start
        return False
    start.result()
    return True

"""Running the WhatsApp channel (`tachawor whatsapp`): at start, handle what a crash left
in the inbox, then receive Meta's webhook calls until SIGINT/SIGTERM (or `stop`).

Replies go out at once (they answer a message just received, inside the 24-hour window).
The outbox (pushes, reminders, broadcasts, replies that had to wait) is drained every
second by the outbox sender under the window's rules (`pushes`), and the scheduled jobs of
the core run as with Telegram (each safe to run in several processes at once). One rate
limiter paces both: Meta's throughput per business number, and its pair limit per person.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

import aiohttp
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.outbox_sender import OutboxSender, RateLimiter
from bot.scheduling import FinishingExecutor, add_scheduled_jobs
from bot.settings import Settings
from bot.whatsapp.cloud_api import CloudApi
from bot.whatsapp.pushes import WhatsAppPushes
from bot.whatsapp.sending import WhatsAppSender
from bot.whatsapp.templates import TemplateChoice
from bot.whatsapp.updates import CHANNEL
from bot.whatsapp.webhook import WhatsAppWebhook
from handlers.conversation_core import ConversationCore
from handlers.languages import translate

logger = logging.getLogger(__name__)

# Meta's limits, kept a little under: 80 messages per second per business number, and per
# person bursts of 45, then one every 6 seconds (the pair limit, error 131056).
PER_SECOND = 78.0
PER_PERSON_BURST = 45
PER_PERSON_INTERVAL = 6.05

REQUIRED = (
    "whatsapp_phone_number_id",
    "whatsapp_access_token",
    "whatsapp_app_secret",
    "whatsapp_verify_token",
)


def missing_whatsapp_settings(settings: Settings) -> list[str]:
    return [name.upper() for name in REQUIRED if not getattr(settings, name)]


def _secret(settings: Settings, name: str) -> str:
    value = getattr(settings, name)
    return value.get_secret_value() if hasattr(value, "get_secret_value") else str(value)


async def run_whatsapp(
    settings: Settings, core: ConversationCore, *, stop: asyncio.Event | None = None,
    handle_signals: bool = True, outbox_interval: float = 1.0,
) -> None:  # fmt: skip
    """Serve the webhook on WHATSAPP_LISTEN:WHATSAPP_PORT until stopped."""
    stop = stop or asyncio.Event()
    if handle_signals:
        loop = asyncio.get_running_loop()
        for name in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(name, stop.set)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        api = CloudApi(
            session,
            str(settings.whatsapp_phone_number_id),
            _secret(settings, "whatsapp_access_token"),
            base_url=settings.whatsapp_graph_api_base_url,
            version=settings.whatsapp_api_version,
        )
        limiter = RateLimiter(PER_SECOND, PER_PERSON_INTERVAL, chat_burst=PER_PERSON_BURST)
        sender = WhatsAppSender(
            api, core.db, limiter=limiter, clock=core.clock,
            default_locale=core.settings.default_locale,
        )  # fmt: skip
        webhook = WhatsAppWebhook(
            core, sender,
            app_secret=_secret(settings, "whatsapp_app_secret"),
            verify_token=_secret(settings, "whatsapp_verify_token"),
            path=settings.whatsapp_webhook_path,
        )  # fmt: skip
        templates = TemplateChoice.of_settings(
            settings.whatsapp_templates, settings.whatsapp_template_languages
        )
        pushes = WhatsAppPushes(
            sender, templates, clock=core.clock, default_locale=core.settings.default_locale
        )
        outbox = OutboxSender(
            core.db, pushes.send, channel=CHANNEL, limiter=limiter, clock=core.clock
        )
        webhook.on_woken = outbox.tick
        jobs = FinishingExecutor()
        scheduler = AsyncIOScheduler(executors={"default": jobs})
        await sender.send_all(await core.resume(CHANNEL))
        port = await webhook.start(settings.whatsapp_listen, settings.whatsapp_port)
        scheduler.add_job(
            outbox.tick, "interval", seconds=outbox_interval, id="outbox",
            max_instances=1, coalesce=True,
        )  # fmt: skip
        add_scheduled_jobs(
            scheduler, core.db, core.settings, core.clock,
            workshop_job_seconds=settings.workshop_job_seconds,
        )  # fmt: skip
        scheduler.start()
        logger.info("WhatsApp webhook on %s:%s%s", settings.whatsapp_listen, port, webhook.path)
        url = f"http://{settings.whatsapp_listen}:{port}{webhook.path}"
        print(translate(core.settings.default_locale, "cli.whatsapp.serving", url=url))
        try:
            await stop.wait()
        finally:
            scheduler.pause()
            await jobs.finish(timeout=10.0)
            with contextlib.suppress(Exception):
                await webhook.stop()
            await outbox.close()
            scheduler.shutdown(wait=False)

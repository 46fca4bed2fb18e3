"""Running the WhatsApp channel (`tachawor whatsapp`): at start, handle what a crash left
in the inbox, then receive Meta's webhook calls until SIGINT/SIGTERM (or `stop`).

Replies go out at once (they answer a message just received, inside the 24-hour window).
Pushes, reminders and broadcasts to WhatsApp citizens stay in the outbox for now — queued,
counted on the dashboard, never dropped — until the 24-hour window's rules (templates,
waiting for the citizen) are in the outbox sender for this channel.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

import aiohttp

from bot.outbox_sender import RateLimiter
from bot.settings import Settings
from bot.whatsapp.cloud_api import CloudApi
from bot.whatsapp.sending import WhatsAppSender
from bot.whatsapp.updates import CHANNEL
from bot.whatsapp.webhook import WhatsAppWebhook
from handlers.conversation_core import ConversationCore
from handlers.languages import translate

logger = logging.getLogger(__name__)

# Meta's default: 80 messages per second per business number; one person gets one
# message at a time, quickly (the pair limit is enforced by Meta; replies come in turns).
PER_SECOND = 80.0
PER_PERSON_INTERVAL = 0.1

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
    handle_signals: bool = True,
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
        limiter = RateLimiter(PER_SECOND, PER_PERSON_INTERVAL)
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
        await sender.send_all(await core.resume(CHANNEL))
        port = await webhook.start(settings.whatsapp_listen, settings.whatsapp_port)
        logger.info("WhatsApp webhook on %s:%s%s", settings.whatsapp_listen, port, webhook.path)
        url = f"http://{settings.whatsapp_listen}:{port}{webhook.path}"
        print(translate(core.settings.default_locale, "cli.whatsapp.serving", url=url))
        try:
            await stop.wait()
        finally:
            with contextlib.suppress(Exception):
                await webhook.stop()

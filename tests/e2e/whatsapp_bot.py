"""The bot on WhatsApp for end-to-end tests: `run_whatsapp` (what `tachawor whatsapp` runs)
on a free port, Meta played by the project's fake Cloud API, and a citizen's usual moves."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
from pydantic import SecretStr

from bot.settings import Settings
from bot.whatsapp.runner import run_whatsapp
from handlers.conversation_core import ConversationCore
from tests.e2e.conftest import free_port
from tests.e2e.fake_cloud_api import FakeCloudApi

APP_SECRET, VERIFY_TOKEN = "wa-app-secret", "wa-verify-token"
TRACKING_NUMBER = re.compile(r"TRD-\d\d-[2-9A-Z]{5}")


def whatsapp_settings(fake: FakeCloudApi, port: int, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "whatsapp_phone_number_id": fake.phone_number_id,
        "whatsapp_access_token": SecretStr(fake.access_token),
        "whatsapp_app_secret": SecretStr(APP_SECRET),
        "whatsapp_verify_token": SecretStr(VERIFY_TOKEN),
        "whatsapp_graph_api_base_url": fake.root_url,
        "whatsapp_api_version": fake.api_version,
        "whatsapp_port": port,
        "pseudonym_key": SecretStr("5" * 64),
    }
    return Settings(_env_file=None, **(values | overrides))  # type: ignore[call-arg]


@contextlib.asynccontextmanager
async def running_whatsapp(
    meta: FakeCloudApi, core: ConversationCore, **overrides: Any
) -> AsyncIterator[Settings]:
    """The bot on WhatsApp, its webhook set up in the fake as one does in Meta's app."""
    port = free_port()
    settings = whatsapp_settings(meta, port, **overrides)
    stop = asyncio.Event()
    task = asyncio.create_task(
        run_whatsapp(settings, core, stop=stop, handle_signals=False, outbox_interval=0.05)
    )
    url = f"http://127.0.0.1:{port}{settings.whatsapp_webhook_path}"
    for _ in range(500):
        if task.done():
            task.result()
        with contextlib.suppress(aiohttp.ClientError):
            if await meta.verify_webhook(url, VERIFY_TOKEN):
                break
        await asyncio.sleep(0.02)
    meta.set_webhook(url, APP_SECRET)
    try:
        yield settings
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)


async def replies(meta: FakeCloudApi, wa_id: str, count: int) -> list[str]:
    """What the citizen has seen once `count` messages were sent to them."""
    await meta.wait_for_messages(wa_id, count, timeout=10)
    return meta.seen_by(wa_id)


def press(meta: FakeCloudApi, wa_id: str, label: str) -> None:
    """Tap the button or list row whose title contains `label` (emoji aside)."""
    last = meta.last_message_to(wa_id)
    for title in last.button_titles:
        if label in title:
            meta.user_presses_button(wa_id, title)
            return
    for _, title, _ in last.rows:
        if label in title:
            meta.user_picks_from_list(wa_id, title)
            return
    raise AssertionError(f"no {label!r} in {last.button_titles or last.rows}: {last.text}")


async def settled(meta: FakeCloudApi, wa_id: str, quiet: float = 0.3) -> int:
    """Wait until the bot has said all it had to (nothing new for `quiet` seconds); how
    many messages the citizen has been sent."""
    before, now = -1, len(meta.messages_to(wa_id))
    while now != before:
        await asyncio.sleep(quiet)
        before, now = now, len(meta.messages_to(wa_id))
    return now


async def answer(meta: FakeCloudApi, wa_id: str, move: Any) -> list[str]:
    """One move of the citizen (a label to press, or a callable acting for them), then
    what they have seen once the bot answered it."""
    count = len(meta.messages_to(wa_id))
    move() if callable(move) else press(meta, wa_id, move)
    return await replies(meta, wa_id, count + 1)


async def signed_up_in_french(meta: FakeCloudApi, wa_id: str, name: str = "Karim") -> None:
    """First message, French, consent: the citizen is at the menu."""
    meta.user_sends_text(wa_id, "Bonjour", profile_name=name)
    await replies(meta, wa_id, 1)
    await answer(meta, wa_id, "Français")
    await answer(
        meta,
        wa_id,
        lambda: meta.user_presses_button(wa_id, meta.last_message_to(wa_id).button_titles[0]),
    )  # fmt: skip  (I accept)


async def filed_complaint(meta: FakeCloudApi, wa_id: str) -> str:
    """From the menu, a waste complaint with its description, place and photo: its
    tracking number."""
    for label in ("Réclamations", "Déposer", "Réclamation", "Déchets"):
        await answer(meta, wa_id, label)
    description = "Des ordures s'accumulent devant l'école depuis une semaine."
    await answer(meta, wa_id, lambda: meta.user_sends_text(wa_id, description))
    await answer(meta, wa_id, lambda: meta.user_sends_location(wa_id, 30.4712, -8.8771))
    await answer(meta, wa_id, lambda: meta.user_sends_image(
        wa_id, data=PHOTO, caption="devant l'école"))  # fmt: skip
    for _ in range(3):  # the summary, then sending it
        last = meta.last_message_to(wa_id)
        titles = last.button_titles or [title for _, title, _ in last.rows]
        send = next((t for t in titles if "Envoyer" in t), None)
        if send is None:
            break
        await answer(meta, wa_id, send)
    await settled(meta, wa_id)
    numbers = TRACKING_NUMBER.findall("\n".join(meta.seen_by(wa_id)))
    assert numbers, meta.transcript(wa_id)
    return numbers[-1]


PHOTO = b"\xff\xd8\xff\xe0" + b"zbel-f-derb-jdid" * 40 + b"\xff\xd9"

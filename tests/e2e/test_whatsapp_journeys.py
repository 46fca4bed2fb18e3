"""Citizens on WhatsApp, end to end: `run_whatsapp` (what `tachawor whatsapp` runs) on a
free port, Meta played by the project's fake Cloud API on 127.0.0.1 — signed webhooks
delivered at least once, every send checked against WhatsApp's limits — on SQLite and
PostgreSQL. Onboarding in Darija and in French, a complaint with a photo and a place
(its photo then shown in the back-office), a redelivered webhook, a forged one."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from pydantic import SecretStr

from bot.settings import Settings
from bot.whatsapp.runner import run_whatsapp
from tests.e2e.conftest import free_port
from tests.e2e.fake_cloud_api import FakeCloudApi
from tests.web_client import add_staff_member, start_back_office

APP_SECRET, VERIFY_TOKEN = "wa-app-secret", "wa-verify-token"
AMINA, KARIM = "212661000001", "212661000002"
PHOTO = b"\xff\xd8\xff\xe0" + b"zbel-f-derb-jdid" * 40 + b"\xff\xd9"


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


@pytest.fixture
async def meta() -> AsyncIterator[FakeCloudApi]:
    async with FakeCloudApi() as fake:
        yield fake


@pytest.fixture
async def whatsapp(meta: FakeCloudApi, core) -> AsyncIterator[tuple[FakeCloudApi, Settings]]:
    """The bot on WhatsApp, its webhook set up in the fake as one does in Meta's app."""
    port = free_port()
    settings = whatsapp_settings(meta, port)
    stop = asyncio.Event()
    task = asyncio.create_task(run_whatsapp(settings, core, stop=stop, handle_signals=False))
    url = f"http://127.0.0.1:{port}{settings.whatsapp_webhook_path}"
    for _ in range(500):
        if task.done():
            task.result()
        with contextlib.suppress(aiohttp.ClientError):
            if await meta.verify_webhook(url, VERIFY_TOKEN):
                break
        await asyncio.sleep(0.02)
    meta.set_webhook(url, APP_SECRET)
    yield meta, settings
    stop.set()
    await asyncio.wait_for(task, 15)


async def replies(meta: FakeCloudApi, wa_id: str, count: int) -> list[str]:
    await meta.wait_for_messages(wa_id, count, timeout=10)
    return meta.seen_by(wa_id)


async def test_a_citizen_writing_darija_is_welcomed_and_signs_up(whatsapp):
    meta, _ = whatsapp
    meta.user_sends_text(AMINA, "salam", profile_name="Amina")
    [welcome] = await replies(meta, AMINA, 1)
    assert "mar7ba" in welcome.lower()
    language_list = meta.last_message_to(AMINA)
    assert "الدارجة" in language_list.row_titles and "Français" in language_list.row_titles
    meta.user_picks_from_list(AMINA, "Darija (latin)")
    texts = await replies(meta, AMINA, 2)
    consent = meta.last_message_to(AMINA)
    assert consent.button_titles, texts[-1]
    meta.user_presses_button(AMINA, consent.button_titles[0])
    await replies(meta, AMINA, 3)
    menu = meta.last_message_to(AMINA)
    assert menu.rows or menu.buttons, "the menu, as a list or buttons"
    for sent in meta.messages_to(AMINA):
        assert sent.error_code is None, meta.transcript(AMINA)


async def test_a_complaint_with_a_photo_and_a_place_then_its_photo_in_the_back_office(
    whatsapp, db, clock
):
    meta, _ = whatsapp
    meta.user_sends_text(KARIM, "Bonjour", profile_name="Karim")
    await replies(meta, KARIM, 1)
    meta.user_picks_from_list(KARIM, "Français")
    await replies(meta, KARIM, 2)
    meta.user_presses_button(KARIM, meta.last_message_to(KARIM).button_titles[0])  # I accept
    await replies(meta, KARIM, 3)
    steps = ["Réclamations", "Déposer", "Réclamation", "Déchets"]
    for number, label in enumerate(steps, start=4):
        _press(meta, KARIM, label)
        await replies(meta, KARIM, number)
    meta.user_sends_text(KARIM, "Des ordures s'accumulent devant l'école depuis une semaine.")
    await replies(meta, KARIM, 8)
    meta.user_sends_location(KARIM, 30.4712, -8.8771)
    await replies(meta, KARIM, 9)
    meta.user_sends_image(KARIM, data=PHOTO, caption="devant l'école")
    seen = await replies(meta, KARIM, 10)
    for _ in range(3):  # the summary, then sending it
        last = meta.last_message_to(KARIM)
        titles = last.button_titles or [title for _, title, _ in last.rows]
        send = next((t for t in titles if "Envoyer" in t), None)
        if send is None:
            break
        count = len(meta.messages_to(KARIM))
        _press(meta, KARIM, send)
        seen = await replies(meta, KARIM, count + 1)
    numbers = re.findall(r"TRD-\d\d-[2-9A-Z]{5}", "\n".join(seen))
    assert numbers, meta.transcript(KARIM)
    office = await start_back_office(
        db, clock, whatsapp_phone_number_id=meta.phone_number_id,
        whatsapp_access_token=SecretStr(meta.access_token),
        whatsapp_graph_api_base_url=meta.root_url,
        whatsapp_api_version=meta.api_version,
    )  # fmt: skip
    login = await add_staff_member(db, "9", "agent", clock.now())
    browser = office.client()
    try:
        await browser.sign_in(login)
        page = await browser.get(f"/complaints/{numbers[-1]}")
        assert "30.47120, -8.87710" in page.text
        status, _, body = await browser.get_bytes(f"/complaints/{numbers[-1]}/attachment")
        assert (status, body) == (200, PHOTO)
    finally:
        await browser.close()
        await office.server.stop()


def _press(meta: FakeCloudApi, wa_id: str, label: str) -> None:
    """Tap the button or list row whose title starts with `label` (emoji aside)."""
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


async def test_a_redelivered_webhook_is_handled_once(whatsapp):
    meta, _ = whatsapp
    wamid = meta.user_sends_text(AMINA, "Bonjour")
    await replies(meta, AMINA, 1)
    meta.redeliver(wamid)
    await meta.wait_for_deliveries(2)
    await asyncio.sleep(0.3)
    assert len(meta.messages_to(AMINA)) == 1


async def test_a_forged_webhook_is_refused(whatsapp):
    _, settings = whatsapp
    url = f"http://127.0.0.1:{settings.whatsapp_port}{settings.whatsapp_webhook_path}"
    body = b'{"object":"whatsapp_business_account","entry":[]}'
    async with aiohttp.ClientSession() as session:
        headers = {"X-Hub-Signature-256": "sha256=" + "0" * 64}
        async with session.post(url, data=body, headers=headers) as answer:
            assert answer.status == 403

"""Citizens on WhatsApp, end to end: `run_whatsapp` (what `tachawor whatsapp` runs) on a
free port, Meta played by the project's fake Cloud API on 127.0.0.1 — signed webhooks
delivered at least once, every send checked against WhatsApp's limits — on SQLite and
PostgreSQL. Onboarding in Darija and in French, a complaint with a photo and a place
(its photo then shown in the back-office), a redelivered webhook, a forged one."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest
from pydantic import SecretStr

from bot.settings import Settings
from tests.e2e.fake_cloud_api import FakeCloudApi
from tests.e2e.whatsapp_bot import (
    PHOTO,
    filed_complaint,
    replies,
    running_whatsapp,
    signed_up_in_french,
)
from tests.web_client import add_staff_member, start_back_office

AMINA, KARIM = "212661000001", "212661000002"


@pytest.fixture
async def meta() -> AsyncIterator[FakeCloudApi]:
    async with FakeCloudApi() as fake:
        yield fake


@pytest.fixture
async def whatsapp(meta: FakeCloudApi, core) -> AsyncIterator[tuple[FakeCloudApi, Settings]]:
    async with running_whatsapp(meta, core) as settings:
        yield meta, settings


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
    await signed_up_in_french(meta, KARIM)
    number = await filed_complaint(meta, KARIM)
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
        page = await browser.get(f"/complaints/{number}")
        assert "30.47120, -8.87710" in page.text
        assert '<dd id="channel">WhatsApp</dd>' in page.text
        status, _, body = await browser.get_bytes(f"/complaints/{number}/attachment")
        assert (status, body) == (200, PHOTO)
    finally:
        await browser.close()
        await office.server.stop()


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

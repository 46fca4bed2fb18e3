"""Pushes to WhatsApp citizens under the 24-hour window, end to end: the bot's clock and
the fake Cloud API's move together (a controllable clock), so "the next day" is one call.
Inside the window a push goes free-form; outside it, as the approved template for its
kind; with no template it waits until the citizen writes again; WhatsApp's own verdicts
(a window it finds closed, a citizen who blocked the number) are acted on when they come
later as delivery statuses. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta

import pytest

from bot.cli.complaints import StatusRequest, change_status, show_complaint
from handlers.clock import ManualClock
from storage.database import Database
from tests.e2e.fake_cloud_api import FakeCloudApi
from tests.e2e.whatsapp_bot import (
    answer,
    filed_complaint,
    running_whatsapp,
    signed_up_in_french,
)
from tests.web_client import add_staff_member, start_back_office

KARIM = "212661000002"
TEMPLATE = "tachawor_complaint_update"
NEXT_DAY = timedelta(hours=25)


@pytest.fixture
async def meta(clock: ManualClock) -> AsyncIterator[FakeCloudApi]:
    async with FakeCloudApi() as fake:
        fake.set_clock(lambda: clock.now().timestamp())
        yield fake


async def move(db, settings, clock, number: str, status: str, comment: str | None = None):
    request = StatusRequest(number, status, comment=comment, actor="Amina Ouali")
    await change_status(db, settings, request, clock.now())


async def complaint_filed(meta: FakeCloudApi) -> tuple[str, int]:
    """Karim signs up and files a complaint: its number, and how many messages he got."""
    await signed_up_in_french(meta, KARIM)
    number = await filed_complaint(meta, KARIM)
    return number, len(meta.messages_to(KARIM))


async def wait_for(meta: FakeCloudApi, wa_id: str, count: int) -> None:
    await meta.wait_for_messages(wa_id, count, timeout=10)


async def test_a_status_push_goes_free_form_that_day_and_as_a_template_the_next(
    meta: FakeCloudApi, core, db, clock
):
    meta.add_template(TEMPLATE, "fr", body_params=1)
    async with running_whatsapp(meta, core, whatsapp_templates=f"complaint={TEMPLATE}") as s:
        number, sent = await complaint_filed(meta)
        await move(db, s, clock, number, "acknowledged")
        await wait_for(meta, KARIM, sent + 1)
        same_day = meta.last_message_to(KARIM)
        assert same_day.template is None and number in same_day.text
        clock.advance(NEXT_DAY)
        await move(db, s, clock, number, "in_progress", "L'équipe de propreté passe demain.")
        await wait_for(meta, KARIM, sent + 2)
        next_day = meta.last_message_to(KARIM)
        assert next_day.template == TEMPLATE, meta.transcript(KARIM)
        assert number in next_day.text and "passe demain" in next_day.text
        await meta.wait_for(lambda: "delivered" in next_day.statuses, 5)
        assert all(m.error_code is None for m in meta.messages_to(KARIM)), meta.transcript(KARIM)
        card = await show_complaint(db, s, number)
    assert "WhatsApp" in card


async def test_with_no_template_a_push_waits_until_the_citizen_writes_again(
    meta: FakeCloudApi, core, db, clock
):
    async with running_whatsapp(meta, core) as s:
        number, sent = await complaint_filed(meta)
        clock.advance(NEXT_DAY)
        await move(db, s, clock, number, "acknowledged")
        await _until_waiting(db, 1)
        assert len(meta.messages_to(KARIM)) == sent, "nothing free-form outside the window"
        assert '<span class="figure" id="waiting">1</span>' in await dashboard(db, clock)
        seen = await answer(meta, KARIM, lambda: meta.user_sends_text(KARIM, "Bonjour"))
        await wait_for(meta, KARIM, len(seen) + 1)
        push = meta.last_message_to(KARIM)
        assert number in push.text and push.template is None and push.error_code is None
        await _until_waiting(db, 0)


async def test_a_window_whatsapp_finds_closed_sends_the_template_instead(
    meta: FakeCloudApi, core, db, clock
):
    meta.add_template(TEMPLATE, "fr", body_params=1)
    async with running_whatsapp(meta, core, whatsapp_templates=f"*={TEMPLATE}") as s:
        number, sent = await complaint_filed(meta)
        meta.advance_clock(NEXT_DAY.total_seconds())  # Meta's clock only: the bot thinks open
        await move(db, s, clock, number, "acknowledged")
        await wait_for(meta, KARIM, sent + 2)
        refused, template = meta.messages_to(KARIM)[-2:]
        assert refused.error_code == 131047 and refused.template is None
        assert template.template == TEMPLATE and number in template.text


async def test_a_citizen_who_blocked_the_number_is_marked_unreachable(
    meta: FakeCloudApi, core, db, clock
):
    async with running_whatsapp(meta, core) as s:
        number, _ = await complaint_filed(meta)
        meta.user_blocks(KARIM)
        await move(db, s, clock, number, "acknowledged")

        async def unreachable() -> bool:
            async with db.transaction() as uow:
                citizen = await uow.citizens.find("whatsapp", KARIM)
            return citizen is not None and citizen.reachable is False

        await eventually(unreachable)
        async with db.transaction() as uow:
            counts = await uow.outbox.count_by_status()
    assert counts.get("failed") == 1 and not counts.get("pending"), counts


async def eventually(check: Callable[[], Awaitable[bool]], seconds: float = 10.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if await check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{check.__name__} never held")


async def dashboard(db: Database, clock: ManualClock) -> str:
    """The back-office's dashboard as an agent reads it."""
    office = await start_back_office(db, clock)
    login = await add_staff_member(db, "9", "agent", clock.now())
    browser = office.client()
    try:
        await browser.sign_in(login)
        return (await browser.get("/")).text
    finally:
        await browser.close()
        await office.server.stop()


async def _until_waiting(db: Database, expected: int) -> None:
    async def waiting() -> bool:
        async with db.transaction() as uow:
            return (await uow.outbox.count_by_status()).get("waiting", 0) == expected

    await eventually(waiting)

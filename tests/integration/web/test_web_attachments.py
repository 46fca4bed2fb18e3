"""A complaint's photo and voice note in the back-office, fetched back from Telegram (the
project's fake Bot API on 127.0.0.1) through the bot's token: shown, played, cached,
never run as a page, and gone with the complaint."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import insert

from storage.models import Citizen
from tests.complaint_rows import add_complaints, complaint_values
from tests.e2e.fake_bot_api import FakeBotApi
from tests.e2e.fake_bot_api.server import DEFAULT_TOKEN
from tests.web_client import RunningBackOffice, add_staff_member, start_back_office

PHOTO = b"\xff\xd8\xff\xe0" + b"taroudant-photo" * 50 + b"\xff\xd9"
VOICE = b"OggS" + b"voice-note" * 40


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as api:
        yield api


@pytest.fixture
async def office(db, clock, fake) -> AsyncIterator[RunningBackOffice]:
    running = await start_back_office(
        db, clock, telegram_bot_token=DEFAULT_TOKEN, telegram_api_base_url=fake.root_url
    )
    yield running
    await running.server.stop()


async def telegram_citizen(db, now) -> int:
    async with db.engine.begin() as connection:
        result = await connection.execute(
            insert(Citizen).returning(Citizen.id),
            {"channel": "telegram", "channel_user_id": "5550001", "chat_id": "5550001",
             "language": "ary", "script": "Arab", "consent_at": now, "reachable": True,
             "created_at": now, "last_seen_at": now},
        )  # fmt: skip
        return result.scalar_one()


async def complaint_with(db, now, citizen_id: int, **attachment) -> str:
    values = complaint_values(citizen_id, now, **attachment)
    await add_complaints(db, [values])
    return values["tracking_number"]


def largest_photo_id(fake: FakeBotApi) -> str:
    return [file_id for file_id, f in fake.files.items() if f.kind == "photo"][-1]


async def test_a_photo_is_shown_from_telegram_and_cached(office, fake, clock):
    fake.user_sends_photo(5550001, data=PHOTO)
    citizen = await telegram_citizen(office.db, clock.now())
    number = await complaint_with(
        office.db, clock.now(), citizen, attachment_kind="photo",
        attachment_file_ref=largest_photo_id(fake),
    )  # fmt: skip
    login = await add_staff_member(office.db, "7", "agent", clock.now())
    browser = office.client()
    try:
        await browser.sign_in(login)
        page = await browser.get(f"/complaints/{number}")
        assert f'<img src="/complaints/{number}/attachment"' in page.text
        status, headers, body = await browser.get_bytes(f"/complaints/{number}/attachment")
        assert (status, body) == (200, PHOTO)
        assert headers["Content-Type"] == "image/jpeg"
        assert headers["Content-Disposition"].startswith("inline")
        assert "sandbox" in headers["Content-Security-Policy"]
        calls = len([c for c in fake.calls if c.method == "getFile"])
        assert (await browser.get_bytes(f"/complaints/{number}/attachment"))[2] == PHOTO
        assert len([c for c in fake.calls if c.method == "getFile"]) == calls, "from the cache"
    finally:
        await browser.close()


async def test_a_voice_note_plays_and_a_document_is_only_downloaded(office, fake, clock):
    fake.user_sends_voice(5550001, data=VOICE)
    [voice_id] = [file_id for file_id, f in fake.files.items() if f.kind == "voice"]
    citizen = await telegram_citizen(office.db, clock.now())
    voice = await complaint_with(
        office.db, clock.now(), citizen, attachment_kind="voice", attachment_file_ref=voice_id,
        attachment_mime="audio/ogg",
    )  # fmt: skip
    html = await complaint_with(
        office.db, clock.now(), citizen, attachment_kind="document", attachment_file_ref=voice_id,
        attachment_mime="text/html", attachment_name="<script>.html",
    )  # fmt: skip
    login = await add_staff_member(office.db, "7", "agent", clock.now())
    browser = office.client()
    try:
        await browser.sign_in(login)
        page = await browser.get(f"/complaints/{voice}")
        assert f'<audio controls preload="none" src="/complaints/{voice}/attachment"' in page.text
        _, headers, body = await browser.get_bytes(f"/complaints/{voice}/attachment")
        assert body == VOICE and headers["Content-Type"] == "audio/ogg"
        _, headers, _ = await browser.get_bytes(f"/complaints/{html}/attachment")
        assert headers["Content-Disposition"].startswith("attachment")
        assert "<" not in headers["Content-Disposition"]
    finally:
        await browser.close()


async def test_a_file_telegram_no_longer_has_is_a_page_not_found(office, clock):
    citizen = await telegram_citizen(office.db, clock.now())
    number = await complaint_with(
        office.db, clock.now(), citizen, attachment_kind="photo", attachment_file_ref="AgAD-gone"
    )
    login = await add_staff_member(office.db, "7", "agent", clock.now())
    browser = office.client()
    try:
        await browser.sign_in(login)
        assert (await browser.get_bytes(f"/complaints/{number}/attachment"))[0] == 404
        no_file = await complaint_with(office.db, clock.now(), citizen)
        assert (await browser.get_bytes(f"/complaints/{no_file}/attachment"))[0] == 404
    finally:
        await browser.close()

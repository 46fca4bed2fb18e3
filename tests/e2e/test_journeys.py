"""Citizens' journeys over real HTTP, through python-telegram-bot AND aiogram: both must
hold the same conversation, because both only hand update dicts to the same core."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import aiohttp
import pytest
from sqlalchemy import select

from bot.telegram.aiogram_adapter import AiogramChannel
from bot.telegram.ptb_adapter import PtbChannel
from bot.telegram.rendering import MAX_TEXT
from bot.telegram.runner import TelegramChannel
from bot.telegram.sender import ReplySender
from bot.telegram.spool import UpdateSpool
from bot.telegram.updates import CHANNEL
from handlers.conversation_core import ConversationCore
from handlers.languages.catalogs import translate
from handlers.serialization import outgoing_to_dict
from handlers.types import Button, Incoming, Outgoing, Text
from storage.database import Database
from storage.models import Citizen as CitizenRow
from storage.models import InboxUpdate, OutboxMessage
from tests.e2e.citizens import Citizen, settle
from tests.e2e.conftest import FRAMEWORKS, WEBHOOK_SECRET, running_bot
from tests.e2e.fake_bot_api import FakeBotApi

# (first message, Telegram app language, the locale the bot must settle on)
NEWCOMERS = {
    "darija-latin": ("salam, bghit n9dm chikaya", None, "ary-Latn"),
    "french": ("Bonjour", "fr", "fr"),
    "arabic": ("السلام عليكم، أريد تقديم شكاية", "ar", "ar"),
}


# A first message asking for something lands there after consent, not at the menu.
LANDING = {"bghit n9dm chikaya": "complaint.kind.prompt", "تقديم شكاية": "complaint.kind.prompt"}


async def onboard(citizen: Citizen, text: str, locale: str) -> None:
    """Greeting → confirm the language (the first button) → accept (✅) → main menu, or
    where the first message asked to go."""
    greeting = await citizen.says(text)
    assert greeting.buttons[0][0] == translate(locale, "language.name")
    consent = await citizen.presses(0)
    assert translate(locale, "consent.accept") in consent.buttons[0]
    landing = await citizen.presses("✅")
    asked = next((key for request, key in LANDING.items() if request in text), "menu.title")
    assert translate(locale, asked) in (landing.text or "")
    assert landing.buttons


async def citizen_row(db: Database, user_id: int) -> CitizenRow | None:
    async with db.transaction() as uow:
        return await uow.citizens.find(CHANNEL, str(user_id))


async def outbox_rows(db: Database) -> list[OutboxMessage]:
    async with db.engine.connect() as connection:
        rows = await connection.execute(select(OutboxMessage).order_by(OutboxMessage.id))
        return list(rows.all())  # type: ignore[arg-type]


async def test_spinners_stop_and_keyboards_clear_through_server_errors(bot: FakeBotApi) -> None:
    """A 502 on answering a press or clearing its keyboard is tried again at once: the
    citizen's button stops spinning and the used keyboard goes, as without errors."""
    citizen = Citizen(bot, 502, "fr")
    await citizen.says("Bonjour")
    bot.fail_next("answerCallbackQuery", 502, times=2)
    bot.fail_next("editMessageReplyMarkup", 502, times=2)
    await citizen.presses("Français")
    bot.fail_next("answerCallbackQuery", 429, retry_after=1, times=1)
    await citizen.presses("✅")
    await settle(bot)
    assert bot.unanswered_callback_queries() == []
    pressed = [m for m in citizen.received if m.edited]
    assert len(pressed) == 2 and all(not m.buttons for m in pressed)


@pytest.mark.parametrize("newcomer", NEWCOMERS.values(), ids=NEWCOMERS.keys())
async def test_a_newcomer_reaches_the_main_menu(
    bot: FakeBotApi, db: Database, newcomer: tuple[str, str | None, str]
) -> None:
    text, app_language, locale = newcomer
    citizen = Citizen(bot, 501, app_language)
    await onboard(citizen, text, locale)
    pressed = [m for m in citizen.received if m.edited]
    assert len(pressed) == 2 and all(not m.buttons for m in pressed)  # keyboards removed
    assert bot.unanswered_callback_queries() == []
    row = await citizen_row(db, 501)
    assert row is not None and row.reachable
    assert not [c for c in bot.calls if not c.ok and c.method != "getUpdates"]


async def test_both_frameworks_hold_the_same_conversation(
    db: Database, core: ConversationCore
) -> None:
    transcripts: dict[str, list[list[str]]] = {}
    for number, framework in enumerate(FRAMEWORKS):
        # Update ids are per bot: a second fake bot must not reuse the first one's.
        fresh = FakeBotApi(first_update_id=10_001 + 10_000 * number)
        async with fresh as fake, running_bot(fake, framework, core, db):
            citizens = []
            for index, (text, app_language, locale) in enumerate(NEWCOMERS.values()):
                citizen = Citizen(fake, 1000 * (number + 1) + index, app_language)
                await onboard(citizen, text, locale)
                await citizen.sends_sticker()
                await citizen.presses_old("✅", on=citizen.received[1])  # stale
                citizens.append(citizen)
            transcripts[framework] = [fake.transcript(c.user_id) for c in citizens]
    assert transcripts["ptb"] == transcripts["aiogram"]
    assert all(len(lines) >= 8 for lines in transcripts["ptb"])


async def test_a_stale_button_pressed_twice_is_refused(bot: FakeBotApi) -> None:
    citizen = Citizen(bot, 502, "fr")
    await onboard(citizen, "Bonjour", "fr")
    menu = citizen.last
    about = citizen.button_data(menu, "ℹ️")
    bot.user_presses_button(502, menu.message_id, about)  # a double tap: both updates are
    bot.user_presses_button(502, menu.message_id, about)  # queued before either is handled
    await settle(bot)
    stale = translate("fr", "error.stale_button")
    refusals = [line for line in bot.transcript(502) if stale in line]
    assert len(refusals) == 1
    await citizen.presses_old("✅", on=citizen.received[1])
    assert len([line for line in bot.transcript(502) if stale in line]) == 2
    assert bot.unanswered_callback_queries() == []


async def test_a_5000_character_text(bot: FakeBotApi, framework: str, db: Database) -> None:
    citizen = Citizen(bot, 503, "fr")
    await onboard(citizen, "Bonjour", "fr")
    answer = await citizen.says(("Il y a une fuite d'eau près de l'école. " * 125)[:5000])
    assert answer.text and translate("fr", "error.internal") not in answer.text

    paragraphs = "\n\n".join(f"Paragraphe {n}. " + " ".join(["mot"] * 120) for n in range(10))
    reply = Outgoing("503", paragraphs, ((Button("1.ok", "OK"),),))
    channel = _channel(framework, bot)
    await channel.open()
    try:
        assert await ReplySender(channel.calls, db).send(reply)
    finally:
        await channel.close()
    parts = citizen.received[-2:]
    assert [len(p.text or "") <= MAX_TEXT for p in parts] == [True, True]
    assert parts[0].buttons == [] and parts[1].buttons == [["OK"]]
    assert parts[0].text.endswith("mot") and parts[1].text.startswith("Paragraphe")  # type: ignore[union-attr]
    assert "\n\n".join(p.text or "" for p in parts) == paragraphs  # cut between paragraphs


async def test_a_sticker_is_answered_kindly(bot: FakeBotApi) -> None:
    citizen = Citizen(bot, 504, "fr")
    await onboard(citizen, "Bonjour", "fr")
    answer = await citizen.sends_sticker()
    assert translate("fr", "error.unsupported") in (answer.text or "")


async def test_webhook_handles_a_redelivered_update_once(
    fake: FakeBotApi, framework: str, core: ConversationCore, db: Database
) -> None:
    async with running_bot(fake, framework, core, db, webhook=True) as settings:
        webhook = fake.calls_to("setWebhook")[0].params
        assert webhook["secret_token"] == WEBHOOK_SECRET
        citizen = Citizen(fake, 505, "fr")
        await citizen.says("Bonjour")
        update_id = fake.deliveries[-1].update_id
        fake.redeliver(update_id)
        await fake.wait_for_deliveries(2)
        await settle(fake)
        assert [d.status for d in fake.deliveries] == [200, 200]
        assert len(citizen.received) == 1
        assert await _webhook_status(settings.webhook_url, "wrong") == 403
        assert await _webhook_status(settings.webhook_url, WEBHOOK_SECRET, b"{not json") == 200
        assert await _webhook_status(settings.webhook_url, WEBHOOK_SECRET, b'{"x": 1}') == 200
    async with db.engine.connect() as connection:
        stored = (await connection.execute(select(InboxUpdate))).all()
    assert len(stored) == 1


async def test_a_429_storm_is_waited_out(bot: FakeBotApi) -> None:
    bot.fail_next("sendMessage", 429, retry_after=1, times=2)
    citizen = Citizen(bot, 506, "fr")
    started = time.monotonic()
    greeting = await citizen.says("Bonjour")
    assert time.monotonic() - started >= 2.0
    assert greeting.buttons
    assert [c.status for c in bot.calls_to("sendMessage")] == [429, 429, 200]


async def test_a_reply_lost_to_the_network_arrives_through_the_outbox(
    bot: FakeBotApi, db: Database
) -> None:
    bot.fail_next("sendMessage", 502, times=3)  # the reply path tries 3 times
    citizen = Citizen(bot, 509, "fr")
    greeting = await citizen.says("Bonjour")
    assert greeting.buttons  # delivered by the outbox sender, keyboard included
    assert [c.status for c in bot.calls_to("sendMessage")] == [502, 502, 502, 200]
    [row] = await outbox_rows(db)
    assert row.status == "sent" and row.kind == "reply"


async def test_a_citizen_who_blocked_the_bot(
    bot: FakeBotApi, db: Database, core: ConversationCore
) -> None:
    citizen = Citizen(bot, 507, "fr")
    await onboard(citizen, "Bonjour", "fr")
    bot.block(507)
    bot.user_sends_text(507, "Bonjour")  # sent before the block reached us: the reply gets 403

    async def marked_unreachable() -> bool:  # the event itself, not a quiet spell
        found = await citizen_row(db, 507)
        return found is not None and not found.reachable

    await _wait_for(marked_unreachable)
    row = await citizen_row(db, 507)
    assert row is not None and not row.reachable

    async with db.transaction() as uow:
        push = Outgoing("507", "Votre réclamation TRD-2026-0001 a bien été reçue.")
        await uow.outbox.add(
            channel=CHANNEL, chat_id="507", kind="status", payload=outgoing_to_dict(push),
            now=core.clock.now(), citizen_id=row.id,
        )  # fmt: skip
    await asyncio.sleep(1.0)  # several outbox rounds: nothing is tried while blocked
    [waiting] = await outbox_rows(db)
    assert waiting.status == "pending" and waiting.attempts == 0
    refused = [c for c in bot.calls_to("sendMessage") if c.params.get("chat_id") == "507"]
    assert len([c for c in refused if c.status == 403]) == 1  # only the reply

    bot.user_unblocks_bot(507)  # the push waited for this
    await bot.wait_for_messages(507, len(citizen.received) + 1, timeout=10)
    await _wait_for(lambda: _outbox_settled(db))
    [delivered] = await outbox_rows(db)
    assert delivered.status == "sent"
    assert "TRD-2026-0001" in (citizen.last.text or "")


async def test_polling_handles_what_a_crash_left_in_the_inbox(
    fake: FakeBotApi, framework: str, core: ConversationCore, db: Database
) -> None:
    fake.user_sends_text(508, "Bonjour", language_code="fr")  # the chat must exist
    left = Incoming(CHANNEL, "508", "508", "crash-1", Text("Bonjour"), "fr")
    assert await core.store([left]) != [None]
    async with running_bot(fake, framework, core, db):
        await fake.wait_for_messages(508, 1)
        await settle(fake)
    methods = [call.method for call in fake.calls]
    assert methods.index("sendMessage") < methods.index("getUpdates")  # before polling
    async with db.engine.connect() as connection:
        stored = (await connection.execute(select(InboxUpdate))).all()
    assert {row.update_id for row in stored if row.handled_at} == {"crash-1", "10001"}


def _channel(framework: str, fake: FakeBotApi) -> TelegramChannel:
    if framework == "aiogram":
        return AiogramChannel(fake.token, fake.root_url)
    return PtbChannel(fake.token, fake.root_url)


async def _webhook_status(url: str | None, secret: str, body: bytes = b"{}") -> int:
    assert url is not None
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret, "Content-Type": "application/json"}
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=body, headers=headers) as r,
    ):
        return r.status


async def _outbox_settled(db: Database) -> bool:
    return all(row.status != "pending" for row in await outbox_rows(db))


async def _wait_for(condition: Callable[[], Awaitable[bool]], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not await condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


async def test_updates_kept_in_the_spool_are_answered_when_the_bot_starts(
    fake: FakeBotApi, framework: str, db: Database, settings, clock, tmp_path
) -> None:
    core = ConversationCore(db, settings, clock)
    spool_path = tmp_path / "spool.jsonl"
    citizen = Citizen(fake, 8701, "fr")
    async with running_bot(fake, framework, core, db, update_spool_path=str(spool_path)):
        await citizen.says("Bonjour")
    # Fetched while the database was down, then the bot was restarted:
    user = {"id": 8701, "is_bot": False, "first_name": "Amina", "language_code": "fr"}
    message = {"message_id": 9000, "from": user, "chat": {"id": 8701, "type": "private"}}
    UpdateSpool(spool_path).keep(
        {"update_id": 99001, "message": message | {"date": 0, "text": "Français"}}
    )
    before = len(citizen.received)
    async with running_bot(fake, framework, core, db, update_spool_path=str(spool_path)):
        await fake.wait_for_messages(8701, before + 1, timeout=15)
        await settle(fake)
    assert "Choisissez une autre langue" in (citizen.last.text or "")  # answered where they were
    assert not spool_path.exists()
    async with db.engine.connect() as connection:
        stored = await connection.execute(
            select(InboxUpdate.update_id).where(InboxUpdate.update_id == "99001")
        )
        assert stored.scalar_one() == "99001"

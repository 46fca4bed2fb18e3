"""The fake Bot API, proven with the real python-telegram-bot and aiogram HTTP clients."""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiogram import Bot as AiogramBot
from aiogram import Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiogram.methods import SendMessage
from aiogram.types import BotCommand as AiogramCommand
from aiogram.types import InlineKeyboardButton as AiogramButton
from aiogram.types import InlineKeyboardMarkup as AiogramKeyboard
from aiogram.types import Message as AiogramMessage
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import ClientSession, web
from telegram import Bot as PtbBot
from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes

from tests.e2e.fake_bot_api import FakeBotApi, WaitTimeout

CITIZEN = 42
ARABIC_65_BYTES = "ا" * 32 + "x"  # 33 characters, 65 bytes in UTF-8


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    """A started fake with one citizen who already wrote to the bot."""
    async with FakeBotApi() as fake:
        fake.user_sends_command(CITIZEN, "start", first_name="Amina", language_code="fr")
        yield fake


@pytest.fixture
async def ptb(api: FakeBotApi) -> AsyncIterator[PtbBot]:
    """python-telegram-bot's Bot pointed at the fake."""
    async with PtbBot(api.token, base_url=api.base_url, base_file_url=api.base_file_url) as bot:
        yield bot


@pytest.fixture
async def aio(api: FakeBotApi) -> AsyncIterator[AiogramBot]:
    """aiogram's Bot pointed at the fake."""
    session = AiohttpSession(api=TelegramAPIServer.from_base(api.root_url))
    bot = AiogramBot(api.token, session=session)
    yield bot
    await session.close()


def ptb_keyboard(data: str = "yes") -> InlineKeyboardMarkup:
    """A one-button PTB inline keyboard."""
    return InlineKeyboardMarkup([[InlineKeyboardButton("Oui", callback_data=data)]])


def aiogram_keyboard(data: str = "yes") -> AiogramKeyboard:
    """A one-button aiogram inline keyboard."""
    return AiogramKeyboard(inline_keyboard=[[AiogramButton(text="Oui", callback_data=data)]])


# --- getMe and tokens -----------------------------------------------------------------
async def test_ptb_get_me(ptb: PtbBot) -> None:
    me = await ptb.get_me()
    assert (me.is_bot, me.username, me.can_join_groups) == (True, "tachawor_test_bot", True)


async def test_aiogram_get_me(aio: AiogramBot) -> None:
    me = await aio.get_me()
    assert (me.is_bot, me.username) == (True, "tachawor_test_bot")


async def test_unknown_token_is_unauthorized(api: FakeBotApi) -> None:
    with pytest.raises(InvalidToken, match="rejected by the server"):
        await PtbBot("999:wrong", base_url=api.base_url).initialize()
    session = AiohttpSession(api=TelegramAPIServer.from_base(api.root_url))
    with pytest.raises(TelegramUnauthorizedError):
        await AiogramBot("999:wrong", session=session).get_me()
    await session.close()


async def test_unknown_method_is_404(api: FakeBotApi) -> None:
    async with ClientSession() as http:
        response = await http.post(f"{api.base_url}{api.token}/getChatMenuButton")
        assert response.status == 404
        assert await response.json() == {
            "ok": False,
            "error_code": 404,
            "description": "Not Found: method not found",
        }


# --- sendMessage ----------------------------------------------------------------------
async def test_ptb_send_message_with_keyboard_is_recorded(api: FakeBotApi, ptb: PtbBot) -> None:
    message = await ptb.send_message(CITIZEN, "Bienvenue", reply_markup=ptb_keyboard())
    sent = api.last_sent(CITIZEN)
    assert (sent.message_id, sent.text, sent.callback_data) == (
        message.message_id,
        "Bienvenue",
        ["yes"],
    )
    assert sent.buttons == [["Oui"]]
    assert message.reply_markup == ptb_keyboard()


async def test_aiogram_send_message_with_keyboard_is_recorded(
    api: FakeBotApi, aio: AiogramBot
) -> None:
    message = await aio.send_message(CITIZEN, "Bienvenue", reply_markup=aiogram_keyboard())
    assert api.last_sent(CITIZEN).message_id == message.message_id
    assert api.transcript(CITIZEN)[-1] == "bot: Bienvenue [Oui]"


async def test_ptb_rejects_65_byte_callback_data(api: FakeBotApi, ptb: PtbBot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await ptb.send_message(CITIZEN, "?", reply_markup=ptb_keyboard("x" * 65))
    assert api.sent(CITIZEN) == []


async def test_aiogram_rejects_65_byte_arabic_callback_data(aio: AiogramBot) -> None:
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await aio.send_message(CITIZEN, "?", reply_markup=aiogram_keyboard(ARABIC_65_BYTES))


async def test_both_clients_reject_4097_characters(ptb: PtbBot, aio: AiogramBot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await ptb.send_message(CITIZEN, "a" * 4097)
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await aio.send_message(CITIZEN, "a" * 4097)
    assert (await ptb.send_message(CITIZEN, "a" * 4096)).text == "a" * 4096


async def test_edit_without_markup_removes_keyboard_then_not_modified(
    api: FakeBotApi, ptb: PtbBot
) -> None:
    message = await ptb.send_message(CITIZEN, "Choisissez", reply_markup=ptb_keyboard())
    edited = await ptb.edit_message_text("Merci", CITIZEN, message.message_id)
    assert edited.reply_markup is None
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await ptb.edit_message_text("Merci", CITIZEN, message.message_id)
    sent = api.last_sent(CITIZEN)
    assert (sent.text, [h.text for h in sent.history]) == ("Merci", ["Choisissez"])


async def test_wait_for_messages_explains_what_arrived(api: FakeBotApi) -> None:
    with pytest.raises(WaitTimeout, match="user: /start"):
        await api.wait_for_messages(CITIZEN, 1, timeout=0.05)


async def test_unknown_chat_is_not_found(aio: AiogramBot) -> None:
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await aio.send_message(777, "hello")


# --- getUpdates -----------------------------------------------------------------------
async def test_ptb_long_polling_and_offset_confirmation(api: FakeBotApi, ptb: PtbBot) -> None:
    first = (await ptb.get_updates(timeout=0))[0].update_id
    poll = asyncio.create_task(ptb.get_updates(offset=first + 1, timeout=5))
    await asyncio.sleep(0.1)
    assert not poll.done()
    started = time.monotonic()
    update_id = api.user_sends_text(CITIZEN, "Salam")
    updates = await poll
    assert time.monotonic() - started < 1
    assert [(u.update_id, u.message.text) for u in updates] == [(update_id, "Salam")]
    assert await ptb.get_updates(offset=update_id + 1, timeout=0) == ()
    assert api.pending_updates == []


async def test_aiogram_long_polling_times_out_empty(api: FakeBotApi, aio: AiogramBot) -> None:
    first = (await aio.get_updates(timeout=0))[0]
    assert first.message.text == "/start" and first.message.from_user.language_code == "fr"
    started = time.monotonic()
    assert await aio.get_updates(offset=first.update_id + 1, timeout=1) == []
    assert time.monotonic() - started >= 0.9


async def test_callback_query_answered_once(api: FakeBotApi, ptb: PtbBot) -> None:
    message = await ptb.send_message(CITIZEN, "D'accord ?", reply_markup=ptb_keyboard())
    update_id = api.user_presses_button(CITIZEN, message.message_id, "yes")
    query = (await ptb.get_updates(offset=update_id))[0].callback_query
    assert (query.data, query.message.message_id) == ("yes", message.message_id)
    assert await query.answer("Merci")
    assert api.callback_answer(update_id).text == "Merci"
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await query.answer()


async def test_files_round_trip_with_both_clients(
    api: FakeBotApi, ptb: PtbBot, aio: AiogramBot
) -> None:
    update_id = api.user_sends_photo(CITIZEN, data=b"JPEG bytes", caption="trou")
    photo = api.update(update_id)["message"]["photo"][-1]
    ptb_file = await ptb.get_file(photo["file_id"])
    assert await ptb_file.download_as_bytearray() == b"JPEG bytes"
    aio_file = await aio.get_file(photo["file_id"])
    assert (await aio.download_file(aio_file.file_path)).read() == b"JPEG bytes"


async def test_ptb_application_polls_and_replies(api: FakeBotApi) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_text("Marhba")

    builder = ApplicationBuilder().token(api.token).base_url(api.root_url + "/bot")
    app = builder.base_file_url(api.root_url + "/file/bot").build()
    app.add_handler(CommandHandler("start", start))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(timeout=1)
        assert (await api.wait_for_messages(CITIZEN, 1))[0].text == "Marhba"
        await app.updater.stop()
        await app.stop()


# --- failures -------------------------------------------------------------------------
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
async def test_ptb_retry_after(api: FakeBotApi, ptb: PtbBot) -> None:
    api.fail_next("sendMessage", 429, retry_after=7)
    with pytest.raises(RetryAfter) as caught:
        await ptb.send_message(CITIZEN, "hello")
    retry = caught.value.retry_after
    assert (retry.total_seconds() if isinstance(retry, dt.timedelta) else retry) == 7
    await ptb.send_message(CITIZEN, "hello")  # the same request succeeds afterwards


async def test_aiogram_retry_after(api: FakeBotApi, aio: AiogramBot) -> None:
    api.fail_next("sendMessage", 429, retry_after=3)
    with pytest.raises(TelegramRetryAfter) as caught:
        await aio.send_message(CITIZEN, "hello")
    assert caught.value.retry_after == 3


async def test_blocked_citizen_is_forbidden(api: FakeBotApi, ptb: PtbBot, aio: AiogramBot) -> None:
    api.block(CITIZEN)
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await ptb.send_message(CITIZEN, "hello")
    with pytest.raises(TelegramForbiddenError):
        await aio.send_message(CITIZEN, "hello")
    api.unblock(CITIZEN)
    await aio.send_message(CITIZEN, "hello")


async def test_user_blocks_bot_sends_my_chat_member(api: FakeBotApi, aio: AiogramBot) -> None:
    update_id = api.user_blocks_bot(CITIZEN)
    update = (await aio.get_updates(offset=update_id))[0]
    member = update.my_chat_member
    assert (member.old_chat_member.status, member.new_chat_member.status) == ("member", "kicked")
    with pytest.raises(TelegramForbiddenError):
        await aio.send_message(CITIZEN, "still there?")


async def test_rate_violations_recorded_then_enforced(api: FakeBotApi, aio: AiogramBot) -> None:
    await aio.send_message(CITIZEN, "one")
    await aio.send_message(CITIZEN, "two")
    assert [v.kind for v in api.rate_violations] == ["private_chat"]
    api.enforce_rates = True
    with pytest.raises(TelegramRetryAfter):
        await aio.send_message(CITIZEN, "three")


# --- polls and commands ---------------------------------------------------------------
async def test_send_poll_returns_poll_id(api: FakeBotApi, ptb: PtbBot, aio: AiogramBot) -> None:
    anonymous = await aio.send_poll(CITIZEN, "Priorité ?", ["Routes", "Eau"])
    assert anonymous.poll.id and anonymous.poll.is_anonymous
    message = await ptb.send_poll(CITIZEN, "Priorité ?", ["Routes", "Eau"], is_anonymous=False)
    update_id = api.user_answers_poll(CITIZEN, message.poll.id, [1])
    answer = (await ptb.get_updates(offset=update_id))[0].poll_answer
    assert (answer.poll_id, answer.option_ids) == (message.poll.id, (1,))


async def test_set_my_commands_per_language(api: FakeBotApi, ptb: PtbBot, aio: AiogramBot) -> None:
    await ptb.set_my_commands([BotCommand("start", "Commencer")], language_code="fr")
    await aio.set_my_commands(
        [AiogramCommand(command="start", description="ابدأ")], language_code="ar"
    )
    assert api.commands_by_language == {
        "fr": [{"command": "start", "description": "Commencer"}],
        "ar": [{"command": "start", "description": "ابدأ"}],
    }
    assert [c.command for c in await ptb.get_my_commands(language_code="fr")] == ["start"]
    with pytest.raises(BadRequest, match=r"(?i)invalid language code"):
        await ptb.set_my_commands([BotCommand("start", "Bdu")], language_code="shi")


# --- webhooks -------------------------------------------------------------------------
@dataclass
class Receiver:
    """A tiny webhook receiver answering the queued statuses (then 200)."""

    url: str = ""
    statuses: list[int] = field(default_factory=list)
    received: list[tuple[str | None, dict[str, Any]]] = field(default_factory=list)

    async def handle(self, request: web.Request) -> web.Response:
        """Record the secret header and the update, and answer the next status."""
        secret = request.headers.get("X-Telegram-Bot-Api-Secret-Token")
        self.received.append((secret, await request.json()))
        return web.Response(status=self.statuses.pop(0) if self.statuses else 200)


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    """A started webhook receiver on 127.0.0.1."""
    receiver = Receiver()
    app = web.Application()
    app.router.add_post("/hook", receiver.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    await web.SockSite(runner, sock).start()
    receiver.url = f"http://127.0.0.1:{sock.getsockname()[1]}/hook"
    yield receiver
    await runner.cleanup()


async def test_webhook_delivery_with_secret_and_redelivery_after_500(
    api: FakeBotApi, aio: AiogramBot, receiver: Receiver
) -> None:
    receiver.statuses = [500]
    assert await aio.set_webhook(
        receiver.url, secret_token="s3cret_T0ken", drop_pending_updates=True
    )
    update_id = api.user_sends_text(CITIZEN, "Salam")
    await api.wait_for_deliveries(2)
    assert [(d.update_id, d.status) for d in api.deliveries] == [(update_id, 500), (update_id, 200)]
    assert [(s, u["update_id"]) for s, u in receiver.received] == [("s3cret_T0ken", update_id)] * 2
    info = await aio.get_webhook_info()
    assert (info.url, info.pending_update_count) == (receiver.url, 0)
    assert "500" in (info.last_error_message or "")


async def test_aiogram_webhook_reply_method_is_executed(api: FakeBotApi, aio: AiogramBot) -> None:
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def echo(message: AiogramMessage) -> SendMessage:
        return SendMessage(chat_id=message.chat.id, text="reçu")

    app = web.Application()
    SimpleRequestHandler(dispatcher, aio, handle_in_background=False).register(app, "/wh")
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    await web.SockSite(runner, sock).start()
    await aio.set_webhook(f"http://127.0.0.1:{sock.getsockname()[1]}/wh")
    sent = await api.wait_for_messages(CITIZEN, 1)
    assert (sent[0].text, api.calls[-1].source) == ("reçu", "webhook-reply")
    await runner.cleanup()


async def test_webhook_blocks_get_updates_and_redeliver(
    api: FakeBotApi, ptb: PtbBot, aio: AiogramBot, receiver: Receiver
) -> None:
    await ptb.set_webhook(receiver.url)
    with pytest.raises(TelegramConflictError):
        await aio.get_updates()
    await api.wait_for_deliveries(1)
    api.redeliver(api.deliveries[0].update_id)
    await api.wait_for_deliveries(2)
    assert receiver.received[0] == receiver.received[1]
    assert receiver.received[0][0] is None  # no secret_token set: no header
    with pytest.raises(BadRequest, match=r"(?i)unallowed characters"):
        await ptb.set_webhook(receiver.url, secret_token="bad token!")

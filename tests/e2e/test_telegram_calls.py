"""Both adapters' Bot API calls over real HTTP: results as plain JSON, and every library
error translated into the same `bot.delivery_errors`."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator

import pytest

from bot.delivery_errors import (
    DeliveryError,
    Rejected,
    RetryLater,
    TransientNetworkError,
    Unreachable,
)
from bot.telegram.aiogram_adapter import AiogramChannel
from bot.telegram.ptb_adapter import PtbChannel
from bot.telegram.runner import TelegramChannel
from tests.e2e.fake_bot_api import FakeBotApi

CITIZEN = 610


def make_channel(framework: str, token: str, root: str) -> TelegramChannel:
    if framework == "aiogram":
        return AiogramChannel(token, root)
    return PtbChannel(token, root)


@pytest.fixture
async def channel(fake: FakeBotApi, framework: str) -> AsyncIterator[TelegramChannel]:
    fake.user_sends_text(CITIZEN, "Salam")  # opens the private chat
    opened = make_channel(framework, fake.token, fake.root_url)
    assert await opened.open() == "tachawor_test_bot"
    yield opened
    await opened.close()


async def test_a_call_returns_telegrams_json(channel: TelegramChannel) -> None:
    params = {"chat_id": str(CITIZEN), "text": "Marhba", "reply_markup": {"inline_keyboard": []}}
    message = await channel.calls.call("sendMessage", params)
    assert message["text"] == "Marhba" and message["chat"]["id"] == CITIZEN
    assert "from" in message  # aliases as Telegram spells them
    assert await channel.calls.call("sendChatAction", {"chat_id": CITIZEN, "action": "typing"})


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (429, RetryLater),
        (403, Unreachable),
        (400, Rejected),
        (500, TransientNetworkError),
        (502, TransientNetworkError),
    ],
)
async def test_errors_are_translated(
    fake: FakeBotApi, channel: TelegramChannel, code: int, expected: type[DeliveryError]
) -> None:
    fake.fail_next("sendMessage", code, retry_after=3 if code == 429 else None)
    with pytest.raises(expected) as raised:
        await channel.calls.call("sendMessage", {"chat_id": str(CITIZEN), "text": "x"})
    if isinstance(raised.value, RetryLater):
        assert raised.value.seconds == 3


async def test_bad_parameters_are_rejected(channel: TelegramChannel) -> None:
    with pytest.raises(Rejected):
        await channel.calls.call("sendMessage", {"chat_id": "123", "text": "x"})  # no chat
    with pytest.raises(Rejected):
        await channel.calls.call("sendMessage", {"chat_id": str(CITIZEN), "text": ""})


async def test_a_server_that_is_down_is_a_network_error(fake: FakeBotApi, framework: str) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    down = make_channel(framework, fake.token, dead)
    try:
        with pytest.raises(TransientNetworkError):
            await down.calls.call("sendMessage", {"chat_id": str(CITIZEN), "text": "x"})
    finally:
        await down.close()

"""Scripted citizens for end-to-end journeys: they act through the fake Telegram and wait
until the bot has answered and gone quiet."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from tests.e2e.fake_bot_api import FakeBotApi, SentMessage, WaitTimeout

QUIET_SECONDS = 0.3


async def settle(fake: FakeBotApi, timeout: float = 10.0) -> None:
    """Wait until every update was fetched and the bot made no call for a while."""
    deadline = time.monotonic() + timeout
    seen, quiet_since = -1, time.monotonic()
    while time.monotonic() < deadline:
        if len(fake.calls) != seen or fake.pending_updates:
            seen, quiet_since = len(fake.calls), time.monotonic()
        elif time.monotonic() - quiet_since >= QUIET_SECONDS:
            return
        await asyncio.sleep(0.02)
    raise WaitTimeout(f"the bot never went quiet; last calls: {fake.calls[-5:]}")


@dataclass
class Citizen:
    fake: FakeBotApi
    user_id: int
    language_code: str | None = None

    @property
    def received(self) -> list[SentMessage]:
        return self.fake.sent(self.user_id)

    @property
    def last(self) -> SentMessage:
        return self.fake.last_sent(self.user_id)

    async def says(self, text: str) -> SentMessage:
        """Send a text; return the bot's last message once it answered."""
        before = len(self.received)
        self.fake.user_sends_text(self.user_id, text, language_code=self.language_code)
        return await self._answer(before)

    async def sends_sticker(self) -> SentMessage:
        before = len(self.received)
        self.fake.user_sends_sticker(self.user_id)
        return await self._answer(before)

    async def presses(self, label: str | int, on: SentMessage | None = None) -> SentMessage:
        """Press a button (by its label's start, or by position) of the latest keyboard."""
        message = on or self.latest_keyboard()
        data = self.button_data(message, label)
        before = len(self.received)
        self.fake.user_presses_button(self.user_id, message.message_id, data)
        return await self._answer(before)

    async def votes(self, poll_id: str, option_ids: list[int]) -> SentMessage:
        """Vote in a poll the bot sent (`[]` withdraws the vote); the bot's answer."""
        before = len(self.received)
        self.fake.user_answers_poll(self.user_id, poll_id, option_ids)
        return await self._answer(before)

    async def presses_old(self, label: str, on: SentMessage) -> SentMessage:
        """Press a button whose keyboard the bot already removed (a stale client view)."""
        original = on.history[0] if on.history else on
        data = self.button_data(original, label)
        before = len(self.received)
        self.fake.user_presses_button(self.user_id, on.message_id, data, strict=False)
        return await self._answer(before)

    def latest_keyboard(self) -> SentMessage:
        for message in reversed(self.received):
            if message.callback_data:
                return message
        raise AssertionError(f"no message with buttons: {self.fake.transcript(self.user_id)}")

    @staticmethod
    def button_data(message: SentMessage, label: str | int) -> str:
        rows = (message.reply_markup or {}).get("inline_keyboard", [])
        buttons = [button for row in rows for button in row]
        if isinstance(label, int):
            return str(buttons[label]["callback_data"])
        for button in buttons:
            if button["text"].startswith(label):
                return str(button["callback_data"])
        raise AssertionError(f"no button {label!r} in {message.buttons}")

    async def _answer(self, before: int) -> SentMessage:
        await self.fake.wait_for_messages(self.user_id, before + 1, timeout=10)
        await settle(self.fake)
        return self.last

"""A scripted citizen for tests: sends texts, presses buttons by label, keeps the replies."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from handlers.conversation_core import ConversationCore
from handlers.types import Button, ButtonPress, Command, Incoming, Outgoing, Payload, Text
from storage.database import Database

_update_ids = itertools.count(1)


class Citizen:
    def __init__(
        self,
        core: ConversationCore,
        user_id: str,
        *,
        channel: str = "test",
        hint: str | None = None,
    ) -> None:
        self.core = core
        self.user_id = user_id
        self.channel = channel
        self.hint = hint
        self.buttons: list[Button] = []
        self.transcript: list[Outgoing] = []

    def incoming(self, payload: Payload, update_id: str | None = None) -> Incoming:
        return Incoming(
            channel=self.channel,
            user_id=self.user_id,
            chat_id=self.user_id,
            update_id=update_id or str(next(_update_ids)),
            payload=payload,
            language_hint=self.hint,
        )

    async def send_payload(self, payload: Payload, update_id: str | None = None) -> list[Outgoing]:
        replies = await self.core.receive(self.incoming(payload, update_id))
        self.transcript.extend(replies)
        offered = [button for reply in replies for row in reply.buttons for button in row]
        if offered:
            self.buttons = offered
        return replies

    async def says(self, text: str) -> list[Outgoing]:
        return await self.send_payload(Text(text))

    async def command(self, name: str, args: str = "") -> list[Outgoing]:
        return await self.send_payload(Command(name, args))

    def button(self, label_start: str) -> Button:
        for button in self.buttons:
            if button.label.startswith(label_start):
                return button
        labels = [button.label for button in self.buttons]
        raise AssertionError(f"no button starting with {label_start!r} among {labels}")

    async def presses(self, label_start: str) -> list[Outgoing]:
        return await self.send_payload(ButtonPress(self.button(label_start).id))

    @property
    def last_text(self) -> str:
        return self.transcript[-1].text


async def consenting(core: ConversationCore, user_id: str) -> Citizen:
    """A citizen who greeted the bot in French and gave their consent (at the menu)."""
    citizen = Citizen(core, user_id)
    await citizen.says("Bonjour")
    await citizen.presses("Français")
    await citizen.presses("✅")
    return citizen


async def failed_updates(db: Database, now: datetime) -> int:
    """Updates that crashed a step in the last day (the staff dashboard's error count)."""
    async with db.transaction() as uow:
        return await uow.inbox.count_failed(now - timedelta(days=1))

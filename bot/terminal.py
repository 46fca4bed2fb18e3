"""The terminal chat: the real flows on the real database, with no token and no network.

Buttons print as numbered options (`[1] …`) chosen by typing the number; `/command` works
as on Telegram. Input may be piped, so whole dialogues can be scripted; end of input exits.
Messages the commune queued for this person (a complaint's status push, say) are shown
under a header at start and after each reply, and marked sent; their buttons get the next
numbers, so they can be pressed too.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TextIO

from arabic_reshaper import reshape
from bidi import get_display

from handlers.catalogs import translate
from handlers.conversation_core import ConversationCore
from handlers.serialization import outgoing_from_dict
from handlers.types import Button, ButtonPress, Command, Incoming, Outgoing, Payload, Text
from storage.unit_of_work import UnitOfWork

CHANNEL = "terminal"
HINT = "Tachawor — type a message, a number to press a button, /help for help, Ctrl-D to quit."
PUSH_BATCH = 200


def visual_order(line: str) -> str:
    """Shape Arabic letters and lay them out right-to-left, for terminals without bidi."""
    return get_display(reshape(line))


class TerminalChat:
    def __init__(
        self,
        core: ConversationCore,
        user_id: str,
        *,
        out: TextIO = sys.stdout,
        echo_input: bool = False,
        reshape_arabic: bool = False,
    ) -> None:
        self.core = core
        self.user_id = user_id
        self.out = out
        self.echo_input = echo_input
        self._layout: Callable[[str], str] = visual_order if reshape_arabic else str
        self._buttons: list[Button] = []

    def payload_of(self, line: str) -> Payload:
        """What a typed line means: a button number, a /command, or text."""
        stripped = line.strip()
        if stripped.isdigit() and 1 <= int(stripped) <= len(self._buttons):
            return ButtonPress(self._buttons[int(stripped) - 1].id)
        if stripped.startswith("/") and len(stripped) > 1:
            name, _, args = stripped[1:].partition(" ")
            return Command(name.lower(), args.strip())
        return Text(line.rstrip("\n"))

    async def send(self, line: str) -> list[Outgoing]:
        if self.echo_input:
            self.out.write(f"> {line.rstrip()}\n")
        incoming = Incoming(
            channel=CHANNEL,
            user_id=self.user_id,
            chat_id=self.user_id,
            update_id=f"{self.user_id}:{time.time_ns()}",
            payload=self.payload_of(line),
        )
        replies = await self.core.receive(incoming)
        self.show(replies)
        await self.show_pushes()
        return replies

    def show(self, replies: list[Outgoing], *, numbered_after: bool = False) -> None:
        """Print replies; their buttons replace the numbered ones, or (`numbered_after`,
        for pushes) take the next numbers."""
        for reply in replies:
            for line in reply.text.splitlines() or [""]:
                self.out.write(self._layout(line) + "\n")
            buttons = [button for row in reply.buttons for button in row]
            if buttons:
                first = len(self._buttons) + 1 if numbered_after else 1
                self._buttons = self._buttons + buttons if numbered_after else buttons
                for number, button in enumerate(buttons, start=first):
                    self.out.write(f"  [{number}] {self._layout(button.label)}\n")
            self.out.write("\n")
        self.out.flush()

    async def show_pushes(self) -> int:
        """Show the messages queued in the outbox for this person, and mark them sent."""
        shown = 0
        for _ in range(PUSH_BATCH):  # the outbox hands out one message per chat per claim
            now = self.core.clock.now()
            async with self.core.db.transaction() as uow:
                # A zero lease: other people's messages are left free for their own chat.
                claimed = await uow.outbox.claim_due(
                    now, limit=PUSH_BATCH, lease=timedelta(0), channel=CHANNEL
                )
                mine = [row for row in claimed if row.chat_id == self.user_id]
                for row in mine:
                    await self._show_push(uow, row.payload)
                    await uow.outbox.mark_sent(row.id, now)
            if not mine:
                break
            shown += len(mine)
        return shown

    async def _show_push(self, uow: UnitOfWork, payload: dict[str, Any]) -> None:
        conversation = await uow.conversations.find(CHANNEL, self.user_id)
        locale = conversation.locale if conversation else "fr"
        self.out.write(self._layout(translate(locale, "push.header")) + "\n")
        self.show([outgoing_from_dict(payload)], numbered_after=True)

    async def run(self, source: TextIO = sys.stdin) -> None:
        """Read lines until end of input."""
        self.out.write(HINT + "\n\n")
        self.show(await self.core.handle_pending(CHANNEL, self.user_id))
        self.show(await self.core.repeat_prompt(CHANNEL, self.user_id))
        await self.show_pushes()
        while True:
            line = await asyncio.to_thread(source.readline)
            if not line:
                return
            if line.strip():
                await self.send(line)

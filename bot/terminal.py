"""The terminal chat: the real flows on the real database, with no token and no network.

Buttons print as numbered options (`[1] …`) chosen by typing the number; `/command` works
as on Telegram. Input may be piped, so whole dialogues can be scripted; end of input exits.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable
from typing import TextIO

from arabic_reshaper import reshape
from bidi import get_display

from handlers.conversation_core import ConversationCore
from handlers.types import Button, ButtonPress, Command, Incoming, Outgoing, Payload, Text

CHANNEL = "terminal"
HINT = "Tachawor — type a message, a number to press a button, /help for help, Ctrl-D to quit."


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
        return replies

    def show(self, replies: list[Outgoing]) -> None:
        for reply in replies:
            for line in reply.text.splitlines() or [""]:
                self.out.write(self._layout(line) + "\n")
            buttons = [button for row in reply.buttons for button in row]
            if buttons:
                self._buttons = buttons
                for number, button in enumerate(buttons, start=1):
                    self.out.write(f"  [{number}] {self._layout(button.label)}\n")
            self.out.write("\n")
        self.out.flush()

    async def run(self, source: TextIO = sys.stdin) -> None:
        """Read lines until end of input."""
        self.out.write(HINT + "\n\n")
        self.show(await self.core.handle_pending(CHANNEL, self.user_id))
        self.show(await self.core.repeat_prompt(CHANNEL, self.user_id))
        while True:
            line = await asyncio.to_thread(source.readline)
            if not line:
                return
            if line.strip():
                await self.send(line)

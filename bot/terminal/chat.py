"""The terminal chat: the real flows on the real database, with no token and no network.

Buttons print as numbered options (`[1] …`) chosen by typing the number; `/command` works
as on Telegram. Input may be piped, so whole dialogues can be scripted; end of input exits.
Messages the commune queued for this person (a complaint's status push, say) are shown
under a header at start and after each reply, and marked sent; their buttons get the next
numbers, so they can be pressed too.
"""

from __future__ import annotations

import asyncio
import secrets
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, TextIO

from arabic_reshaper import reshape
from bidi import get_display

from bot.terminal.inputs import shared_thing
from handlers.conversation_core import ConversationCore
from handlers.languages import translate
from handlers.serialization import outgoing_from_dict
from handlers.types import Button, ButtonPress, Command, Incoming, Outgoing, Payload, Text
from storage.unit_of_work import UnitOfWork
from surveys.numerals import read_whole

CHANNEL = "terminal"
# At a question whose answer is a number, a typed number is that answer: buttons are then
# pressed with the mark before their number (it works everywhere).
BUTTON_MARK = "#"
PUSH_LEASE = timedelta(minutes=1)
PUSH_CHECK_SECONDS = 2.0  # while waiting for a line, how often to look for new pushes


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
        scheduled: Callable[[], Awaitable[object]] | None = None,
    ) -> None:
        self.core = core
        # What the running bot's scheduler would do (workshop reminders), run while idle.
        self.scheduled = scheduled
        self.user_id = user_id
        self.out = out
        self.echo_input = echo_input
        self._layout: Callable[[str], str] = visual_order if reshape_arabic else str
        self._buttons: list[Button] = []
        self._number_expected = False

    def payload_of(self, line: str) -> Payload:
        """What a typed line means: a button number, a /command, an attachment or a place
        (`:photo PATH`, `:file PATH`, `:voice PATH`, `:location LAT LON`), or text."""
        stripped = line.strip()
        pressed = stripped.removeprefix(BUTTON_MARK)
        if pressed != stripped or not self._number_expected:
            number = read_whole(pressed, len(self._buttons))
            if number:
                return ButtonPress(self._buttons[number - 1].id)
        if (shared := shared_thing(stripped)) is not None:
            return shared
        if stripped.startswith("/") and len(stripped) > 1:
            name, _, args = stripped[1:].partition(" ")
            return Command(name.lower(), args.strip())
        return Text(line.rstrip("\n"))

    async def send(self, line: str) -> list[Outgoing]:
        if self.echo_input:
            self.out.write(f"> {line.rstrip()}\n")
        try:
            payload = self.payload_of(line)
        except ValueError as error:  # a path that is not a file, a malformed place
            self.out.write(f"(tachawor chat: {error})\n\n")
            return []
        incoming = Incoming(
            channel=CHANNEL,
            user_id=self.user_id,
            chat_id=self.user_id,
            # Update ids are kept for good (to recognise a second delivery): they must not
            # name the person, who may erase their data.
            update_id=f"{time.time_ns()}-{secrets.token_hex(4)}",
            payload=payload,
        )
        replies = await self.core.receive(incoming)
        self.show(replies)
        await self._run_scheduled()
        await self.show_pushes()
        return replies

    def show(self, replies: list[Outgoing], *, numbered_after: bool = False) -> None:
        """Print replies; their buttons replace the numbered ones, or (`numbered_after`,
        for pushes) take the next numbers."""
        for reply in replies:
            for line in reply.text.splitlines() or [""]:
                self.out.write(self._layout(line) + "\n")
            buttons = [button for row in reply.buttons for button in row]
            if reply.poll is not None:  # no native polls here: the options are buttons
                self.out.write("\n" + self._layout(reply.poll.question) + "\n")
                poll = reply.poll
                buttons += [
                    Button(i, label)
                    for i, label in zip(poll.option_buttons, poll.options, strict=True)
                ]
                if poll.withdraw_button is not None:
                    buttons.append(poll.withdraw_button)
            if not numbered_after:  # a push does not change what the question expects
                self._number_expected = reply.number_expected
            if buttons:
                first = len(self._buttons) + 1 if numbered_after else 1
                self._buttons = self._buttons + buttons if numbered_after else buttons
                for number, button in enumerate(buttons, start=first):
                    self.out.write(f"  [{number}] {self._layout(button.label)}\n")
                if reply.number_expected:
                    hint = translate(self.core.settings.default_locale, "terminal.number_hint")
                    self.out.write(f"  {self._layout(hint)}\n")
            self.out.write("\n")
        self.out.flush()

    async def show_pushes(self) -> int:
        """Show the messages queued in the outbox for this person, and mark them sent."""
        shown = 0
        while True:  # the outbox hands out one message per chat per claim
            now = self.core.clock.now()
            async with self.core.db.transaction() as uow:
                claimed = await uow.outbox.claim_due(
                    now, limit=1, lease=PUSH_LEASE, channel=CHANNEL, chat_id=self.user_id
                )
                if not claimed:
                    return shown
                row = claimed[0]
                await self._show_push(uow, row.payload)
                await uow.outbox.mark_sent(row.id, now)
            shown += 1

    async def _show_push(self, uow: UnitOfWork, payload: dict[str, Any]) -> None:
        conversation = await uow.conversations.find(CHANNEL, self.user_id)
        locale = conversation.locale if conversation else "fr"
        self.out.write(self._layout(translate(locale, "push.header")) + "\n")
        self.show([outgoing_from_dict(payload)], numbered_after=True)

    async def run(self, source: TextIO = sys.stdin) -> None:
        """Read lines until end of input."""
        hint = translate(self.core.settings.default_locale, "terminal.hint")
        self.out.write("\n".join(map(self._layout, hint.splitlines())) + "\n\n")
        self.show(await self.core.handle_pending(CHANNEL, self.user_id))
        self.show(await self.core.repeat_prompt(CHANNEL, self.user_id))
        await self._run_scheduled()
        await self.show_pushes()
        while True:
            line = await self._next_line(source)
            if not line:
                return
            if line.strip():
                await self.send(line)

    async def _run_scheduled(self) -> None:
        if self.scheduled is not None:
            await self.scheduled()

    async def _next_line(self, source: TextIO) -> str:
        """The next typed line; pushes that arrive meanwhile are shown at once."""
        reading = asyncio.ensure_future(asyncio.to_thread(source.readline))
        while not reading.done():
            done, _ = await asyncio.wait({reading}, timeout=PUSH_CHECK_SECONDS)
            if not done:
                await self._run_scheduled()
                await self.show_pushes()
        return reading.result()

"""The main menu: the capabilities that exist, plus Language, About, Privacy, Help and
My data. Someone who declined consent sees only the public entries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from handlers.flows import (
    MENU_ENTRIES,
    Choice,
    Input,
    Step,
    enter,
    menu_entries,
    read_request,
    register_flow,
)
from handlers.types import Button, Text

if TYPE_CHECKING:
    # Only a hint: `handlers.turns` needs the catalogs, which load this module.
    from handlers.turns import Turn

GIVE_CONSENT = "consent"
BUTTONS_PER_ROW = 2


def in_rows(buttons: Sequence[Button], per_row: int = BUTTONS_PER_ROW) -> list[list[Button]]:
    return [list(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row)]


async def show_menu(turn: Turn, text: str | None = None) -> None:
    """The citizen sees the menu buttons, under `text` or the menu's title."""
    turn.go("menu", "main", {})
    entries = menu_entries(consented=turn.consented)
    buttons = [turn.button(f"m:{e.id}", turn.t(e.label_key)) for e in entries]
    if not turn.consented:
        buttons.insert(0, turn.button(GIVE_CONSENT, turn.t("consent.give_now")))
    title = turn.t("menu.title" if turn.consented else "menu.public_title")
    turn.say(text or title, in_rows(buttons))


async def _prompt(turn: Turn) -> None:
    await show_menu(turn)


async def _handle(turn: Turn, answer: Input) -> None:
    """The citizen picks a menu entry, or types what they want."""
    if isinstance(answer, Choice):
        if answer.value == GIVE_CONSENT and not turn.consented:
            await enter(turn, "onboarding", "consent")
            return
        entry = MENU_ENTRIES.get(answer.value.removeprefix("m:"))
        if entry is not None and (entry.public or turn.consented):
            await entry.open(turn)
            return
    if isinstance(answer, Text):
        if not await read_request(turn, answer.text):
            await show_menu(turn, turn.t("intent.not_understood"))
        return
    turn.note(turn.t("error.choose_option"))
    await show_menu(turn)


register_flow("menu", {"main": Step(_prompt, _handle)})

"""The router: hands each message to the command it names, or to the citizen's current step.

Order of checks: reachability notices, commands, buttons (stale or forged ones are refused),
text hygiene (empty, too long), then the step. Every refusal is followed by the current
step's prompt, so the citizen is never left without a way forward.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from handlers.citizens import privacy_text, start_onboarding
from handlers.complaints import (
    CITIZEN_ACTION_PREFIX,
    on_citizen_action,
    on_complaint_command,
    on_reason_command,
    open_typed_number,
)
from handlers.consultations import (
    INVITATION_PREFIX,
    POLL_PREFIX,
    on_broadcast_command,
    on_invitation,
    on_poll_answer,
    on_poll_button,
)
from handlers.flows import Choice, Input, current_step, reprompt
from handlers.languages import follow_script, open_language_choice
from handlers.menu import show_menu
from handlers.sanitizing import MAX_MESSAGE_LENGTH, clean_text
from handlers.staff import ACTION_PREFIX, on_staff_button, on_staff_command
from handlers.turns import Turn
from handlers.types import (
    ButtonPress,
    Command,
    Media,
    PollAnswer,
    Reachability,
    Text,
    Unreadable,
)
from handlers.workshops import WORKSHOP_BUTTON_PREFIX, on_workshop_button, on_workshop_command

CommandHandler = Callable[[Turn, Command], Awaitable[None]]


def onboarded(turn: Turn) -> bool:
    return turn.consented or turn.declined


async def on_start(turn: Turn, _command: Command) -> None:
    """The citizen (re)starts: greeted, then the menu or the rest of onboarding."""
    if onboarded(turn):
        turn.note(turn.t("greeting", commune=turn.commune))
        await show_menu(turn)
    else:
        await start_onboarding(turn)


async def on_menu(turn: Turn, _command: Command) -> None:
    """The citizen goes back to the main menu (onboarding must be finished first)."""
    if onboarded(turn):
        await show_menu(turn)
    else:
        await reprompt(turn)


async def on_lang(turn: Turn, _command: Command) -> None:
    """The citizen switches language."""
    await open_language_choice(turn)


async def on_help(turn: Turn, _command: Command) -> None:
    """The citizen reads the help, then continues where they were."""
    turn.say(turn.t("help.text"))
    await reprompt(turn)


async def on_privacy(turn: Turn, _command: Command) -> None:
    """The citizen reads the privacy notice, then continues where they were."""
    turn.say(privacy_text(turn))
    await reprompt(turn)


async def on_cancel(turn: Turn, _command: Command) -> None:
    """The citizen abandons what they were doing and gets the menu."""
    if onboarded(turn):
        turn.note(turn.t("cancel.done"))
        await show_menu(turn)
    else:
        await reprompt(turn)


COMMANDS: dict[str, CommandHandler] = {
    "start": on_start,
    "menu": on_menu,
    "lang": on_lang,
    "help": on_help,
    "privacy": on_privacy,
    "cancel": on_cancel,
    "staff": on_staff_command,
    "complaint": on_complaint_command,
    "reason": on_reason_command,
    "broadcast": on_broadcast_command,
    "workshop": on_workshop_command,
}


async def refuse(turn: Turn, message_key: str, **params: object) -> None:
    turn.note(turn.t(message_key, **params))
    await reprompt(turn)


async def route(turn: Turn) -> None:
    """Handle one message of the citizen."""
    payload = turn.incoming.payload
    if isinstance(payload, Reachability):
        await turn.uow.citizens.set_reachable(
            turn.incoming.channel, turn.incoming.user_id, payload.reachable
        )
        return
    if isinstance(payload, PollAnswer):
        await on_poll_answer(turn, payload)
        return
    if isinstance(payload, Command):
        handler = COMMANDS.get(payload.name)
        if handler is None:
            await refuse(turn, "error.unknown_command")
        else:
            await handler(turn, payload)
        return
    answer = await _read_input(turn)
    if answer is not None:
        await current_step(turn).handle(turn, answer)


ButtonHandler = Callable[[Turn, str], Awaitable[None]]
# Buttons on pushes (staff group, status pushes, broadcasts, polls) are not tied to a step: each
# prefix has its own handler, which checks who may press it.
PUSH_BUTTONS: dict[str, ButtonHandler] = {
    ACTION_PREFIX: on_staff_button,
    CITIZEN_ACTION_PREFIX: on_citizen_action,
    INVITATION_PREFIX: on_invitation,
    POLL_PREFIX: on_poll_button,
    WORKSHOP_BUTTON_PREFIX: on_workshop_button,
}


async def _read_input(turn: Turn) -> Input | None:
    """The input a step may see, or None after a translated refusal."""
    payload = turn.incoming.payload
    if isinstance(payload, ButtonPress):
        for prefix, on_press in PUSH_BUTTONS.items():
            if payload.button_id.startswith(prefix):
                await on_press(turn, payload.button_id)
                return None
        choice = turn.read_button(payload.button_id)
        if choice is None:
            await refuse(turn, "error.stale_button")
            return None
        return Choice(choice)
    if isinstance(payload, Text):
        text = clean_text(payload.text)
        if not text:
            await refuse(turn, "error.empty")
            return None
        if len(text) > MAX_MESSAGE_LENGTH:
            await refuse(turn, "error.too_long", max=MAX_MESSAGE_LENGTH)
            return None
        follow_script(turn, text)
        if await open_typed_number(turn, text):
            return None
        return Text(text)
    unreadable = isinstance(payload, Unreadable)
    if unreadable or (isinstance(payload, Media) and payload.kind in ("sticker", "animation")):
        await refuse(turn, "error.unsupported")
        return None
    return payload

"""Staff action buttons on pushes to the staff group, and the role checks behind them.
Every staff action checks the account's role in the database; to anyone else a forged
action id looks exactly like a stale button, so nothing tells a citizen that staff
features exist.

Action buttons are `s.<action>` or `s.<action>.<argument>`: they are not tied to a
conversation step, because they live on pushes in the staff group. Capabilities register
their actions here (`register_staff_action`), the way flows register their steps.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from handlers.flows import reprompt
from handlers.turns import Turn
from handlers.types import Button

ACTION_PREFIX = "s."
ADMIN, AGENT = "admin", "agent"
StaffHandler = Callable[[Turn, str], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class StaffAction:
    handle: StaffHandler  # receives the turn and the button's argument
    roles: tuple[str, ...] = (ADMIN, AGENT)


STAFF_ACTIONS: dict[str, StaffAction] = {}


def register_staff_action(name: str, action: StaffAction) -> None:
    STAFF_ACTIONS[name] = action


def action_button(name: str, label: str, argument: str = "") -> Button:
    """A button for a staff push; at most 64 bytes once encoded, as Telegram demands."""
    button_id = ACTION_PREFIX + name + (f".{argument}" if argument else "")
    if len(button_id.encode()) > 64:
        raise ValueError(f"staff action id too long: {button_id!r}")
    return Button(button_id, label)


async def staff_role(turn: Turn) -> str | None:
    member = await turn.uow.staff.find(turn.incoming.channel, turn.incoming.user_id)
    return None if member is None else member.role


async def on_staff_button(turn: Turn, button_id: str) -> None:
    """A staff action button: run it for staff with the right role, else as a stale one."""
    name, _, argument = button_id.removeprefix(ACTION_PREFIX).partition(".")
    action = STAFF_ACTIONS.get(name)
    role = await staff_role(turn)
    if action is None or role is None:
        turn.note(turn.t("error.stale_button"))
        await reprompt(turn)
    elif role not in action.roles:
        turn.say(turn.t("staff.only"))
    else:
        await action.handle(turn, argument)

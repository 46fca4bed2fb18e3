"""Staff in chat: the `/staff` dashboard, action buttons on pushes to the staff group, and
the pushes themselves. Every staff action checks the account's role in the database; to
anyone else a staff command or a forged action id looks exactly like an unknown command or
a stale button, so nothing tells a citizen that staff features exist.

Action buttons are `s.<action>` or `s.<action>.<argument>`: they are not tied to a
conversation step, because they live on pushes in the staff group.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from handlers.catalogs import translate
from handlers.flows import reprompt
from handlers.serialization import outgoing_to_dict
from handlers.turns import CoreSettings, Turn
from handlers.types import Button, Command, Outgoing
from storage.unit_of_work import UnitOfWork

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


async def on_staff_command(turn: Turn, _command: Command) -> None:
    """A staff member opens the dashboard; anyone else is told the command is unknown."""
    if await staff_role(turn) is None:
        turn.note(turn.t("error.unknown_command"))
        await reprompt(turn)
        return
    await show_dashboard(turn, "")


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


async def show_dashboard(turn: Turn, _argument: str) -> None:
    """Counts the staff watch: citizens, unreachable ones, messages queued or failed."""
    uow = turn.uow
    outbox = await uow.outbox.count_by_status()
    text = turn.t(
        "staff.panel",
        commune=turn.settings.commune_name,
        citizens=await uow.citizens.count(),
        unreachable=await uow.citizens.count_unreachable(),
        queued=outbox.get("pending", 0),
        failed=outbox.get("failed", 0),
        errors=await uow.inbox.count_failed(turn.now - timedelta(hours=24)),
        chat_id=turn.incoming.chat_id,
    )
    turn.say(text, [[action_button("panel", turn.t("staff.refresh"))]])


async def notify_staff(
    uow: UnitOfWork,
    settings: CoreSettings,
    text: str,
    buttons: Sequence[Sequence[Button]],
    now: datetime,
    *,
    dedupe_key: str | None = None,
) -> bool:
    """Queue a push to the staff group, in the transaction of the change that caused it.
    False when no staff group is configured (or the same push was queued already)."""
    if not settings.staff_chat_id:
        return False
    rows = tuple(tuple(row) for row in buttons)
    message = Outgoing(settings.staff_chat_id, text, rows)
    return await uow.outbox.add(
        channel=settings.staff_channel,
        chat_id=settings.staff_chat_id,
        kind="staff",
        payload=outgoing_to_dict(message),
        now=now,
        dedupe_key=dedupe_key,
    )


def staff_text(settings: CoreSettings, key: str, **params: object) -> str:
    """A text for the staff group, in the commune's working language."""
    return translate(settings.default_locale, key, **params)


register_staff_action("panel", StaffAction(show_dashboard))

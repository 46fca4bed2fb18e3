"""`/staff`: the dashboard of what staff watch — citizens, unreachable ones, messages
queued or failed, errors of the last 24 h — with the chat's id (for `STAFF_CHAT_ID`).
To anyone but staff the command looks exactly like an unknown one."""

from __future__ import annotations

from datetime import timedelta

from handlers.flows import reprompt
from handlers.staff.actions import StaffAction, action_button, register_staff_action, staff_role
from handlers.turns import Turn
from handlers.types import Command


async def on_staff_command(turn: Turn, _command: Command) -> None:
    """A staff member opens the dashboard; anyone else is told the command is unknown."""
    if await staff_role(turn) is None:
        turn.note(turn.t("error.unknown_command"))
        await reprompt(turn)
        return
    await show_dashboard(turn, "")


async def show_dashboard(turn: Turn, _argument: str) -> None:
    """Counts the staff watch: citizens, unreachable ones, messages queued or failed."""
    uow = turn.uow
    outbox = await uow.outbox.count_by_status()
    text = turn.t(
        "staff.panel",
        commune=turn.commune,
        citizens=await uow.citizens.count(),
        unreachable=await uow.citizens.count_unreachable(),
        queued=outbox.get("pending", 0),
        failed=outbox.get("failed", 0),
        waiting=outbox.get("waiting", 0),
        errors=await uow.inbox.count_failed(turn.now - timedelta(hours=24)),
        chat_id=turn.incoming.chat_id,
    )
    turn.say(text, [[action_button("panel", turn.t("staff.refresh"))]])


register_staff_action("panel", StaffAction(show_dashboard))

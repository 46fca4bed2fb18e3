"""Running one turn: the person's current step (or the greeting, for a newcomer) against
their locked conversation; the new state is saved with the surrounding transaction."""

from __future__ import annotations

from datetime import datetime, timedelta

from handlers.citizens import start_onboarding
from handlers.flows import reprompt
from handlers.router import route
from handlers.staff import ACTION_PREFIX
from handlers.turns import CoreSettings, Turn
from handlers.types import ButtonPress, Command, Incoming, Outgoing, Reachability, Text
from storage.models import Conversation
from storage.unit_of_work import UnitOfWork

# `last_seen_at` is kept to the hour: enough for retention, and no write on every message.
LAST_SEEN_PRECISION = timedelta(hours=1)
# Commands staff send in the staff group: a first contact that is one of them is not greeted.
STAFF_COMMANDS = ("staff", "complaint", "reason", "broadcast")


async def run_turn(
    uow: UnitOfWork,
    incoming: Incoming,
    conversation: Conversation,
    is_new: bool,
    settings: CoreSettings,
    now: datetime,
) -> list[Outgoing]:
    """Handle one message of a person and return the replies."""
    if conversation.citizen_id and now - conversation.updated_at >= LAST_SEEN_PRECISION:
        await uow.citizens.touch(conversation.citizen_id, now)
    turn = Turn(incoming, conversation, uow, settings, now)
    if is_new and greets(incoming):
        await start_onboarding(turn)
    else:
        await route(turn)
    turn.finish()
    if turn.forgotten:
        await uow.conversations.erase(incoming.channel, incoming.user_id)
    else:
        uow.conversations.mark_changed(conversation)
    return turn.replies


def greets(incoming: Incoming) -> bool:
    """A newcomer is greeted, unless the update is a block notice or a staff action (a
    staff member pressing a button on a push in the staff group)."""
    payload = incoming.payload
    if isinstance(payload, Reachability):
        return False
    if isinstance(payload, ButtonPress) and payload.button_id.startswith(ACTION_PREFIX):
        return False
    return not (isinstance(payload, Command) and payload.name in STAFF_COMMANDS)


async def repeat_prompt(
    uow: UnitOfWork, conversation: Conversation, settings: CoreSettings, now: datetime
) -> list[Outgoing]:
    """The person's current question again, with fresh buttons (no input involved)."""
    channel, user_id = conversation.channel, conversation.channel_user_id
    nothing = Incoming(channel, user_id, conversation.chat_id, "", Text(""))
    turn = Turn(nothing, conversation, uow, settings, now)
    await reprompt(turn)
    turn.finish()
    uow.conversations.mark_changed(conversation)
    return turn.replies

"""Running one turn: the person's current step (or the greeting, for a newcomer) against
their locked conversation; the new state is saved with the surrounding transaction."""

from __future__ import annotations

from datetime import datetime, timedelta

from handlers.citizens import start_onboarding
from handlers.flows import reprompt
from handlers.router import route
from handlers.staff import ACTION_PREFIX, staff_role
from handlers.turns import CoreSettings, Turn
from handlers.types import (
    ButtonPress,
    Command,
    Incoming,
    Outgoing,
    Payload,
    Reachability,
    Text,
)
from storage.models import Conversation
from storage.unit_of_work import UnitOfWork

# `last_seen_at` is kept to the hour: enough for retention, and no write on every message.
LAST_SEEN_PRECISION = timedelta(hours=1)
# Commands staff send in the staff group: a first contact that is one of them is not greeted.
STAFF_COMMANDS = ("staff", "complaint", "reason", "broadcast", "workshop")


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
    if in_shared_chat(incoming):
        await route_shared_chat(turn)
    elif is_new and await greets(turn):
        await start_onboarding(turn)
    else:
        await route(turn)
    turn.finish()
    if turn.forgotten:
        await uow.conversations.erase(incoming.channel, incoming.user_id)
    else:
        uow.conversations.mark_changed(conversation)
    return turn.replies


def in_shared_chat(incoming: Incoming) -> bool:
    """A group (the staff group), not the person's own chat with the bot."""
    return incoming.chat_id != incoming.user_id


def staff_only(payload: Payload) -> bool:
    """A staff command, or a button of a staff push."""
    if isinstance(payload, ButtonPress):
        return payload.button_id.startswith(ACTION_PREFIX)
    return isinstance(payload, Command) and payload.name in STAFF_COMMANDS


async def route_shared_chat(turn: Turn) -> None:
    """In a group the bot acts on staff commands and staff push buttons, from staff only:
    it never holds a conversation there, and anyone else gets nothing at all (the
    channel still stops their button's spinner)."""
    if staff_only(turn.incoming.payload) and await staff_role(turn) is not None:
        await route(turn)


async def greets(turn: Turn) -> bool:
    """A newcomer is greeted, unless the update is a block notice or a staff member's
    command or push button. Anyone else sending a staff command or button is greeted
    like any newcomer: nothing tells them that staff features exist."""
    payload = turn.incoming.payload
    if isinstance(payload, Reachability):
        return False
    return not staff_only(payload) or await staff_role(turn) is None


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

"""Conversation state: where each person stands, read under a row lock on PostgreSQL
(SQLite takes its one write lock at BEGIN), so two processes never both advance the same
step of the same person."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import bindparam, delete, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import flag_modified

from storage.models import Conversation, InboxUpdate
from storage.repositories.conflicts import insert_many_unless_present

PersonKey = tuple[str, str]  # (channel, channel user id)

_WAITING = (
    exists()
    .where(
        InboxUpdate.channel == Conversation.channel,
        InboxUpdate.channel_user_id == Conversation.channel_user_id,
        InboxUpdate.handled_at.is_(None),
    )
    .correlate(Conversation)
    .label("waiting")
)
# Built once: a turn runs it on every message. Two plain IN lists use the primary key on
# both backends (a row-value IN does not, on PostgreSQL); a batch rarely spans channels,
# so the cross product is, in practice, exactly the people asked for.
SELECT_STATES = (
    select(Conversation, _WAITING)
    .where(
        Conversation.channel.in_(bindparam("channels", expanding=True)),
        Conversation.channel_user_id.in_(bindparam("users", expanding=True)),
    )
    .order_by(Conversation.channel_user_id, Conversation.channel)
)
# Rows are locked in key order, so two processes never wait on each other in a cycle.
LOCK_STATES = SELECT_STATES.with_for_update(of=Conversation)


class State(NamedTuple):
    conversation: Conversation
    waiting: bool  # updates of this person are stored in the inbox, not handled yet


@dataclass(frozen=True, slots=True)
class NewConversation:
    """Where a person starts when they have no conversation yet."""

    channel: str
    channel_user_id: str
    chat_id: str
    locale: str
    now: datetime

    @property
    def key(self) -> PersonKey:
        return (self.channel, self.channel_user_id)


class ConversationRepository:
    def __init__(self, session: AsyncSession, *, locking: bool) -> None:
        self._session = session
        self._statement = LOCK_STATES if locking else SELECT_STATES

    async def find(self, channel: str, channel_user_id: str) -> Conversation | None:
        found = await self.load([(channel, channel_user_id)])
        state = found.get((channel, channel_user_id))
        return None if state is None else state.conversation

    async def load(self, keys: Sequence[PersonKey]) -> dict[PersonKey, State]:
        """These people's states (those that exist), locked for this transaction, each with
        whether updates of theirs wait in the inbox."""
        if not keys:
            return {}
        channels = sorted({channel for channel, _ in keys})
        users = sorted({user for _, user in keys})
        rows = await self._session.execute(self._statement, {"channels": channels, "users": users})
        wanted = set(keys)
        return {
            (c.channel, c.channel_user_id): State(c, waiting)
            for c, waiting in rows
            if (c.channel, c.channel_user_id) in wanted
        }

    async def start(
        self, people: Sequence[NewConversation]
    ) -> dict[PersonKey, tuple[Conversation, bool]]:
        """Start onboarding for people who have no state. The flag is False where another
        process started it first."""
        rows = [_starting_row(person) for person in sorted(people, key=lambda p: p.key)]
        created = await insert_many_unless_present(
            self._session, Conversation.__table__, rows, ["channel_user_id", "channel"]
        )
        found = await self.load([person.key for person in people])
        return {
            key: (state.conversation, (key[1], key[0]) in created) for key, state in found.items()
        }

    async def typed_choices(self, channel: str, channel_user_id: str) -> tuple[list[str], int]:
        """The button ids of the numbered list last shown to this person (none: []), and
        the conversation's version (whose buttons are the current ones)."""
        found = await self._session.execute(
            select(Conversation.typed_choices, Conversation.version).where(
                Conversation.channel == channel, Conversation.channel_user_id == channel_user_id
            )
        )
        row = found.first()
        return (list(row[0] or []), row[1]) if row is not None else ([], 0)

    async def remember_typed_choices(
        self, channel: str, channel_user_id: str, button_ids: Sequence[str]
    ) -> None:
        """The choices a channel just showed as a numbered list (an empty list: none)."""
        await self._session.execute(
            update(Conversation)
            .where(Conversation.channel == channel, Conversation.channel_user_id == channel_user_id)
            .values(typed_choices=list(button_ids) or None)
        )

    def mark_changed(self, conversation: Conversation) -> None:
        """Steps change `data` in place; tell the session so it is written."""
        flag_modified(conversation, "data")

    async def erase(self, channel: str, channel_user_id: str) -> None:
        await self._session.execute(
            delete(Conversation).where(
                Conversation.channel == channel, Conversation.channel_user_id == channel_user_id
            )
        )


def _starting_row(person: NewConversation) -> dict[str, object]:
    return {
        "channel": person.channel,
        "channel_user_id": person.channel_user_id,
        "chat_id": person.chat_id,
        "locale": person.locale,
        "flow": "onboarding",
        "step": "language",
        "data": {},
        "version": 0,
        "updated_at": person.now,
    }

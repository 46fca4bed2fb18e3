"""Conversation state: where each person stands, read under a row lock on PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import bindparam, delete, exists, select
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
# Built once (a conversation turn runs these on every message); rows are locked in key
# order, so two processes never wait on each other in a cycle.
LOCK = (
    select(Conversation, _WAITING)
    .where(
        Conversation.channel.in_(bindparam("channels", expanding=True)),
        Conversation.channel_user_id.in_(bindparam("users", expanding=True)),
    )
    .order_by(Conversation.channel, Conversation.channel_user_id)
)
LOCK_FOR_UPDATE = LOCK.with_for_update(of=Conversation)


class Locked(NamedTuple):
    conversation: Conversation
    waiting: bool


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
        self._locking = locking

    async def find(self, channel: str, channel_user_id: str) -> Conversation | None:
        """The state, locked for this transaction so another process waits its turn."""
        found = await self.lock([(channel, channel_user_id)])
        locked = found.get((channel, channel_user_id))
        return None if locked is None else locked.conversation

    async def lock(self, keys: Sequence[PersonKey]) -> dict[PersonKey, Locked]:
        """These people's states (those that exist), locked for this transaction, each with
        whether updates of theirs still wait in the inbox."""
        if not keys:
            return {}
        statement = LOCK_FOR_UPDATE if self._locking else LOCK
        # Two plain IN lists use the primary key index on both backends (a row-value IN
        # does not, on PostgreSQL); a batch rarely spans channels, so the cross product
        # is, in practice, exactly the people asked for.
        channels = sorted({channel for channel, _ in keys})
        users = sorted({user for _, user in keys})
        rows = await self._session.execute(statement, {"channels": channels, "users": users})
        wanted = set(keys)
        return {
            (c.channel, c.channel_user_id): Locked(c, waiting)
            for c, waiting in rows
            if (c.channel, c.channel_user_id) in wanted
        }

    async def start(
        self, people: Sequence[NewConversation]
    ) -> dict[PersonKey, tuple[Conversation, bool]]:
        """Start onboarding for people who have no state; locked. The flag is False where
        another process started it first."""
        rows = [_starting_row(person) for person in people]
        created = await insert_many_unless_present(
            self._session, Conversation.__table__, rows, ["channel", "channel_user_id"]
        )
        found = await self.lock([person.key for person in people])
        return {key: (locked.conversation, key in created) for key, locked in found.items()}

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

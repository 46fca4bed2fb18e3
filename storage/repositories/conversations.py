"""Conversation state: where each person stands, read under a row lock on PostgreSQL."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import flag_modified

from storage.models import Conversation
from storage.repositories.conflicts import insert_unless_present


class ConversationRepository:
    def __init__(self, session: AsyncSession, *, locking: bool) -> None:
        self._session = session
        self._locking = locking

    async def find(self, channel: str, channel_user_id: str) -> Conversation | None:
        """The state, locked for this transaction so another process waits its turn."""
        statement = select(Conversation).where(
            Conversation.channel == channel, Conversation.channel_user_id == channel_user_id
        )
        if self._locking:
            statement = statement.with_for_update()
        return (await self._session.execute(statement)).scalar_one_or_none()

    async def lock_or_start(
        self, channel: str, channel_user_id: str, chat_id: str, locale: str, now: datetime
    ) -> tuple[Conversation, bool]:
        """This person's state, locked; created at the start of onboarding if they have
        none. The flag says whether it was just created."""
        conversation = await self.find(channel, channel_user_id)
        if conversation is not None:
            return conversation, False
        values = {
            "channel": channel,
            "channel_user_id": channel_user_id,
            "chat_id": chat_id,
            "locale": locale,
            "flow": "onboarding",
            "step": "language",
            "data": {},
            "version": 0,
            "updated_at": now,
        }
        inserted = await insert_unless_present(
            self._session, Conversation.__table__, values, ["channel", "channel_user_id"]
        )
        conversation = await self.find(channel, channel_user_id)
        assert conversation is not None
        return conversation, inserted is not None

    def mark_changed(self, conversation: Conversation) -> None:
        """Steps change `data` in place; tell the session so it is written."""
        flag_modified(conversation, "data")

    async def erase(self, channel: str, channel_user_id: str) -> None:
        await self._session.execute(
            delete(Conversation).where(
                Conversation.channel == channel, Conversation.channel_user_id == channel_user_id
            )
        )

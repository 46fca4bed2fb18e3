"""Quick polls: which consultation a platform's poll belongs to, the polls still open in
chats, and a citizen's vote, which replaces their earlier one (a withdrawn vote deletes
it)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ConsultationAnswer, ConsultationResponse, SentPoll


class PollRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record_sent(self, poll: SentPoll) -> None:
        """Remember a poll the channel showed (once: a resent row keeps the first)."""
        if await self.consultation_of(poll.channel, poll.poll_ref) is None:
            self._session.add(poll)
            await self._session.flush()

    async def consultation_of(self, channel: str, poll_ref: str) -> int | None:
        """The consultation the channel's poll asks, if the bot sent it."""
        statement = select(SentPoll.consultation_id).where(
            SentPoll.channel == channel, SentPoll.poll_ref == poll_ref
        )
        return (await self._session.execute(statement)).scalar_one_or_none()

    async def erase_of_citizen(self, citizen_id: int) -> None:
        """Forget the polls sent to a citizen (their chat and message)."""
        await self._session.execute(delete(SentPoll).where(SentPoll.citizen_id == citizen_id))

    async def consultations_with_open_polls(self) -> list[int]:
        """Consultations some of whose polls are still open in chats."""
        statement = select(SentPoll.consultation_id).where(SentPoll.closed_at.is_(None)).distinct()
        return list((await self._session.execute(statement)).scalars())

    async def close_all(self, consultation_id: int, now: datetime) -> list[SentPoll]:
        """Mark the consultation's open polls closed; those polls (to close in the chats)."""
        statement = (
            select(SentPoll)
            .where(SentPoll.consultation_id == consultation_id, SentPoll.closed_at.is_(None))
            .order_by(SentPoll.id)
        )
        polls = list((await self._session.execute(statement)).scalars())
        for poll in polls:
            poll.closed_at = now
        return polls

    async def withdraw_vote(self, consultation_id: int, dedupe_token: str) -> bool:
        """Delete a citizen's response to a quick poll (its answer goes with it)."""
        statement = delete(ConsultationResponse).where(
            ConsultationResponse.consultation_id == consultation_id,
            ConsultationResponse.dedupe_token == dedupe_token,
        )
        result = await self._session.execute(statement)
        return bool(result.rowcount)

    async def choices_voted(self, consultation_id: int, dedupe_token: str) -> list[str]:
        """The choice ids of a citizen's current vote (none: no vote)."""
        statement = (
            select(ConsultationAnswer.choice_values)
            .join(ConsultationResponse, ConsultationResponse.id == ConsultationAnswer.response_id)
            .where(
                ConsultationResponse.consultation_id == consultation_id,
                ConsultationResponse.dedupe_token == dedupe_token,
            )
        )
        found = (await self._session.execute(statement)).scalars().first()
        return list(found or [])

"""The unit of work: one session, one transaction, and the repositories that share it."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.repositories import (
    CitizenRepository,
    ComplaintRepository,
    ConsultationRepository,
    ConversationRepository,
    InboxRepository,
    OutboxRepository,
    PollRepository,
    StaffRepository,
    WorkshopRepository,
)
from storage.repositories.complaint_reports import ComplaintReportRepository
from storage.repositories.participation import ParticipationRepository


class UnitOfWork:
    """`async with db.transaction() as uow:` commits on success, rolls back on error."""

    citizens: CitizenRepository
    complaints: ComplaintRepository
    complaint_reports: ComplaintReportRepository
    consultations: ConsultationRepository
    conversations: ConversationRepository
    inbox: InboxRepository
    outbox: OutboxRepository
    participation: ParticipationRepository
    polls: PollRepository
    staff: StaffRepository
    workshops: WorkshopRepository

    def __init__(self, sessions: async_sessionmaker[AsyncSession], *, locking: bool) -> None:
        self._sessions = sessions
        self._locking = locking
        self._session: AsyncSession | None = None

    async def __aenter__(self) -> UnitOfWork:
        session = self._sessions()
        await session.begin()
        self._session = session
        self.citizens = CitizenRepository(session)
        self.conversations = ConversationRepository(session, locking=self._locking)
        self.inbox = InboxRepository(session, locking=self._locking)
        self.outbox = OutboxRepository(session, locking=self._locking)
        self.staff = StaffRepository(session)
        self.complaints = ComplaintRepository(session, locking=self._locking)
        self.complaint_reports = ComplaintReportRepository(session)
        self.consultations = ConsultationRepository(session)
        self.polls = PollRepository(session)
        self.participation = ParticipationRepository(session)
        self.workshops = WorkshopRepository(session, locking=self._locking)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self._session
        assert session is not None
        try:
            if exc_type is None:
                await session.commit()
            else:
                await session.rollback()
        finally:
            await session.close()

    async def flush(self) -> None:
        assert self._session is not None
        await self._session.flush()

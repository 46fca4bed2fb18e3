"""The unit of work: one session, one transaction, and the repositories that share it."""

from __future__ import annotations

import asyncio
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
from storage.repositories.answer_tallies import AnswerTallyRepository
from storage.repositories.audit import AuditRepository
from storage.repositories.complaint_reports import ComplaintReportRepository
from storage.repositories.participation import ParticipationRepository
from storage.repositories.staff_access import StaffAccessRepository


class TransactionTurns:
    """Transactions taking turns in the order they asked (SQLite's one connection would
    otherwise go to whoever asks first once it is free). A transaction opened inside
    another of the same task joins its turn instead of waiting for it."""

    def __init__(self) -> None:
        self._lock = asyncio.Lock()  # FIFO: a newcomer queues behind those waiting
        self._holder: asyncio.Task[object] | None = None
        self._depth = 0

    async def acquire(self) -> None:
        task = asyncio.current_task()
        if task is not None and task is self._holder:
            self._depth += 1
            return
        await self._lock.acquire()
        self._holder, self._depth = task, 1

    def release(self) -> None:
        self._depth -= 1
        if self._depth == 0:
            self._holder = None
            self._lock.release()


class UnitOfWork:
    """`async with db.transaction() as uow:` commits on success, rolls back on error."""

    answer_tallies: AnswerTallyRepository
    audit: AuditRepository
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
    staff_access: StaffAccessRepository
    workshops: WorkshopRepository

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        locking: bool,
        turns: TransactionTurns | None = None,
    ) -> None:
        self._sessions = sessions
        self._turns = turns
        self._holding_turn = False
        self._locking = locking
        self._session: AsyncSession | None = None

    async def __aenter__(self) -> UnitOfWork:
        if self._turns is not None:
            await self._turns.acquire()
            self._holding_turn = True
        try:
            return await self._begin()
        except BaseException:
            self._release_turn()
            raise

    def _release_turn(self) -> None:
        if self._turns is not None and self._holding_turn:
            self._holding_turn = False
            self._turns.release()

    async def _begin(self) -> UnitOfWork:
        session = self._sessions()
        await session.begin()
        self._session = session
        self.citizens = CitizenRepository(session)
        self.conversations = ConversationRepository(session, locking=self._locking)
        self.inbox = InboxRepository(session, locking=self._locking)
        self.outbox = OutboxRepository(session, locking=self._locking)
        self.staff = StaffRepository(session)
        self.staff_access = StaffAccessRepository(session)
        self.audit = AuditRepository(session)
        self.answer_tallies = AnswerTallyRepository(session)
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
            try:
                await session.close()
            finally:
                self._release_turn()

    async def flush(self) -> None:
        assert self._session is not None
        await self._session.flush()

"""Workshop seats under real concurrency, on SQLite and PostgreSQL: many citizens taking the
last seats at the same instant, each in its own transaction and session; cancellations
racing new sign-ups; one citizen signing up twice at once. Capacity must hold at every
commit, codes stay unique, and the waitlist is served in the order sign-ups committed —
the ranks citizens were told included.

What is recorded while a transaction still holds the workshop (its row lock on PostgreSQL,
the write lock SQLite takes at BEGIN IMMEDIATE) is in commit order: the next transaction
gets the workshop only once this one has committed."""

from __future__ import annotations

import asyncio
import fcntl
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from handlers.turns import CoreSettings
from handlers.workshops import (
    TEXT_LOCALES,
    SignUp,
    WorkshopFields,
    cancel_registration,
    create_workshop,
    publish_workshop,
    register_for_workshop,
)
from storage.database import Database
from storage.models import OutboxMessage, WorkshopRegistration
from storage.repositories.workshops import REGISTERED, WAITLISTED, WITHDRAWN

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CITIZENS, CAPACITY = 60, 10
CITIZEN = {"channel": "telegram", "language": "fr", "script": "Latn",
           "consent_at": NOW, "created_at": NOW, "last_seen_at": NOW}  # fmt: skip
RACE_TIMEOUT = 120  # seconds: a deadlock fails the test rather than hanging it
# The races of every pytest worker share one PostgreSQL server (max_connections 100): one
# race at a time holds its 60 connections.
RACE_LOCK = Path(tempfile.gettempdir()) / "tachawor-workshop-races.lock"


@dataclass(frozen=True, slots=True)
class Step:
    """One transaction's sign-up or cancellation, noted before it committed."""

    citizen_id: int
    asked_waitlist: bool
    outcome: str
    registration_id: int | None
    position: int
    registered_after: int  # seats taken once it was done (before its commit)


class TickingClock:
    """Each reading a microsecond after the previous one, like a real clock read at the
    start of every turn."""

    def __init__(self, start: datetime) -> None:
        self._now, self.readings = start, 0

    def now(self) -> datetime:
        self.readings += 1
        return self._now + timedelta(microseconds=self.readings)


@asynccontextmanager
async def own_sessions(db: Database, tasks: int) -> AsyncIterator[Database]:
    """A second Database on the same data in which every task has its own connection:
    on PostgreSQL a pool as large as the race; on SQLite (the test's file) a connection
    per transaction, the writers queueing on BEGIN IMMEDIATE as separate processes
    would."""
    if not db.is_postgresql:
        racing = Database(db.url, null_pool=True)
        try:
            yield racing
        finally:
            await racing.close()
        return
    with RACE_LOCK.open("a") as lock:
        await asyncio.to_thread(fcntl.flock, lock, fcntl.LOCK_EX)
        racing = Database(db.url, pool_size=tasks)
        try:
            yield racing
        finally:
            await racing.close()


def start_line(db: Database, tasks: int) -> asyncio.Barrier | None:
    """On PostgreSQL every task opens its transaction and waits for all the others before
    asking for a seat, so they ask at the same instant. SQLite lets one transaction in at
    a time: the others queue at BEGIN, already racing."""
    return asyncio.Barrier(tasks) if db.is_postgresql else None


async def race(*tasks) -> list:  # type: ignore[no-untyped-def]
    return await asyncio.wait_for(asyncio.gather(*tasks), RACE_TIMEOUT)


async def open_workshop(db: Database, settings: CoreSettings, capacity: int) -> int:
    texts = {locale: f"Atelier ({locale})" for locale in TEXT_LOCALES}
    fields = WorkshopFields(
        title=texts,
        description=texts,
        quarter="Medina",
        place="Maison de quartier",
        starts_at=NOW + timedelta(days=10),
        ends_at=NOW + timedelta(days=10, hours=2),
        capacity=capacity,
    )
    async with db.transaction() as uow:
        workshop = await create_workshop(uow, settings, fields, NOW)
        await publish_workshop(uow, settings, workshop.id, NOW, announce=False)
    return workshop.id


async def add_citizens(db: Database, count: int, first: int = 0) -> list[int]:
    ids = []
    async with db.transaction() as uow:
        for n in range(first, first + count):
            user = f"racer-{n}"
            values = {"channel_user_id": user, "chat_id": user, **CITIZEN}
            ids.append(await uow.citizens.register(values))
    return ids


async def sign_up(
    db: Database,
    settings: CoreSettings,
    workshop_id: int,
    citizen_id: int,
    log: list[Step],
    *,
    waitlist: bool,
    start: asyncio.Barrier | None,
    clock: TickingClock | None = None,
) -> SignUp:
    """One citizen's sign-up in its own transaction, at NOW or at the time its turn read."""
    async with db.transaction() as uow:
        citizen = await uow.citizens.get(citizen_id)  # this session's connection, in use
        assert citizen is not None
        now = NOW if clock is None else clock.now()
        if start is not None:
            await start.wait()
        done = await register_for_workshop(
            uow, settings, workshop_id, citizen, now, waitlist=waitlist
        )
        registered = await uow.workshops.count(workshop_id, REGISTERED)
        rid = None if done.registration is None else done.registration.id
        log.append(Step(citizen_id, waitlist, done.outcome, rid, done.position, registered))
    return done


async def cancel(
    db: Database,
    settings: CoreSettings,
    registration_id: int,
    citizen_id: int,
    log: list[Step],
    start: asyncio.Barrier | None,
) -> None:
    async with db.transaction() as uow:
        assert await uow.citizens.get(citizen_id) is not None
        if start is not None:
            await start.wait()
        cancelled = await cancel_registration(uow, settings, registration_id, citizen_id, NOW)
        assert cancelled is not None and cancelled.status == WITHDRAWN
        workshop_id = cancelled.workshop_id
        registered = await uow.workshops.count(workshop_id, REGISTERED)
        log.append(Step(citizen_id, False, "cancelled", registration_id, 0, registered))


async def rows_of(db: Database, workshop_id: int) -> list[WorkshopRegistration]:
    async with db.transaction() as uow:
        return await uow.workshops.registrations(workshop_id, (REGISTERED, WAITLISTED, WITHDRAWN))


async def waitlist_of(db: Database, workshop_id: int) -> list[tuple[int, int]]:
    """The waitlist as served: (registration id, its rank now)."""
    async with db.transaction() as uow:
        waiting = await uow.workshops.waitlist(workshop_id)
        return [(r.id, await uow.workshops.waitlist_position(r)) for r in waiting]


async def race_for_seats(db, settings, clock: TickingClock | None = None) -> None:
    """60 citizens, half of them accepting the waitlist, at a 10-seat workshop at once."""
    workshop_id = await open_workshop(db, settings, CAPACITY)
    citizens = await add_citizens(db, CITIZENS)
    log: list[Step] = []
    async with own_sessions(db, CITIZENS) as racing:
        start = start_line(racing, CITIZENS)
        await race(*(
            sign_up(racing, settings, workshop_id, citizen_id, log, waitlist=n % 2 == 0,
                    start=start, clock=clock)
            for n, citizen_id in enumerate(citizens)
        ))  # fmt: skip

    assert len(log) == CITIZENS
    assert sorted(step.citizen_id for step in log) == citizens
    # The first ten to get the workshop took the ten seats, one more at every commit.
    assert [step.outcome for step in log[:CAPACITY]] == ["registered"] * CAPACITY
    assert [step.registered_after for step in log] == [
        *range(1, CAPACITY + 1), *[CAPACITY] * (CITIZENS - CAPACITY)
    ]  # fmt: skip
    later = log[CAPACITY:]
    assert all(s.outcome == ("waitlisted" if s.asked_waitlist else "full") for s in later)
    assert all(s.registration_id is None for s in later if not s.asked_waitlist)
    waitlisted = [s for s in later if s.asked_waitlist]
    assert len(waitlisted) == CITIZENS // 2 - sum(1 for s in log[:CAPACITY] if s.asked_waitlist)
    # Ranks as told at each commit: 1, 2, 3… in commit order, no gap, none twice.
    assert [s.position for s in waitlisted] == list(range(1, len(waitlisted) + 1))

    rows = await rows_of(db, workshop_id)
    registered = [r for r in rows if r.status == REGISTERED]
    assert len(registered) == CAPACITY
    assert {r.id for r in registered} == {s.registration_id for s in log[:CAPACITY]}
    assert len(rows) == CAPACITY + len(waitlisted)  # "full" left nothing behind
    assert len({r.code for r in rows}) == len(rows)
    assert len({r.citizen_id for r in rows}) == len(rows)
    # The waitlist is served in commit order, and everyone keeps the rank they were told.
    expected = [(s.registration_id, s.position) for s in waitlisted]
    assert await waitlist_of(db, workshop_id) == expected


async def test_sixty_citizens_racing_for_ten_seats_at_one_instant(db, settings):
    await race_for_seats(db, settings)


async def test_each_turn_reading_its_own_clock_before_the_race(db, settings):
    """As in the bot: every turn reads the clock, then waits its turn for the workshop. A
    later reading may get the workshop first; its place in the queue must not move."""
    await race_for_seats(db, settings, TickingClock(NOW))


async def test_a_turn_that_read_the_clock_earlier_queues_behind_one_that_committed(db, settings):
    """The race above made plain: B's turn read the clock after A's but got the workshop
    first and was told rank 1; A, waitlisted next, is rank 2 and B stays rank 1."""
    workshop_id = await open_workshop(db, settings, 1)
    seated, a, b = await add_citizens(db, 3)
    log: list[Step] = []
    await sign_up(db, settings, workshop_id, seated, log, waitlist=False, start=None)
    for citizen_id, read_at in ((b, NOW + timedelta(seconds=2)), (a, NOW + timedelta(seconds=1))):
        async with db.transaction() as uow:
            citizen = await uow.citizens.get(citizen_id)
            done = await register_for_workshop(
                uow, settings, workshop_id, citizen, read_at, waitlist=True
            )
        log.append(Step(citizen_id, True, done.outcome, done.registration.id, done.position, 1))
    _, told_b, told_a = log
    assert (told_b.position, told_a.position) == (1, 2)
    expected = [(told_b.registration_id, 1), (told_a.registration_id, 2)]
    assert await waitlist_of(db, workshop_id) == expected


async def test_concurrent_cancellations_promote_the_waitlist_in_order(db, settings):
    """Ten seated, twenty waiting; six seated cancel while ten newcomers sign up, all at
    once: the first six waiting are promoted, in order; the newcomers queue behind."""
    workshop_id = await open_workshop(db, settings, CAPACITY)
    citizens = await add_citizens(db, 30)
    seated: list[Step] = []
    for citizen_id in citizens:  # one after the other: ids and queue in this order
        await sign_up(db, settings, workshop_id, citizen_id, seated, waitlist=True, start=None)
    waiting = [s.registration_id for s in seated if s.outcome == "waitlisted"]
    assert len(waiting) == 20
    registered = [s for s in seated if s.outcome == "registered"]
    leaving = [*registered[1::2], registered[0]]  # six of the ten seated
    newcomers = await add_citizens(db, 10, first=100)

    log: list[Step] = []
    async with own_sessions(db, 16) as racing:
        start = start_line(racing, 16)
        await race(
            *(cancel(racing, settings, s.registration_id, s.citizen_id, log, start)
              for s in leaving),
            *(sign_up(racing, settings, workshop_id, c, log, waitlist=True, start=start)
              for c in newcomers),
        )  # fmt: skip

    assert [s.registered_after for s in log] == [CAPACITY] * 16  # refilled at every commit
    joined = [s for s in log if s.outcome != "cancelled"]
    assert [s.outcome for s in joined] == ["waitlisted"] * 10  # nobody jumped the queue
    rows = {r.id: r for r in await rows_of(db, workshop_id)}
    promoted = [rid for rid in waiting if rows[rid].promoted_at is not None]
    assert promoted == waiting[:6]
    assert all(rows[rid].status == REGISTERED for rid in promoted)
    assert sum(1 for r in rows.values() if r.status == REGISTERED) == CAPACITY
    assert all(rows[s.registration_id].status == WITHDRAWN for s in leaving)
    # The rest of the queue is untouched, the newcomers behind it in commit order; nobody's
    # rank got worse than what they were told.
    served = await waitlist_of(db, workshop_id)
    assert [rid for rid, _ in served] == waiting[6:] + [s.registration_id for s in joined]
    assert [rank for _, rank in served] == list(range(1, 25))
    told = {s.registration_id: s.position for s in [*seated, *joined]}
    assert all(rank <= told[rid] for rid, rank in served)
    async with db.engine.connect() as connection:
        notices = await connection.execute(
            select(func.count(OutboxMessage.id)).where(
                OutboxMessage.dedupe_key.startswith("ws-promoted:")
            )
        )
    assert notices.scalar_one() == 6


async def test_one_citizen_signing_up_twice_at_once_is_registered_once(db, settings):
    """The same citizen's sign-up sent four times at once (a double tap, a retry), at a
    workshop with seats left, and at a full one (the waitlist accepted)."""
    roomy = await open_workshop(db, settings, CAPACITY)
    full = await open_workshop(db, settings, 1)
    [someone, tapper] = await add_citizens(db, 2)
    await sign_up(db, settings, full, someone, [], waitlist=False, start=None)

    for workshop_id, first, again in (
        (roomy, "registered", "already_registered"),
        (full, "waitlisted", "already_waitlisted"),
    ):
        log: list[Step] = []
        async with own_sessions(db, 4) as racing:
            start = start_line(racing, 4)
            done = await race(*(
                sign_up(racing, settings, workshop_id, tapper, log, waitlist=True, start=start)
                for _ in range(4)
            ))  # fmt: skip
        assert [s.outcome for s in log] == [first, again, again, again]
        assert len({d.registration.id for d in done}) == 1
        mine = [r for r in await rows_of(db, workshop_id) if r.citizen_id == tapper]
        assert len(mine) == 1
        assert mine[0].status == (REGISTERED if first == "registered" else WAITLISTED)

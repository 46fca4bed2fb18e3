"""What the back-office forgets on its hourly round, on SQLite and PostgreSQL: sessions
that ended (idle, or older than twelve hours), used or expired sign-in links, failures
that no longer count — and nothing still in use."""

from __future__ import annotations

from datetime import timedelta

from handlers.staff import forget_what_expired, send_sign_in_link, sign_in_with_password
from handlers.staff.sign_in import open_session, token_hash
from storage.models import SignInFailure, SignInLink, StaffSession
from tests.web_client import PASSWORD, add_staff_member, rows_of

IDLE = timedelta(minutes=30)


async def test_only_what_ended_is_forgotten(db, clock):
    login = await add_staff_member(db, "1", "admin", clock.now())
    async with db.transaction() as uow:
        member = await uow.staff.by_login(login)
        await open_session(uow, member, "127.0.0.1", clock.now())  # goes idle
        await send_sign_in_link(uow, login, "http://bo", "fr", clock.now())  # expires
        await uow.staff_access.add_failure("someone", "10.0.0.1", clock.now())  # ages out
    clock.advance(timedelta(minutes=40))
    async with db.transaction() as uow:
        fresh = await sign_in_with_password(uow, login, PASSWORD, "127.0.0.1", clock.now())
        await uow.staff_access.add_failure("someone", "10.0.0.1", clock.now())
    async with db.transaction() as uow:
        assert await forget_what_expired(uow, clock.now(), IDLE) == 1
    [kept] = await rows_of(db, StaffSession)
    assert kept.created_at == clock.now()
    assert await rows_of(db, SignInLink) == []
    [failure] = await rows_of(db, SignInFailure)
    assert failure.at == clock.now()
    assert fresh.token


async def test_a_session_older_than_twelve_hours_is_forgotten_even_when_busy(db, clock):
    login = await add_staff_member(db, "1", "admin", clock.now())
    async with db.transaction() as uow:
        member = await uow.staff.by_login(login)
        token = await open_session(uow, member, "127.0.0.1", clock.now())
    clock.advance(timedelta(hours=12, minutes=1))
    async with db.transaction() as uow:
        await uow.staff_access.touch_session(token_hash(token), clock.now())
        assert await forget_what_expired(uow, clock.now(), IDLE) == 1

"""The staff roster's rules, on SQLite and PostgreSQL: what an admin may add, change,
remove and reset — the commune always keeps an admin, nobody removes themselves, a
refusal changes nothing — and a member changing their own password."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime
from pathlib import Path

import pytest

from bot.web.texts import WebTranslator
from handlers.staff import (
    AccountRefused,
    NewStaffMember,
    add_to_staff,
    change_own_password,
    change_staff_role,
    record_staff_action,
    remove_from_staff,
    reset_staff_password,
    set_staff_password,
)
from handlers.staff.accounts import password_matches, password_problem
from handlers.staff.audit import Where
from handlers.staff.sign_in import token_hash
from storage.database import Database
from storage.models import AuditEntry, StaffMember
from tests.web_client import PASSWORD, rows_of

ROSTER = Path(__file__).resolve().parents[2] / "handlers" / "staff" / "roster.py"
WHERE = Where("/staff", "127.0.0.1")


async def member_of(db: Database, user_id: str, role: str, now: datetime, **fields: str) -> int:
    async with db.transaction() as uow:
        new = NewStaffMember("telegram", user_id, fields.get("name", f"Staff {user_id}"), role,
                             fields.get("login", f"user{user_id}"))  # fmt: skip
        return (await add_to_staff(uow, new, now)).id


async def get(db: Database, member_id: int) -> StaffMember | None:
    async with db.transaction() as uow:
        return await uow.staff.get(member_id)


async def open_sessions(db: Database, member_id: int, now: datetime, *tokens: str) -> None:
    async with db.transaction() as uow:
        for token in tokens:
            await uow.staff_access.open_session(token_hash(token), member_id, "127.0.0.1", now)


async def sessions_left(db: Database, *tokens: str) -> list[str]:
    async with db.transaction() as uow:
        return [t for t in tokens if await uow.staff_access.session_of(token_hash(t))]


async def refusal(db: Database, action) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(AccountRefused) as refused:
        async with db.transaction() as uow:
            await action(uow)
    return refused.value.key


async def test_an_admin_adds_a_member_with_a_login(db, clock):
    async with db.transaction() as uow:
        new = NewStaffMember(" Telegram ", " 4242 ", "  Hassan   Idrissi ", "agent", "H.Idrissi")
        member = await add_to_staff(uow, new, clock.now())
    found = await get(db, member.id)
    assert (found.channel, found.channel_user_id, found.name) == (
        "telegram",
        "4242",
        "Hassan Idrissi",
    )
    assert (found.role, found.login, found.password_hash) == ("agent", "h.idrissi", None)
    assert found.added_at is not None


def typed(**fields: str) -> NewStaffMember:
    values = {"channel": "telegram", "account_id": "5", "name": "Sara", "role": "agent"}
    return NewStaffMember(**{**values, **fields})


@pytest.mark.parametrize(
    ("new", "reason"),
    [
        (typed(name="   "), "name"),
        (typed(name="x" * 121), "name_long"),
        (typed(role="mayor"), "role"),
        (typed(channel="tele gram"), "channel"),
        (typed(channel="t" * 17), "channel"),
        (typed(account_id=""), "account_id"),
        (typed(account_id="@sara"), "account_id"),
        (typed(channel="other", account_id="a" * 65), "account_id"),
        (typed(channel="other", account_id="a b"), "account_id"),
        (typed(login="é"), "login"),
        (typed(login="s" * 41), "login"),
    ],
)
async def test_bad_input_is_refused_and_adds_nobody(db, clock, new, reason):
    refused = await refusal(db, lambda uow: add_to_staff(uow, new, clock.now()))
    assert refused == f"backoffice.staff.refused.{reason}"
    assert await rows_of(db, StaffMember) == []


async def test_an_account_already_on_the_staff_or_a_login_taken_is_refused(db, clock):
    first = await member_of(db, "1001", "admin", clock.now(), name="Amina", login="amina")
    again = NewStaffMember("telegram", "1001", "Someone Else", "agent")
    assert await refusal(db, lambda uow: add_to_staff(uow, again, clock.now())) == (
        "backoffice.staff.refused.taken"
    )
    taken = NewStaffMember("telegram", "2002", "Other", "agent", "Amina")
    assert await refusal(db, lambda uow: add_to_staff(uow, taken, clock.now())) == (
        "backoffice.staff.refused.login_taken"
    )
    elsewhere = NewStaffMember("whatsapp", "1001", "Amina on WhatsApp", "agent")
    async with db.transaction() as uow:
        await add_to_staff(uow, elsewhere, clock.now())
    assert [(m.id == first, m.name) for m in await rows_of(db, StaffMember)] == [
        (True, "Amina"),
        (False, "Amina on WhatsApp"),
    ]


async def test_the_last_admin_can_be_neither_demoted_nor_removed(db, clock):
    admin = await member_of(db, "1001", "admin", clock.now())
    agent = await member_of(db, "2002", "agent", clock.now())
    by_agent = await get(db, agent)
    demote = await refusal(db, lambda uow: change_staff_role(uow, admin, "agent"))
    remove = await refusal(db, lambda uow: remove_from_staff(uow, by_agent, admin))
    assert demote == remove == "backoffice.staff.refused.last_admin"
    assert (await get(db, admin)).role == "admin"
    async with db.transaction() as uow:
        _, previous = await change_staff_role(uow, agent, "admin")
        assert previous == "agent"
    async with db.transaction() as uow:
        member, previous = await change_staff_role(uow, admin, "agent")
        assert (member.role, previous) == ("agent", "admin")


async def test_roles_are_admin_or_agent_only(db, clock):
    agent = await member_of(db, "2002", "agent", clock.now())
    key = await refusal(db, lambda uow: change_staff_role(uow, agent, "superuser"))
    assert key == "backoffice.staff.refused.role"
    assert (await get(db, agent)).role == "agent"


async def test_two_admins_demoting_each_other_at_once_leave_one_admin(db, clock):
    first = await member_of(db, "1001", "admin", clock.now())
    second = await member_of(db, "1002", "admin", clock.now())

    async def demote(member_id: int) -> str:
        try:
            async with db.transaction() as uow:
                await change_staff_role(uow, member_id, "agent")
        except AccountRefused as refused:
            return refused.key
        return "done"

    outcomes = await asyncio.wait_for(asyncio.gather(demote(first), demote(second)), 30)
    assert sorted(outcomes) == ["backoffice.staff.refused.last_admin", "done"]
    roles = {m.role for m in await rows_of(db, StaffMember)}
    assert roles == {"admin", "agent"}


async def test_an_admin_cannot_remove_themselves(db, clock):
    admin = await member_of(db, "1001", "admin", clock.now())
    await member_of(db, "1002", "admin", clock.now())
    me = await get(db, admin)
    assert await refusal(db, lambda uow: remove_from_staff(uow, me, admin)) == (
        "backoffice.staff.refused.remove_self"
    )
    assert await get(db, admin) is not None


async def test_removing_a_member_ends_their_sessions_and_the_log_keeps_their_name(db, clock):
    admin = await member_of(db, "1001", "admin", clock.now())
    other = await member_of(db, "1002", "admin", clock.now(), name="Karim Admin")
    await open_sessions(db, other, clock.now(), "karim-phone", "karim-desk")
    async with db.transaction() as uow:
        await record_staff_action(uow, await uow.staff.get(other), "sign_in", WHERE, clock.now())
    async with db.transaction() as uow:
        removed = await remove_from_staff(uow, await uow.staff.get(admin), other)
        assert removed.name == "Karim Admin"
    assert await get(db, other) is None
    assert await sessions_left(db, "karim-phone", "karim-desk") == []
    [entry] = await rows_of(db, AuditEntry)
    assert (entry.staff_id, entry.staff_name) == (None, "Karim Admin")


async def test_an_unknown_member_is_refused(db, clock):
    admin = await get(db, await member_of(db, "1001", "admin", clock.now()))
    now = clock.now()
    for action in (
        lambda uow: change_staff_role(uow, 999, "agent"),
        lambda uow: remove_from_staff(uow, admin, 999),
        lambda uow: reset_staff_password(uow, admin, 999, now),
    ):
        assert await refusal(db, action) == "backoffice.staff.refused.unknown"


async def test_a_reset_gives_a_temporary_password_and_ends_every_session(db, clock):
    admin = await get(db, await member_of(db, "1001", "admin", clock.now()))
    agent = await member_of(db, "2002", "agent", clock.now(), login="youssef")
    async with db.transaction() as uow:
        await set_staff_password(uow, await uow.staff.get(agent), PASSWORD, clock.now())
    await open_sessions(db, agent, clock.now(), "youssef-phone")
    async with db.transaction() as uow:
        _, temporary = await reset_staff_password(uow, admin, agent, clock.now())
    assert temporary.login == "youssef"
    assert password_problem(temporary.password, "youssef") is None
    assert temporary.password not in (await get(db, agent)).password_hash
    assert await password_matches(await get(db, agent), temporary.password)
    assert not await password_matches(await get(db, agent), PASSWORD)
    assert await sessions_left(db, "youssef-phone") == []
    own = await refusal(db, lambda uow: reset_staff_password(uow, admin, admin.id, clock.now()))
    assert own == "backoffice.staff.refused.reset_self"


async def test_a_reset_gives_a_login_to_a_member_without_one(db, clock):
    admin = await get(db, await member_of(db, "1001", "admin", clock.now(), login="fatima.zahra"))
    async with db.transaction() as uow:
        arabic = await add_to_staff(
            uow, NewStaffMember("telegram", "3", "أمينة", "agent"), clock.now()
        )
        namesake = await add_to_staff(
            uow, NewStaffMember("telegram", "4", "Fatima Zahra", "agent"), clock.now()
        )
    async with db.transaction() as uow:
        _, first = await reset_staff_password(uow, admin, arabic.id, clock.now())
        _, second = await reset_staff_password(uow, admin, namesake.id, clock.now())
    assert first.login == f"staff{arabic.id}"
    assert second.login == f"fatima.zahra.{namesake.id}"


async def test_changing_ones_password_keeps_this_session_and_ends_the_others(db, clock):
    member_id = await member_of(db, "2002", "agent", clock.now(), login="youssef")
    async with db.transaction() as uow:
        await set_staff_password(uow, await uow.staff.get(member_id), PASSWORD, clock.now())
    await open_sessions(db, member_id, clock.now(), "here", "elsewhere")
    new = "Argan-Oil-Taroudant-7"
    refused = {
        "backoffice.account.refused.current": ("wrong-password-x", new, new),
        "backoffice.account.refused.mismatch": (PASSWORD, new, new + "!"),
        "backoffice.account.refused.same": (PASSWORD, PASSWORD, PASSWORD),
        "staff.password.too_short": (PASSWORD, "short", "short"),
        "staff.password.too_simple": (PASSWORD, "youssef-youssef", "youssef-youssef"),
    }
    for key, typed in refused.items():

        async def change(uow, typed=typed):  # type: ignore[no-untyped-def]
            member = await uow.staff.get(member_id)
            await change_own_password(uow, member, typed, clock.now(), "here")

        assert await refusal(db, change) == key
    assert await sessions_left(db, "here", "elsewhere") == ["here", "elsewhere"]
    async with db.transaction() as uow:
        member = await uow.staff.get(member_id)
        await change_own_password(uow, member, (PASSWORD, new, new), clock.now(), "here")
    assert await password_matches(await get(db, member_id), new)
    assert await sessions_left(db, "here", "elsewhere") == ["here"]


async def test_without_a_password_yet_none_is_asked_for(db, clock):
    member_id = await member_of(db, "2002", "agent", clock.now(), login="youssef")
    new = "Argan-Oil-Taroudant-7"
    async with db.transaction() as uow:
        member = await uow.staff.get(member_id)
        await change_own_password(uow, member, ("", new, new), clock.now(), "here")
    assert await password_matches(await get(db, member_id), new)


def test_every_refusal_of_the_roster_has_a_text_in_french_and_arabic():
    keys = set(re.findall(r'"((?:backoffice|staff)\.[a-z_.]+[a-z_])"', ROSTER.read_text("utf-8")))
    assert len(keys) >= 12
    for key in keys:
        params = {"longest": 120, "login": "x", "channel": "telegram", "account_id": "1"}
        assert WebTranslator("fr")(key, **params) and WebTranslator("ar")(key, **params)

"""Staff accounts and actions, on SQLite and PostgreSQL: only staff can act, and to anyone
else a staff command or a forged action looks like any unknown command or stale button."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from handlers.staff import (
    ADMIN,
    StaffAction,
    action_button,
    notify_staff,
    register_staff_action,
)
from handlers.types import ButtonPress
from storage.models import OutboxMessage
from tests.dialogue import Citizen

STAFF_GROUP = "-100200300"


async def add_staff(db, user_id: str, role: str, clock) -> None:
    async with db.transaction() as uow:
        await uow.staff.save("test", user_id, "Staff member", role, clock.now())


async def onboarded(core, user_id: str) -> Citizen:
    citizen = Citizen(core, user_id)
    await citizen.says("Bonjour")
    await citizen.presses("Français")
    await citizen.presses("✅")
    return citizen


async def test_a_citizen_typing_the_staff_command_sees_an_unknown_command(core, db):
    citizen = await onboarded(core, "citizen")
    [unknown] = await citizen.command("nimportequoi")
    [staff] = await citizen.command("staff")
    assert staff.text == unknown.text
    assert staff.button_labels == unknown.button_labels


async def test_a_citizen_forging_a_staff_action_gets_the_stale_button_answer(core, db):
    citizen = await onboarded(core, "citizen")
    [forged] = await citizen.send_payload(ButtonPress("9.forged"))
    [staff] = await citizen.send_payload(ButtonPress("s.panel"))
    assert staff.text == forged.text


async def test_staff_see_the_dashboard(core, db, clock):
    citizen = await onboarded(core, "citizen")
    await add_staff(db, "agent-1", "agent", clock)
    agent = Citizen(core, "agent-1")
    [dashboard] = await agent.command("staff")
    assert "Personnes inscrites : 1" in dashboard.text
    assert dashboard.button_labels == ["🔄 Actualiser"]
    [again] = await agent.presses("🔄")
    assert again.text == dashboard.text
    assert citizen.last_text.startswith("Merci")


async def test_a_staff_member_who_never_wrote_to_the_bot_can_press_a_group_push(core, db, clock):
    await add_staff(db, "agent-2", "agent", clock)
    agent = Citizen(core, "agent-2")
    [reply] = await agent.send_payload(ButtonPress("s.panel"))
    assert reply.text.startswith("Tableau de bord"), "no greeting, no onboarding"


async def _admin_only(turn, argument: str) -> None:
    turn.say(f"done {argument}")


register_staff_action("purge_test", StaffAction(_admin_only, roles=(ADMIN,)))


async def test_roles_are_checked_on_every_action(core, db, clock):
    await add_staff(db, "agent-3", "agent", clock)
    await add_staff(db, "admin-1", "admin", clock)
    [refused] = await Citizen(core, "agent-3").send_payload(ButtonPress("s.purge_test.7"))
    assert refused.text == "Cette action est réservée au personnel de la commune."
    [done] = await Citizen(core, "admin-1").send_payload(ButtonPress("s.purge_test.7"))
    assert done.text == "done 7"


async def test_removed_staff_lose_their_rights_at_once(core, db, clock):
    await add_staff(db, "agent-4", "agent", clock)
    agent = Citizen(core, "agent-4")
    await agent.command("staff")
    async with db.transaction() as uow:
        assert await uow.staff.remove("test", "agent-4")
    [reply] = await agent.send_payload(ButtonPress("s.panel"))
    assert not reply.text.startswith("Tableau de bord")


async def test_pushes_to_the_staff_group_go_through_the_outbox(db, settings, clock):
    button = action_button("panel", "🔄 Actualiser")
    async with db.transaction() as uow:
        assert not await notify_staff(uow, settings, "hello", [[button]], clock.now())
    with_group = replace(settings, staff_chat_id=STAFF_GROUP)
    async with db.transaction() as uow:
        assert await notify_staff(uow, with_group, "hello", [[button]], clock.now(), dedupe_key="k")
        assert not await notify_staff(
            uow, with_group, "hello", [[button]], clock.now(), dedupe_key="k"
        )
    async with db.engine.connect() as connection:
        [row] = (await connection.execute(select(OutboxMessage))).all()
    assert row.chat_id == STAFF_GROUP and row.kind == "staff"
    assert row.payload["buttons"] == [[{"id": "s.panel", "label": "🔄 Actualiser"}]]


def test_action_ids_fit_in_telegram_callback_data():
    assert len(action_button("panel", "x", "TRD-26-7K3Q9").id.encode()) <= 64

"""Nothing tells a citizen that staff features exist, and a group is not a conversation:
on SQLite and PostgreSQL, through the core."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from handlers.complaints.tracking_numbers import check_character
from handlers.types import ButtonPress, Command, Incoming, Payload, Text
from tests.complaint_rows import add_complaints, complaint_values
from tests.dialogue import Citizen, consenting

GROUP = "-100777"
STAFF_INPUTS = [Command("staff"), Command("complaint", "TRD-26-22222"), ButtonPress("s.panel")]
OTHER_INPUTS = {Command: Command("nosuchcommand"), ButtonPress: ButtonPress("3.m:about")}


def texts(replies) -> list[str]:
    return [reply.text for reply in replies]


@pytest.mark.parametrize("staff_input", STAFF_INPUTS, ids=repr)
async def test_a_newcomers_staff_input_is_answered_like_any_unknown_one(core, staff_input):
    other = OTHER_INPUTS[type(staff_input)]
    as_staff = await Citizen(core, "curious-1").send_payload(staff_input)
    as_other = await Citizen(core, "curious-2").send_payload(other)
    assert texts(as_staff) == texts(as_other)
    assert "bienvenue" in as_staff[0].text


async def test_a_staff_members_first_command_is_not_greeted(core, db, clock):
    async with db.transaction() as uow:
        await uow.staff.save("test", "agent-1", "Agent", "agent", clock.now())
    [panel] = await Citizen(core, "agent-1").command("staff")
    assert panel.text.startswith("Tableau de bord")


def in_group(user_id: str, payload: Payload, update_id: str) -> Incoming:
    return Incoming("test", user_id, GROUP, update_id, payload)


async def test_in_a_group_only_staff_commands_and_buttons_of_staff_are_answered(core, db, clock):
    async with db.transaction() as uow:
        await uow.staff.save("test", "agent-2", "Agent", "agent", clock.now())
    inputs = [Text("Bonjour"), Command("start"), Command("staff"), ButtonPress("s.panel")]
    for number, payload in enumerate(inputs):
        assert await core.receive(in_group("member", payload, f"m{number}")) == [], payload
    assert await core.receive(in_group("agent-2", Text("Bonjour"), "a1")) == []
    [panel] = await core.receive(in_group("agent-2", ButtonPress("s.panel"), "a2"))
    assert panel.chat_id == GROUP and panel.text.startswith("Tableau de bord")
    async with db.transaction() as uow:
        assert await uow.citizens.count() == 0, "nobody was onboarded in the group"


async def test_someone_elses_number_and_an_unused_one_take_the_same_path(core, db, clock):
    await consenting(core, "owner")
    async with db.transaction() as uow:
        owner_id = (await uow.citizens.find("test", "owner")).id
    taken = f"TRD-26-7K3Q{check_character('7K3Q')}"
    await add_complaints(db, [complaint_values(owner_id, clock.now(), tracking_number=taken)])
    other = await consenting(core, "other")
    unused = f"TRD-26-2345{check_character('2345')}"  # well formed, never filed
    statements: list[str] = []

    def count(_connection, _cursor, statement, *_args) -> None:
        statements.append(statement.split()[0])

    event.listen(db.engine.sync_engine, "before_cursor_execute", count)
    try:
        [for_taken] = await other.says(taken)
        taken_path, statements[:] = list(statements), []
        [for_unused] = await other.says(unused)
        unused_path = list(statements)
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", count)
    assert for_taken.text.replace(taken, "N") == for_unused.text.replace(unused, "N")
    assert taken_path == unused_path and "SELECT" in taken_path

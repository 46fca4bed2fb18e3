"""Erasure (law 09-08) on SQLite and PostgreSQL: nothing that names or describes the person
is left in any table, and no id that ever left the database — in a button, a dedupe key,
a token — comes back for someone else's row."""

from __future__ import annotations

import io
from dataclasses import replace
from random import Random

import pytest
from sqlalchemy import select

from bot.terminal import TerminalChat
from handlers.conversation_core import ConversationCore
from handlers.serialization import outgoing_from_dict
from handlers.types import ButtonPress
from storage.models import Base, OutboxMessage
from tests.consultations import open_consultation, small_document
from tests.dialogue import Citizen, consenting

STAFF_GROUP = "-100200300"
DESCRIPTION = "Le regard Zq7-Xw9 devant la maison Ouhammou déborde chaque soir."
ADDRESS = "Derb Ouhammou Zq7, porte verte"
WHY = "Parce que Zq7-Xw9 est mon voisin"


@pytest.fixture
def staff_core(db, settings, clock) -> ConversationCore:
    commune = replace(settings, staff_chat_id=STAFF_GROUP, tracking_random=Random(7))
    return ConversationCore(db, commune, clock)


async def file_complaint(citizen: Citizen, text: str = DESCRIPTION) -> None:
    await citizen.command("menu")
    await citizen.presses("📝")
    await citizen.presses("✍️")
    await citizen.presses("📣")
    await citizen.presses("🚰")
    await citizen.says(text)
    await citizen.says(ADDRESS)  # a typed address
    await citizen.presses("⏭️")  # no attachment
    await citizen.presses("✅ Envoyer")


async def erase(citizen: Citizen) -> None:
    await citizen.command("menu")
    await citizen.presses("🔒")
    await citizen.presses("🗑️")
    await citizen.presses("Oui")
    assert "effacées" in citizen.last_text


async def whole_database(db) -> str:
    """Every value of every row of every table, as text."""
    values: list[str] = []
    async with db.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            for row in await connection.execute(select(table)):
                values.extend(str(value) for value in row)
    return "\n".join(values)


async def staff_pushes(db) -> list[OutboxMessage]:
    async with db.engine.connect() as connection:
        statement = select(OutboxMessage).where(OutboxMessage.chat_id == STAFF_GROUP)
        return list((await connection.execute(statement)).all())  # type: ignore[arg-type]


async def test_erasure_leaves_nothing_that_names_or_describes_the_person(staff_core, db, clock):
    await open_consultation(db, small_document(), clock.now())
    citizen = await consenting(staff_core, "user-Zq7-4411")
    await file_complaint(citizen)
    await citizen.command("menu")
    await citizen.presses("🗳️ Consultations")
    await citizen.presses("🗳️ Petite")
    await citizen.presses("▶️")
    await citizen.presses("Oui")
    await citizen.says(WHY)
    await citizen.presses("4")
    await citizen.presses("📨")
    before = await whole_database(db)
    assert "Zq7" in before and len(await staff_pushes(db)) == 1

    await erase(citizen)

    after = await whole_database(db)
    assert "Zq7" not in after, "the description, the address, an answer or the user id"
    assert "Ouhammou" not in after
    assert await staff_pushes(db) == []


def number_of(screen: io.StringIO, label: str) -> str:
    """The number the terminal chat last showed for the button starting with `label`."""
    return screen.getvalue().rsplit(f"] {label}", 1)[0].rsplit("[", 1)[1]


async def test_the_terminal_chat_keeps_no_user_id_in_its_update_ids(core, db):
    screen = io.StringIO()
    chat = TerminalChat(core, "amina-Zq7", out=screen)
    for line in ("Bonjour", "1", "1"):  # French, then consent
        await chat.send(line)
    assert "amina-Zq7" in await whole_database(db)
    for label in ("🔒", "🗑️", "Oui"):
        await chat.send(number_of(screen, label))
    assert "effacées" in screen.getvalue()
    assert "amina-Zq7" not in await whole_database(db)


async def test_ids_that_left_the_database_never_point_at_another_row(staff_core, db, clock):
    async with db.transaction() as uow:
        await uow.staff.save("test", "admin-1", "Amina Idrissi", "admin", clock.now())
    first = await consenting(staff_core, "first")
    await file_complaint(first, "Le premier regard de la rue déborde chaque soir.")
    [push] = await staff_pushes(db)
    old_button = outgoing_from_dict(push.payload).buttons[0][0]
    async with db.transaction() as uow:
        first_citizen = await uow.citizens.find("test", "first")
        [first_complaint] = await uow.complaints.of_citizen(first_citizen.id)
    await erase(first)

    second = await consenting(staff_core, "second")
    await file_complaint(second, "Le second regard de la rue déborde chaque matin.")
    async with db.transaction() as uow:
        second_citizen = await uow.citizens.find("test", "second")
        [second_complaint] = await uow.complaints.of_citizen(second_citizen.id)
    assert second_citizen.id != first_citizen.id
    assert second_complaint.id != first_complaint.id
    [announced] = await staff_pushes(db)  # the second complaint is announced too
    assert announced.dedupe_key == f"complaint-new:{second_complaint.id}"

    admin = Citizen(staff_core, "admin-1")
    await admin.send_payload(ButtonPress(old_button.id))
    async with db.transaction() as uow:
        assert (await uow.complaints.get(second_complaint.id)).status == "received"


async def answer_small(citizen: Citizen) -> None:
    await citizen.command("menu")
    await citizen.presses("🗳️ Consultations")
    await citizen.presses("🗳️ Petite")
    await citizen.presses("▶️")
    await citizen.presses("Non")
    await citizen.presses("4")
    await citizen.presses("📨")


async def test_erasing_and_consenting_again_does_not_answer_twice(core, db, clock):
    """An anonymous response keeps no citizen id and outlives an erasure; whoever consents
    again from the same account is still the one person who answered."""
    await open_consultation(db, small_document(anonymous=True), clock.now())
    citizen = await consenting(core, "twice")
    await answer_small(citizen)
    for _erasure in range(2):
        await erase(citizen)
        citizen = await consenting(core, "twice")
        await citizen.command("menu")
        await citizen.presses("🗳️ Consultations")
        await citizen.presses("✅")
        assert citizen.last_text.startswith("Vous avez déjà répondu")
    async with db.transaction() as uow:
        [record] = await uow.consultations.all()
        assert await uow.consultations.count_responses(record.id) == 1

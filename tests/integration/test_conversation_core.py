"""The conversation core on real databases (SQLite and PostgreSQL): de-duplication,
ordering, concurrency, restarts, crashes and consent."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from handlers.conversation_core import ConversationCore
from handlers.flows import Step, register_flow
from handlers.types import ButtonPress, Text
from storage.models import Citizen, Conversation, InboxUpdate
from tests.dialogue import Citizen as ScriptedCitizen


async def count(db, model) -> int:
    async with db.engine.connect() as connection:
        return (await connection.execute(select(func.count()).select_from(model))).scalar_one()


async def onboard(citizen: ScriptedCitizen, first_text: str = "Bonjour") -> None:
    await citizen.says(first_text)
    await citizen.presses("Français")
    await citizen.presses("✅")


async def test_nothing_personal_is_stored_before_consent(core, db):
    citizen = ScriptedCitizen(core, "u1")
    await citizen.says("Bonjour, je voudrais signaler un lampadaire en panne")
    await citizen.presses("Français")
    assert await count(db, Citizen) == 0
    async with db.engine.connect() as connection:
        payloads = (await connection.execute(select(InboxUpdate.payload))).scalars().all()
    assert payloads == [None, None], "handled updates keep no content"
    await citizen.presses("✅")
    assert await count(db, Citizen) == 1


async def test_the_same_update_twice_is_handled_once(core, db):
    citizen = ScriptedCitizen(core, "u1")
    first = await citizen.send_payload(Text("Bonjour"), update_id="dup-1")
    again = await citizen.send_payload(Text("Bonjour"), update_id="dup-1")
    assert first and again == []
    assert await count(db, InboxUpdate) == 1


async def test_two_quick_taps_run_the_step_once(core, db):
    citizen = ScriptedCitizen(core, "u1")
    await citizen.says("Bonjour")
    button = citizen.button("Français")
    first, second = await asyncio.gather(
        citizen.send_payload(ButtonPress(button.id)), citizen.send_payload(ButtonPress(button.id))
    )
    texts = [reply.text for reply in first + second]
    assert len(texts) == 2
    assert sum(text.startswith("Avant de commencer") for text in texts) == 1, texts
    assert sum(text.startswith("Ce bouton vient d'un message précédent") for text in texts) == 1


async def test_many_citizens_onboard_concurrently(core, db):
    citizens = [ScriptedCitizen(core, f"c{n}") for n in range(20)]
    await asyncio.gather(*(onboard(citizen) for citizen in citizens))
    assert await count(db, Citizen) == 20
    assert all("Menu principal" in c.last_text for c in citizens)


async def test_stored_updates_are_handled_after_a_restart(db, settings, clock):
    before_crash = ConversationCore(db, settings, clock)
    citizen = ScriptedCitizen(before_crash, "u1")
    # The process stores two updates, then dies before handling them.
    await before_crash.store([citizen.incoming(Text("Bonjour")), citizen.incoming(Text("Salut"))])
    after_restart = ConversationCore(db, settings, clock)
    replies = await after_restart.resume()
    assert len(replies) == 2
    assert "Bonjour et bienvenue" in replies[0].text
    assert await after_restart.resume() == []


async def test_a_citizen_resumes_where_they_stopped_after_a_restart(db, settings, clock):
    citizen = ScriptedCitizen(ConversationCore(db, settings, clock), "u1")
    await citizen.says("Bonjour")
    await citizen.presses("Français")
    citizen.core = ConversationCore(db, settings, clock)
    await citizen.presses("✅")
    assert "Menu principal" in citizen.last_text


async def _crash(turn, answer) -> None:
    raise RuntimeError(f"echoing the citizen: {answer.text}")


async def _crash_prompt(turn) -> None:
    turn.say("crash ahead")


register_flow("crash_test", {"boom": Step(_crash_prompt, _crash)})


async def test_a_crashing_step_loses_nothing_and_stops_nothing(core, db, caplog):
    citizen = ScriptedCitizen(core, "u1")
    await onboard(citizen)
    async with db.transaction() as uow:
        conversation = await uow.conversations.find("test", "u1")
        conversation.flow, conversation.step = "crash_test", "boom"
    replies = await citizen.says("my private complaint text")
    assert "problème technique" in replies[0].text
    assert "my private complaint text" not in caplog.text
    assert "update" in caplog.text and "RuntimeError" in caplog.text
    async with db.engine.connect() as connection:
        failed = (
            await connection.execute(select(InboxUpdate).where(InboxUpdate.error.is_not(None)))
        ).one()
    assert failed.error == "RuntimeError" and failed.payload is not None
    other = ScriptedCitizen(core, "u2")
    await onboard(other)
    assert "Menu principal" in other.last_text


async def test_declining_consent_keeps_nothing_and_shows_public_information(core, db):
    citizen = ScriptedCitizen(core, "u1")
    await citizen.says("Bonjour")
    await citizen.presses("Français")
    await citizen.presses("❌")
    assert await count(db, Citizen) == 0
    labels = [b.label for b in citizen.buttons]
    assert any("À propos" in label for label in labels)
    assert not any("Mes données" in label for label in labels)
    await citizen.presses("ℹ️")
    assert "charte" in citizen.last_text


async def test_my_data_shows_everything_and_erases_everything(core, db):
    citizen = ScriptedCitizen(core, "u1")
    await onboard(citizen)
    await citizen.presses("🔒")
    assert "u1" in citizen.last_text and "Accord donné le" in citizen.last_text
    await citizen.presses("🗑️")
    await citizen.presses("Oui")
    assert "effacées" in citizen.last_text
    assert await count(db, Citizen) == 0
    assert await count(db, Conversation) == 0
    async with db.engine.connect() as connection:
        senders = (await connection.execute(select(InboxUpdate.channel_user_id))).scalars().all()
    assert "u1" not in senders
    await citizen.says("Bonjour")
    assert "bienvenue" in citizen.last_text


async def test_the_current_question_can_be_asked_again_with_fresh_buttons(core, db):
    citizen = ScriptedCitizen(core, "u1")
    await citizen.says("Bonjour")
    await citizen.presses("Français")
    old_accept = citizen.button("✅")
    [again] = await core.repeat_prompt("test", "u1")
    assert again.text.startswith("Avant de commencer")
    citizen.buttons = [button for row in again.buttons for button in row]
    assert (await citizen.send_payload(ButtonPress(old_accept.id)))[0].text.startswith("Ce bouton")
    await citizen.presses("✅")
    assert "Menu principal" in citizen.last_text
    assert await core.repeat_prompt("test", "stranger") == []


async def test_two_processes_never_both_advance_the_same_step(db, settings, clock):
    """Two cores on one database (two webhook workers) get the same tap at once."""
    first_process = ConversationCore(db, settings, clock)
    second_process = ConversationCore(db, settings, clock)
    for attempt in range(5):
        citizen = ScriptedCitizen(first_process, f"racer-{attempt}")
        await citizen.says("Bonjour")
        tap = citizen.button("Français")
        replies = await asyncio.gather(
            first_process.receive(citizen.incoming(ButtonPress(tap.id))),
            second_process.receive(citizen.incoming(ButtonPress(tap.id))),
        )
        texts = [reply.text for batch in replies for reply in batch]
        assert sum(text.startswith("Avant de commencer") for text in texts) == 1, texts
        assert sum(text.startswith("Ce bouton") for text in texts) == 1, texts

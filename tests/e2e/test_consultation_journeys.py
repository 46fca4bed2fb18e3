"""A consultation's journey on Telegram, through python-telegram-bot and aiogram: an admin
broadcasts it with /broadcast, the announcement reaches the citizen through the outbox, and
the citizen answers every question up to the thanks; a quick poll arrives as a native
poll, each vote (changed, withdrawn) is stored from `poll_answer`, and the poll closes in
the chat once staff close the consultation."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.scheduling import run_poll_closing
from handlers.conversation_core import ConversationCore
from handlers.turns import CoreSettings
from storage.database import Database
from storage.models import ConsultationAnswer
from storage.repositories.consultations import CLOSED
from surveys.results import consultation_results
from tests.consultations import open_consultation, quick_poll_document, small_document
from tests.e2e.citizens import Citizen, settle
from tests.e2e.conftest import running_bot
from tests.e2e.fake_bot_api import FakeBotApi

ADMIN, CITIZEN = 7301, 8301


async def test_a_broadcast_consultation_is_answered(
    fake: FakeBotApi, framework: str, db: Database, settings: CoreSettings, clock
) -> None:
    core = ConversationCore(db, settings, clock)
    await open_consultation(db, small_document(), clock.now())
    await make_admin(db, clock)
    async with running_bot(fake, framework, core, db):
        citizen = await consenting(fake)

        fake.user_sends_command(ADMIN, "broadcast", "small")
        await fake.wait_for_messages(CITIZEN, len(citizen.received) + 1, timeout=15)
        await settle(fake)
        announcement = citizen.latest_keyboard()
        assert "Petite consultation" in (announcement.text or "")

        await citizen.presses("🗳️ Répondre maintenant")
        await citizen.presses("▶️")
        why = await citizen.presses("Oui")
        assert "Pourquoi ?" in (why.text or "")
        await citizen.says("Elle est ombragée et proche du souk.")
        await citizen.presses("4")
        thanks = await citizen.presses("📨")
        assert "Merci beaucoup !" in (thanks.text or "")
    async with db.engine.connect() as connection:
        answers = await connection.execute(select(func.count()).select_from(ConsultationAnswer))
        assert answers.scalar_one() == 3


async def test_a_quick_poll_is_a_native_poll_and_each_vote_is_stored(
    fake: FakeBotApi, framework: str, db: Database, settings: CoreSettings, clock
) -> None:
    core = ConversationCore(db, settings, clock)
    record_id, consultation = await open_consultation(db, quick_poll_document(), clock.now())
    await make_admin(db, clock)
    async with running_bot(fake, framework, core, db):
        citizen = await consenting(fake)

        before = len(citizen.received)
        fake.user_sends_command(ADMIN, "broadcast", "slot_poll")
        await fake.wait_for_messages(CITIZEN, before + 2, timeout=15)
        await settle(fake)
        intro, poll_message = citizen.received[-2:]
        assert "Atelier de Talmqalat" in (intro.text or "")
        assert poll_message.method == "sendPoll" and poll_message.poll is not None
        assert poll_message.poll["question"] == "Quel créneau ?"
        assert poll_message.poll["is_anonymous"] is False

        poll_id = poll_message.poll["id"]
        thanks = await citizen.votes(poll_id, [1])
        assert "votre vote est enregistré : Dimanche" in (thanks.text or "")
        assert await stored_votes(db) == [["sun"]]

        withdrawn = await citizen.votes(poll_id, [])
        assert "Votre vote est retiré" in (withdrawn.text or "")
        assert await stored_votes(db) == []

        await citizen.votes(poll_id, [2])

        async with db.transaction() as uow:  # staff close it: the poll closes in the chat
            record = await uow.consultations.get(record_id)
            await uow.consultations.set_status(record, CLOSED, clock.now())
        assert await run_poll_closing(db, settings, clock) == 1
        await fake.wait_for_calls("stopPoll", timeout=15)
        assert fake.polls[poll_id]["poll"]["is_closed"]
    async with db.transaction() as uow:
        results = await consultation_results(uow, record_id, consultation)
    assert [(c.choice, c.count) for c in results.questions[0].counts] == [
        ("sat", 0),
        ("sun", 0),
        ("eve", 1),
    ]


async def stored_votes(db: Database) -> list[list[str] | None]:
    async with db.engine.connect() as connection:
        rows = await connection.execute(select(ConsultationAnswer.choice_values))
        return [row[0] for row in rows]


async def make_admin(db: Database, clock) -> None:
    async with db.transaction() as uow:
        await uow.staff.save("telegram", str(ADMIN), "Amina Idrissi", "admin", clock.now())


async def consenting(fake: FakeBotApi) -> Citizen:
    citizen = Citizen(fake, CITIZEN, "fr")
    await citizen.says("Bonjour")
    await citizen.presses("Français")
    await citizen.presses("✅")
    return citizen

"""A consultation's journey on Telegram, through python-telegram-bot and aiogram: an admin
broadcasts it with /broadcast, the announcement reaches the citizen through the outbox, and
the citizen answers every question up to the thanks."""

from __future__ import annotations

from sqlalchemy import func, select

from handlers.conversation_core import ConversationCore
from handlers.turns import CoreSettings
from storage.database import Database
from storage.models import ConsultationAnswer
from tests.consultations import open_consultation, small_document
from tests.e2e.citizens import Citizen, settle
from tests.e2e.conftest import running_bot
from tests.e2e.fake_bot_api import FakeBotApi

ADMIN, CITIZEN = 7301, 8301


async def test_a_broadcast_consultation_is_answered(
    fake: FakeBotApi, framework: str, db: Database, settings: CoreSettings, clock
) -> None:
    core = ConversationCore(db, settings, clock)
    await open_consultation(db, small_document(), clock.now())
    async with db.transaction() as uow:
        await uow.staff.save("telegram", str(ADMIN), "Amina Idrissi", "admin", clock.now())
    async with running_bot(fake, framework, core, db):
        citizen = Citizen(fake, CITIZEN, "fr")
        await citizen.says("Bonjour")
        await citizen.presses("Français")
        await citizen.presses("✅")

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

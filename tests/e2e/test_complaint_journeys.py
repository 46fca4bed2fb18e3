"""A complaint's journey on Telegram, through python-telegram-bot and aiogram: a citizen
files it (text, shared location, photo) and receives its tracking number; the staff group
gets the push; a staff member presses "acknowledged" there and the citizen is told."""

from __future__ import annotations

import re
from dataclasses import replace
from random import Random

from handlers.conversation_core import ConversationCore
from handlers.turns import CoreSettings
from storage.database import Database
from tests.e2e.citizens import Citizen, settle
from tests.e2e.conftest import running_bot
from tests.e2e.fake_bot_api import FakeBotApi

STAFF_GROUP = -1001234567890
AGENT = 7101
CITIZEN = 8101
NUMBER = re.compile(r"TRD-\d\d-[2-9A-Z]{5}")


async def file_a_complaint(fake: FakeBotApi, citizen: Citizen) -> str:
    """Onboard, then file a complaint about public lighting; the tracking number."""
    await citizen.says("Bonjour")
    await citizen.presses("Français")
    await citizen.presses("✅")
    await citizen.presses("📝")
    await citizen.presses("✍️")
    await citizen.presses("📣")
    await citizen.presses("💡")
    where = await citizen.says("Trois lampadaires éteints avenue Mohammed V depuis lundi.")
    assert (where.text or "").startswith("Où est-ce ?")
    fake.user_sends_location(CITIZEN, 30.4712, -8.8751)
    await settle(fake)
    fake.user_sends_photo(CITIZEN, caption="les lampadaires")
    await settle(fake)
    assert "Pièce jointe : une photo" in (citizen.last.text or "")
    await citizen.presses("✅ Envoyer")
    confirmations = [m.text or "" for m in citizen.received if "TRD-" in (m.text or "")]
    assert confirmations and confirmations[-1].startswith("✅ Votre demande est enregistrée")
    found = NUMBER.search(confirmations[-1])
    assert found is not None
    return found.group(0)


async def test_a_complaint_from_filing_to_acknowledgement(
    fake: FakeBotApi, framework: str, db: Database, settings: CoreSettings, clock
) -> None:
    commune = replace(settings, staff_chat_id=str(STAFF_GROUP), tracking_random=Random(5))
    core = ConversationCore(db, commune, clock)
    fake.add_chat(STAFF_GROUP, type="supergroup", title="Taroudant — réclamations")
    async with db.transaction() as uow:
        await uow.staff.save("telegram", str(AGENT), "Agent Ait Lahcen", "agent", clock.now())
    async with running_bot(fake, framework, core, db):
        citizen = Citizen(fake, CITIZEN, "fr")
        number = await file_a_complaint(fake, citizen)

        [push, photo] = await fake.wait_for_messages(STAFF_GROUP, 2, timeout=10)
        assert (push.text or "").startswith(f"🆕 Nouvelle demande\n\n📄 {number}")
        assert photo.photo and photo.caption == f"📎 Pièce jointe de {number}", "what they saw"
        acknowledge = next(d for d in push.callback_data if d.endswith(".acknowledged"))
        assert acknowledge.startswith("s.cst.") and len(acknowledge.encode()) <= 64

        before = len(citizen.received)
        fake.user_presses_button(AGENT, push.message_id, acknowledge, chat_id=STAFF_GROUP)
        group = await fake.wait_for_messages(STAFF_GROUP, 3, timeout=10)
        assert (group[-1].text or "").startswith(f"✅ {number} : Prise en charge (par Agent")

        await fake.wait_for_messages(CITIZEN, before + 1, timeout=10)
        await settle(fake)
        told = citizen.last.text or ""
        assert told.startswith(f"📬 Votre réclamation {number} : Prise en charge.")
        assert fake.unanswered_callback_queries() == []

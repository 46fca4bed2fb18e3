"""Staff on Telegram, through both adapters: a push reaches the staff group with its action
buttons; a staff member's press works there; a citizen forging the same action gets only
the citizen's answers."""

from __future__ import annotations

from dataclasses import replace

from handlers.conversation_core import ConversationCore
from handlers.staff import action_button, notify_staff, staff_translator
from handlers.turns import CoreSettings
from storage.database import Database
from tests.e2e.citizens import Citizen, settle
from tests.e2e.conftest import running_bot
from tests.e2e.fake_bot_api import FakeBotApi

STAFF_GROUP = -1001234567890
AGENT = 7001
MEMBER = 7002  # in the staff group, not a staff account


async def test_staff_group_push_and_action(
    fake: FakeBotApi, framework: str, db: Database, settings: CoreSettings, clock
) -> None:
    commune = replace(settings, staff_chat_id=str(STAFF_GROUP))
    core = ConversationCore(db, commune, clock)
    fake.add_chat(STAFF_GROUP, type="supergroup", title="Taroudant — réclamations")
    async with db.transaction() as uow:
        await uow.staff.save("telegram", str(AGENT), "Agent Ait Lahcen", "agent", clock.now())
        text = staff_translator(commune)("staff.refresh")
        await notify_staff(uow, commune, text, [[action_button("panel", text)]], clock.now())
    async with running_bot(fake, framework, core, db):
        [push] = await fake.wait_for_messages(STAFF_GROUP, 1, timeout=10)
        assert push.callback_data == ["s.panel"]

        # A member of the group who is not staff: a quiet answer to the press, no change to
        # the push, nothing posted in the group.
        fake.user_presses_button(MEMBER, push.message_id, "s.panel", chat_id=STAFF_GROUP)
        await settle(fake)
        [unchanged] = fake.sent(STAFF_GROUP)
        assert unchanged.callback_data == ["s.panel"], "the push keeps its buttons"
        assert fake.unanswered_callback_queries() == []

        fake.user_presses_button(AGENT, push.message_id, "s.panel", chat_id=STAFF_GROUP)
        messages = await fake.wait_for_messages(STAFF_GROUP, 2, timeout=10)
        assert (messages[-1].text or "").startswith("Tableau de bord")

        citizen = Citizen(fake, user_id=8001)
        await citizen.says("Bonjour")
        greeting = citizen.last
        fake.user_presses_button(8001, greeting.message_id, "s.panel", strict=False)
        await settle(fake)
        forged_answer = citizen.last.text or ""
        assert forged_answer.startswith("Ce bouton vient d'un message précédent")
        assert "Tableau de bord" not in forged_answer
        fake.user_sends_command(8001, "staff")
        await settle(fake)
        assert (citizen.last.text or "").startswith("Je ne connais pas cette commande")

"""The running bot (`tachawor run`, both adapters) watches complaint deadlines by itself:
at start it escalates a missed deadline and sends the day's digest to the staff group,
once each, and a restart sends neither again."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from handlers.conversation_core import ConversationCore
from handlers.turns import CoreSettings
from storage.database import Database
from tests.complaint_rows import add_complaint
from tests.e2e.citizens import settle
from tests.e2e.conftest import running_bot
from tests.e2e.fake_bot_api import FakeBotApi

STAFF_GROUP = -1001234567890


async def test_a_missed_deadline_reaches_the_staff_group_once(
    fake: FakeBotApi, framework: str, db: Database, settings: CoreSettings, clock
) -> None:
    commune = replace(settings, staff_chat_id=str(STAFF_GROUP))
    fake.add_chat(STAFF_GROUP, type="supergroup", title="Taroudant — réclamations")
    _, number = await add_complaint(db, clock.now() - timedelta(days=20))
    core = ConversationCore(db, commune, clock)
    async with running_bot(fake, framework, core, db):
        messages = await fake.wait_for_messages(STAFF_GROUP, 2, timeout=10)
    texts = sorted(message.text or "" for message in messages)
    assert texts[0].startswith("📋 Point quotidien des plaintes")
    assert texts[1].startswith(f"🚨 Délai dépassé — plainte {number}")

    async with running_bot(fake, framework, ConversationCore(db, commune, clock), db):
        await settle(fake)
    assert len(await fake.wait_for_messages(STAFF_GROUP, 2)) == 2, "nothing again on restart"

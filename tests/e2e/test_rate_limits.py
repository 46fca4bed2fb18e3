"""Everything the bot sends keeps within the limits a strict Telegram enforces, through
both adapters: replies to many citizens at once go through the same limiter as the
outbox, and a quick poll's intro and poll reach each chat a second apart."""

from __future__ import annotations

from dataclasses import replace

from handlers.consultations import broadcast_consultation
from handlers.conversation_core import ConversationCore
from handlers.turns import CoreSettings
from storage.database import Database
from tests.consultations import open_consultation, quick_poll_document
from tests.e2e.citizens import Citizen, settle
from tests.e2e.conftest import TEST_OPTIONS, running_bot
from tests.e2e.fake_bot_api import FakeBotApi

# The bot's own pacing, as in production (the other journeys run it unpaced).
PACED = replace(TEST_OPTIONS, chat_interval=1.05, group_interval=3.05)
CROWD = 40


async def test_a_crowd_onboarding_at_once_is_answered_within_the_limits(
    fake: FakeBotApi, framework: str, db: Database, settings: CoreSettings, clock
) -> None:
    fake.enforce_rates = True
    core = ConversationCore(db, settings, clock)
    async with running_bot(fake, framework, core, db, options=PACED):
        crowd = [Citizen(fake, 9000 + n, "fr") for n in range(CROWD)]
        for citizen in crowd:  # all at once: no one waits for an answer first
            fake.user_sends_text(citizen.user_id, "Bonjour")
        for citizen in crowd:
            await fake.wait_for_messages(citizen.user_id, 1, timeout=30)
        for citizen in crowd:
            fake.user_presses_button(
                citizen.user_id, citizen.last.message_id, citizen.button_data(citizen.last, 0)
            )
        for citizen in crowd:
            await fake.wait_for_messages(citizen.user_id, 2, timeout=30)
        await settle(fake, timeout=30)
    assert fake.rate_violations == []
    assert not [call for call in fake.calls if call.status == 429]
    for citizen in crowd:
        assert (citizen.last.text or "").startswith("Avant de commencer"), citizen.user_id


async def test_a_quick_poll_broadcast_reaches_every_chat_within_the_limits(
    fake: FakeBotApi, framework: str, db: Database, settings: CoreSettings, clock
) -> None:
    await open_consultation(db, quick_poll_document(), clock.now())
    users = [9100 + n for n in range(CROWD)]
    async with db.transaction() as uow:
        for user in users:
            fake.add_chat(user, type="private")
            await uow.citizens.register(
                {"channel": "telegram", "channel_user_id": str(user), "chat_id": str(user),
                 "language": "fr", "script": "Latn", "consent_at": clock.now(),
                 "reachable": True, "created_at": clock.now(), "last_seen_at": clock.now()}
            )  # fmt: skip
        queued = await broadcast_consultation(uow, settings, "slot_poll", clock.now())
    assert queued.queued == CROWD
    fake.enforce_rates = True
    core = ConversationCore(db, settings, clock)
    async with running_bot(fake, framework, core, db, options=PACED):
        for user in users:  # each chat: the intro, then the poll a second later
            await fake.wait_for_messages(user, 2, timeout=30)
    assert fake.rate_violations == []
    assert not [call for call in fake.calls if call.status == 429]
    for user in users:
        intro, poll = fake.sent(user)
        assert (intro.text or "").startswith("🗳️ Atelier") and poll.poll, user

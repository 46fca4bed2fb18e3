"""A workshop's journey on Telegram, through python-telegram-bot and aiogram: a citizen
signs up for the only seat (the optional profile asked first) and gets a code, a second
one joins the waitlist, the first cancels and the second is promoted through the outbox;
the reminder reaches only the one holding the seat, staff mark them present at the door
from the staff group, and the rating they give after the workshop is stored."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from handlers.clock import ManualClock
from handlers.conversation_core import ConversationCore
from handlers.turns import CoreSettings
from handlers.workshops import (
    TEXT_LOCALES,
    WorkshopFields,
    create_workshop,
    local_time,
    publish_workshop,
    queue_workshop_feedback,
    queue_workshop_reminders,
)
from storage.database import Database
from storage.models import Citizen as CitizenRow
from storage.models import WorkshopRegistration
from storage.repositories.workshops import REGISTERED, WAITLISTED, WITHDRAWN
from tests.e2e.citizens import Citizen, settle
from tests.e2e.conftest import running_bot
from tests.e2e.fake_bot_api import FakeBotApi, SentMessage

STAFF_GROUP = -1001234567890
AGENT = 7401
CITIZEN_A, CITIZEN_B = 8401, 8402
TITLE = "Atelier du budget participatif"
PLACE = "Maison des jeunes"
DESCRIPTION = "Choisir ensemble les projets du quartier."
CODE = re.compile(r"Votre code : ([A-Z0-9]{6})")
NOT_A_CODE = "ZZZZZZ"  # Z is not in the codes' alphabet: never given to anyone
# The bot's own workshop job runs once at start, then not during the test: the test runs it.
ONCE_AT_START = 3600


async def test_sign_up_waitlist_promotion_reminder_attendance_and_feedback(
    fake: FakeBotApi, framework: str, db: Database, settings: CoreSettings, clock: ManualClock
) -> None:
    commune = replace(settings, staff_chat_id=str(STAFF_GROUP))
    fake.add_chat(STAFF_GROUP, type="supergroup", title="Taroudant — ateliers")
    starts_at = clock.now() + timedelta(days=3)
    workshop_id = await published_workshop(db, commune, clock.now(), starts_at)
    async with db.transaction() as uow:
        await uow.staff.save("telegram", str(AGENT), "Agent Ait Lahcen", "agent", clock.now())
    core = ConversationCore(db, commune, clock)
    async with running_bot(fake, framework, core, db, workshop_job_seconds=ONCE_AT_START):
        a, b = await consenting(fake, CITIZEN_A), await consenting(fake, CITIZEN_B)

        # 1-2. A takes the only seat, the profile asked first, and gets a code.
        details = await opens_the_workshop(a)
        assert "🪑 1 place(s) libre(s) sur 1" in (details.text or "")
        assert details.buttons == [["✍️ M'inscrire"], ["⬅️ Menu"]]
        quarter = await a.presses("✍️ M'inscrire")
        assert "Avant de continuer" in (quarter.text or "")
        assert "🏘️ Dans quel quartier habitez-vous ?" in (quarter.text or "")
        assert quarter.buttons[-1] == ["🤐 Je préfère ne pas dire"]
        gender = await a.presses("Talmqalat")
        assert "👤 Vous êtes :" in (gender.text or "")
        age = await a.presses("🤐 Je préfère ne pas dire")
        assert "🎂 Votre tranche d'âge :" in (age.text or "")
        registered = await a.presses("30–44 ans")
        text = registered.text or ""
        assert "🎉 C'est fait, votre inscription est confirmée !" in text
        a_code = code_in(text)
        assert f"Votre code à montrer à l'entrée : {a_code}" in text
        assert registered.buttons == [["❌ Annuler mon inscription"], ["⬅️ Menu"]]

        # 3. B finds it full and joins the waitlist (after skipping the profile): n° 1.
        full = await opens_the_workshop(b)
        assert "🪑 Complet — la liste d'attente est ouverte." in (full.text or "")
        assert full.buttons == [["⏳ Rejoindre la liste d'attente"], ["⬅️ Menu"]]
        await b.presses("⏳ Rejoindre la liste d'attente")
        for _ in range(2):
            await b.presses("🤐 Je préfère ne pas dire")
        waitlisted = await b.presses("🤐 Je préfère ne pas dire")
        text = waitlisted.text or ""
        assert "⏳ Vous êtes sur la liste d'attente, n° 1." in text, text
        assert "⏳ Vous êtes n° 1 sur la liste d'attente." in text
        assert waitlisted.buttons == [["❌ Annuler mon inscription"], ["⬅️ Menu"]]
        assert await registrations(db) == {CITIZEN_A: REGISTERED, CITIZEN_B: WAITLISTED}

        # 4. A gives the seat up; B is told through the outbox, with a way to decline.
        confirm = await a.presses("❌ Annuler mon inscription")
        assert "Annuler votre place ?" in (confirm.text or "")
        assert confirm.buttons == [["Oui, annuler", "Non, je garde ma place"]]
        b_seen = len(b.received)
        cancelled = await a.presses("Oui, annuler")
        assert "Votre inscription est annulée." in (cancelled.text or "")
        promotion = await push_to(fake, b, b_seen)
        text = promotion.text or ""
        assert f"🎉 Une place s'est libérée pour « {TITLE} »" in text
        assert local_time(starts_at, commune.timezone) in text and PLACE in text
        b_code = code_in(text)
        assert b_code != a_code
        assert promotion.buttons == [["❌ Je ne peux pas venir"]]
        assert await registrations(db) == {CITIZEN_A: WITHDRAWN, CITIZEN_B: REGISTERED}

        # 5. Within the 24 hours before the start: the reminder reaches B, not A.
        clock.advance(starts_at - timedelta(hours=20) - clock.now())
        a_seen, b_seen = len(a.received), len(b.received)
        async with db.transaction() as uow:
            queued = await queue_workshop_reminders(uow, commune, clock.now())
        assert len(queued) == 1
        reminder = await push_to(fake, b, b_seen)
        text = reminder.text or ""
        assert text.startswith(f"⏰ Rappel : « {TITLE} »")
        assert f"Votre code à l'entrée : {b_code}" in text
        assert len(a.received) == a_seen, fake.transcript(CITIZEN_A)[a_seen:]

        # 6. At the door: staff mark B present by their code, from the staff group.
        clock.advance(starts_at - timedelta(minutes=15) - clock.now())
        assert await staff_says(fake, f"{workshop_id} present {b_code.lower()}") == (
            f"✅ {b_code} : présence enregistrée."
        )
        assert await staff_says(fake, f"{workshop_id} present {NOT_A_CODE}") == (
            f"⚠️ Aucun code {NOT_A_CODE} : rien n'a changé."
        )
        assert await staff_says(fake, f"{workshop_id} present {a_code}") == (
            f"⚠️ {a_code} n'a pas de place (liste d'attente ou inscription annulée) : "
            "rien n'a changé."
        )
        assert (await attendee(db, CITIZEN_B))["attended_at"] is not None

        # 7. After the workshop: B is asked for a rating and gives four stars.
        clock.advance(starts_at + timedelta(hours=3) - clock.now())
        a_seen, b_seen = len(a.received), len(b.received)
        async with db.transaction() as uow:
            assert await queue_workshop_feedback(uow, commune, clock.now()) == 1
        question = await push_to(fake, b, b_seen)
        assert f"Merci de votre présence à « {TITLE} » !" in (question.text or "")
        assert question.buttons == [["⭐", "⭐⭐", "⭐⭐⭐"], ["⭐⭐⭐⭐", "⭐⭐⭐⭐⭐"]]
        thanks = await b.presses("⭐⭐⭐⭐", on=question)
        assert "Merci pour votre avis !" in (thanks.text or "")
        assert any("🗓️ Ateliers" in row for row in thanks.buttons), "then the menu"
        assert len(a.received) == a_seen, "A, who gave the seat up, is not asked"
        assert fake.unanswered_callback_queries() == []
    assert (await attendee(db, CITIZEN_B))["rating"] == 4
    assert (await attendee(db, CITIZEN_A))["rating"] is None


async def published_workshop(
    db: Database, settings: CoreSettings, now: datetime, starts_at: datetime
) -> int:
    """A published two-hour workshop with a single seat."""
    values = WorkshopFields(
        title={locale: TITLE for locale in TEXT_LOCALES},
        description={locale: DESCRIPTION for locale in TEXT_LOCALES},
        quarter="Talmqalat",
        place=PLACE,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        capacity=1,
    )
    async with db.transaction() as uow:
        workshop = await create_workshop(uow, settings, values, now)
        await publish_workshop(uow, settings, workshop.id, now, announce=False)
        return workshop.id


async def consenting(fake: FakeBotApi, user_id: int) -> Citizen:
    citizen = Citizen(fake, user_id, "fr")
    await citizen.says("Bonjour")
    await citizen.presses("Français")
    menu = await citizen.presses("✅")
    assert any("🗓️ Ateliers" in row for row in menu.buttons), menu.buttons
    return citizen


async def opens_the_workshop(citizen: Citizen) -> SentMessage:
    listing = await citizen.presses("🗓️ Ateliers")
    assert (listing.text or "").startswith("Ateliers, formations et rencontres à venir")
    assert len(listing.buttons) == 2 and TITLE in listing.buttons[0][0]
    details = await citizen.presses(listing.buttons[0][0])
    assert TITLE in (details.text or "") and PLACE in (details.text or "")
    return details


async def push_to(fake: FakeBotApi, citizen: Citizen, seen: int) -> SentMessage:
    """The one push the outbox delivers to the citizen after their `seen` messages."""
    await fake.wait_for_messages(citizen.user_id, seen + 1, timeout=15)
    await settle(fake)
    [push] = citizen.received[seen:]
    return push


async def staff_says(fake: FakeBotApi, args: str) -> str:
    """The agent sends `/workshop args` in the staff group; the bot's answer there."""
    seen = len(fake.sent(STAFF_GROUP))
    fake.user_sends_command(AGENT, "workshop", args, chat_id=STAFF_GROUP)
    await fake.wait_for_messages(STAFF_GROUP, seen + 1, timeout=10)
    await settle(fake)
    [answer] = fake.sent(STAFF_GROUP)[seen:]
    return answer.text or ""


def code_in(text: str) -> str:
    match = CODE.search(text)
    assert match is not None, text
    return match.group(1)


async def registrations(db: Database) -> dict[int, str]:
    """Each citizen's (by Telegram user id) registration status."""
    rows = await registration_rows(db)
    return {user_id: row.status for user_id, row in rows.items()}


async def attendee(db: Database, user_id: int) -> dict[str, object]:
    row = (await registration_rows(db))[user_id]
    return {"attended_at": row.attended_at, "rating": row.rating}


async def registration_rows(db: Database) -> dict[int, Any]:
    """The registrations, by the citizen's Telegram user id."""
    statement = select(
        CitizenRow.channel_user_id,
        WorkshopRegistration.status,
        WorkshopRegistration.attended_at,
        WorkshopRegistration.rating,
    ).join(CitizenRow, CitizenRow.id == WorkshopRegistration.citizen_id)
    async with db.engine.connect() as connection:
        rows = (await connection.execute(statement)).all()
    return {int(row.channel_user_id): row for row in rows}

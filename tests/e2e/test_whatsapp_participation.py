"""Taking part on WhatsApp, end to end — the Telegram journeys of
test_consultation_journeys.py and test_workshop_journeys.py through the WhatsApp adapter:
`run_whatsapp` (webhook, outbox sender, scheduler) against the project's fake Cloud API,
whose clock follows the bot's, on SQLite and PostgreSQL.

- A broadcast consultation reaches each citizen who wrote lately once, free-form, through
  the outbox; one answers it in the chat up to the thanks, and broadcasting again invites
  only the one who has not.
- Outside the 24-hour window a broadcast waits (no template) until the citizen writes
  again, or goes as the approved template.
- A quick poll (no native polls on WhatsApp) is its option buttons, then a list once a
  vote can be taken back; each vote is stored as a Telegram vote is, changed, withdrawn,
  and refused once the consultation closes.
- A workshop: a sign-up for the only seat (the profile asked first) with its code, a
  waitlist, the seat given up and the next one promoted by a push, the reminder outside
  the window as the template, to the seat's holder only."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.scheduling import run_poll_closing
from handlers.clock import ManualClock
from handlers.consultations import broadcast_consultation, remember_sent_poll
from handlers.consultations.quick_polls import poll_message
from handlers.consultations.sessions import account_token
from handlers.conversation_core import ConversationCore
from handlers.turns import CoreSettings
from handlers.types import PollAnswer, PollShown
from handlers.workshops import local_time, queue_workshop_reminders
from storage.database import Database
from storage.models import Citizen as CitizenRow
from storage.models import ConsultationAnswer, ConsultationResponse, WorkshopRegistration
from storage.repositories.consultations import CLOSED
from storage.repositories.workshops import REGISTERED, WAITLISTED, WITHDRAWN
from surveys.definitions import Consultation
from surveys.results import consultation_results
from tests.consultations import open_consultation, quick_poll_document, small_document
from tests.dialogue import Citizen as CoreCitizen
from tests.e2e.fake_cloud_api import FakeCloudApi
from tests.e2e.fake_cloud_api.records import SentMessage
from tests.e2e.whatsapp_bot import answer, running_whatsapp, settled, signed_up_in_french
from tests.workshop_rows import TITLE, published_workshop, pushes

AMINA, KARIM = "212661000001", "212661000002"
TELEGRAM_USER = "8301"
NEXT_DAY = timedelta(hours=25)
NOTICE = "tachawor_notice"
WORKSHOP_TEMPLATE = "tachawor_workshop"
CODE = re.compile(r"Votre code : ([A-Z0-9]{6})")
# The bot's own workshop job runs once at start, then not during the test: the test runs it.
ONCE_AT_START = 3600


@pytest.fixture
async def meta(clock: ManualClock) -> AsyncIterator[FakeCloudApi]:
    async with FakeCloudApi() as fake:
        fake.set_clock(lambda: clock.now().timestamp())
        yield fake


# --- a consultation ----------------------------------------------------------------------
async def test_a_broadcast_consultation_reaches_each_citizen_once_and_is_answered(
    meta: FakeCloudApi, core: ConversationCore, db: Database, clock: ManualClock
):
    await open_consultation(db, small_document(), clock.now())
    async with running_whatsapp(meta, core):
        seen = {wa_id: await at_the_menu(meta, wa_id) for wa_id in (KARIM, AMINA)}
        queued = await broadcast(db, core.settings, clock, "small")
        assert (queued.targeted, queued.queued) == (2, 2)
        for wa_id in (KARIM, AMINA):
            [announcement] = await pushed(meta, wa_id, seen[wa_id])
            assert announcement.template is None, "inside the window: free-form"
            assert "Nouvelle consultation : Petite consultation" in announcement.text
            assert "Trois questions." in announcement.text
            assert [title for title in announcement.button_titles if "Répondre" in title]
        await delivered(meta, db, "broadcast:small:", KARIM, AMINA)

        intro = await says(meta, KARIM, "Répondre")
        assert "Trois questions." in intro.text and "Réponses gardées 24 mois." in intro.text
        await says(meta, KARIM, "▶️")
        assert "Pourquoi ?" in (await says(meta, KARIM, "Oui")).text
        place = "Elle est ombragée et proche du souk."
        rating = await says(meta, KARIM, lambda: meta.user_sends_text(KARIM, place))
        assert "Votre note ?" in rating.text and "4 ⭐" in rating.row_titles
        review = await says(meta, KARIM, "4 ⭐")
        assert place in review.text and "4/5" in review.text
        thanks = await says(meta, KARIM, "📨")
        assert "Merci beaucoup !" in thanks.text
        assert "🗳️ Consultations" in thanks.row_titles, "then the menu"

        again = await broadcast(db, core.settings, clock, "small")
        assert (again.targeted, again.queued) == (1, 0), "Amina, invited already"
        counts = {wa_id: await settled(meta, wa_id) for wa_id in (KARIM, AMINA)}
        assert counts[AMINA] == seen[AMINA] + 1, meta.transcript(AMINA)
    assert await answers_of(db, KARIM) == {
        "likes": {"text_value": "yes", "number_value": None, "choice_values": ["yes"]},
        "why": {"text_value": place, "number_value": None, "choice_values": None},
        "score": {"text_value": None, "number_value": 4.0, "choice_values": None},
    }
    assert await answers_of(db, AMINA) == {}


async def test_outside_the_window_a_broadcast_waits_until_the_citizen_writes(
    meta: FakeCloudApi, core: ConversationCore, db: Database, clock: ManualClock
):
    await open_consultation(db, small_document(), clock.now())
    async with running_whatsapp(meta, core):  # WHATSAPP_TEMPLATES unset
        amina_seen = await at_the_menu(meta, AMINA)
        clock.advance(NEXT_DAY)
        karim_seen = await at_the_menu(meta, KARIM)
        await broadcast(db, core.settings, clock, "small")
        [announcement] = await pushed(meta, KARIM, karim_seen)
        assert announcement.template is None and "Petite consultation" in announcement.text
        await until_status(db, AMINA, "broadcast:small:", "waiting")
        assert await settled(meta, AMINA) == amina_seen, "nothing to Amina outside the window"

        meta.user_sends_text(AMINA, "Bonjour")  # the window opens again: the menu, then it
        menu, push = await pushed(meta, AMINA, amina_seen, count=2)
        assert "🗳️ Consultations" in menu.row_titles
        assert push.template is None and push.error_code is None
        assert "Nouvelle consultation : Petite consultation" in push.text
        await delivered(meta, db, "broadcast:small:", KARIM, AMINA)


async def test_outside_the_window_a_broadcast_goes_as_the_approved_template(
    meta: FakeCloudApi, core: ConversationCore, db: Database, clock: ManualClock
):
    await open_consultation(db, small_document(), clock.now())
    meta.add_template(NOTICE, "fr", body_params=1)
    async with running_whatsapp(meta, core, whatsapp_templates=f"broadcast={NOTICE}"):
        amina_seen = await at_the_menu(meta, AMINA)
        clock.advance(NEXT_DAY)
        karim_seen = await at_the_menu(meta, KARIM)
        await broadcast(db, core.settings, clock, "small")
        [free_form] = await pushed(meta, KARIM, karim_seen)
        [template] = await pushed(meta, AMINA, amina_seen)
        assert free_form.template is None and free_form.button_titles
        assert template.template == NOTICE, meta.transcript(AMINA)
        assert "Petite consultation" in template.text and "Trois questions." in template.text
        await delivered(meta, db, "broadcast:small:", KARIM, AMINA)


# --- a quick poll ------------------------------------------------------------------------
async def test_a_quick_poll_is_buttons_and_each_vote_is_stored_as_on_telegram(
    meta: FakeCloudApi, core: ConversationCore, db: Database, clock: ManualClock
):
    record_id, consultation = await open_consultation(db, quick_poll_document(), clock.now())
    options = ["Samedi", "Dimanche", "En semaine le soir"]
    async with running_whatsapp(meta, core):
        seen = await at_the_menu(meta, KARIM)
        assert (await broadcast(db, core.settings, clock, "slot_poll")).queued == 1
        [poll] = await pushed(meta, KARIM, seen)
        assert poll.template is None
        assert "Atelier de Talmqalat" in poll.text and "Quel créneau ?" in poll.text
        assert poll.buttons == [(f"p.{record_id}.{i}", title) for i, title in enumerate(options)]
        await delivered(meta, db, "broadcast:slot_poll:", KARIM)

        thanks = await says(meta, KARIM, "Dimanche")
        assert "votre vote est enregistré : Dimanche" in thanks.text
        assert await stored_votes(db) == [["sun"]]
        changed = await says(meta, KARIM, lambda: meta.user_presses_button(KARIM, options[2]))
        assert "votre vote est enregistré : En semaine le soir" in changed.text
        assert await stored_votes(db) == [["eve"]], "a new vote replaces the earlier one"

        again = await from_the_list(meta, KARIM, "Atelier de Talmqalat")
        assert "Votre vote actuel : En semaine le soir" in again.text
        assert again.row_titles == [*options, "↩️ Retirer mon vote"], "4 choices: a list"
        withdrawn = await says(meta, KARIM, "Retirer mon vote")
        assert "Votre vote est retiré" in withdrawn.text
        assert await stored_votes(db) == []
        await says(meta, KARIM, lambda: meta.user_picks_from_list(KARIM, "Dimanche"))
        assert await stored_votes(db) == [["sun"]]

        await telegram_vote(core, db, record_id, consultation, option=1)  # Dimanche too
        whatsapp, telegram = await vote_rows(db, "whatsapp"), await vote_rows(db, "telegram")
        assert whatsapp["dedupe_token"] == await token_of(db, core.settings, consultation, KARIM)
        assert without_identity(whatsapp) == without_identity(telegram)
        assert (await broadcast(db, core.settings, clock, "slot_poll")).targeted == 0

        async with db.transaction() as uow:  # staff close it: nothing to close in the chat
            record = await uow.consultations.get(record_id)
            assert record is not None
            await uow.consultations.set_status(record, CLOSED, clock.now())
        assert await run_poll_closing(db, core.settings, clock) == 1, "Telegram's poll only"
        late = await says(meta, KARIM, lambda: meta.user_presses_button(KARIM, "Samedi"))
        assert "Cette consultation est close" in late.text
    assert await stored_votes(db) == [["sun"], ["sun"]]
    async with db.transaction() as uow:
        results = await consultation_results(uow, record_id, consultation)
    assert [(c.choice, c.count) for c in results.questions[0].counts] == [
        ("sat", 0),
        ("sun", 2),
        ("eve", 0),
    ]


# --- a workshop --------------------------------------------------------------------------
async def test_a_workshop_sign_up_waitlist_promotion_and_reminder(
    meta: FakeCloudApi, core: ConversationCore, db: Database, clock: ManualClock
):
    settings = core.settings
    starts_at = clock.now() + timedelta(days=3)
    await published_workshop(
        db, settings, clock.now(), capacity=1, starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
    )  # fmt: skip
    meta.add_template(WORKSHOP_TEMPLATE, "fr", body_params=1)
    async with running_whatsapp(
        meta, core, whatsapp_templates=f"workshop={WORKSHOP_TEMPLATE}",
        workshop_job_seconds=ONCE_AT_START,
    ):  # fmt: skip
        for wa_id in (KARIM, AMINA):
            await at_the_menu(meta, wa_id)

        # Karim takes the only seat, the optional profile asked first, and gets a code.
        details = await opens_the_workshop(meta, KARIM)
        assert "🪑 1 place(s) libre(s) sur 1" in details.text
        quarter = await says(meta, KARIM, "M'inscrire")
        assert "🏘️ Dans quel quartier habitez-vous ?" in quarter.text
        assert "Talmqalat" in quarter.row_titles
        assert quarter.row_titles[-1] == "🤐 Je préfère ne pas dire"
        gender = await says(meta, KARIM, "Talmqalat")
        assert "👤 Vous êtes :" in gender.text
        age = await says(meta, KARIM, "Je préfère ne pas")
        assert "🎂 Votre tranche d'âge :" in age.text
        registered = await says(meta, KARIM, "30–44 ans")
        assert "🎉 C'est fait, votre inscription est confirmée !" in registered.text
        karim_code = code_in(registered.text)
        assert f"Votre code à montrer à l'entrée : {karim_code}" in registered.text
        assert any("Annuler mon inscr" in title for title in registered.button_titles)
        assert await profile_of(db, KARIM) == ("Talmqalat", None, "30-44")

        # Amina finds it full and joins the waitlist, skipping the profile: n° 1.
        full = await opens_the_workshop(meta, AMINA)
        assert "🪑 Complet — la liste d'attente est ouverte." in full.text
        await says(meta, AMINA, "Rejoindre la list")
        for _ in range(2):
            await says(meta, AMINA, "Je préfère ne pas")
        waitlisted = await says(meta, AMINA, "Je préfère ne pas")
        assert "⏳ Vous êtes sur la liste d'attente, n° 1." in waitlisted.text
        assert await registrations(db) == {KARIM: (REGISTERED, karim_code), AMINA: WAITLISTED}

        # Karim gives the seat up; Amina is told through the outbox, with a way to decline.
        confirm = await says(meta, KARIM, "Annuler mon inscr")
        assert "Annuler votre place ?" in confirm.text
        amina_seen = len(meta.messages_to(AMINA))
        cancelled = await says(meta, KARIM, "Oui, annuler")
        assert "Votre inscription est annulée." in cancelled.text
        [promotion] = await pushed(meta, AMINA, amina_seen)
        assert promotion.template is None, "she wrote within 24 hours: free-form"
        assert f"🎉 Une place s'est libérée pour « {TITLE} »" in promotion.text
        assert local_time(starts_at, settings.timezone) in promotion.text
        amina_code = code_in(promotion.text)
        assert amina_code != karim_code
        assert any("ne peux pas" in title for title in promotion.button_titles)
        assert await registrations(db) == {KARIM: WITHDRAWN, AMINA: (REGISTERED, amina_code)}

        # 20 hours before the start (so 2 days after they wrote): the reminder, as the
        # approved template, reaches Amina and not Karim.
        clock.advance(starts_at - timedelta(hours=20) - clock.now())
        karim_seen, amina_seen = len(meta.messages_to(KARIM)), len(meta.messages_to(AMINA))
        async with db.transaction() as uow:
            assert len(await queue_workshop_reminders(uow, settings, clock.now())) == 1
        [reminder] = await pushed(meta, AMINA, amina_seen)
        assert reminder.template == WORKSHOP_TEMPLATE, meta.transcript(AMINA)
        assert f"⏰ Rappel : « {TITLE} »" in reminder.text
        assert f"Votre code à l'entrée : {amina_code}" in reminder.text
        assert await settled(meta, KARIM) == karim_seen, meta.transcript(KARIM)[-3:]
        await meta.wait_for(lambda: "delivered" in reminder.statuses, 5)
    rows = await pushes(db, AMINA)
    assert [row.status for row in rows] == ["sent", "sent"]  # the promotion, the reminder
    assert all(row.channel == "whatsapp" and row.kind == "workshop" for row in rows)
    assert await pushes(db, KARIM) == []


# --- the citizen's moves -----------------------------------------------------------------
async def at_the_menu(meta: FakeCloudApi, wa_id: str) -> int:
    """A new citizen signs up in French: how many messages they have been sent once at
    the menu."""
    await signed_up_in_french(meta, wa_id)
    count = await settled(meta, wa_id)
    assert "🗳️ Consultations" in meta.last_message_to(wa_id).row_titles, meta.transcript(wa_id)
    return count


async def says(meta: FakeCloudApi, wa_id: str, move: Any) -> SentMessage:
    """One move (a label to tap, or a callable acting for the citizen); the bot's last
    message once it said all it had to."""
    await answer(meta, wa_id, move)
    await settled(meta, wa_id)
    last = meta.last_message_to(wa_id)
    assert last.error_code is None, meta.transcript(wa_id)
    return last


async def pushed(meta: FakeCloudApi, wa_id: str, seen: int, count: int = 1) -> list[SentMessage]:
    """What the citizen was sent after the `seen` messages they had, once at least `count`
    came and the bot is quiet."""
    await meta.wait_for_messages(wa_id, seen + count, timeout=10)
    await settled(meta, wa_id)
    return meta.messages_to(wa_id)[seen:]


async def from_the_list(meta: FakeCloudApi, wa_id: str, title: str) -> SentMessage:
    """Back to the menu (typing /menu), the open consultations, then `title`."""
    await says(meta, wa_id, lambda: meta.user_sends_text(wa_id, "/menu"))
    await says(meta, wa_id, "Consultations")
    return await says(meta, wa_id, title[:15])


async def opens_the_workshop(meta: FakeCloudApi, wa_id: str) -> SentMessage:
    listing = await says(meta, wa_id, "Ateliers")
    assert listing.text.startswith("Ateliers, formations et rencontres à venir")
    details = await says(meta, wa_id, TITLE[:15])
    assert TITLE in details.text and "Maison de quartier" in details.text
    return details


def code_in(text: str) -> str:
    match = CODE.search(text)
    assert match is not None, text
    return match.group(1)


# --- staff and the database --------------------------------------------------------------
async def broadcast(db: Database, settings: CoreSettings, clock: ManualClock, key: str):
    """`tachawor broadcast consultation KEY` (its use case, at the test's time)."""
    async with db.transaction() as uow:
        return await broadcast_consultation(uow, settings, key, clock.now())


async def until_status(db: Database, wa_id: str, prefix: str, status: str) -> None:
    async def holds() -> bool:
        return [row.status for row in await pushes(db, wa_id, prefix)] == [status]

    for _ in range(200):
        if await holds():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{wa_id}: {[r.status for r in await pushes(db, wa_id, prefix)]}")


async def delivered(meta: FakeCloudApi, db: Database, prefix: str, *wa_ids: str) -> None:
    """Each citizen's one outbox row for the broadcast is sent, names the message they
    got, and has its delivery status from the webhook recorded."""
    for wa_id in wa_ids:
        await until_status(db, wa_id, prefix, "sent")
        [row] = await pushes(db, wa_id, prefix)
        assert row.channel == "whatsapp" and row.kind == "broadcast"
        [sent] = [m for m in meta.messages_to(wa_id) if m.wamid == row.channel_message_ref]
        await meta.wait_for(lambda sent=sent: "delivered" in sent.statuses, 5)

        async def recorded(wa_id: str = wa_id) -> bool:
            [row] = await pushes(db, wa_id, prefix)
            return row.delivery_status == "delivered"

        for _ in range(200):
            if await recorded():
                break
            await asyncio.sleep(0.05)
        assert await recorded(), f"{wa_id}: no delivery status recorded"


async def answers_of(db: Database, wa_id: str) -> dict[str, dict[str, Any]]:
    """The answers of the citizen's responses, by question."""
    statement = (
        select(
            ConsultationAnswer.question_key,
            ConsultationAnswer.text_value,
            ConsultationAnswer.number_value,
            ConsultationAnswer.choice_values,
        )
        .join(ConsultationResponse, ConsultationResponse.id == ConsultationAnswer.response_id)
        .join(CitizenRow, CitizenRow.id == ConsultationResponse.citizen_id)
        .where(CitizenRow.channel_user_id == wa_id)
    )
    async with db.engine.connect() as connection:
        rows = (await connection.execute(statement)).all()
    return {
        row.question_key: {
            "text_value": row.text_value,
            "number_value": row.number_value,
            "choice_values": row.choice_values,
        }
        for row in rows
    }


async def stored_votes(db: Database) -> list[list[str] | None]:
    statement = select(ConsultationAnswer.choice_values).order_by(ConsultationAnswer.id)
    async with db.engine.connect() as connection:
        return [row[0] for row in await connection.execute(statement)]


async def telegram_vote(
    core: ConversationCore, db: Database, record_id: int, consultation: Consultation, option: int
) -> None:
    """A Telegram citizen consents and votes in the native poll the Telegram adapter sent
    them (recorded as it records one), through the same core."""
    citizen = CoreCitizen(core, TELEGRAM_USER, channel="telegram")
    await citizen.says("Bonjour")
    await citizen.presses("Français")
    await citizen.presses("✅")
    async with db.transaction() as uow:
        row = await uow.citizens.find("telegram", TELEGRAM_USER)
        assert row is not None
        message = poll_message(TELEGRAM_USER, "fr", record_id, consultation)
        shown = PollShown("tg-poll-1", "501")
        await remember_sent_poll(uow, "telegram", message, row.id, shown, core.clock.now())
    [thanks] = await citizen.send_payload(PollAnswer("tg-poll-1", (option,)))
    assert "votre vote est enregistré" in thanks.text


async def vote_rows(db: Database, channel: str) -> dict[str, Any]:
    """The one response of the channel's citizen, then its one answer: every column."""
    statement = (
        select(ConsultationResponse, ConsultationAnswer)
        .join(ConsultationAnswer, ConsultationAnswer.response_id == ConsultationResponse.id)
        .join(CitizenRow, CitizenRow.id == ConsultationResponse.citizen_id)
        .where(CitizenRow.channel == channel)
    )
    async with AsyncSession(db.engine) as session:
        [(response, vote)] = (await session.execute(statement)).tuples().all()
    return columns(response) | columns(vote, "answer.")


def columns(row: Any, prefix: str = "") -> dict[str, Any]:
    return {f"{prefix}{column.key}": getattr(row, column.key) for column in row.__table__.c}


IDENTITY = ("id", "citizen_id", "dedupe_token", "answer.id", "answer.response_id")


def without_identity(row: dict[str, Any]) -> dict[str, Any]:
    """What a vote stores, less who cast it (ids and the once-only token)."""
    return {key: value for key, value in row.items() if key not in IDENTITY}


async def token_of(
    db: Database, settings: CoreSettings, consultation: Consultation, wa_id: str
) -> str:
    async with db.transaction() as uow:
        citizen = await uow.citizens.find("whatsapp", wa_id)
    assert citizen is not None
    return account_token(settings, consultation, citizen)


async def profile_of(db: Database, wa_id: str) -> tuple[str | None, str | None, str | None]:
    async with db.transaction() as uow:
        citizen = await uow.citizens.find("whatsapp", wa_id)
    assert citizen is not None
    return citizen.quarter, citizen.gender, citizen.age_bracket


async def registrations(db: Database) -> dict[str, Any]:
    """Each WhatsApp citizen's registration: its status, with the code for a seat."""
    statement = select(
        CitizenRow.channel_user_id, WorkshopRegistration.status, WorkshopRegistration.code
    ).join(CitizenRow, CitizenRow.id == WorkshopRegistration.citizen_id)
    async with db.engine.connect() as connection:
        rows = (await connection.execute(statement)).all()
    return {
        row.channel_user_id: (row.status, row.code) if row.status == REGISTERED else row.status
        for row in rows
    }

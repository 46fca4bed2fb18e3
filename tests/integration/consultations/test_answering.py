"""Answering consultations in chat, through the core, on SQLite and PostgreSQL: one question
per message, the stored response (one row per answer), the one-response rule, a
consultation closed meanwhile, stale buttons, resuming after a restart, the reminder."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.conversation_core import ConversationCore
from handlers.languages import translate
from handlers.types import ButtonPress, Location, Media
from storage.models import ConsultationAnswer, ConsultationResponse, OutboxMessage
from storage.repositories.consultations import CLOSED
from tests.consultations import DERB_JDID, MEDINA, open_consultation, small_document
from tests.dialogue import Citizen

START = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


@pytest.fixture
def december(clock):
    clock.advance(START - clock.now())
    return clock


async def consenting(core: ConversationCore, user: str) -> Citizen:
    citizen = Citizen(core, user)
    await citizen.says("Bonjour")
    await citizen.presses("Français")
    await citizen.presses("✅")
    return citizen


async def started(
    core: ConversationCore, user: str, title: str = "🗳️ Partager", quarter: str | None = None
) -> Citizen:
    """A consenting citizen who opened a consultation and pressed Start (answering its
    quarter question first when it targets a quarter)."""
    citizen = await consenting(core, user)
    await citizen.presses("🗳️ Consultations")
    await citizen.presses(title)
    if quarter is not None:
        await citizen.presses(quarter)
    await citizen.presses("▶️")
    return citizen


async def rows(db, model):
    async with AsyncSession(db.engine) as session:
        return list((await session.execute(select(model).order_by(model.id))).scalars())


async def answer_medina(citizen: Citizen) -> None:
    await citizen.presses("Oui")
    await citizen.presses("À pied")
    await citizen.presses("⬜ Motos")
    await citizen.presses("⬜ Véhicules")
    await citizen.presses("✔️")
    await citizen.presses("2")
    await citizen.presses("Oui, à certaines")
    await citizen.says("Autour de la place Assarag")
    await citizen.says("45")
    await citizen.send_payload(Location(30.4703, -8.8770))
    await citizen.presses("⏭️")


async def test_a_citizen_answers_the_medina_consultation(core, db, december):
    await open_consultation(db, MEDINA, december.now())
    citizen = await consenting(core, "amina")
    await citizen.presses("🗳️ Consultations")
    assert "Partager l'espace public dans la Médina" in citizen.transcript[-1].button_labels[0]
    await citizen.presses("🗳️ Partager")
    assert "stratégie de développement de la Médina" in citizen.last_text
    await citizen.presses("▶️ Commencer (9 questions)")
    assert "question 1/9" in citizen.last_text
    await answer_medina(citizen)
    assert citizen.last_text.startswith("Vérifiez vos réponses")
    assert "→ Motos et voitures trop rapides, Véhicules garés qui bloquent le passage" in (
        citizen.last_text
    )
    await citizen.presses("📨")
    assert citizen.last_text.startswith("Merci ! Vos réponses sont enregistrées.")
    assert "🗳️ Consultations" in citizen.transcript[-1].button_labels
    [response] = await rows(db, ConsultationResponse)
    assert response.citizen_id is not None and response.locale == "fr"
    assert response.started_at == START and response.submitted_at == START
    answers = {a.question_key: a for a in await rows(db, ConsultationAnswer)}
    assert set(answers) == {
        "lives_or_works", "getting_around", "problems", "safety", "pedestrian_streets",
        "which_streets", "minutes_walking", "dangerous_spot",
    }  # fmt: skip
    assert answers["getting_around"].text_value == "walk"
    assert answers["problems"].choice_values == ["speed", "parking"]
    assert answers["safety"].number_value == 2
    assert answers["minutes_walking"].number_value == 45
    assert answers["dangerous_spot"].latitude == pytest.approx(30.4703)


async def test_wrong_answers_are_explained_and_nothing_is_lost(core, db, december):
    await open_consultation(db, MEDINA, december.now())
    citizen = await started(core, "youssef")
    await citizen.presses("Non")
    await citizen.says("en trottinette")
    assert citizen.last_text.startswith("Merci de choisir une des réponses proposées")
    await citizen.presses("En voiture")
    await citizen.presses("✔️")
    assert citizen.last_text.startswith("Choisissez au moins une réponse avant de valider.")
    await citizen.presses("⬜ Bruit")
    await citizen.presses("✔️")
    await citizen.says("7")
    assert citizen.last_text.startswith("Donnez une note de 1 à 5.")
    assert "question 4/" in citizen.last_text


async def test_a_stale_button_is_refused_and_the_question_asked_again(core, db, december):
    await open_consultation(db, MEDINA, december.now())
    citizen = await started(core, "stale")
    old_yes = citizen.button("Oui")
    await citizen.presses("Oui")
    replies = await citizen.send_payload(ButtonPress(old_yes.id))
    assert replies[0].text.startswith("Ce bouton vient d'un message précédent.")
    assert "question 2/9" in replies[0].text, "the current question is asked again"
    await citizen.presses("⬅️")
    assert "Votre réponse actuelle : Oui" in citizen.last_text, "the first answer is kept"


async def test_only_one_response_per_citizen(core, db, december):
    await open_consultation(db, MEDINA, december.now())
    citizen = await started(core, "once")
    await answer_medina(citizen)
    await citizen.presses("📨")
    await citizen.presses("🗳️ Consultations")
    assert citizen.transcript[-1].button_labels[0].startswith("✅ ")
    await citizen.presses("✅")
    assert citizen.last_text.startswith("Vous avez déjà répondu à cette consultation")
    assert len(await rows(db, ConsultationResponse)) == 1


async def test_a_consultation_closed_meanwhile(core, db, december):
    record_id, _ = await open_consultation(db, MEDINA, december.now())
    citizen = await started(core, "late")
    await citizen.presses("Oui")
    async with db.transaction() as uow:
        record = await uow.consultations.get(record_id)
        await uow.consultations.set_status(record, CLOSED, december.now())
    await citizen.presses("À pied")
    assert citizen.last_text.startswith("Cette consultation est close")
    assert "🗳️ Consultations" in citizen.transcript[-1].button_labels
    await citizen.presses("🗳️ Consultations")
    assert citizen.last_text.startswith("Aucune consultation n'est ouverte pour vous")
    assert await rows(db, ConsultationResponse) == []


async def test_a_consultation_past_its_closing_date_takes_no_more_answers(core, db, december):
    await open_consultation(db, MEDINA, december.now())
    citizen = await started(core, "slow")
    december.advance(timedelta(days=60))  # 2027-02-01, after 2027-01-31
    await citizen.presses("Oui")
    assert citizen.last_text.startswith("Cette consultation est close")


async def test_resume_after_a_restart_and_days_later(core, db, december, settings):
    await open_consultation(db, MEDINA, december.now())
    citizen = await started(core, "resume")
    await citizen.presses("Non")
    await citizen.presses("À vélo")
    await citizen.presses("⏸️")
    assert citizen.last_text.startswith("C'est noté : vos réponses sont gardées.")
    december.advance(timedelta(days=3))
    restarted = ConversationCore(db, settings, december)
    citizen.core = restarted
    await citizen.presses("🗳️ Consultations")
    assert citizen.transcript[-1].button_labels[0].startswith("⏸️ ")
    await citizen.presses("⏸️ Partager")
    assert citizen.last_text.startswith("Bon retour !")
    assert "question 3/" in citizen.last_text
    await citizen.presses("⬅️")
    assert "Votre réponse actuelle : À vélo" in citizen.last_text


async def test_a_reminder_a_day_after_an_unfinished_start(core, db, december):
    await open_consultation(db, MEDINA, december.now())
    await started(core, "forgetful")
    [reminder] = await rows(db, OutboxMessage)
    assert reminder.due_at == START + timedelta(hours=24)
    assert reminder.dedupe_key.startswith("consultation-reminder:medina_public_space:")
    assert "« Partager l'espace public dans la Médina »" in reminder.payload["text"]
    async with db.transaction() as uow:
        early = await uow.outbox.claim_due(
            START + timedelta(hours=23), limit=10, lease=timedelta(minutes=1)
        )
        due = await uow.outbox.claim_due(
            START + timedelta(hours=24), limit=10, lease=timedelta(minutes=1)
        )
    assert early == [] and [m.id for m in due] == [reminder.id]


async def test_the_reminder_is_withdrawn_when_the_response_is_sent(core, db, december):
    await open_consultation(db, MEDINA, december.now())
    citizen = await started(core, "quick")
    await answer_medina(citizen)
    await citizen.presses("📨")
    [reminder] = await rows(db, OutboxMessage)
    assert reminder.status == "cancelled"


async def test_an_anonymous_consultation_stores_no_citizen_id_and_still_takes_one_response(
    core, db, december
):
    await open_consultation(db, DERB_JDID, december.now())
    december.advance(timedelta(days=20))
    citizen = await started(core, "derb", title="🗳️ Trier", quarter="Derb Jdid")
    assert "Consultation anonyme" in citizen.transcript[-2].text
    await citizen.presses("Non")  # sorts_now: what_sorted does not apply
    assert "question 2/8" in citizen.last_text
    await citizen.says("5")
    await citizen.presses("3")
    await citizen.presses("Collecte")
    await citizen.presses("Non")  # would_join: meeting_date does not apply
    await citizen.send_payload(Media("photo", "AgACAgQ-photo"))
    await citizen.says('=HYPERLINK("http://x")')
    await citizen.presses("📨")
    [response] = await rows(db, ConsultationResponse)
    assert response.citizen_id is None and len(response.dedupe_token) == 64
    photo = [a for a in await rows(db, ConsultationAnswer) if a.question_key == "problem_photo"]
    assert photo[0].media_ref == "AgACAgQ-photo"
    await citizen.presses("🗳️ Consultations")
    await citizen.presses("✅")
    assert citizen.last_text.startswith("Vous avez déjà répondu")


async def test_a_consultation_for_another_quarter_is_not_offered(core, db, december):
    await open_consultation(db, DERB_JDID, december.now())
    december.advance(timedelta(days=20))
    citizen = await consenting(core, "medina-resident")
    async with db.transaction() as uow:
        record = await uow.citizens.find("test", "medina-resident")
        record.quarter = "Medina"
    await citizen.presses("🗳️ Consultations")
    assert citizen.last_text.startswith("Aucune consultation n'est ouverte pour vous")


async def test_my_data_shows_consultations_and_erasure_removes_named_responses(core, db, december):
    await open_consultation(db, MEDINA, december.now())
    citizen = await started(core, "erase-me")
    await answer_medina(citizen)
    await citizen.presses("📨")
    await citizen.presses("🔒")
    assert "• Consultations : 1 réponse(s) envoyée(s) à votre nom, 0 en cours" in citizen.last_text
    await citizen.presses("🗑️")
    await citizen.presses("Oui, tout effacer")
    assert await rows(db, ConsultationResponse) == []
    assert await rows(db, ConsultationAnswer) == []


async def test_a_consultation_taking_several_responses(core, db, december):
    await open_consultation(db, small_document(responses="several"), december.now())
    citizen = await consenting(core, "twice")
    for score in ("4", "2"):
        await citizen.presses("🗳️ Consultations")
        await citizen.presses("🗳️ Petite")
        await citizen.presses("▶️")
        await citizen.presses("Non")
        await citizen.presses(score)
        await citizen.presses("📨")
        assert citizen.last_text.startswith("Merci beaucoup !")
    responses = await rows(db, ConsultationResponse)
    assert [r.sequence for r in responses] == [1, 2]
    assert responses[0].dedupe_token == responses[1].dedupe_token
    assert len(await rows(db, OutboxMessage)) == 1, "one reminder per citizen and consultation"


async def test_tifinagh_readers_get_the_tachelhit_text_transliterated(core, db, december):
    document = small_document(title={"fr": "Petite consultation", "shi": "Tacawart"})
    await open_consultation(db, document, december.now())
    citizen = Citizen(core, "tfng")
    await citizen.says("ⴰⵣⵓⵍ")
    await citizen.presses("ⵜⴰⵛⵍⵃⵉⵜ")
    await citizen.presses("✅")
    await citizen.presses("🗳️")
    assert citizen.transcript[-1].button_labels[0] == "🗳️ ⵜⴰⵛⴰⵡⴰⵔⵜ"
    await citizen.presses("🗳️ ⵜ")
    intro = citizen.last_text.split("\n\n")
    french = translate("shi-Tfng", "language.name_of.fr")
    assert intro[1] == translate("shi-Tfng", "consultation.translation_gap", language=french)
    assert intro[2] == "Trois questions.", "no shi text: French, and the citizen is told"

"""The optional profile: asked once before a consultation that targets or reports by it,
skippable and never asked again once skipped, shown and changed in My data, and what an
unknown field does to a target (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime

from handlers.types import ButtonPress
from storage.models import Citizen as CitizenRow
from tests.consultations import open_consultation, small_document
from tests.dialogue import consenting

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
DERB_JDID = small_document(key="derb_jdid", target={"quarters": ["Derb Jdid"]})


async def stored(db, user_id: str) -> CitizenRow:
    async with db.transaction() as uow:
        citizen = await uow.citizens.find("test", user_id)
        assert citizen is not None
        return citizen


async def test_a_quarter_targeted_consultation_asks_the_quarter_once_then_opens(core, db):
    await open_consultation(db, DERB_JDID, NOW)
    citizen = await consenting(core, "asked")
    await citizen.presses("🗳️")
    [question] = await citizen.presses("🗳️ ")
    assert "Dans quel quartier habitez-vous ?" in question.text
    assert "statistiques de participation" in question.text, "says why it is asked"
    assert "🤐 Je préfère ne pas dire" in question.button_labels
    assert "Autre quartier" in question.button_labels
    assert "Homme" not in " ".join(question.button_labels), "only what the target needs"
    [intro] = await citizen.presses("Derb Jdid")
    assert intro.text.startswith("✅ C'est noté.")
    assert "▶️" in " ".join(intro.button_labels), "the consultation opens right after"
    row = await stored(db, "asked")
    assert (row.quarter, row.profile_asked) == ("Derb Jdid", "quarter")

    await citizen.command("menu")
    await citizen.presses("🗳️")
    [again] = await citizen.presses("🗳️ ")
    assert "Dans quel quartier" not in again.text, "never asked twice"
    assert "▶️" in " ".join(again.button_labels)


async def test_a_skipped_field_is_not_asked_again_and_the_door_stays_open(core, db):
    await open_consultation(db, DERB_JDID, NOW)
    citizen = await consenting(core, "skips")
    await citizen.presses("🗳️")
    await citizen.presses("🗳️ ")
    [intro] = await citizen.presses("🤐")
    assert intro.text.startswith("D'accord, sans réponse.")
    assert "▶️" in " ".join(intro.button_labels)
    row = await stored(db, "skips")
    assert (row.quarter, row.profile_asked) == (None, "quarter")
    await citizen.command("menu")
    await citizen.presses("🗳️")
    [again] = await citizen.presses("🗳️ ")
    assert "▶️" in " ".join(again.button_labels)


async def test_a_citizen_of_another_quarter_is_told_it_is_not_for_them(core, db):
    await open_consultation(db, DERB_JDID, NOW)
    citizen = await consenting(core, "elsewhere")
    await citizen.presses("🗳️")
    await citizen.presses("🗳️ ")
    [refused] = await citizen.presses("Talmqalat")
    assert refused.text.startswith("✅ C'est noté.\n\nCette consultation s'adresse à d'autres")


async def test_reports_by_asks_gender_and_age_and_a_forged_answer_changes_nothing(core, db):
    document = small_document(reports_by=["gender", "age_bracket"])
    await open_consultation(db, document, NOW)
    citizen = await consenting(core, "reported")
    await citizen.presses("🗳️")
    [gender] = await citizen.presses("🗳️ ")
    assert "Vous êtes :" in gender.text and "Une femme" in gender.button_labels
    version = citizen.buttons[0].id.split(".")[0]
    [refused] = await citizen.send_payload(ButtonPress(f"{version}.v:robot"))
    assert refused.text.startswith("Merci de choisir une des options proposées.")
    assert (await stored(db, "reported")).gender is None
    [age] = await citizen.presses("Une femme")
    assert "tranche d'âge" in age.text
    [intro] = await citizen.presses("30–44")
    assert "Petite consultation" in intro.text
    row = await stored(db, "reported")
    assert (row.gender, row.age_bracket) == ("female", "30-44")
    assert row.profile_asked == "gender,age_bracket"


async def test_my_data_shows_the_profile_and_changes_or_clears_each_field(core, db):
    citizen = await consenting(core, "edits")
    await citizen.presses("🔒")
    [profile] = await citizen.presses("✏️")
    assert "Quartier : non renseigné" in profile.button_labels
    await citizen.presses("Genre")
    [back] = await citizen.presses("Un homme")
    assert "Genre : Un homme" in back.button_labels
    await citizen.presses("Genre")
    [cleared] = await citizen.presses("🗑️")
    assert "Genre : Un homme" not in cleared.button_labels
    row = await stored(db, "edits")
    assert row.gender is None and "gender" in row.profile_asked
    await citizen.presses("Quartier")
    await citizen.presses("Sidi Belkas")
    [my_data] = await citizen.presses("⬅️")
    assert "Quartier : Sidi Belkas" in my_data.text


async def test_broadcasts_reach_only_citizens_known_to_be_in_a_gender_target(core, db):
    from surveys.stored import segment_citizens

    _, consultation = await open_consultation(
        db, small_document(target={"genders": ["female"]}), NOW
    )
    for user_id, gender in (("woman", "female"), ("man", "male"), ("unknown", None)):
        await consenting(core, user_id)
        async with db.transaction() as uow:
            row = await uow.citizens.find("test", user_id)
            row.gender = gender
    async with db.transaction() as uow:
        targeted = await segment_citizens(uow, consultation)
    assert [citizen.channel_user_id for citizen in targeted] == ["woman"]

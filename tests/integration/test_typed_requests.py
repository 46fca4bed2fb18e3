"""Typed requests through the core: what a citizen types at the menu, at a question whose
answer is a button, and in a first message sent before consent (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from handlers.languages import LOCALES, translate
from tests.consultations import open_consultation, small_document
from tests.dialogue import Citizen, consenting
from tests.workshop_rows import TITLE, published_workshop

KIND_QUESTION = "Que souhaitez-vous transmettre à la commune ?"


async def test_a_request_in_the_first_message_survives_onboarding(core):
    citizen = Citizen(core, "newcomer")
    [greeting] = await citizen.says("salam, bghit n9dm chikaya")
    assert greeting.text.startswith("Salam"), "greeted in Darija as written"
    await citizen.presses("Darija (latin)")
    [accepted] = await citizen.presses("✅")
    assert accepted.text.startswith("Choukran!")
    assert "Chno bghiti tsifet l jama3a?" in accepted.text, "asked the complaint's kind"
    assert "Chikaya" in " ".join(accepted.button_labels)


async def test_a_first_message_asking_nothing_leads_to_the_menu_after_consent(core):
    citizen = Citizen(core, "plain")
    await citizen.says("Bonjour")
    await citizen.presses("Français")
    [menu] = await citizen.presses("✅")
    assert "Menu principal" in menu.text


async def test_the_request_is_kept_while_the_language_is_changed(core):
    citizen = Citizen(core, "relang")
    await citizen.says("je veux faire une réclamation")
    await citizen.presses("العربية")
    [accepted] = await citizen.presses("✅")
    assert "شكاية" in " ".join(accepted.button_labels), "the complaint's kind, in Arabic"


async def test_typed_requests_at_the_menu_go_where_they_ask(core, db, clock):
    await published_workshop(db, core.settings, clock.now())
    citizen = await consenting(core, "typist")
    [kinds] = await citizen.says("réclamation")
    assert KIND_QUESTION in kinds.text
    await citizen.command("menu")
    [kinds] = await citizen.says("شكاية")
    assert "ماذا تريدون" in kinds.text or KIND_QUESTION in kinds.text
    await citizen.command("menu")
    [workshops] = await citizen.says("bghit nsjl f lwarcha")
    assert workshops.text.startswith("Ateliers, formations et rencontres à venir")
    assert any(TITLE in label for label in workshops.button_labels)


async def test_a_message_that_asks_nothing_is_said_so_with_the_menu(core):
    citizen = await consenting(core, "puzzled")
    [reply] = await citizen.says("hhhhh")
    assert reply.text.startswith("Je n'ai pas compris votre message.")
    assert "Choisissez une des options" not in reply.text
    assert any("Réclamations" in label for label in reply.button_labels), "the menu"


async def test_a_greeting_and_thanks_get_a_word_back_and_the_menu(core):
    citizen = await consenting(core, "polite")
    [hello] = await citizen.says("salam")
    assert hello.text == "Bonjour ! Que puis-je faire pour vous ?"
    [thanks] = await citizen.says("merci beaucoup")
    assert thanks.text == "Avec plaisir ! Autre chose ?"
    assert thanks.button_labels


async def test_two_readings_are_asked_about_with_buttons_never_guessed(core, clock, db):
    await published_workshop(db, core.settings, clock.now())
    citizen = await consenting(core, "torn")
    [which] = await citizen.says("atelier et réclamation")
    assert which.text == "Je veux être sûr de bien vous comprendre. Vous voulez :"
    labels = which.button_labels
    assert any("Ateliers" in label for label in labels)
    assert any("Déposer" in label for label in labels)
    [workshops] = await citizen.presses("🗓️")
    assert workshops.text.startswith("Ateliers, formations et rencontres à venir")


async def test_deleting_data_typed_always_goes_through_the_confirmation(core, db):
    citizen = await consenting(core, "eraser")
    [confirm] = await citizen.says("supprimer mes données svp")
    assert confirm.text == "Voulez-vous vraiment effacer toutes vos données ? C'est définitif."
    async with db.transaction() as uow:
        assert await uow.citizens.find("test", "eraser") is not None, "nothing erased yet"


async def test_a_request_typed_at_a_button_question_is_followed(core, db, clock):
    await open_consultation(db, small_document(), clock.now())
    citizen = await consenting(core, "midway")
    await citizen.presses("🗳️")
    [intro] = await citizen.presses("🗳️ ")
    assert "▶️" in " ".join(intro.button_labels)
    [mine] = await citizen.says("fin wslat chikaya dyali")
    assert "Vous n'avez" in mine.text or "réclamation" in mine.text.lower()
    await citizen.command("menu")
    await citizen.presses("🗳️")
    await citizen.presses("🗳️ ")
    [again] = await citizen.says("blablabla")
    assert again.text.startswith("Merci de choisir une des options"), (
        "not a request: the question again"
    )


async def test_help_typed_mid_question_shows_help_then_the_question(core, db, clock):
    await open_consultation(db, small_document(), clock.now())
    citizen = await consenting(core, "helpme")
    await citizen.presses("🗳️")
    await citizen.presses("🗳️ ")
    replies = await citizen.says("aide svp")
    assert len(replies) == 2
    assert "/menu" in replies[0].text
    assert "▶️" in " ".join(replies[1].button_labels), "back at the consultation's intro"


async def test_a_consultation_asked_for_by_name_opens(core, db, clock):
    await open_consultation(db, small_document(), clock.now())
    other = small_document(key="market", title={"fr": "Le marché hebdomadaire"})
    await open_consultation(db, other, clock.now())
    citizen = await consenting(core, "byname")
    [intro] = await citizen.says("sondage sur le marché")
    assert "Le marché hebdomadaire" in intro.text
    assert "▶️" in " ".join(intro.button_labels)
    await citizen.command("menu")
    [listing] = await citizen.says("sondage")
    assert len([label for label in listing.button_labels if label.startswith("🗳️")]) == 2


async def test_a_citizen_who_declined_is_asked_for_consent_then_taken_there(core):
    citizen = Citizen(core, "decliner")
    await citizen.says("Bonjour")
    await citizen.presses("Français")
    await citizen.presses("❌")
    [refused] = await citizen.says("je veux faire une réclamation")
    assert refused.text.startswith("Pour cela, il faut d'abord accepter")
    await citizen.presses("✅")
    [accepted] = await citizen.presses("✅")
    assert KIND_QUESTION in accepted.text


async def test_a_request_typed_at_a_consultation_question_keeps_the_answers_to_resume(
    core, db, clock
):
    await published_workshop(db, core.settings, clock.now())
    await open_consultation(db, small_document(), clock.now())
    citizen = await consenting(core, "resumer")
    await citizen.presses("🗳️")
    await citizen.presses("🗳️ ")
    [question] = await citizen.presses("▶️")
    assert "Aimez-vous la place ?" in question.text
    [workshops] = await citizen.says("bghit nsjl f lwarcha")
    assert workshops.text.startswith("Ateliers, formations et rencontres à venir")
    await citizen.command("menu")
    await citizen.presses("🗳️")
    [resumed] = await citizen.presses("⏸️ ")
    assert "Aimez-vous la place ?" in resumed.text, "back at the question left"
    [refused] = await citizen.says("peut-être")
    assert "Aimez-vous la place ?" in refused.text, "not a request: the question again"


@pytest.mark.parametrize(
    ("typed", "locale"),
    [
        ("en arabe svp", "ar"),
        ("bghit nhdr b darija", "ary-Latn"),
        ("بالدارجة عافاك", "ary"),
        ("ⵜⴰⵛⵍⵃⵉⵜ", "shi-Tfng"),
        ("تاشلحيت عافاك", "shi-Arab"),
    ],
)
async def test_a_language_named_is_switched_to_at_once(core, db, typed, locale):
    citizen = await consenting(core, f"lang-{locale}")
    [menu] = await citizen.says(typed)
    assert menu.text.startswith(translate(locale, "language.changed"))
    assert translate(locale, "menu.title") in menu.text
    async with db.transaction() as uow:
        row = await uow.citizens.find("test", f"lang-{locale}")
        assert row is not None and (row.language, row.script) == (
            LOCALES[locale].language,
            LOCALES[locale].script,
        )


async def test_changing_language_without_naming_one_opens_the_choice(core):
    citizen = await consenting(core, "chooser")
    [choice] = await citizen.says("changer de langue")
    assert choice.text == "Dans quelle langue voulez-vous échanger ?"

"""Tachelhit citizens answer the sample consultations in Tachelhit, through the core on
SQLite and PostgreSQL: Latin script end to end (stored with their language), Tifinagh
transliterated from the same texts, and the quick poll in Tachelhit."""

from __future__ import annotations

import pytest

from handlers.languages import to_tifinagh
from handlers.types import ButtonPress, Location
from storage.models import ConsultationAnswer, ConsultationResponse
from surveys.yaml_loader import load_yaml
from tests.consultations import MEDINA, TALMQALAT_POLL, open_consultation
from tests.dialogue import Citizen
from tests.integration.consultations.test_answering import START, december, rows  # noqa: F401

pytestmark = pytest.mark.usefixtures("december")  # 3 December 2026: the samples are open


async def tachelhit_citizen(core, user: str, greeting: str, language: str) -> Citizen:
    """A citizen who greeted the bot, chose Tachelhit in `language`'s script and consented."""
    citizen = Citizen(core, user)
    await citizen.says(greeting)
    await citizen.presses(language)
    await citizen.presses("✅")
    return citizen


async def test_a_tachelhit_citizen_answers_the_medina_consultation_in_tachelhit(core, db):
    await open_consultation(db, MEDINA, START)
    citizen = await tachelhit_citizen(core, "ijja", "Azul", "Taclḥit")
    await citizen.presses("🗳️ Ticawarin")
    assert citizen.transcript[-1].button_labels[0] == ("🗳️ Ad nbḍu akal n lɛamma ɣ Lmdint taqburt")
    await citizen.presses("🗳️ Ad nbḍu")
    assert "Lxuṭṭa n tnmiyt n Lmdint taqburt" in citizen.last_text
    assert "ℹ️" not in citizen.last_text, "written in Tachelhit: no translation gap"
    await citizen.presses("▶️ Bdu (9 n isqsitn)")
    assert "asqsi 1/9" in citizen.last_text
    assert "Is tzdɣt nɣ ar txdmt ɣ Lmdint taqburt?" in citizen.last_text
    await citizen.presses("Yah")
    assert "Mamnk ar ttmuddut ugar ɣ Lmdint taqburt?" in citizen.last_text
    await citizen.presses("S iḍarn")
    await citizen.presses("⬜ Lmuṭurat")
    await citizen.presses("⬜ Tikrrusin")
    await citizen.presses("✔️")
    await citizen.presses("2")
    await citizen.presses("Yah, ɣ kra")
    assert "Man zznaqi nɣ ssaḥat ad izwurn?" in citizen.last_text
    await citizen.says("Ɣ tama n ssaḥt n Assarag")
    await citizen.says("45")
    await citizen.send_payload(Location(30.4703, -8.8770))
    await citizen.presses("⏭️")
    review = citizen.last_text
    assert review.startswith("Ẓr tiririyin nnk i « Ad nbḍu akal n lɛamma ɣ Lmdint taqburt »:")
    assert "→ Lmuṭurat d tkrrusin lli ittazzaln bahra, Tikrrusin lli ibddn" in review
    await citizen.presses("📨")
    assert citizen.last_text.startswith("Tanmmirt! Tiririyin nnk ttyaḥḍant.")

    [response] = await rows(db, ConsultationResponse)
    assert response.locale == "shi"
    answers = {a.question_key: a for a in await rows(db, ConsultationAnswer)}
    assert answers["getting_around"].text_value == "walk"
    assert answers["problems"].choice_values == ["speed", "parking"]
    assert answers["pedestrian_streets"].text_value == "some_hours"
    assert answers["which_streets"].text_value == "Ɣ tama n ssaḥt n Assarag"


async def test_a_tifinagh_reader_gets_the_tachelhit_texts_in_tifinagh(core, db):
    await open_consultation(db, MEDINA, START)
    medina = load_yaml(MEDINA)
    citizen = await tachelhit_citizen(core, "tfng", "ⴰⵣⵓⵍ", "ⵜⴰⵛⵍⵃⵉⵜ")
    await citizen.presses("🗳️")
    title = to_tifinagh(medina.title["shi"])
    assert citizen.transcript[-1].button_labels[0] == f"🗳️ {title}"
    await citizen.presses(f"🗳️ {title}")
    intro = citizen.last_text.split("\n\n")
    assert intro[:2] == [f"🗳️ {title}", to_tifinagh(medina.intro["shi"])], "and no gap note"
    await citizen.presses("▶️")
    question = medina.question("lives_or_works").label["shi"]
    assert to_tifinagh(question) in citizen.last_text
    assert [label for label in citizen.transcript[-1].button_labels[:2]] == ["ⵢⴰⵀ", "ⵓⵀⵓ"]


async def test_a_tachelhit_citizen_votes_in_the_quick_poll_in_tachelhit(core, db):
    await open_consultation(db, TALMQALAT_POLL, START)
    citizen = await tachelhit_citizen(core, "brahim", "Azul", "Taclḥit")
    await citizen.presses("🗳️ Ticawarin")
    [shown] = await citizen.presses("🗳️ Tawrcat n ssaḥt n Talmqalat")
    assert shown.poll is not None
    assert shown.poll.question == "Man lwqt ak iɛjbn i twrcat?"
    assert shown.poll.options[0] == "Ssbt ṣṣbaḥ"
    assert "ℹ️" not in shown.text and "Tajmaɛt rad tsmun imzdaɣ d imsbbabn" in shown.text
    sunday_morning = shown.poll.option_buttons[2]  # buttons where polls are not native
    [thanks] = await citizen.send_payload(ButtonPress(sunday_morning))
    assert thanks.text.startswith("✅ Tanmmirt, tafrant nnk tturam: Lḥdd ṣṣbaḥ.")
    assert thanks.text.endswith("Tanmmirt! Tabrat n laɛrḍ rad ak tini ass lli nstti.")

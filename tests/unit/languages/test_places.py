"""Place names in the reader's language: the catalogs' `place.<slug>` keys, else the name
as configured (transliterated for Tachelhit in Tifinagh or Arabic script)."""

import asyncio
from datetime import UTC, datetime

import pytest

import handlers.router  # noqa: F401  (registers the flows the greeting enters)
from handlers.citizens.onboarding import start_onboarding
from handlers.languages import (
    Translator,
    catalog_keys,
    place_key,
    place_name,
    quarter_label,
    to_arabic_script,
    to_tifinagh,
    translate,
)
from handlers.turns import CoreSettings, Turn
from handlers.types import Incoming, Text
from storage.models import Conversation


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Taroudant", "place.taroudant"),
        ("Derb Jdid", "place.derb_jdid"),
        ("Darb Al Afou", "place.darb_al_afou"),
        ("Aït Melloul", "place.ait_melloul"),
        ("Hay  Al-Massira 2", "place.hay_al_massira_2"),
    ],
)
def test_a_configured_name_has_a_key(name, key):
    assert place_key(name) == key


def test_the_default_commune_and_quarters_are_in_the_catalogs():
    settings = CoreSettings()
    names = [settings.commune_name, *(q for q in settings.commune_quarters if q != "Other")]
    assert {place_key(name) for name in names} <= catalog_keys("fr")


def test_arabic_readers_get_the_catalog_names():
    assert place_name("ar", "Taroudant") == "تارودانت"
    assert place_name("ary", "Derb Jdid") == "درب الجديد"
    assert place_name("ar", "Assarag") == "أسراك"
    assert place_name("fr", "Sidi Belkas") == "Sidi Belkas"


def test_tachelhit_readers_get_the_latin_name_in_their_script():
    assert place_name("shi", "Taroudant") == "Taroudant"
    assert place_name("shi-Tfng", "Taroudant") == "ⵜⴰⵔⵓⴷⴰⵏⵜ"
    assert place_name("shi-Arab", "Taroudant") == "تارودانت"
    assert place_name("shi-Tfng", "Talmqalat") == "ⵜⴰⵍⵎⵇⴰⵍⴰⵜ"


def test_a_name_no_catalog_translates_is_shown_as_configured():
    assert place_name("ar", "Hay Salam") == "Hay Salam"
    assert place_name("fr", "Hay Salam") == "Hay Salam"
    assert place_name("shi-Tfng", "Hay Salam") == to_tifinagh("Hay Salam") == "ⵀⴰⵢ ⵙⴰⵍⴰⵎ"
    assert place_name("shi-Arab", "Hay Salam") == to_arabic_script("Hay Salam") == "هاي سالام"
    assert place_name("ar", "حي السلام") == "حي السلام"


def test_a_quarter_label_is_its_name_and_other_is_a_word():
    assert quarter_label(Translator("ar"), "Derb Jdid") == "درب الجديد"
    assert quarter_label(Translator("ar"), "Other") == translate("ar", "quarter.other")
    assert quarter_label(Translator("shi-Tfng"), "Medina") == "ⵎⴻⴷⵉⵏⴰ"


def greeting(locale: str) -> str:
    conversation = Conversation(
        channel="test",
        channel_user_id="u",
        chat_id="u",
        locale=locale,
        flow="",
        step="",
        data={},
        version=1,
        updated_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    now = datetime(2026, 1, 1, tzinfo=UTC)
    incoming = Incoming("test", "u", "u", "1", Text("salam"))
    turn = Turn(incoming, conversation, None, CoreSettings(), now)  # type: ignore[arg-type]
    asyncio.run(start_onboarding(turn))
    turn.finish()
    return turn.replies[0].text


def test_the_greeting_names_the_commune_in_the_readers_script():
    assert "تارودانت" in greeting("ar") and "Taroudant" not in greeting("ar")
    assert "ⵜⴰⵔⵓⴷⴰⵏⵜ" in greeting("shi-Tfng")
    assert "تارودانت" in greeting("shi-Arab")
    assert "Taroudant" in greeting("fr")

"""How workshop texts are picked for a reader: their locale, Tifinagh and Arabic-script
Tachelhit transliterated from the Latin Tachelhit, else the nearest language staff wrote."""

from handlers.languages import to_arabic_script, to_tifinagh
from handlers.workshops import text_in

TEXTS = {
    "fr": "Atelier",
    "ar": "ورشة",
    "ary": "ورشة د الحومة",
    "ary-Latn": "Warcha",
    "shi": "Tawrcat",
}


def test_each_locale_reads_its_own_text():
    assert [text_in(TEXTS, locale) for locale in ("fr", "ar", "ary", "ary-Latn", "shi")] == [
        "Atelier", "ورشة", "ورشة د الحومة", "Warcha", "Tawrcat",
    ]  # fmt: skip


def test_tifinagh_readers_get_the_tachelhit_text_transliterated():
    assert text_in(TEXTS, "shi-Tfng") == to_tifinagh("Tawrcat") != "Tawrcat"
    assert text_in(TEXTS, "shi-Arab") == to_arabic_script("Tawrcat") == "تاورشات"


def test_a_missing_text_falls_back_to_french_then_arabic():
    assert text_in({"fr": "Atelier"}, "ary-Latn") == "Atelier"
    assert text_in({"ar": "ورشة"}, "shi-Tfng") == "ورشة"

"""Tachelhit in Arabic script: the transliteration of the Latin texts, and the `shi-Arab`
locale derived with it from the `shi` catalog."""

import pytest

from handlers.languages import (
    LOCALES,
    catalog_keys,
    derive_text,
    is_rtl,
    to_arabic_script,
    to_tifinagh,
    translate,
)


@pytest.mark.parametrize(
    ("latin", "arabic"),
    [
        ("azul", "أزول"),
        ("tanmmirt", "تانميرت"),
        ("tamdint", "تامدينت"),
        ("manik", "مانيك"),
        ("tachkayt", "تاشكايت"),
        ("tajmaɛt", "تاجماعت"),
        ("imzdaɣ", "إيمزداغ"),
        ("ur", "أور"),
        ("Taroudant", "تارودانت"),  # "ou" as French spelling writes u
    ],
)
def test_latin_tachelhit_becomes_arabic_script(latin, arabic):
    assert to_arabic_script(latin) == arabic


def test_each_consonant_has_its_letter():
    assert to_arabic_script("b t d ḍ ṭ s ṣ z ẓ r ṛ l m n f k g q") == (
        "ب ت د ض ط س ص ز ز ر ر ل م ن ف ك ڭ ق"
    )
    assert to_arabic_script("ɣ gh x kh ḥ ɛ h j c ch w y") == "غ غ خ خ ح ع ه ج ش ش و ي"


def test_doubled_consonants_are_written_once_and_the_schwa_not_at_all():
    assert to_arabic_script("tcekkayin") == "تشكايين"
    assert to_arabic_script("nnk") == "نك"
    assert to_arabic_script("ddew") == "دو"


def test_letters_typed_with_a_combining_dot_are_the_same_letters():
    assert to_arabic_script("d\u0323") == to_arabic_script("ḍ") == "ض"


def test_placeholders_commands_addresses_acronyms_numbers_and_emoji_are_kept():
    text = "azul {commune} /menu CNDP 09-08 chikaya.ma TRD-26-7K3Q9 Tachawor 24 ✅"
    assert to_arabic_script(text) == (
        "أزول {commune} /menu CNDP 09-08 chikaya.ma TRD-26-7K3Q9 Tachawor 24 ✅"
    )


def test_punctuation_takes_its_arabic_form_except_a_decimal_comma():
    assert to_arabic_script("is tqblt?") == "إيس تقبلت؟"
    assert to_arabic_script("azul, tanmmirt; 75,0 %") == "أزول، تانميرت؛ 75,0 %"


def test_derived_locales_transliterate_tachelhit_and_others_leave_a_text_as_it_is():
    assert derive_text("shi-Arab", "azul") == "أزول"
    assert derive_text("shi-Tfng", "azul") == to_tifinagh("azul") == "ⴰⵣⵓⵍ"
    for locale in ("fr", "ar", "ary", "ary-Latn", "shi", "xx"):
        assert derive_text(locale, "azul") == "azul"


def test_the_arabic_script_locale_is_tachelhit_right_to_left():
    info = LOCALES["shi-Arab"]
    assert (info.language, info.script, info.catalog, info.derived_by) == (
        "shi", "Arab", "shi", "arabic",
    )  # fmt: skip
    assert is_rtl("shi-Arab")
    assert translate("shi-Arab", "language.name") == "تاشلحيت"


def test_every_locale_has_every_key_of_the_reference_catalog():
    for locale in LOCALES:
        assert catalog_keys(locale) == catalog_keys("fr"), locale


def test_the_arabic_script_catalog_is_the_latin_one_transliterated():
    for key in ("greeting", "consent.accepted", "menu.title"):
        assert translate("shi-Arab", key) == to_arabic_script(translate("shi", key))
    assert "{commune}" in translate("shi-Arab", "greeting")
    assert translate("shi-Arab", "consent.accepted").startswith("تانميرت")

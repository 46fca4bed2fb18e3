from handlers.languages.tifinagh import from_tifinagh, to_tifinagh


def test_latin_tachelhit_becomes_tifinagh():
    assert to_tifinagh("azul") == "ⴰⵣⵓⵍ"
    assert to_tifinagh("tanmmirt") == "ⵜⴰⵏⵎⵎⵉⵔⵜ"
    assert to_tifinagh("ɣ tmdint") == "ⵖ ⵜⵎⴷⵉⵏⵜ"


def test_u_spelt_the_french_way_is_one_letter():
    assert to_tifinagh("Taroudant") == "ⵜⴰⵔⵓⴷⴰⵏⵜ"


def test_placeholders_commands_and_acronyms_are_untouched():
    text = to_tifinagh("azul {commune} /menu CNDP 09-08 chikaya.ma")
    assert text == "ⴰⵣⵓⵍ {commune} /menu CNDP 09-08 chikaya.ma"


def test_tifinagh_reads_back_in_latin_letters():
    assert from_tifinagh("ⵜⴰⵛⴽⴰⵢⵜ ⴰⵣⵓⵍ") == "tachkayt azul"
    assert from_tifinagh(to_tifinagh("tanmmirt, ɣid")) == "tanmmirt, ghid"
    assert from_tifinagh("TRD-26-7K3Q9 salam") == "TRD-26-7K3Q9 salam"

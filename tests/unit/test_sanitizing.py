from handlers.sanitizing import clean_text


def test_bidi_overrides_and_zero_width_characters_are_removed():
    assert clean_text("\u202eabc\u202c \u200bsalam\u2066") == "abc salam"


def test_control_characters_go_newlines_stay():
    assert clean_text("a\x00b\x07c\nd\te") == "abc\nd\te"


def test_arabic_is_kept_and_normalised():
    assert clean_text("  السلام عليكم \u200f") == "السلام عليكم"


def test_only_invisible_characters_make_an_empty_message():
    assert clean_text("\u200e\u200f\u202a \n") == ""

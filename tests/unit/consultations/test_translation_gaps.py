"""A consultation read in another language than the citizen's: its intro (an announcement,
a quick poll's message) says so once, in the citizen's language, naming the language shown;
Tifinagh read from the Tachelhit text is the same language, not a gap."""

from __future__ import annotations

import pytest

from handlers.consultations.broadcasts import announcement
from handlers.consultations.quick_polls import poll_message
from handlers.consultations.views import intro_text, text_for, translation_gap
from handlers.languages import to_arabic_script, to_tifinagh, translate
from storage.models import Citizen
from surveys.definitions import LANGUAGES
from surveys.documents import consultation_from_document
from surveys.yaml_loader import load_yaml
from tests.consultations import SAMPLES, quick_poll_document, written_in

READERS = ("fr", "ar", "ary", "ary-Latn", "shi", "shi-Tfng", "shi-Arab")


def note(locale: str, shown: str) -> str:
    name = translate(locale, f"language.name_of.{shown}")
    return translate(locale, "consultation.translation_gap", language=name)


def notes_in(text: str, locale: str) -> list[str]:
    """The gap notes (for any language shown) that `text` carries."""
    return [note(locale, shown) for shown in LANGUAGES if note(locale, shown) in text]


@pytest.mark.parametrize(
    ("languages", "shown"),
    [
        (("fr", "ar"), {"fr": None, "ar": None, "ary": "ar", "ary-Latn": "ar", "shi": "ar",
                        "shi-Tfng": "ar", "shi-Arab": "ar"}),
        (("fr", "ary"), {"fr": None, "ar": "ary", "ary": None, "ary-Latn": "ary", "shi": "ary",
                         "shi-Tfng": "ary", "shi-Arab": "ary"}),
        (("fr", "shi"), {"fr": None, "ar": "fr", "ary": "fr", "ary-Latn": "fr", "shi": None,
                         "shi-Tfng": None, "shi-Arab": None}),
        (("fr",), {"fr": None, "ar": "fr", "ary": "fr", "ary-Latn": "fr", "shi": "fr",
                   "shi-Tfng": "fr", "shi-Arab": "fr"}),
    ],
    ids=lambda value: "+".join(value) if isinstance(value, tuple) else None,
)  # fmt: skip
def test_the_intro_tells_once_when_the_language_differs(languages, shown):
    consultation = consultation_from_document(written_in(*languages))
    for locale, language in shown.items():
        parts = intro_text(consultation, locale).split("\n\n")
        if language is None:
            assert not notes_in("\n\n".join(parts), locale), locale
            assert translation_gap(consultation, locale) is None
        else:
            assert notes_in("\n\n".join(parts), locale) == [note(locale, language)], locale
            assert parts[1] == note(locale, language), "right under the title"


def test_the_note_names_the_language_in_the_readers_own():
    consultation = consultation_from_document(written_in("fr", "ar"))
    assert translation_gap(consultation, "shi") == (
        "ℹ️ Tacawart ad ur ta tlli s wawal nnk: tura s tɛrabt."
    )
    assert translation_gap(consultation, "ary") == (
        "ℹ️ هاد الاستشارة باقي ما تترجماتش للغة ديالك: راك كتقراها بالعربية."
    )
    assert translation_gap(consultation, "shi-Tfng") == to_tifinagh(
        "ℹ️ Tacawart ad ur ta tlli s wawal nnk: tura s tɛrabt."
    )
    only_arabic = consultation_from_document(written_in("ar", "ary"))
    assert translation_gap(only_arabic, "fr") == (
        "ℹ️ Cette consultation n'est pas encore traduite dans votre langue : vous la lisez en arabe."
    )


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_no_reader_of_a_sample_is_told_of_a_gap(path):
    consultation = load_yaml(path)
    for locale in READERS:
        assert translation_gap(consultation, locale) is None, locale
    title = consultation.title["shi"]
    assert text_for(consultation, consultation.title, "shi-Tfng") == to_tifinagh(title)
    assert text_for(consultation, consultation.title, "shi-Arab") == to_arabic_script(title)


def test_a_quick_poll_and_an_announcement_carry_the_note():
    poll = consultation_from_document(quick_poll_document())
    message = poll_message("c1", "shi", 7, poll)
    assert notes_in(message.text, "shi") == [note("shi", "fr")]
    assert message.poll is not None and message.poll.question == "Quel créneau ?"
    assert not notes_in(poll_message("c1", "fr", 7, poll).text, "fr")

    consultation = consultation_from_document(written_in("fr", "ar"))
    reader = Citizen(chat_id="c2", language="shi", script="Latn")
    text = announcement(reader, 7, consultation).text
    assert notes_in(text, "shi") == [note("shi", "ar")]
    assert text.index(note("shi", "ar")) < text.index("Trois questions. [ar]")

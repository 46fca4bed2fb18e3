"""The language detector against hand-labelled citizen messages: the tuning set, and a
held-out set written apart from it (never used to tune the rules or train the model)."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from handlers.languages import follow_script, locale_of_text
from handlers.languages.detection import DetectedLanguage, describe_detection, detect_language
from handlers.languages.ngrams import TRAINING, read_labelled
from handlers.turns import CoreSettings, Turn
from handlers.types import Incoming, Text
from storage.models import Conversation

DATA = Path(__file__).parent / "data"
SAMPLES = DATA / "language_samples.tsv"
HELDOUT = DATA / "language_heldout.tsv"
SUPPORTED = {"ary", "ary-Latn", "ar", "fr", "shi", "shi-Arab", "shi-Tfng", "en", "und"}
DARIJA = {"ary", "ary-Latn"}
NEUTRAL = (
    "TRD-26-ABCDE",
    "trd-26-7k3q9",
    "TRD 26 7K3Q9",
    "3",
    "15/03",
    "0661234567",
    "👍",
    "🙏🙏",
    "ok",
    "OK.",
    "hhhh",
    "lol",
    "?!",
    "...",
    "/start",
    "https://taroudant.ma/consultations",
    "Talmqalat",
    "Derb Jdid",
    "Sidi Belkas",
    "Darb Al Afou",
    "Assarag",
    "Medina",
    "Taroudant",
    "درب الجديد",
    "سيدي بلقاس",
    "تالمقلات",
    "أسراك",
    "المدينة",
    "تارودانت",
)


def predictions(path: Path) -> list[tuple[str, str, str]]:
    return [(label, detect_language(text).code, text) for label, text in read_labelled(path)]


def confusion_summary(rows: list[tuple[str, str, str]]) -> str:
    pairs = Counter((label, got) for label, got, _ in rows if label != got)
    lines = [f"{label} -> {got}: {count}" for (label, got), count in pairs.most_common()]
    misses = [f"  [{label} -> {got}] {text}" for label, got, text in rows if label != got]
    return "\n".join(["confusions:", *lines, "misses:", *misses[:40]])


def accuracy(rows: list[tuple[str, str, str]]) -> float:
    return sum(label == got for label, got, _ in rows) / len(rows)


def test_sample_set_is_well_formed() -> None:
    samples = read_labelled(SAMPLES)
    assert len(samples) >= 700
    assert {label for label, _ in samples} <= SUPPORTED
    assert all(text.strip() for _, text in samples)


def test_training_file_is_well_formed_and_apart_from_the_samples() -> None:
    training = read_labelled(TRAINING)
    assert {label for label, _ in training} <= SUPPORTED
    assert all(text.strip() for _, text in training)
    assert not {text for _, text in training} & {text for _, text in read_labelled(SAMPLES)}


def test_overall_accuracy() -> None:
    rows = predictions(SAMPLES)
    assert accuracy(rows) >= 0.95, f"accuracy {accuracy(rows):.3f}\n{confusion_summary(rows)}"


def test_darija_recall() -> None:
    rows = [row for row in predictions(SAMPLES) if row[0] in DARIJA]
    assert accuracy(rows) >= 0.93, f"Darija recall {accuracy(rows):.3f}\n{confusion_summary(rows)}"


@pytest.mark.skipif(not HELDOUT.exists(), reason="no held-out set")
def test_heldout_texts_were_not_trained_on() -> None:
    held_out = {text for _, text in read_labelled(HELDOUT)}
    shared = held_out & {text for _, text in read_labelled(TRAINING)}
    assert not shared, f"texts of the held-out set in the training file: {sorted(shared)}"


@pytest.mark.skipif(not HELDOUT.exists(), reason="no held-out set")
def test_heldout_accuracy_and_darija_recall() -> None:
    rows = predictions(HELDOUT)
    darija = [row for row in rows if row[0] in DARIJA]
    summary = confusion_summary(rows)
    assert accuracy(rows) >= 0.95, f"held-out accuracy {accuracy(rows):.3f}\n{summary}"
    assert accuracy(darija) >= 0.93, f"held-out Darija recall {accuracy(darija):.3f}\n{summary}"


def test_code_switching_darija_latin() -> None:
    assert detect_language("salam, bghit n9dm chikaya").code == "ary-Latn"
    assert detect_language("bghit n9dm réclamation 3la l'éclairage public").code == "ary-Latn"
    assert detect_language("le camion de poubelle ma daz ch").code == "ary-Latn"
    assert detect_language("l'ambulance t3tlat").code == "ary-Latn"


def test_darija_in_arabic_script_with_french_words_is_darija() -> None:
    assert detect_language("merci بزاف").code == "ary"
    assert detect_language("la commune ما جاوباتش").code == "ary"
    assert detect_language("عندي problème فالفاتورة").code == "ary"


def test_short_darija_in_arabic_script() -> None:
    for text in ("الله يحفظك", "فدرب الجديد", "جوج", "حتى واحد ما جا", "تبارك الله عليكم"):
        assert detect_language(text).code == "ary", text


def test_arabizi_negation() -> None:
    assert detect_language("ma bghitch").code == "ary-Latn"
    assert detect_language("ma fhmt walo").code == "ary-Latn"


def test_tachelhit_in_arabic_script() -> None:
    for text in (
        "أزول",
        "مانيك أ تڭيت؟",
        "مانزا لبيرو ن لحالة المدنية؟",
        "تانمّيرت باهرا",
        "ريغ أد سكرغ تاشكايت",
        "أور فهيمغ ماد تنّيت",
        "أور إلّي أمان ڭ تڭمّي",
    ):
        assert detect_language(text).code == "shi-Arab", text


def test_standard_arabic_and_darija_are_told_apart_from_tachelhit() -> None:
    assert detect_language("هل يوجد ماء في الحي؟").code == "ar"
    assert detect_language("واش كاين الما فالحومة؟").code == "ary"


def test_short_french_greeting() -> None:
    assert detect_language("Bonjour") == DetectedLanguage("fr", True)


def test_greeting_then_standard_arabic() -> None:
    assert detect_language("السلام عليكم، أريد تقديم شكاية").code == "ar"


def test_arabic_script_darija() -> None:
    assert detect_language("واش كاين شي جديد على الزنقة ديالنا").code == "ary"


def test_tifinagh() -> None:
    assert detect_language("ⴰⵣⵓⵍ ⴼⵍⵍⴰⵡⵏ").code == "shi-Tfng"
    # ⵣ alone is the Amazigh flag as often as a letter: the words around it decide.
    assert detect_language("ⵣ") == DetectedLanguage("shi-Tfng", False)
    assert detect_language("salam khoya labas ⵣ").code == "ary-Latn"


def test_nothing_to_go_on_is_undetermined() -> None:
    for text in ("😀🎉👍", "", "   ", "12345 !!!", *NEUTRAL):
        assert detect_language(text) == DetectedLanguage("und", False), text
        assert locale_of_text(text) is None, text


def test_place_names_and_tracking_numbers_are_no_evidence() -> None:
    assert detect_language("Sidi Belkas bla dow").code == "ary-Latn"
    assert detect_language("J'habite Talmqalat depuis dix ans").code == "fr"
    assert detect_language("I live in Talmqalat").code == "en"
    assert detect_language("TRD-26-ABCDE wach tsl7at?").code == "ary-Latn"
    assert detect_language("رقم شكايتي هو TRD-26-ABCDE").code == "ar"
    assert detect_language("أزول، نكّي زڭ تالمقلات").code == "shi-Arab"
    # Without a dash, only capitals or a code of letters and digits are a number.
    assert detect_language("wach 15 minut kafya?").code == "ary-Latn"


def test_bidi_and_zero_width_characters_are_ignored() -> None:
    assert detect_language("\u202bواش\u200f كاين شي\u200e جديد\u202c").code == "ary"
    assert detect_language("\u2067bghit\u2069 n9dm\u200b chikaya").code == "ary-Latn"


def test_repeated_letters_still_match() -> None:
    assert detect_language("bzzzzaf").code == "ary-Latn"
    assert detect_language("Salaaaam").code == "ary-Latn"


def test_long_message_returns_a_code() -> None:
    result = detect_language(("bghit n9dm chikaya 3la zbel f l7awma " * 300)[:10240])
    assert result.code in SUPPORTED
    assert detect_language("x" * 10240).code


def test_describe_detection() -> None:
    assert describe_detection("salam, bghit n9dm chikaya\n") == (
        "ary-Latn\tsalam, bghit n9dm chikaya"
    )


def test_importing_the_detector_trains_nothing_and_leaves_langdetect_unloaded() -> None:
    check = (
        "import sys, handlers.languages.detection as d; "
        "assert d.ngram_model.cache_info().currsize == 0; assert 'langdetect' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", check], check=True)


# --- Following the citizen's script -------------------------------------------------------


def turn_in(locale: str) -> Turn:
    conversation = Conversation(
        channel="test",
        channel_user_id="u",
        chat_id="u",
        locale=locale,
        flow="menu",
        step="main",
        data={},
        version=1,
        updated_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    incoming = Incoming("test", "u", "u", "1", Text("x"))
    return Turn(incoming, conversation, None, CoreSettings(), datetime(2026, 1, 1, tzinfo=UTC))  # type: ignore[arg-type]


@pytest.mark.parametrize("locale", ["ary", "ary-Latn", "shi", "shi-Arab", "fr"])
def test_neutral_messages_never_switch_language_or_script(locale: str) -> None:
    turn = turn_in(locale)
    for text in NEUTRAL:
        follow_script(turn, text)
        assert turn.locale == locale, text


def test_a_single_latin_word_does_not_switch_an_arabic_script_citizen() -> None:
    turn = turn_in("ary")
    for text in ("wakha", "safi", "la", "fin", "sidi", "nta", "Salaaam", "bzaf", "3afak"):
        follow_script(turn, text)
        assert turn.locale == "ary", text


def test_a_clear_message_in_the_other_script_switches_script_not_language() -> None:
    turn = turn_in("ary")
    follow_script(turn, "bghit n9dm chikaya 3la zbel")
    assert turn.locale == "ary-Latn"
    follow_script(turn, "واش كاين شي جديد على الزنقة ديالنا")
    assert turn.locale == "ary"
    follow_script(turn, "Bonjour, je voudrais signaler un lampadaire en panne")
    assert turn.locale == "ary"


def test_tachelhit_follows_into_arabic_script() -> None:
    turn = turn_in("shi")
    follow_script(turn, "أزول، ريغ أد سكرغ تاشكايت ن أمان")
    assert turn.locale == "shi-Arab"
    follow_script(turn, "ur illi waman g tgmmi nngh")
    assert turn.locale == "shi"

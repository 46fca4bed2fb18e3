"""The language detector against a hand-labelled set of citizen messages."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from handlers.languages.detection import DetectedLanguage, describe_detection, detect_language

SAMPLES = Path(__file__).parent / "data" / "language_samples.tsv"
SUPPORTED = {"ary", "ary-Latn", "ar", "fr", "shi", "shi-Tfng", "en", "und"}
DARIJA = {"ary", "ary-Latn"}


def load_samples() -> list[tuple[str, str]]:
    with SAMPLES.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [(row["label"], row["text"]) for row in reader]


def predictions() -> list[tuple[str, str, str]]:
    return [(label, detect_language(text).code, text) for label, text in load_samples()]


def confusion_summary(rows: list[tuple[str, str, str]]) -> str:
    pairs = Counter((label, got) for label, got, _ in rows if label != got)
    lines = [f"{label} -> {got}: {count}" for (label, got), count in pairs.most_common()]
    misses = [f"  [{label} -> {got}] {text}" for label, got, text in rows if label != got]
    return "\n".join(["confusions:", *lines, "misses:", *misses[:40]])


def test_sample_set_is_well_formed() -> None:
    samples = load_samples()
    assert len(samples) >= 300
    assert {label for label, _ in samples} <= SUPPORTED
    assert all(text.strip() for _, text in samples)


def test_overall_accuracy() -> None:
    rows = predictions()
    accuracy = sum(label == got for label, got, _ in rows) / len(rows)
    assert accuracy >= 0.90, f"accuracy {accuracy:.3f}\n{confusion_summary(rows)}"


def test_darija_recall() -> None:
    rows = [row for row in predictions() if row[0] in DARIJA]
    recall = sum(label == got for label, got, _ in rows) / len(rows)
    assert recall >= 0.85, f"Darija recall {recall:.3f}\n{confusion_summary(rows)}"


def test_code_switching_darija_latin() -> None:
    assert detect_language("salam, bghit n9dm chikaya").code == "ary-Latn"
    assert detect_language("bghit n9dm réclamation 3la l'éclairage public").code == "ary-Latn"


def test_short_french_greeting() -> None:
    assert detect_language("Bonjour") == DetectedLanguage("fr", True)


def test_greeting_then_standard_arabic() -> None:
    assert detect_language("السلام عليكم، أريد تقديم شكاية").code == "ar"


def test_arabic_script_darija() -> None:
    assert detect_language("واش كاين شي جديد على الزنقة ديالنا").code == "ary"


def test_tifinagh() -> None:
    assert detect_language("ⴰⵣⵓⵍ ⴼⵍⵍⴰⵡⵏ").code == "shi-Tfng"


def test_nothing_to_go_on_is_undetermined() -> None:
    for text in ("😀🎉👍", "", "   ", "12345 !!!", "0661234567"):
        assert detect_language(text) == DetectedLanguage("und", False), text


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

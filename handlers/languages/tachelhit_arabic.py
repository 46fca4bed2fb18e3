"""Tachelhit in Arabic script, derived from the Latin catalog as Souss writers spell it:
one letter per consonant (a doubled one written once, no shadda), a, i, u written ا ي و
(with a hamza at the start of a word), the schwa not written."""

from __future__ import annotations

import re

from handlers.languages.tifinagh import outside_kept

# Longest sequences first: digraph spellings before single letters. ṛ and ẓ lose their
# emphasis (ر ز), as in ordinary writing; ڭ is the g of Moroccan signs and schoolbooks.
CONSONANTS: tuple[tuple[str, str], ...] = (
    ("gh", "غ"), ("kh", "خ"), ("ch", "ش"), ("sh", "ش"),
    ("b", "ب"), ("c", "ش"), ("d", "د"), ("ḍ", "ض"), ("ɛ", "ع"), ("f", "ف"), ("g", "ڭ"),
    ("ɣ", "غ"), ("h", "ه"), ("ḥ", "ح"), ("j", "ج"), ("k", "ك"), ("l", "ل"), ("m", "م"),
    ("n", "ن"), ("p", "ب"), ("q", "ق"), ("r", "ر"), ("ṛ", "ر"), ("s", "س"), ("ṣ", "ص"),
    ("t", "ت"), ("ṭ", "ط"), ("v", "ف"), ("w", "و"), ("x", "خ"), ("y", "ي"), ("z", "ز"),
    ("ẓ", "ز"),
)  # fmt: skip
# A vowel inside a word, and at its start. "ou" is u as French spelling writes it
# (Taroudant); the schwa e is not written; labialisation (gʷ) is read as a following u.
VOWELS: dict[str, tuple[str, str]] = {
    "a": ("ا", "أ"),
    "i": ("ي", "إي"),
    "u": ("و", "أو"),
    "ou": ("و", "أو"),
    "o": ("و", "أو"),
    "ʷ": ("و", "و"),
    "e": ("", ""),
}
# Latin punctuation that has an Arabic form; a decimal comma (1,5) stays.
PUNCTUATION = {"?": "؟", ";": "؛", ",": "،"}

_CONSONANTS = dict(CONSONANTS)
_SOUNDS = re.compile(
    "|".join(re.escape(s) for s in sorted([*_CONSONANTS, *VOWELS], key=len, reverse=True))
)
_WORD = re.compile(r"[^\W\d_]+")
_PUNCTUATION = re.compile(r"[?;]|,(?!\d)")


def _sounds(latin: str) -> list[str]:
    """The sounds of a word, letters with no Tachelhit value (é, ç) kept as they are."""
    pieces: list[str] = []
    position = 0
    while position < len(latin):
        match = _SOUNDS.match(latin, position)
        pieces.append(match.group(0) if match else latin[position])
        position = match.end() if match else position + 1
    return pieces


def _word(latin: str) -> str:
    letters: list[str] = []
    previous = ""
    for position, sound in enumerate(_sounds(latin)):
        if sound in VOWELS:
            letters.append(VOWELS[sound][position == 0])
            previous = ""
            continue
        letter = _CONSONANTS.get(sound, sound)
        if letter != previous:  # a doubled consonant is written once
            letters.append(letter)
        previous = letter
    return "".join(letters)


def _transliterate_run(text: str) -> str:
    words = _WORD.sub(lambda match: _word(match.group(0)), text.lower())
    return _PUNCTUATION.sub(lambda match: PUNCTUATION[match.group(0)], words)


def to_arabic_script(text: str) -> str:
    """Transliterate Latin-script Tachelhit, leaving placeholders and names untouched."""
    return outside_kept(text, _transliterate_run)

"""Spelling-forgiving word forms: what a typed word and a vocabulary word are compared by.

People type the same word many ways: "Chikaya", "chikaia", "chkaya", "shikaya",
"CHIKAAAYA"; "réclamation" and "reclamation"; "شكاية" and "شكايه"; "ⵜⴰⵛⴽⴰⵢⵜ" for
"tachkayt". Each word becomes a few *forms* (the word, and without a clitic article:
"lwarcha" → "warcha", "الشكاية" → "شكايه") and each form a *key*:

- everywhere: the detector's `normalise` (NFKC, lower case, no bidi or zero-width
  characters, tatweel or harakat), and a letter repeated in a row counts once;
- Arabic script: أ إ آ ٱ → ا, ى ئ → ي, ؤ → و, ة → ه, ڭ گ ݣ → ك, ڤ → ف;
- Tifinagh: read in Latin letters (`from_tifinagh`, the catalog's own table);
- Latin script: no accents, ɣ → gh, ɛ → 3, "sh" → "ch"; the Arabizi digits as letters
  (3 → a, 7 → h, 9 → q, 5 → kh, 8 → gh, 2 → a); then the key keeps the first letter and
  the consonants ("chikaya" → "chk"); a word with fewer than three consonants is
  compared whole ("lma", "dyal": two consonants say too little), "ou" as "u" and "y" as
  "i" ("3lia" = "3liya").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Final

from handlers.languages import from_tifinagh, normalise, writing_script

_WORD: Final = re.compile(r"[^\W_]+")
_REPEAT: Final = re.compile(r"(\D)\1+")
# Beyond the alefs, ى and ة that `normalise` folds: the other letters typed for one sound.
_ARABIC_FOLD: Final = str.maketrans(
    {"ئ": "ي", "ؤ": "و", "ڭ": "ك", "گ": "ك", "ݣ": "ك", "ڤ": "ف", "ک": "ك", "ی": "ي"}
)
_LATIN_LETTERS: Final = str.maketrans(
    {"ɣ": "gh", "ɛ": "3", "ε": "3", "ƹ": "3", "ø": "o", "ß": "ss"}
)
_ARABIZI: Final = (("5", "kh"), ("8", "gh"), ("3", "a"), ("7", "h"), ("9", "q"), ("2", "a"))
_VOWELS: Final = re.compile("[aeiouy]")
_LATIN_ARTICLE: Final = re.compile(r"^(?:l|el|al)(?=[b-df-hj-np-tv-z3579]\w{3,})")
_ARABIC_PREFIXES: Final = ("وال", "فال", "بال", "كال", "لل", "ال", "و", "ف", "ب", "ل")
_SHORTEST_SKELETON: Final = 3
_SHORTEST_STEM: Final = 2


@dataclass(frozen=True, slots=True)
class Word:
    """A typed word: its spellings (`forms`) and the keys they are compared by."""

    text: str
    forms: tuple[str, ...]
    keys: frozenset[str]


def words(text: str) -> list[Word]:
    """The words of a message, each with its forms and keys."""
    return [word_of(token) for token in _WORD.findall(normalise(text)) if not token.isdigit()]


def word_of(token: str) -> Word:
    forms = _forms(_spelling(token))
    return Word(token, forms, frozenset(key_of(form) for form in forms))


def _is_arabic(token: str) -> bool:
    return writing_script(token) == "Arab"


def _spelling(token: str) -> str:
    """The word folded to its canonical letters (see the module docstring)."""
    if _is_arabic(token):
        folded = token.translate(_ARABIC_FOLD)
        article = "ال" if folded.startswith("الل") else ""  # اللغة: the article, then لغة
        return article + _REPEAT.sub(r"\1", folded[len(article) :])
    latin = from_tifinagh(token).translate(_LATIN_LETTERS)
    latin = "".join(
        char for char in unicodedata.normalize("NFD", latin) if not unicodedata.combining(char)
    )
    if any(char.isalpha() for char in latin):
        for digit, letters in _ARABIZI:
            latin = latin.replace(digit, letters)
    return _REPEAT.sub(r"\1", latin.replace("sh", "ch"))


def _forms(spelling: str) -> tuple[str, ...]:
    """The word, and the word without a glued article or conjunction."""
    forms = [spelling]
    if _is_arabic(spelling):
        for prefix in _ARABIC_PREFIXES:
            stem = spelling.removeprefix(prefix)
            if stem != spelling and len(stem) > _SHORTEST_STEM:
                forms.append(stem)
    elif (article := _LATIN_ARTICLE.match(spelling)) is not None:
        forms.append(spelling[article.end() :])
    return tuple(dict.fromkeys(forms))


def key_of(form: str) -> str:
    """What two spellings of one word have in common (see the module docstring)."""
    if _is_arabic(form) or not form.isascii():
        return form
    skeleton = form[0] + _VOWELS.sub("", form[1:])
    if len(skeleton) >= _SHORTEST_SKELETON:
        return skeleton
    return _REPEAT.sub(r"\1", form.replace("ou", "u").replace("y", "i"))  # "3lia" = "3liya"


def vocabulary_spelling(word: str) -> str:
    """A vocabulary word's spelling, without an Arabic article (typed words are looked
    at without theirs too)."""
    spelling = _spelling(normalise(word.removesuffix("*")))
    if _is_arabic(spelling) and spelling.startswith("ال") and len(spelling) > 4:
        spelling = spelling[2:]
    return spelling


def vocabulary_key(word: str) -> str:
    return key_of(vocabulary_spelling(word))

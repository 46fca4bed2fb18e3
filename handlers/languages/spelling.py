"""How the detector reads a message before judging it: one spelling per letter (NFKC, no
bidi or zero-width marks, no harakat, lower case, one alef), then words."""

from __future__ import annotations

import re
import unicodedata
from typing import Final

_INVISIBLE: Final = re.compile(
    "[\u200b-\u200f\u202a-\u202e\u2060-\u2069\u061c\ufeff\u0640\u064b-\u0652\u0670]"
)
_ARABIC_FOLD: Final = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
_TOKEN: Final = re.compile(r"[^\W_]+")
_REPEAT: Final = re.compile(r"(\D)\1+")
_LONG_REPEAT: Final = re.compile(r"(\D)\1{2,}")


def normalise(text: str) -> str:
    """NFKC, no bidi/zero-width/control characters or harakat, lower case, folded alefs."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    return text.lower().translate(_ARABIC_FOLD)


def squeeze(word: str) -> str:
    """Collapse repeated letters (not digits): "salaaam" -> "salam", "bzzaf" -> "bzaf"."""
    return _REPEAT.sub(r"\1", word)


def has_repeat(word: str) -> bool:
    return _REPEAT.search(word) is not None


def words(normalised: str) -> list[str]:
    """The words of a normalised text, numbers left out, letters typed three times or more
    ("bzzzzaf", "شكراااا") brought down to two."""
    squeezed = _LONG_REPEAT.sub(r"\1\1", normalised)
    return [token for token in _TOKEN.findall(squeezed) if not token.isdigit()]


def writing_script(text: str) -> str:
    """ "Tfng" if the text has Tifinagh letters, else "Arab" if it has Arabic ones, else
    "Latn" (the script a reply in Darija or Tachelhit should follow)."""
    if any("\u2d30" <= char <= "\u2d7f" for char in text):
        return "Tfng"
    if any("\u0600" <= char <= "\u06ff" or "\u0750" <= char <= "\u077f" for char in text):
        return "Arab"
    return "Latn"

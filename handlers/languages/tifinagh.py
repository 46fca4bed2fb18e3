"""Tachelhit in Tifinagh, derived from the Latin catalog (IRCAM correspondences), so the
translators keep one Tachelhit text and citizens who write Tifinagh are answered in it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

# Longest sequences first: labialised and digraph spellings before single letters ("ou"
# is u as French spelling writes it, in names such as Taroudant).
LATIN_TO_TIFINAGH: tuple[tuple[str, str], ...] = (
    ("gʷ", "ⴳⵯ"), ("kʷ", "ⴽⵯ"), ("gh", "ⵖ"), ("kh", "ⵅ"), ("ch", "ⵛ"), ("sh", "ⵛ"),
    ("ou", "ⵓ"),
    ("a", "ⴰ"), ("b", "ⴱ"), ("c", "ⵛ"), ("d", "ⴷ"), ("ḍ", "ⴹ"), ("e", "ⴻ"), ("ɛ", "ⵄ"),
    ("f", "ⴼ"), ("g", "ⴳ"), ("ɣ", "ⵖ"), ("h", "ⵀ"), ("ḥ", "ⵃ"), ("i", "ⵉ"), ("j", "ⵊ"),
    ("k", "ⴽ"), ("l", "ⵍ"), ("m", "ⵎ"), ("n", "ⵏ"), ("o", "ⵓ"), ("p", "ⴱ"), ("q", "ⵇ"),
    ("r", "ⵔ"), ("ṛ", "ⵕ"), ("s", "ⵙ"), ("ṣ", "ⵚ"), ("t", "ⵜ"), ("ṭ", "ⵟ"), ("u", "ⵓ"),
    ("v", "ⴼ"), ("w", "ⵡ"), ("x", "ⵅ"), ("y", "ⵢ"), ("z", "ⵣ"), ("ẓ", "ⵥ"),
)  # fmt: skip

# Placeholders, commands, addresses and acronyms stay in Latin letters.
KEEP_AS_IS = re.compile(r"\{[^}]*\}|/[a-z_]+|\S+\.\S+|\b[A-Z0-9][A-Z0-9-]+\b|Tachawor")
_LETTERS = re.compile("|".join(re.escape(latin) for latin, _ in LATIN_TO_TIFINAGH))
_TABLE = dict(LATIN_TO_TIFINAGH)
# Tifinagh read back in Latin letters, one spelling per letter (IRCAM values, digraphs
# as the catalogs write them), for reading what citizens type in Tifinagh.
_BACK = str.maketrans(
    {"ⴰ": "a", "ⴱ": "b", "ⵛ": "ch", "ⴷ": "d", "ⴹ": "ḍ", "ⴻ": "e", "ⵄ": "ɛ", "ⴼ": "f",
     "ⴳ": "g", "ⵖ": "gh", "ⵀ": "h", "ⵃ": "ḥ", "ⵉ": "i", "ⵊ": "j", "ⴽ": "k", "ⵅ": "kh",
     "ⵍ": "l", "ⵎ": "m", "ⵏ": "n", "ⵓ": "u", "ⵇ": "q", "ⵔ": "r", "ⵕ": "ṛ", "ⵙ": "s",
     "ⵚ": "ṣ", "ⵜ": "t", "ⵟ": "ṭ", "ⵡ": "w", "ⵢ": "y", "ⵣ": "z", "ⵥ": "ẓ",
     "ⵯ": "", "ⵠ": "v", "ⵒ": "p", "ⴶ": "g", "ⴿ": "k", "ⵞ": "tch", "ⵘ": "ng"}
)  # fmt: skip


def _transliterate_run(text: str) -> str:
    return _LETTERS.sub(lambda match: _TABLE[match.group(0)], text.lower())


def outside_kept(text: str, transliterate: Callable[[str], str]) -> str:
    """`transliterate` applied to the text between what KEEP_AS_IS keeps (letters with a
    combining dot, as some keyboards type ḍ, first made one letter)."""
    text = unicodedata.normalize("NFC", text)
    pieces: list[str] = []
    position = 0
    for kept in KEEP_AS_IS.finditer(text):
        pieces.append(transliterate(text[position : kept.start()]))
        pieces.append(kept.group(0))
        position = kept.end()
    pieces.append(transliterate(text[position:]))
    return "".join(pieces)


def to_tifinagh(text: str) -> str:
    """Transliterate Latin-script Tachelhit, leaving placeholders and names untouched."""
    return outside_kept(text, _transliterate_run)


def from_tifinagh(text: str) -> str:
    """Tifinagh read in Latin letters ("ⵜⴰⵛⴽⴰⵢⵜ" → "tachkayt"); anything else unchanged."""
    return text.translate(_BACK)

"""Tachelhit in Tifinagh, derived from the Latin catalog (IRCAM correspondences), so the
translators keep one Tachelhit text and citizens who write Tifinagh are answered in it."""

from __future__ import annotations

import re

# Longest sequences first: labialised and digraph spellings before single letters.
LATIN_TO_TIFINAGH: tuple[tuple[str, str], ...] = (
    ("gʷ", "ⴳⵯ"), ("kʷ", "ⴽⵯ"), ("gh", "ⵖ"), ("kh", "ⵅ"), ("ch", "ⵛ"), ("sh", "ⵛ"),
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


def _transliterate_run(text: str) -> str:
    return _LETTERS.sub(lambda match: _TABLE[match.group(0)], text.lower())


def to_tifinagh(text: str) -> str:
    """Transliterate Latin-script Tachelhit, leaving placeholders and names untouched."""
    pieces: list[str] = []
    position = 0
    for kept in KEEP_AS_IS.finditer(text):
        pieces.append(_transliterate_run(text[position : kept.start()]))
        pieces.append(kept.group(0))
        position = kept.end()
    pieces.append(_transliterate_run(text[position:]))
    return "".join(pieces)

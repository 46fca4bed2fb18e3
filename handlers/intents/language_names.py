"""Which language a request names ("en arabe svp", "bl3arbia", "ⵜⴰⵛⵍⵃⵉⵜ"), as the locale to
answer in: Darija and Tachelhit in the script the request is typed in."""

from __future__ import annotations

from functools import cache
from typing import Final

from handlers.intents.normalising import words
from handlers.intents.vocabulary import VOCABULARY_DIR
from handlers.languages import writing_script

LANGUAGE_NAMES: Final = VOCABULARY_DIR / "language_names.txt"
# (language, script the request is typed in) -> locale; a missing script: the language.
BY_SCRIPT: Final = {
    ("ary", "Latn"): "ary-Latn",
    ("shi", "Arab"): "shi-Arab",
    ("shi", "Tfng"): "shi-Tfng",
}


@cache
def _names() -> dict[str, str]:
    """Key of a language's name -> that language."""
    names: dict[str, str] = {}
    for line in LANGUAGE_NAMES.read_text(encoding="utf-8").splitlines():
        language, separator, listed = line.partition(":")
        if line.startswith("#") or not separator:
            continue
        for word in words(listed):
            names.update(dict.fromkeys(word.keys, language.strip()))
    return names


def named_locale(text: str) -> str | None:
    """The locale of the one language the text names, or None (none, or two)."""
    names = _names()
    named = {names[key] for word in words(text) for key in word.keys if key in names}
    if len(named) != 1:
        return None
    language = named.pop()
    return BY_SCRIPT.get((language, writing_script(text)), language)

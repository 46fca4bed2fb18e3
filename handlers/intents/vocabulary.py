"""The vocabulary of typed requests: one YAML file per way of writing, in `vocabulary/`.

Each file maps an intent to the ways people ask for it (see `vocabulary/README.md`):

    complaint_new:
      phrases:            # any of these, its words in this order (others may come between)
        - chikaya
        - bghit n9dm chikaya
        - reclam*         # a word ending in * matches any word beginning like it
      hints:              # weaker signs (a problem described): only when no phrase matches
        - zbel

The files are data a translator can extend; `load_vocabulary` refuses an unknown intent or
an empty phrase, naming the file and the intent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

import yaml

from handlers.intents.normalising import (
    Word,
    vocabulary_key,
    vocabulary_spelling,
)
from handlers.languages import normalise

VOCABULARY_DIR: Final = Path(__file__).parent / "vocabulary"
# Words that name nothing ("dyal", "de", "على"): not used to find a consultation by name.
COMMON_WORDS: Final = VOCABULARY_DIR / "common_words.txt"
INTENTS: Final = (
    "complaint_new",
    "complaint_follow",
    "consultation",
    "workshops",
    "my_data",
    "delete_data",
    "language",
    "help",
    "contact",
    "greeting",
    "thanks",
)
# Said alongside a request ("salam, bghit …", "merci, je veux …"), they give way to it.
SOCIAL: Final = frozenset({"greeting", "thanks"})
STRENGTHS: Final = ("phrases", "hints")
_VOCABULARY_WORD: Final = re.compile(r"[^\W_]+\*?")


@dataclass(frozen=True, slots=True)
class Pattern:
    """One word of a phrase: a key to find among a typed word's keys, or a beginning."""

    key: str
    prefix: bool

    def matches(self, word: Word) -> bool:
        if self.prefix:
            return any(form.startswith(self.key) for form in word.forms)
        return self.key in word.keys


@dataclass(frozen=True, slots=True)
class Phrase:
    intent: str
    patterns: tuple[Pattern, ...]
    hint: bool
    source: str  # "ary_Latn.yaml: bghit n9dm chikaya", for explanations and tests


class VocabularyError(ValueError):
    pass


def pattern_of(word: str) -> Pattern:
    if word.endswith("*") and len(word) > 1:
        return Pattern(vocabulary_spelling(word), prefix=True)
    return Pattern(vocabulary_key(word), prefix=False)


def phrases_in(path: Path) -> list[Phrase]:
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(document, dict):
        raise VocabularyError(f"{path.name}: expected intents at the top level")
    phrases: list[Phrase] = []
    for intent, lists in document.items():
        if intent not in INTENTS:
            raise VocabularyError(f"{path.name}: unknown intent {intent!r}")
        if not isinstance(lists, dict) or set(lists) - set(STRENGTHS):
            raise VocabularyError(f"{path.name}: {intent}: expected {' and/or '.join(STRENGTHS)}")
        for strength, entries in lists.items():
            for entry in entries or ():
                tokens = _VOCABULARY_WORD.findall(normalise(str(entry)))
                if not tokens:
                    raise VocabularyError(f"{path.name}: {intent}: empty phrase")
                patterns = tuple(pattern_of(token) for token in tokens)
                if not all(p.key for p in patterns):
                    raise VocabularyError(f"{path.name}: {intent}: no letters in {entry!r}")
                phrases.append(
                    Phrase(intent, patterns, strength == "hints", f"{path.name}: {entry}")
                )
    return phrases


@cache
def load_vocabulary(directory: Path = VOCABULARY_DIR) -> tuple[Phrase, ...]:
    """Every phrase of every file, longest first (the most specific reading wins)."""
    phrases = [phrase for path in sorted(directory.glob("*.yaml")) for phrase in phrases_in(path)]
    return tuple(sorted(phrases, key=lambda phrase: -len(phrase.patterns)))

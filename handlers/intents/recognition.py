"""What a typed message asks for: the intents its words match, most specific reading first.

Every phrase of the vocabulary is looked for in the message (its words in order, at most
`MAX_GAP` other words between two of them). Then:

- a match sharing words with a longer match of another intent gives way to it ("fin
  wslat chikaya dyali" is following a complaint, not filing one), and a broader request
  to a narrower one (`NARROWER`);
- greetings and thanks give way to any request said with them (and to each other);
- hints (a problem described: "kayn zbel") count only when no phrase of a request matched.

One intent left: the bot goes there. Several: it asks, with buttons; it never guesses
between two readings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Final

from handlers.intents.normalising import Word, word_of, words
from handlers.intents.vocabulary import COMMON_WORDS, SOCIAL, Pattern, Phrase, load_vocabulary

MAX_GAP: Final = 3
PREFIX_INDEX: Final = (
    2  # phrases beginning with a prefix ("reclam*") are found by its first letters
)
MAX_WORDS: Final = 60  # beyond this, a message is a text to file, not a request to read
# A request that is a narrower form of another wins wherever both are read: "effacez
# toutes mes infos" is erasing them, not seeing them (and erasure is always confirmed);
# "واش تحلات الشكاية ديال الضو؟" asks about a complaint filed, not for a new one.
NARROWER: Final = {
    "delete_data": "my_data",
    "complaint_follow": "complaint_new",
    "language": "contact",  # "bghit nhdr b darija": talking, in a language
}


@dataclass(frozen=True, slots=True)
class Match:
    phrase: Phrase
    positions: tuple[int, ...]

    @property
    def intent(self) -> str:
        return self.phrase.intent

    @property
    def size(self) -> int:
        return len(self.positions)


@dataclass(frozen=True, slots=True)
class Recognition:
    """The intents a message may mean (none, one, or several to ask about), and its words
    that no winning phrase used (a consultation's name, say)."""

    intents: tuple[str, ...]
    rest: tuple[str, ...]
    matches: tuple[Match, ...] = ()

    @property
    def understood(self) -> str | None:
        return self.intents[0] if len(self.intents) == 1 else None


NOTHING: Final = Recognition((), ())


def _fits(pattern: Pattern, word: Word) -> bool:
    return pattern.matches(word)


def find(phrase: Phrase, typed: list[Word]) -> Match | None:
    """The earliest occurrence of the phrase's words in order, gaps of at most MAX_GAP."""
    for start, word in enumerate(typed):
        if not _fits(phrase.patterns[0], word):
            continue
        positions, at = [start], start
        for pattern in phrase.patterns[1:]:
            window = range(at + 1, min(at + 2 + MAX_GAP, len(typed)))
            found = next((i for i in window if _fits(pattern, typed[i])), None)
            if found is None:
                break
            positions.append(found)
            at = found
        else:
            return Match(phrase, tuple(positions))
    return None


@cache
def _index() -> tuple[dict[str, list[Phrase]], dict[str, list[Phrase]]]:
    """The phrases by the key of their first word, or by the first letters of its prefix."""
    by_key: dict[str, list[Phrase]] = {}
    by_prefix: dict[str, list[Phrase]] = {}
    for phrase in load_vocabulary():
        first = phrase.patterns[0]
        if first.prefix:
            by_prefix.setdefault(first.key[:PREFIX_INDEX], []).append(phrase)
        else:
            by_key.setdefault(first.key, []).append(phrase)
    return by_key, by_prefix


def _starting_with(typed: list[Word]) -> list[Phrase]:
    """The phrases whose first word is in the message: the only ones worth looking for."""
    by_key, by_prefix = _index()
    found = {id(p): p for w in typed for key in w.keys for p in by_key.get(key, ())}
    for word in typed:
        for form in word.forms:
            for phrase in by_prefix.get(form[:PREFIX_INDEX], ()):
                if _fits(phrase.patterns[0], word):
                    found[id(phrase)] = phrase
    return list(found.values())


def _best_per_intent(matches: list[Match]) -> dict[str, Match]:
    best: dict[str, Match] = {}
    for match in matches:
        known = best.get(match.intent)
        if known is None or match.size > known.size:
            best[match.intent] = match
    return best


def _outweighed(match: Match, others: list[Match]) -> bool:
    """Another intent read more of the same words."""
    mine = set(match.positions)
    return any(
        other.intent != match.intent and other.size > match.size and mine & set(other.positions)
        for other in others
    )


def _broader(intent: str, present: set[str]) -> bool:
    return any(NARROWER.get(other) == intent for other in present)


def recognise(text: str) -> Recognition:
    typed = words(text)
    if not typed or len(typed) > MAX_WORDS:
        return NOTHING
    found = [m for phrase in _starting_with(typed) if (m := find(phrase, typed)) is not None]
    requests = [m for m in found if not m.phrase.hint and m.intent not in SOCIAL]
    if not requests:  # a greeting with a problem described: "bsr, g 1 pb d'egout"
        requests = [m for m in found if m.phrase.hint or m.intent in SOCIAL]
    else:
        requests += [m for m in found if m.intent in SOCIAL and not m.phrase.hint]
    candidates = list(_best_per_intent(requests).values())
    candidates = [m for m in candidates if not _outweighed(m, requests)]
    present = {m.intent for m in candidates}
    candidates = [m for m in candidates if not _broader(m.intent, present)]
    if any(m.intent not in SOCIAL for m in candidates):
        candidates = [m for m in candidates if m.intent not in SOCIAL]
    elif candidates:
        candidates = candidates[:1]  # "salam, merci": either way, a word back and the menu
    if not candidates:
        return NOTHING
    candidates.sort(key=lambda m: (-m.size, m.positions[0]))
    used = {position for m in candidates for position in m.positions}
    rest = tuple(word.forms[-1] for i, word in enumerate(typed) if i not in used)
    return Recognition(tuple(m.intent for m in candidates), rest, tuple(candidates))


@cache
def _common_words() -> frozenset[str]:
    lines = COMMON_WORDS.read_text(encoding="utf-8").splitlines()
    listed = (word for line in lines if not line.startswith("#") for word in line.split())
    return frozenset(key for word in listed for key in word_of(word).keys)


def words_in_common(typed: Sequence[str], text: str) -> int:
    """How many of the typed words (not the common ones: "dyal", "de", "على") `text` has."""
    common = _common_words()
    wanted = {key for word in typed for key in word_of(word).keys if key not in common}
    return len(wanted & {key for word in words(text) for key in word.keys})

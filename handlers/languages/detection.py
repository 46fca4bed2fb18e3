"""Which language a citizen wrote in: Darija, Tachelhit, Arabic, French, English.

The project's own rules speak first (word lists and word shapes, `evidence`); when they
are clear, they decide. Otherwise a character n-gram model trained on messages of each
language (`ngrams`) weighs in, with the rules' votes on top. langdetect, which knows
neither Darija nor Tachelhit and is slow, is only asked about longer Latin text in which
no rule found anything (a tourist writing Spanish).

Codes: ``ary`` Darija in Arabic script, ``ary-Latn`` Darija in Latin script (Arabizi, with
3/7/9 as letters), ``ar`` Modern Standard Arabic, ``fr``, ``en``, ``shi`` Tachelhit in
Latin script, ``shi-Arab`` Tachelhit in Arabic script, ``shi-Tfng`` Tachelhit in Tifinagh,
another ISO 639-1 code from langdetect, or ``und`` (nothing to go on: empty, emoji, digits,
punctuation, a place name or a tracking number alone).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Final

import handlers.languages.markers as markers
from handlers.languages.evidence import arabic_votes, latin_votes
from handlers.languages.neutral import without_neutral
from handlers.languages.ngrams import NgramModel, read_labelled, train
from handlers.languages.spelling import normalise, squeeze, words


@dataclass(frozen=True, slots=True)
class DetectedLanguage:
    code: str
    confident: bool  # False when it is a guess (very short text, weak or mixed signal)


UNDETERMINED: Final = DetectedLanguage("und", False)

ARABIC_SCRIPT: Final = ("ary", "ar", "shi-Arab")
LATIN_SCRIPT: Final = ("ary-Latn", "shi", "fr", "en")
LOCAL_LATIN_SCRIPT: Final = ("ary-Latn", "shi")
LOCAL: Final = frozenset({"ary", "ary-Latn", "shi", "shi-Arab"})

_TIFINAGH: Final = re.compile("[\u2d30-\u2d7f]")
_TANWEEN: Final = "\u064b"
_LANGDETECT_CHARS: Final = 1000
_LANGDETECT_MIN_WORDS: Final = 4
# One vote of the rules is worth this much log-likelihood of the n-gram model (which is
# divided by its number of orders, see `NgramModel.log_likelihoods`).
_VOTE_WEIGHT: Final = 5.0
_CONFIDENT_POSTERIOR: Final = 0.9


@cache
def _short_phrases() -> dict[str, tuple[str, bool]]:
    return {
        " ".join(squeeze(t) for t in words(normalise(phrase))): result
        for phrase, result in markers.SHORT_PHRASES.items()
    }


@cache
def ngram_model() -> NgramModel:
    """The n-gram model, trained at first use on the shipped training file."""
    return train((label, words(without_neutral(text))) for label, text in read_labelled())


def _first_letter(token: str) -> str:
    return next((char for char in token if char.isalpha()), "")


def _is_arabic(char: str) -> bool:
    return "\u0600" <= char <= "\u06ff" or "\u0750" <= char <= "\u077f"


def _is_latin(char: str) -> bool:
    return (
        (char.isascii() and char.isalpha())
        or "\u00c0" <= char <= "\u02af"
        or "\u1e00" <= char <= "\u1eff"
    )


def detect_language(text: str) -> DetectedLanguage:
    """The language of one citizen message (see the module docstring for the codes)."""
    tifinagh = len(_TIFINAGH.findall(text, 0, 200))
    if tifinagh >= 2:
        return DetectedLanguage("shi-Tfng", True)
    content = without_neutral(_TIFINAGH.sub(" ", text) if tifinagh else text)
    tokens = words(content)
    if not tokens:
        # A lone Tifinagh letter is Tachelhit, or the ⵣ that Amazigh writers use as a flag.
        return DetectedLanguage("shi-Tfng", False) if tifinagh else UNDETERMINED
    if len(tokens) <= 3:
        short = _short_phrases().get(" ".join(squeeze(t) for t in tokens))
        if short is not None:
            return DetectedLanguage(*short)
    arabic = [t for t in tokens if _is_arabic(_first_letter(t))]
    latin = [t for t in tokens if _is_latin(_first_letter(t))]
    if arabic and latin:
        return _mixed_scripts(arabic, latin, text, content)
    if arabic:
        return _decide_arabic(arabic, text)
    if latin:
        return _decide_latin(latin, content)
    return _langdetect(content, only=None) or UNDETERMINED


def _mixed_scripts(
    arabic: list[str], latin: list[str], text: str, content: str
) -> DetectedLanguage:
    """Each script judged alone: a local language (Darija, Tachelhit) in one wins over
    French, English or Arabic in the other ("merci بزاف" is Darija); otherwise the script
    with more letters decides."""
    in_arabic, in_latin = _decide_arabic(arabic, text), _decide_latin(latin, content)
    arabic_local, latin_local = in_arabic.code in LOCAL, in_latin.code in LOCAL
    if arabic_local != latin_local:
        found = in_arabic if arabic_local else in_latin
    else:
        more_arabic = sum(map(len, arabic)) > sum(map(len, latin))
        found = in_arabic if more_arabic else in_latin
    return DetectedLanguage(found.code, False)


def _decide_arabic(tokens: list[str], text: str) -> DetectedLanguage:
    return _decide(tokens, arabic_votes(tokens, tanween=_TANWEEN in text), ARABIC_SCRIPT)


def _decide_latin(tokens: list[str], content: str) -> DetectedLanguage:
    votes = latin_votes(tokens, content)
    if _darija_carries(votes):
        return _decide(tokens, votes, LOCAL_LATIN_SCRIPT)
    if not votes and len(tokens) >= _LANGDETECT_MIN_WORDS:
        foreign = _langdetect(content, only=markers.LANGDETECT_LATIN)
        if foreign is not None:
            return foreign
    return _decide(tokens, votes, LATIN_SCRIPT)


def _darija_carries(votes: Counter[str]) -> bool:
    """Code-switching: French or English words in a Darija sentence are Darija's, once
    Darija has two marked words or half as many as French and English together."""
    darija = votes["ary-Latn"]
    return darija > 0 and (darija >= 2 or 2 * darija >= votes["fr"] + votes["en"])


def _decide(tokens: Sequence[str], votes: Counter[str], codes: Sequence[str]) -> DetectedLanguage:
    """Clear rules decide alone; otherwise the n-gram model, with the votes added."""
    ranked = sorted(codes, key=lambda code: votes[code], reverse=True)
    best, second = votes[ranked[0]], votes[ranked[1]]
    if best >= 2 and best - second >= 2:
        return DetectedLanguage(ranked[0], len(tokens) >= 2)
    likelihoods = ngram_model().log_likelihoods(tokens, codes)
    scores = {code: likelihoods[code] + _VOTE_WEIGHT * votes[code] for code in codes}
    code = max(scores, key=scores.__getitem__)
    top = scores[code]
    posterior = 1 / sum(math.exp(score - top) for score in scores.values())
    confident = (
        len(tokens) >= 2
        and posterior >= _CONFIDENT_POSTERIOR
        and votes[code] >= 1
        and votes[code] == best
        and best > second
    )
    return DetectedLanguage(code, confident)


def _langdetect(normalised: str, *, only: frozenset[str] | None) -> DetectedLanguage | None:
    """langdetect's answer if it is one of `only` (any if None) and fairly sure, else None.
    Imported here: it is slow to load and rarely needed."""
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    try:
        guesses = detect_langs(normalised[:_LANGDETECT_CHARS])
    except LangDetectException:
        return None
    if not guesses:
        return None
    code, probability = guesses[0].lang.split("-")[0], guesses[0].prob
    if (only is not None and code not in only) or probability < 0.9:
        return None
    return DetectedLanguage(code, probability >= 0.99)


def describe_detection(text: str) -> str:
    """One line for `tachawor detect`: the code, a tab, then the text."""
    line = text.rstrip("\r\n")
    return f"{detect_language(line).code}\t{line}"

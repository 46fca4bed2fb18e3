"""What each word of a message says about its language, by the project's rules: the word
lists of `markers`, word shapes (كيدير، ما...ش، سكرغ، ma...ch, n9dm) and pairs of words
(الله يحفظك). The result is a count of votes per language code."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import cache
from itertools import pairwise
from typing import Final

import handlers.languages.markers as markers
from handlers.languages.spelling import has_repeat, normalise, squeeze

_ELISION: Final = re.compile(r"\b(?:[cdjlmnst]|qu)['’]\w")
_ARABIZI: Final = re.compile(r"[a-z][23579]|[23579][a-z]")
_NOT_ARABIZI: Final = re.compile(r"\d+(?:er|ere|eme|ème|e|h|km|m|dh|mad|am|pm|st|nd|rd|th|min|kg)")
_ARY_LATN_SHAPE: Final = re.compile(r"ma\w{3,}(?:ch|sh)|ka[ynt]\w{3,}")
_ACCENTED: Final = re.compile("[àâçéèêëîïôûùüœ]")
_SHI_LETTERS: Final = re.compile("[ɣḥṭẓṣɛḍṛ]")
_MOROCCAN_LETTERS: Final = re.compile("[\u06a4]")  # ڤ (ڭ is written in Tachelhit too)
_ARABIC_PREFIXES: Final = ("وال", "فال", "بال", "ال", "لل", "و", "ف", "ل", "ب")
_MSA_NEGATED_VERB: Final = ("ا", "ي", "ت", "ن")
_DARIJA_AFTER_HATTA: Final = frozenset({"واحد", "حد", "شي", "حاجه", "واحده"})
_FINAL_GHAIN_ARABIC: Final = tuple(normalise(w) for w in markers.FINAL_GHAIN_ARABIC.split())
_GOD: Final = frozenset({"الله", "لله", "ربي", "اللهم"})
_LATIN_NEGATION: Final = frozenset({"ma", "mat", "mab", "mad", "mal", "mak"})

Index = tuple[dict[str, str], dict[str, str]]


def _build_index(lists: dict[str, str]) -> Index:
    """Word -> code, exact and squeezed; a word listed for two languages is dropped."""
    exact: dict[str, set[str]] = {}
    for code, block in lists.items():
        for word in block.split():
            exact.setdefault(normalise(word), set()).add(code)
    squeezed: dict[str, set[str]] = {}
    for word, codes in exact.items():
        squeezed.setdefault(squeeze(word), set()).update(codes)
    return _unambiguous(exact), _unambiguous(squeezed)


def _unambiguous(index: dict[str, set[str]]) -> dict[str, str]:
    return {word: next(iter(codes)) for word, codes in index.items() if len(codes) == 1}


@cache
def _arabic_index() -> Index:
    return _build_index(
        {"ary": markers.ARY_ARAB, "ar": markers.AR_MSA, "shi-Arab": markers.SHI_ARAB}
    )


@cache
def _latin_index() -> Index:
    return _build_index(
        {"ary-Latn": markers.ARY_LATN, "shi": markers.SHI_LATN, "fr": markers.FR, "en": markers.EN}
    )


def _lookup(token: str, index: Index) -> str | None:
    exact, squeezed = index
    code = exact.get(token)
    if code is None and has_repeat(token):
        code = squeezed.get(squeeze(token))
    return code


# --- Arabic script -----------------------------------------------------------------------


def arabic_votes(tokens: Sequence[str], *, tanween: bool) -> Counter[str]:
    """Votes for ``ary``, ``ar`` and ``shi-Arab``."""
    votes = Counter(_arabic_code(t) for t in tokens)
    # ما...ش is the surest sign of Darija: it counts twice, glued or not.
    votes["ary"] += sum(1 for t in tokens if _glued_negation(t))
    for previous, token in pairwise(tokens):
        if previous in ("ما", "م") and token.endswith("ش") and len(token) >= 3:
            votes["ary"] += 2  # ما فهمتش
        elif previous == "لا" and token.startswith(_MSA_NEGATED_VERB) and len(token) >= 3:
            votes["ar"] += 1  # لا يعمل
        elif previous in _GOD and token.startswith("ي") and len(token) >= 4:
            votes["ary"] += 1  # الله يحفظك (Standard Arabic puts the verb first: حفظك الله)
        elif previous == "تبارك" and token == "الله":
            votes["ary"] += 1  # تبارك الله عليك: Moroccan praise
        elif previous == "حتى" and token in _DARIJA_AFTER_HATTA:
            votes["ary"] += 1  # حتى واحد ما جا
    votes["ar"] += tanween
    del votes[None]
    return votes


def _arabic_code(token: str) -> str | None:
    """Lexicon first (also without a clitic prefix), then word shapes."""
    index = _arabic_index()
    code = _lookup(token, index)
    for prefix in _ARABIC_PREFIXES:
        if code is not None:
            return code
        if token.startswith(prefix) and len(token) > len(prefix) + 1:
            code = _lookup(token[len(prefix) :], index)
    if code is not None:
        return code
    if _darija_shape(token):
        return "ary"
    return "shi-Arab" if _tachelhit_shape(token) else None


def _darija_shape(token: str) -> bool:
    """Aspect prefix (كيدير، كنبغي، كتحل), ما...ش negation, فال+noun, ڤ."""
    if token.startswith(markers.ARY_ASPECT_PREFIXES) and len(token) >= 4:
        return not (
            token.startswith(markers.MSA_ASPECT_LOOKALIKE_PREFIXES)
            or token in markers.MSA_ASPECT_LOOKALIKE_WORDS
        )
    if _glued_negation(token):
        return True
    return (token.startswith("فال") and len(token) >= 5) or bool(_MOROCCAN_LETTERS.search(token))


def _glued_negation(token: str) -> bool:
    return token.startswith(("ما", "م")) and token.endswith("ش") and len(token) >= 5


def _tachelhit_shape(token: str) -> bool:
    """ؤ opening a word (ؤبريد), a first person verb in غ (سكرغ، أوفيغ), a feminine noun
    ت...ت of six letters or more (تاشكايت، تامازيرت)."""
    if token.startswith("ؤ") and len(token) >= 3:
        return True
    if token.endswith("غ") and len(token) >= 3:
        return not any(stem in token for stem in _FINAL_GHAIN_ARABIC)
    return token.startswith("تا") and token.endswith("ت") and len(token) >= 6


# --- Latin script ------------------------------------------------------------------------


def latin_votes(tokens: Sequence[str], normalised: str) -> Counter[str]:
    """Votes for ``ary-Latn``, ``shi``, ``fr`` and ``en``; French elisions (l'eau, j'ai)
    count for French."""
    votes = Counter(_latin_code(t) for t in tokens)
    for first, second, third in zip(tokens, tokens[1:], [*tokens[2:], ""], strict=False):
        if first in _LATIN_NEGATION and (second.endswith(("ch", "sh")) or third in ("ch", "sh")):
            votes["ary-Latn"] += 2  # ma bghitch, ma kaynch, ma daz ch
    votes["fr"] += len(_ELISION.findall(normalised))
    del votes[None]
    return +votes


def _latin_code(token: str) -> str | None:
    index = _latin_index()
    code = _lookup(token, index)
    if code is not None:
        return code
    if token[0] == "l" and len(token) >= 4 and _lookup(token[1:], index) == "ary-Latn":
        return "ary-Latn"  # lmochkil, lkhedma: Darija article glued to the noun
    if _ARABIZI.search(token) and not _NOT_ARABIZI.fullmatch(token):
        return "ary-Latn"
    if _ARY_LATN_SHAPE.fullmatch(token):
        return "ary-Latn"  # ma...ch negation, kay-/kan-/kat- aspect prefix
    if _SHI_LETTERS.search(token):
        return "shi"
    return "fr" if _ACCENTED.search(token) else None

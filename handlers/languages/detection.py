"""Which language a citizen wrote in: Darija, Tachelhit, Arabic, French, English.

The project's own rules decide first (word lists in `handlers.languages.markers`); langdetect
is only a fallback, because it knows neither Darija nor Tachelhit and is slow.

Codes: ``ary`` Darija in Arabic script, ``ary-Latn`` Darija in Latin script (Arabizi, with
3/7/9 as letters), ``ar`` Modern Standard Arabic, ``fr``, ``en``, ``shi`` Tachelhit in
Latin script, ``shi-Tfng`` Tachelhit in Tifinagh, another ISO 639-1 code from langdetect,
or ``und`` (nothing to go on: empty, emoji, digits, punctuation).

Tachelhit written in Arabic script is not told apart: it comes out as ``ary`` or ``ar``.
Latin text without any known marker that langdetect classifies as something implausible
here (Somali, Swahili, Polish... the usual answers for Arabizi) is reported as
``ary-Latn``, not confident.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Final

from langdetect import DetectorFactory, detect_langs
from langdetect.lang_detect_exception import LangDetectException

import handlers.languages.markers as markers

DetectorFactory.seed = 0


@dataclass(frozen=True, slots=True)
class DetectedLanguage:
    code: str
    confident: bool  # False when it is a guess (very short text, weak signal)


UNDETERMINED: Final = DetectedLanguage("und", False)

_INVISIBLE: Final = re.compile(
    "[\u200b-\u200f\u202a-\u202e\u2060-\u2069\u061c\ufeff\u0640\u064b-\u0652\u0670]"
)
_ARABIC_FOLD: Final = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
_TOKEN: Final = re.compile(r"[^\W_]+")
_REPEAT: Final = re.compile(r"(\D)\1+")
_TIFINAGH: Final = re.compile("[\u2d30-\u2d7f]")
_TANWEEN: Final = "\u064b"
_ELISION: Final = re.compile(r"\b(?:[cdjlmnst]|qu)['’]\w")
_ARABIZI: Final = re.compile(r"[a-z][23579]|[23579][a-z]")
_NOT_ARABIZI: Final = re.compile(r"\d+(?:er|ere|eme|ème|e|h|km|m|dh|mad|am|pm|st|nd|rd|th|min|kg)")
_ARY_LATN_SHAPE: Final = re.compile(r"ma\w{3,}(?:ch|sh)|ka[ynt]\w{3,}")
_ACCENTED: Final = re.compile("[àâçéèêëîïôûùüœ]")
_SHI_LETTERS: Final = re.compile("[ɣḥṭẓṣɛḍṛ]")
_MOROCCAN_LETTERS: Final = re.compile("[\u06a4\u06ad]")  # ڤ ڭ
_ARABIC_PREFIXES: Final = ("وال", "فال", "بال", "ال", "لل", "و", "ف", "ل", "ب")
_MSA_NEGATED_VERB: Final = ("ا", "ي", "ت", "ن")
_LANGDETECT_CHARS: Final = 1000


def normalise(text: str) -> str:
    """NFKC, no bidi/zero-width/control characters or harakat, lower case, folded alefs."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    return text.lower().translate(_ARABIC_FOLD)


def squeeze(word: str) -> str:
    """Collapse repeated letters (not digits): "salaaam" -> "salam", "bzzaf" -> "bzaf"."""
    return _REPEAT.sub(r"\1", word)


def _build_index(lists: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
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


_ARABIC_INDEX: Final = _build_index({"ary": markers.ARY_ARAB, "ar": markers.AR_MSA})
_LATIN_INDEX: Final = _build_index(
    {"ary-Latn": markers.ARY_LATN, "shi": markers.SHI_LATN, "fr": markers.FR, "en": markers.EN}
)
_SHORT_PHRASES: Final = {
    " ".join(squeeze(t) for t in _TOKEN.findall(normalise(phrase))): result
    for phrase, result in markers.SHORT_PHRASES.items()
}


def _lookup(token: str, index: tuple[dict[str, str], dict[str, str]]) -> str | None:
    exact, squeezed = index
    code = exact.get(token)
    if code is None and _REPEAT.search(token):
        code = squeezed.get(squeeze(token))
    return code


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
    norm = normalise(text)
    if _TIFINAGH.search(norm):
        return DetectedLanguage("shi-Tfng", len(_TIFINAGH.findall(norm, 0, 200)) >= 2)
    tokens = [t for t in _TOKEN.findall(norm) if not t.isdigit()]
    if not tokens:
        return UNDETERMINED
    if len(tokens) <= 3:
        short = _SHORT_PHRASES.get(" ".join(squeeze(t) for t in tokens))
        if short is not None:
            return DetectedLanguage(*short)
    arabic = sum(len(t) for t in tokens if _is_arabic(_first_letter(t)))
    latin = sum(len(t) for t in tokens if _is_latin(_first_letter(t)))
    if arabic > latin:
        return _decide_arabic(tokens, tanween=_TANWEEN in text)
    if latin:
        return _decide_latin(tokens, norm)
    return _langdetect(norm, tokens, latin=False)


def _arabic_code(token: str) -> str | None:
    """Lexicon first (also without a clitic prefix), then Darija word shapes."""
    code = _lookup(token, _ARABIC_INDEX)
    for prefix in _ARABIC_PREFIXES:
        if code is not None:
            return code
        if token.startswith(prefix) and len(token) > len(prefix) + 1:
            code = _lookup(token[len(prefix) :], _ARABIC_INDEX)
    return code or ("ary" if _darija_shape(token) else None)


def _darija_shape(token: str) -> bool:
    """Aspect prefix (كيدير، كنبغي، كتحل), ما...ش negation, فال+noun, Moroccan letters."""
    if token.startswith(markers.ARY_ASPECT_PREFIXES) and len(token) >= 4:
        return not (
            token.startswith(markers.MSA_ASPECT_LOOKALIKE_PREFIXES)
            or token in markers.MSA_ASPECT_LOOKALIKE_WORDS
        )
    if token.startswith("ما") and token.endswith("ش") and len(token) >= 5:
        return True
    return (token.startswith("فال") and len(token) >= 5) or bool(_MOROCCAN_LETTERS.search(token))


def _decide_arabic(tokens: Sequence[str], *, tanween: bool) -> DetectedLanguage:
    """Darija wins when it has at least as many markers as Standard Arabic."""
    votes = Counter(_arabic_code(t) for t in tokens)
    for previous, token in pairwise(tokens):
        if previous in ("ما", "م") and token.endswith("ش") and len(token) >= 3:
            votes["ary"] += 1  # ما فهمتش
        elif previous == "لا" and token.startswith(_MSA_NEGATED_VERB) and len(token) >= 3:
            votes["ar"] += 1  # لا يعمل
    votes["ar"] += tanween
    darija, msa = votes["ary"], votes["ar"]
    code = "ary" if darija and darija >= msa else "ar"
    winner, loser = max(darija, msa), min(darija, msa)
    confident = len(tokens) > 3 and winner >= 1 and (winner >= 2 or loser == 0) and winner > loser
    return DetectedLanguage(code, confident)


def _latin_code(token: str) -> str | None:
    code = _lookup(token, _LATIN_INDEX)
    if code is not None:
        return code
    if token[0] == "l" and len(token) >= 4 and _lookup(token[1:], _LATIN_INDEX) == "ary-Latn":
        return "ary-Latn"  # lmochkil, lkhedma: Darija article glued to the noun
    if _ARABIZI.search(token) and not _NOT_ARABIZI.fullmatch(token):
        return "ary-Latn"
    if _ARY_LATN_SHAPE.fullmatch(token):
        return "ary-Latn"  # ma...ch negation, kay-/kan-/kat- aspect prefix
    if _SHI_LETTERS.search(token):
        return "shi"
    return "fr" if _ACCENTED.search(token) else None


def _decide_latin(tokens: Sequence[str], norm: str) -> DetectedLanguage:
    """Scores per language; Darija wins code-switching with French when clearly present."""
    votes = Counter(_latin_code(t) for t in tokens)
    votes["fr"] += len(_ELISION.findall(norm))
    del votes[None]
    votes = +votes  # drop zero counts
    if not votes:
        return _langdetect(norm, tokens, latin=True)
    darija, french = votes["ary-Latn"], votes["fr"]
    if darija and (darija >= 2 or 2 * darija >= french):
        votes.pop("fr", None)
    elif french:
        votes.pop("ary-Latn", None)
    (code, best), *rest = votes.most_common()
    second = rest[0][1] if rest else 0
    if code in ("fr", "en") and darija == best:
        code = "ary-Latn"  # ties with French/English go to Darija (code-switching)
    elif code == "ary-Latn" and votes["shi"] == best:
        code = "shi"  # Tachelhit borrows Darija words far more than the reverse
    return DetectedLanguage(code, len(tokens) > 3 and best >= 2 and best > second)


def _langdetect(norm: str, tokens: Iterable[str], *, latin: bool) -> DetectedLanguage:
    """The slow path: only for text none of the rules could place."""
    try:
        guesses = detect_langs(norm[:_LANGDETECT_CHARS])
    except LangDetectException:
        return UNDETERMINED
    if not guesses:
        return UNDETERMINED
    code, probability = guesses[0].lang.split("-")[0], guesses[0].prob
    if latin and code not in markers.LANGDETECT_TRUSTED:
        return DetectedLanguage("ary-Latn", False)
    return DetectedLanguage(code, probability >= 0.9 and sum(1 for _ in tokens) > 3)


def describe_detection(text: str) -> str:
    """One line for `tachawor detect`: the code, a tab, then the text."""
    line = text.rstrip("\r\n")
    return f"{detect_language(line).code}\t{line}"

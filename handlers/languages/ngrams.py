"""A character n-gram model of the languages citizens write in: naive Bayes over the 1- to
4-letter sequences of each word, for the cases the word lists leave open (a short Arabic
message with no marker, a Latin word no list knows).

It is trained from `data/language_training.tsv` (a few hundred messages per language,
written for this purpose, none of them in the test sets) when the detector first needs
it: about a tenth of a second, and no generated file to go stale.
"""

from __future__ import annotations

import csv
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final

TRAINING: Final = Path(__file__).parent / "data" / "language_training.tsv"
ORDERS: Final = (1, 2, 3, 4)
# How many grams' worth of the all-languages distribution each language starts from.
_PRIOR_WEIGHT: Final = 5000.0


@lru_cache(maxsize=8192)
def word_grams(word: str) -> tuple[str, ...]:
    """Every 1- to 4-letter sequence of a word, with its start and end marked."""
    padded = f" {word} "
    return tuple(
        padded[start : start + order]
        for order in ORDERS
        for start in range(len(padded) - order + 1)
    )


@dataclass(frozen=True, slots=True)
class NgramModel:
    codes: tuple[str, ...]
    log_p: dict[str, tuple[float, ...]]  # gram -> log P(gram | code), one per code
    unseen: tuple[float, ...]  # log P(gram | code) of a gram never seen in training

    def log_likelihoods(self, words: Iterable[str], codes: Sequence[str]) -> dict[str, float]:
        """Log P(text | code) for each of `codes`, divided by the number of orders: the
        overlapping grams are far from independent, and the plain sum would be wildly
        over-confident."""
        columns = [self.codes.index(code) for code in codes]
        totals = [0.0] * len(columns)
        counts = Counter(gram for word in words for gram in word_grams(word))
        for gram, n in counts.items():
            row = self.log_p.get(gram, self.unseen)
            for place, column in enumerate(columns):
                totals[place] += n * row[column]
        return {code: total / len(ORDERS) for code, total in zip(codes, totals, strict=True)}


def train(samples: Iterable[tuple[str, list[str]]]) -> NgramModel:
    """A model from (code, words) pairs, the words cut as the detector cuts them.

    Each language's counts are smoothed towards those of all languages together (a
    Dirichlet prior of `_PRIOR_WEIGHT` grams): a gram a language never showed is judged
    by how common it is overall, and the language with the least training text is not
    favoured on every gram it lacks."""
    words: dict[str, Counter[str]] = {}
    for code, tokens in samples:
        words.setdefault(code, Counter()).update(tokens)
    codes = tuple(sorted(words))
    counts: list[dict[str, int]] = []
    for code in codes:  # each distinct word cut once
        code_counts: dict[str, int] = {}
        for word, n in words[code].items():
            for gram in word_grams(word):
                code_counts[gram] = code_counts.get(gram, 0) + n
        counts.append(code_counts)
    pooled: Counter[str] = Counter()
    for code_counts in counts:
        pooled.update(code_counts)
    every_gram = list(pooled)
    denominator = sum(pooled.values()) + len(pooled) + 1
    priors = [_PRIOR_WEIGHT * (pooled[gram] + 1) / denominator for gram in every_gram]
    columns, unseen = [], []
    for code_counts in counts:
        log_total = math.log(sum(code_counts.values()) + _PRIOR_WEIGHT)
        get = code_counts.get
        columns.append(
            [math.log(get(g, 0) + p) - log_total for g, p in zip(every_gram, priors, strict=True)]
        )
        unseen.append(math.log(_PRIOR_WEIGHT / denominator) - log_total)
    log_p = dict(zip(every_gram, zip(*columns, strict=True), strict=True))
    return NgramModel(codes, log_p, tuple(unseen))


def read_labelled(path: Path = TRAINING) -> list[tuple[str, str]]:
    """(label, text) rows of a TSV file with a `label<TAB>text` header, no quoting."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [(row["label"], row["text"]) for row in reader]

"""The labelled typed requests of tests/unit/intents/data, and how the recogniser does on
them: shared by the intent tests and bench/intents.py."""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from handlers.intents import recognise

DATA = Path(__file__).parent / "unit" / "intents" / "data"
SAMPLES = DATA / "intent_samples.tsv"  # the vocabulary is tuned on these
HELD_OUT = DATA / "intent_heldout.tsv"  # never tuned on: reported beside them
NOT_A_REQUEST = "none"


@dataclass(frozen=True, slots=True)
class Sample:
    intent: str
    way: str
    text: str


@dataclass(slots=True)
class Score:
    samples: int = 0
    requests: int = 0  # samples that ask for something
    jumps: int = 0  # the bot went somewhere
    right: int = 0  # ... where the citizen asked to go
    asked: int = 0  # the bot asked which of several readings

    @property
    def precision(self) -> float:
        return self.right / self.jumps if self.jumps else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.requests if self.requests else 1.0


def load(path: Path) -> list[Sample]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [Sample(row["intent"], row["way"], row["text"]) for row in reader]


def outcome(sample: Sample) -> tuple[str | None, bool]:
    """(where the bot would go, whether it would ask instead)."""
    recognition = recognise(sample.text)
    return recognition.understood, len(recognition.intents) > 1


def scores(samples: list[Sample]) -> tuple[Score, dict[str, Score], list[str]]:
    """Overall, per way of writing, and the lines describing each mistake."""
    overall, per_way, mistakes = Score(), defaultdict(Score), []
    for sample in samples:
        went, asked = outcome(sample)
        for score in (overall, per_way[sample.way]):
            score.samples += 1
            score.requests += sample.intent != NOT_A_REQUEST
            score.jumps += went is not None
            score.right += went == sample.intent
            score.asked += asked
        if went != sample.intent and not (sample.intent == NOT_A_REQUEST and went is None):
            shown = went or ("ask" if asked else "-")
            mistakes.append(f"[{sample.way}] {sample.intent} -> {shown}: {sample.text}")
    return overall, dict(per_way), mistakes

"""Benchmark of typed-request reading: precision and recall per way of writing, on the
labelled samples the vocabulary is tuned on and on a held-out set nobody tunes on, and
the time to read one message.

    python bench/intents.py [--mistakes]

Precision: of the messages the bot went somewhere with, the share where the citizen
asked to go (a wrong jump is worse than a question; target ≥ 95 %). Recall: of the
messages that ask for something, the share the bot took there at once (target ≥ 85 %);
"asked" counts those it asked about with buttons instead.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from handlers.intents import load_vocabulary, recognise
from tests.intent_samples import HELD_OUT, SAMPLES, Score, load, scores

REPEAT = 20


def line(name: str, score: Score) -> str:
    return (
        f"  {name:<9} {score.samples:>5} {100 * score.precision:>9.1f} "
        f"{100 * score.recall:>7.1f} {score.asked:>6}"
    )


def report(title: str, path: Path, *, mistakes: bool) -> None:
    overall, per_way, wrong = scores(load(path))
    print(f"{title} ({path.name})")
    print("  way       texts precision% recall%  asked")
    for way in sorted(per_way):
        print(line(way, per_way[way]))
    print(line("all", overall))
    if mistakes:
        print("\n".join(f"    {mistake}" for mistake in wrong))


def microseconds_per_message() -> float:
    texts = [sample.text for sample in load(SAMPLES)]
    load_vocabulary()
    started = time.perf_counter()
    for _ in range(REPEAT):
        for text in texts:
            recognise(text)
    return 1e6 * (time.perf_counter() - started) / (REPEAT * len(texts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mistakes", action="store_true", help="list every mistake")
    args = parser.parse_args()
    started = time.perf_counter()
    phrases = load_vocabulary()
    loading = 1e3 * (time.perf_counter() - started)
    print(f"vocabulary: {len(phrases)} phrases, loaded in {loading:.0f} ms")
    report("tuning samples", SAMPLES, mistakes=args.mistakes)
    report("held-out samples", HELD_OUT, mistakes=args.mistakes)
    print(f"reading one message: {microseconds_per_message():.0f} µs")


if __name__ == "__main__":
    main()

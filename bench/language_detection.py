"""Benchmark of the language detector on the labelled messages: the tuning set
(tests/unit/languages/data/language_samples.tsv) and the held-out set
(language_heldout.tsv, never used to tune the rules or train the model), scored apart.

    python bench/language_detection.py [--sets tuning heldout] [--repeat 5]

Prints, per set: accuracy overall, Darija recall (ary and ary-Latn), accuracy per label
and the mean detection time per message in µs; first, the one-off cost of training the
n-gram model. Each message is timed on its own, after a warm-up pass.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from handlers.languages import detect_language

DATA = Path(__file__).resolve().parents[1] / "tests" / "unit" / "languages" / "data"
SETS = {"tuning": DATA / "language_samples.tsv", "heldout": DATA / "language_heldout.tsv"}
DARIJA = frozenset({"ary", "ary-Latn"})


def read_labelled(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [(row["label"], row["text"]) for row in reader]


def first_detection_ms() -> float:
    """The first message no rule settles trains the n-gram model: what it costs, once."""
    started = time.perf_counter()
    detect_language("جوج")
    return (time.perf_counter() - started) * 1000


def score(rows: list[tuple[str, str]], repeat: int) -> dict[str, object]:
    for _, text in rows:  # warm-up: caches, and langdetect's profiles if it is asked
        detect_language(text)
    elapsed, found = 0.0, []
    for _ in range(repeat):
        found = []
        for _, text in rows:
            started = time.perf_counter()
            code = detect_language(text).code
            elapsed += time.perf_counter() - started
            found.append(code)
    total, right = Counter(), Counter()
    for (label, _), code in zip(rows, found, strict=True):
        total[label] += 1
        right[label] += code == label
    darija = sum(total[label] for label in DARIJA)
    return {
        "messages": len(rows),
        "accuracy": sum(right.values()) / len(rows),
        "darija_recall": sum(right[label] for label in DARIJA) / darija if darija else 0.0,
        "per_label": {label: (right[label], total[label]) for label in sorted(total)},
        "us_per_message": elapsed / (repeat * len(rows)) * 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", choices=sorted(SETS), default=list(SETS))
    parser.add_argument("--repeat", type=int, default=5, help="timed passes over each set")
    args = parser.parse_args()
    print(f"first detection, training the n-gram model: {first_detection_ms():.0f} ms")
    for name in args.sets:
        path = SETS[name]
        if not path.exists():
            print(f"{name:8} {path.name}: missing")
            continue
        rows = read_labelled(path)
        if name == "heldout":
            # Short common messages ("ok", "wakha", a place name) are in both sets by
            # chance; the figure that counts is on the held-out texts nobody tuned on.
            seen = {text for _, text in read_labelled(SETS["tuning"])}
            unseen = [row for row in rows if row[1] not in seen]
            print(f"heldout  {len(rows) - len(unseen)} texts also in the tuning set, left out")
            rows = unseen
        figures = score(rows, args.repeat)
        labels = "  ".join(
            f"{label} {right}/{total} ({right / total:.0%})"
            for label, (right, total) in figures["per_label"].items()
        )
        print(
            f"{name:8} {path.name}: {figures['messages']} messages, "
            f"accuracy {figures['accuracy']:.1%}, Darija recall {figures['darija_recall']:.1%}, "
            f"{figures['us_per_message']:.0f} µs/message\n         per label: {labels}",
            flush=True,
        )


if __name__ == "__main__":
    main()

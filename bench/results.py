"""Benchmark of a consultation's results and XLSX export on N responses × 10 questions
(PostgreSQL by default). Rows are inserted in bulk (executemany on the engine), not
through the chat.

    python bench/results.py --responses 50000 --backend postgresql

Prints seconds for the results and for the export, and the process's peak RSS (targets:
under 10 s each, under 300 MB).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert

from bench.scratch_databases import scratch_database
from storage.database import Database
from storage.models import ConsultationAnswer, ConsultationResponse
from surveys.exports import ExportOptions, export_responses
from surveys.results import consultation_results
from tests.consultations import open_consultation

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
CHUNK = 5_000
QUARTERS = ("Derb Jdid", "Sidi Belkas", "Medina", "Assarag")


def _choices(*ids: str) -> list[dict]:
    return [{"id": i, "label": {"fr": i.capitalize()}} for i in ids]


def document() -> dict:
    """Ten questions: choices, multiple choices, yes/no, ratings, a quarter, a text."""
    label = {"fr": "Question"}
    questions = [
        {"key": "q1", "type": "single_choice", "label": label, "choices": _choices("a", "b", "c")},
        {"key": "q2", "type": "single_choice", "label": label, "choices": _choices("x", "y")},
        {
            "key": "q3",
            "type": "multiple_choice",
            "label": label,
            "choices": _choices("m", "n", "o"),
        },
        {"key": "q4", "type": "multiple_choice", "label": label, "choices": _choices("p", "r")},
        {"key": "q5", "type": "yes_no", "label": label},
        {"key": "q6", "type": "yes_no", "label": label},
        {"key": "q7", "type": "rating", "label": label},
        {"key": "q8", "type": "rating", "label": label},
        {"key": "q9", "type": "quarter", "label": label},
        {"key": "q10", "type": "text", "label": label},
    ]
    return {
        "key": "bench", "languages": ["fr"], "title": {"fr": "Bench"}, "intro": {"fr": "…"},
        "privacy": {"fr": "…"}, "thanks": {"fr": "Merci"}, "questions": questions,
    }  # fmt: skip


def answers_of(response_id: int, rnd: random.Random) -> list[dict]:
    one = lambda key, value: {"question_key": key, "text_value": value, "choice_values": [value]}  # noqa: E731
    return [
        one("q1", rnd.choice("abc")),
        one("q2", rnd.choice("xy")),
        {"question_key": "q3", "choice_values": rnd.sample(["m", "n", "o"], rnd.randint(1, 3))},
        {"question_key": "q4", "choice_values": rnd.sample(["p", "r"], rnd.randint(1, 2))},
        one("q5", rnd.choice(["yes", "no"])),
        one("q6", rnd.choice(["yes", "no"])),
        {"question_key": "q7", "number_value": float(rnd.randint(1, 5))},
        {"question_key": "q8", "number_value": float(rnd.randint(1, 5))},
        one("q9", rnd.choice(QUARTERS)),
        {"question_key": "q10", "text_value": f"Réponse libre numéro {response_id}"},
    ]


async def fill(db: Database, consultation_id: int, count: int) -> None:
    rnd = random.Random(7)
    answer_columns = (
        "question_key", "text_value", "number_value", "date_value", "choice_values",
        "latitude", "longitude", "media_ref",
    )  # fmt: skip
    for start in range(1, count + 1, CHUNK):
        ids = range(start, min(start + CHUNK, count + 1))
        responses = [
            {
                "id": i, "consultation_id": consultation_id, "citizen_id": None,
                "dedupe_token": f"token-{i}", "sequence": 1, "started_at": NOW,
                "submitted_at": NOW, "locale": "fr", "language": "fr",
                "quarter": QUARTERS[i % 4], "gender": None, "age_bracket": None,
            }
            for i in ids
        ]  # fmt: skip
        answers = [
            {column: None for column in answer_columns} | answer | {"response_id": i}
            for i in ids
            for answer in answers_of(i, rnd)
        ]
        async with db.engine.begin() as connection:
            await connection.execute(insert(ConsultationResponse.__table__), responses)
            await connection.execute(insert(ConsultationAnswer.__table__), answers)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def run(db: Database, count: int, backend: str) -> None:
    consultation_id, consultation = await open_consultation(db, document(), NOW)
    began = time.perf_counter()
    await fill(db, consultation_id, count)
    filling = time.perf_counter() - began
    before = peak_rss_mb()
    began = time.perf_counter()
    async with db.transaction() as uow:
        results = await consultation_results(uow, consultation_id, consultation)
    tallying = time.perf_counter() - began
    with tempfile.TemporaryDirectory() as folder:
        began = time.perf_counter()
        async with db.transaction() as uow:
            written = await export_responses(
                uow, consultation_id, consultation, Path(folder) / "bench.xlsx", "xlsx",
                ExportOptions(pseudonym_key="bench"),
            )  # fmt: skip
        exporting = time.perf_counter() - began
        size = (Path(folder) / "bench.xlsx").stat().st_size / 1e6
    print(
        f"{backend:10} responses {results.responses} × {len(consultation.asked)} questions "
        f"(inserted in {filling:.1f} s)  results {tallying:.2f} s  "
        f"xlsx export {exporting:.2f} s ({written} rows, {size:.1f} MB)  "
        f"peak RSS {peak_rss_mb():.0f} MB (before results and export: {before:.0f} MB)"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--responses", type=int, default=50_000)
    parser.add_argument(
        "--backend", nargs="+", choices=("sqlite", "postgresql"), default=["postgresql"]
    )
    args = parser.parse_args()
    for backend in args.backend:
        async with scratch_database(backend) as db:
            await run(db, args.responses, backend)


if __name__ == "__main__":
    asyncio.run(main())

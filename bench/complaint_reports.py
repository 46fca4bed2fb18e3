"""Benchmark of the complaint reports on N complaints (a commune's years of them), on SQLite
and PostgreSQL: the statistics, one deadline run when everything is due at once (after a
long stop), a routine deadline run (nothing new), and the digest.

    python bench/complaint_reports.py --complaints 50000 --backend sqlite postgresql

Prints seconds per operation and how many pushes were queued.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.scratch_databases import scratch_database
from handlers.complaints import (
    CATEGORIES,
    STATUSES,
    gather_complaint_statistics,
    queue_daily_digest,
    queue_deadline_pushes,
)
from handlers.turns import CoreSettings
from storage.database import Database
from tests.complaint_rows import add_citizen, add_complaints, complaint_values

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
SETTINGS = replace(CoreSettings(), staff_chat_id="-100200300")
QUARTERS = ("Derb Jdid", "Sidi Belkas", "Darb Al Afou", "Talmqalat", "Assarag", "Medina", None)


def complaint(citizen: int, rnd: random.Random) -> dict:
    filed = NOW - timedelta(days=rnd.uniform(0, 3 * 365))
    status = rnd.choice(STATUSES)
    values = {"status": status, "category": rnd.choice(list(CATEGORIES))}
    values["quarter"] = rnd.choice(QUARTERS)
    if status != "received":
        values["acknowledged_at"] = filed + timedelta(days=rnd.uniform(0.1, 25))
    if status in ("resolved", "rejected", "outside_competence"):
        values["closed_at"] = filed + timedelta(days=rnd.uniform(1, 90))
    if status == "resolved":
        values["resolved_at"] = values["closed_at"]
        values["rating"] = rnd.choice((None, 1, 2, 3, 4, 5))
    return complaint_values(citizen, filed, **values)


async def timed(label: str, work) -> object:
    start = time.perf_counter()
    result = await work()
    print(f"  {label:32} {time.perf_counter() - start:7.3f} s", flush=True)
    return result


async def run(db: Database, count: int) -> None:
    rnd = random.Random(7)
    citizen = await add_citizen(db, NOW)
    for start in range(0, count, 5_000):
        batch = min(5_000, count - start)
        await add_complaints(db, [complaint(citizen, rnd) for _ in range(batch)])

    async def statistics():
        async with db.transaction() as uow:
            return await gather_complaint_statistics(uow, SETTINGS)

    async def deadlines():
        async with db.transaction() as uow:
            return await queue_deadline_pushes(uow, SETTINGS, NOW)

    async def digest():
        async with db.transaction() as uow:
            return await queue_daily_digest(uow, SETTINGS, NOW)

    figures = await timed("statistics", statistics)
    print(f"    total {figures.total}, median ack {figures.median_days_to_acknowledge:.1f} d")
    first = await timed("deadline run, backlog (one run)", deadlines)
    print(f"    queued {len(first)} pushes")
    runs, pushes, start = 1, len(first), time.perf_counter()
    while queued := await deadlines():
        runs, pushes = runs + 1, pushes + len(queued)
    print(f"  {'draining the backlog':32} {time.perf_counter() - start:7.3f} s")
    print(f"    {pushes} pushes in {runs} runs")
    again = await timed("deadline run, nothing new", deadlines)
    print(f"    queued {len(again)} pushes")
    await timed("digest", digest)


async def bench_backend(backend: str, count: int) -> None:
    print(f"{backend}: {count} complaints", flush=True)
    async with scratch_database(backend) as db:
        await run(db, count)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=50_000)
    parser.add_argument("--backend", nargs="+", default=["sqlite", "postgresql"])
    args = parser.parse_args()
    for backend in args.backend:
        asyncio.run(bench_backend(backend, args.complaints))


if __name__ == "__main__":
    main()

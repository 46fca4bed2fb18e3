"""Benchmark: complaints filed concurrently by distinct citizens through the core, with
every step persisted. Checks that every complaint is stored with a unique tracking number,
and prints complaints/s and the latency of the filing steps.

    python bench/complaints.py --complaints 1000 --backend postgresql
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select

from bench.scratch_databases import scratch_database
from handlers.conversation_core import ConversationCore
from handlers.turns import CoreSettings
from handlers.types import Button, ButtonPress, Incoming, Text
from storage.database import Database
from storage.models import Complaint

ONBOARDING = ["Français", "✅"]
# Menu → file → kind → category → (description) → quarter → skip attachment → send.
FILING = ["📝", "✍️", "📣", "🗑️", None, "Derb Jdid", "⏭️", "✅"]
DESCRIPTION = "Les poubelles débordent devant l'école depuis trois jours, merci d'intervenir."


class FilingCitizen:
    def __init__(self, core: ConversationCore, number: int, latencies: list[float]) -> None:
        self.core, self.user_id, self.latencies = core, f"filer-{number}", latencies
        self.updates = 0
        self.buttons: list[Button] = []

    async def send(self, payload: Text | ButtonPress, *, timed: bool) -> None:
        self.updates += 1
        update_id = f"{self.user_id}:{self.updates}"
        incoming = Incoming("bench", self.user_id, self.user_id, update_id, payload)
        started = time.perf_counter()
        replies = await self.core.receive(incoming)
        if timed:
            self.latencies.append(time.perf_counter() - started)
        offered = [button for reply in replies for row in reply.buttons for button in row]
        self.buttons = offered or self.buttons

    def press(self, label_start: str) -> ButtonPress:
        button = next(b for b in self.buttons if b.label.startswith(label_start))
        return ButtonPress(button.id)

    async def onboard(self) -> None:
        await self.send(Text("Bonjour"), timed=False)
        for label in ONBOARDING:
            await self.send(self.press(label), timed=False)

    async def file(self) -> None:
        for label in FILING:
            payload = Text(DESCRIPTION) if label is None else self.press(label)
            await self.send(payload, timed=True)


async def run(db: Database, complaints: int, concurrency: int) -> dict[str, float]:
    core = ConversationCore(db, CoreSettings())
    latencies: list[float] = []
    citizens = [FilingCitizen(core, n, latencies) for n in range(complaints)]
    gate = asyncio.Semaphore(concurrency)

    async def limited(step) -> None:  # type: ignore[no-untyped-def]
        async with gate:
            await step()

    await asyncio.gather(*(limited(c.onboard) for c in citizens))
    started = time.perf_counter()
    await asyncio.gather(*(limited(c.file) for c in citizens))
    elapsed = time.perf_counter() - started
    async with db.engine.connect() as connection:
        stored = (await connection.execute(select(func.count(Complaint.id)))).scalar_one()
        numbers = (
            await connection.execute(select(func.count(func.distinct(Complaint.tracking_number))))
        ).scalar_one()
    latencies.sort()
    return {
        "stored": stored,
        "unique_numbers": numbers,
        "seconds": elapsed,
        "per_second": stored / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99)] * 1000,
    }


async def bench(backend: str, complaints: int, concurrency: int) -> dict[str, float]:
    async with scratch_database(backend, pool_size=concurrency) as db:
        return await run(db, complaints, concurrency)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--backend", nargs="+", default=["postgresql"])
    args = parser.parse_args()
    for backend in args.backend:
        f = asyncio.run(bench(backend, args.complaints, args.concurrency))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{backend:10} complaints={args.complaints} stored={f['stored']} "
            f"unique tracking numbers={f['unique_numbers']} in {f['seconds']:.1f} s: "
            f"{f['per_second']:.0f} complaints/s; filing steps p50 {f['p50_ms']:.1f} ms, "
            f"p99 {f['p99_ms']:.1f} ms; peak RSS {peak:.0f} MB",
            flush=True,
        )


if __name__ == "__main__":
    main()

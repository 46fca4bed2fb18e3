"""Benchmark of the conversation core: N simulated citizens go through onboarding and a
five-step flow, every step persisted, on SQLite and on PostgreSQL. No channel is involved.

    python bench/engine.py --citizens 10000 --backend sqlite postgresql

Prints updates/s, p50/p99 latency per update and the peak RSS of the process.
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

from bench.scratch_databases import scratch_database
from handlers.conversation_core import ConversationCore
from handlers.flows import (
    Choice,
    MenuEntry,
    Step,
    enter,
    register_flow,
    register_menu_entry,
)
from handlers.menu import show_menu
from handlers.turns import CoreSettings, Turn
from handlers.types import ButtonPress, Incoming, Outgoing, Text
from storage.database import Database

QUESTIONS = 5


def _survey_step(number: int) -> Step:
    async def prompt(turn: Turn) -> None:
        options = [turn.button(str(value), f"option {value}") for value in range(1, 5)]
        turn.say(f"question {number}/{QUESTIONS}", [options])

    async def handle(turn: Turn, answer: object) -> None:
        if not isinstance(answer, Choice):
            await prompt(turn)
            return
        turn.data[f"q{number}"] = answer.value
        if number < QUESTIONS:
            await enter(turn, "bench_survey", f"q{number + 1}")
        else:
            await show_menu(turn, "thanks")

    return Step(prompt, handle)


register_flow("bench_survey", {f"q{n}": _survey_step(n) for n in range(1, QUESTIONS + 1)})
register_menu_entry(
    MenuEntry("bench", "menu.help", lambda turn: enter(turn, "bench_survey", "q1"), order=1)
)


class SimulatedCitizen:
    def __init__(self, core: ConversationCore, number: int, latencies: list[float]) -> None:
        self.core, self.user_id, self.latencies = core, f"bench-{number}", latencies
        self.update = 0
        self.buttons: list[str] = []

    async def send(self, payload: Text | ButtonPress) -> list[Outgoing]:
        self.update += 1
        incoming = Incoming(
            "bench", self.user_id, self.user_id, f"{self.user_id}:{self.update}", payload
        )
        started = time.perf_counter()
        replies = await self.core.receive(incoming)
        self.latencies.append(time.perf_counter() - started)
        self.buttons = [b.id for r in replies for row in r.buttons for b in row] or self.buttons
        return replies

    def press(self, choice_suffix: str) -> ButtonPress:
        return ButtonPress(next(b for b in self.buttons if b.endswith(choice_suffix)))

    async def journey(self) -> None:
        await self.send(Text("salam, bghit n3ref chno kayn"))
        await self.send(self.press(".lang:ary-Latn"))
        await self.send(self.press(".accept"))
        await self.send(self.press(".m:bench"))
        for _ in range(QUESTIONS):
            await self.send(self.press(".2"))


async def run(db: Database, citizens: int, concurrency: int) -> dict[str, float]:
    core = ConversationCore(db, CoreSettings())
    latencies: list[float] = []
    gate = asyncio.Semaphore(concurrency)

    async def one(number: int) -> None:
        async with gate:
            await SimulatedCitizen(core, number, latencies).journey()

    await SimulatedCitizen(core, -1, []).journey()  # warm caches: catalogs, detector
    started = time.perf_counter()
    await asyncio.gather(*(one(n) for n in range(citizens)))
    elapsed = time.perf_counter() - started
    async with db.transaction() as uow:
        stored = await uow.citizens.count()
    latencies.sort()
    return {
        "updates": len(latencies),
        "seconds": elapsed,
        "updates_per_s": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99)] * 1000,
        "citizens_stored": stored,
    }


async def bench_backend(backend: str, citizens: int, concurrency: int) -> dict[str, float]:
    async with scratch_database(backend, pool_size=concurrency) as db:
        return await run(db, citizens, concurrency)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--citizens", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--backend", nargs="+", default=["sqlite", "postgresql"])
    args = parser.parse_args()
    for backend in args.backend:
        figures = asyncio.run(bench_backend(backend, args.citizens, args.concurrency))
        print(
            f"{backend:10} citizens={args.citizens} stored={figures['citizens_stored']} "
            f"updates={figures['updates']} in {figures['seconds']:.1f} s: "
            f"{figures['updates_per_s']:.0f} updates/s, p50 {figures['p50_ms']:.2f} ms, "
            f"p99 {figures['p99_ms']:.2f} ms, peak RSS {peak_rss_mb():.0f} MB",
            flush=True,
        )


if __name__ == "__main__":
    main()

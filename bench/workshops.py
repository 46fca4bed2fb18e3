"""Benchmark of workshop sign-ups under contention: N citizens sign up concurrently (the
waitlist accepted) for W published workshops of S seats, each choosing one at random
(seeded). Every sign-up is its own transaction and reads the clock inside it before
asking for a seat, as a turn of the bot does, then waits its turn for the workshop.

    python bench/workshops.py --citizens 2000 --workshops 20 --seats 50 --concurrency 32

Prints sign-ups/s, p50/p99 latency per sign-up, seats overbooked (target 0: the sum over
workshops of registered beyond capacity), waitlist order violations (target 0: places
where the waitlist as served — by queued_at, then id — differs from the order sign-ups
committed in), ranks told wrongly (target 0: a waitlisted citizen told a rank other than
their place in commit order), duplicate codes and failed sign-ups (targets 0), and the
registered and waitlisted totals.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from random import Random

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.scratch_databases import BACKENDS, scratch_database
from handlers.clock import SystemClock
from handlers.turns import CoreSettings
from handlers.workshops import (
    TEXT_LOCALES,
    WorkshopFields,
    create_workshop,
    publish_workshop,
    register_for_workshop,
)
from storage.database import Database
from storage.repositories.workshops import REGISTERED, WAITLISTED

CITIZEN = {"channel": "bench", "language": "fr", "script": "Latn"}


@dataclass(frozen=True, slots=True)
class Placed:
    """A waitlisted sign-up, noted while its transaction still held the workshop."""

    registration_id: int
    position: int


async def open_workshops(db: Database, settings: CoreSettings, count: int, seats: int) -> list[int]:
    now = SystemClock().now()
    starts = now + timedelta(days=30)
    texts = {locale: f"Atelier ({locale})" for locale in TEXT_LOCALES}
    ids = []
    async with db.transaction() as uow:
        for _ in range(count):
            fields = WorkshopFields(
                title=texts, description=texts, quarter="Medina", place="Maison de quartier",
                starts_at=starts, ends_at=starts + timedelta(hours=2), capacity=seats,
            )  # fmt: skip
            workshop = await create_workshop(uow, settings, fields, now)
            await publish_workshop(uow, settings, workshop.id, now, announce=False)
            ids.append(workshop.id)
    return ids


async def add_citizens(db: Database, count: int) -> list[int]:
    now = SystemClock().now()
    ids = []
    async with db.transaction() as uow:
        for n in range(count):
            values = {"channel_user_id": f"c{n}", "chat_id": f"c{n}", "consent_at": now,
                      "created_at": now, "last_seen_at": now, **CITIZEN}  # fmt: skip
            ids.append(await uow.citizens.register(values))
    return ids


class Run:
    def __init__(self, db: Database, settings: CoreSettings) -> None:
        self.db, self.settings, self.clock = db, settings, SystemClock()
        self.latencies: list[float] = []
        self.outcomes: Counter[str] = Counter()
        self.failures: Counter[str] = Counter()
        self.committed: dict[int, list[Placed]] = defaultdict(list)  # waitlisted, by workshop

    async def sign_up(self, citizen_id: int, workshop_id: int) -> None:
        started = time.perf_counter()
        try:
            async with self.db.transaction() as uow:
                citizen = await uow.citizens.get(citizen_id)
                assert citizen is not None
                now = self.clock.now()  # read before waiting for the workshop, as a turn does
                done = await register_for_workshop(
                    uow, self.settings, workshop_id, citizen, now, waitlist=True
                )
                if done.outcome == "waitlisted" and done.registration is not None:
                    placed = Placed(done.registration.id, done.position)
                    self.committed[workshop_id].append(placed)  # in commit order (locked)
        except Exception as error:  # counted and printed, not hidden
            self.failures[type(error).__name__] += 1
            return
        self.latencies.append(time.perf_counter() - started)
        self.outcomes[done.outcome] += 1


async def figures(run: Run, workshops: list[int], seats: int) -> dict[str, int]:
    overbooked = violations = wrong_ranks = registered = waitlisted = 0
    codes: Counter[str] = Counter()
    async with run.db.transaction() as uow:
        for workshop_id in workshops:
            rows = await uow.workshops.registrations(workshop_id)
            codes.update(r.code for r in rows)
            taken = sum(1 for r in rows if r.status == REGISTERED)
            registered += taken
            overbooked += max(0, taken - seats)
            served = [r.id for r in await uow.workshops.waitlist(workshop_id)]
            waitlisted += len(served)
            committed = run.committed[workshop_id]
            order = [placed.registration_id for placed in committed]
            violations += sum(1 for a, b in zip(served, order, strict=False) if a != b)
            violations += abs(len(served) - len(order))
            wrong_ranks += sum(1 for n, p in enumerate(committed, 1) if p.position != n)
    return {
        "overbooked": overbooked,
        "violations": violations,
        "wrong_ranks": wrong_ranks,
        "registered": registered,
        "waitlisted": waitlisted,
        "duplicate_codes": sum(n - 1 for n in codes.values() if n > 1),
    }


async def bench(backend: str, args: argparse.Namespace) -> None:
    settings = CoreSettings(tracking_random=Random(args.seed))
    async with scratch_database(backend, pool_size=args.concurrency) as db:
        workshops = await open_workshops(db, settings, args.workshops, args.seats)
        citizens = await add_citizens(db, args.citizens)
        choice = Random(args.seed)
        plan = [(citizen_id, choice.choice(workshops)) for citizen_id in citizens]
        run = Run(db, settings)
        pending = iter(plan)

        async def worker() -> None:
            for citizen_id, workshop_id in pending:
                await run.sign_up(citizen_id, workshop_id)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(args.concurrency)))
        elapsed = time.perf_counter() - started
        f = await figures(run, workshops, args.seats)
    latencies = sorted(run.latencies) or [0.0]
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    others = {k: v for k, v in run.outcomes.items() if k not in (REGISTERED, WAITLISTED)}
    print(
        f"{backend:10} citizens {args.citizens} workshops {args.workshops}x{args.seats} seats "
        f"concurrency {args.concurrency}: {len(run.latencies) / elapsed:.0f} sign-ups/s "
        f"({elapsed:.1f} s); p50 {statistics.median(latencies) * 1000:.1f} ms, "
        f"p99 {p99 * 1000:.1f} ms per sign-up\n"
        f"{'':10} seats overbooked {f['overbooked']}  waitlist order violations "
        f"{f['violations']}  ranks told wrongly {f['wrong_ranks']}  duplicate codes "
        f"{f['duplicate_codes']}  failed sign-ups {sum(run.failures.values())}"
        f"{' ' + str(dict(run.failures)) if run.failures else ''}\n"
        f"{'':10} registered {f['registered']}  waitlisted {f['waitlisted']}"
        f"{'  other outcomes ' + str(others) if others else ''}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--citizens", type=int, default=2000)
    parser.add_argument("--workshops", type=int, default=20)
    parser.add_argument("--seats", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--backend", nargs="+", choices=BACKENDS, default=["postgresql"])
    args = parser.parse_args()
    for backend in args.backend:
        asyncio.run(bench(backend, args))


if __name__ == "__main__":
    main()

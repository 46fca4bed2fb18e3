"""Benchmark of the back-office's heaviest pages over a full database: the complaints list
(first page, a page deep in the list, filtered) and a consultation's results page
(unfiltered and filtered), over 50,000 complaints and 50,000 responses × 10 questions.

    python bench/web.py --complaints 50000 --responses 50000 --backend postgresql

The back-office runs as `tachawor web` in its own process on 127.0.0.1; rows are inserted
in bulk beforehand. Each page is asked for --requests times after a warm-up; the server's
own time comes from its Server-Timing header. Prints p50/p95/max per page (targets: p95
under 200 ms for the list, under 2 s for results) and the web process's RSS (now and peak).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psutil
from alembic import command
from sqlalchemy import insert

from bench.results import QUARTERS, document, fill
from bench.scratch_databases import BACKENDS, scratch_database
from storage.database import Database
from storage.migrate import alembic_config
from storage.models import Citizen, Complaint
from tests.complaint_rows import complaint_values
from tests.consultations import open_consultation
from tests.web_client import PASSWORD, WebClient, add_staff_member

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
CHUNK = 5_000
CITIZENS = 5_000
STATUSES = ("received", "acknowledged", "forwarded", "in_progress", "resolved", "rejected")
CATEGORIES = ("roads", "lighting", "waste", "water", "noise", "other")
PSEUDONYM_KEY = "b" * 64


async def fill_complaints(db: Database, count: int) -> list[str]:
    rnd = random.Random(13)
    citizens = [
        {"channel": "bench", "channel_user_id": f"c{n}", "chat_id": f"c{n}", "language": "fr",
         "script": "Latn", "consent_at": NOW, "reachable": True, "created_at": NOW,
         "last_seen_at": NOW}
        for n in range(CITIZENS)
    ]  # fmt: skip
    async with db.engine.begin() as connection:
        ids = list(
            (await connection.execute(insert(Citizen).returning(Citizen.id), citizens)).scalars()
        )
    numbers = []
    for start in range(0, count, CHUNK):
        rows = []
        for n in range(start, min(start + CHUNK, count)):
            filed = NOW - timedelta(minutes=15 * (count - n))
            values = complaint_values(
                rnd.choice(ids), filed, tracking_number=f"TRD-26-B{_base36(n)}",
                status=rnd.choice(STATUSES), category=rnd.choice(CATEGORIES),
                quarter=rnd.choice(QUARTERS),
            )  # fmt: skip
            rows.append(values)
            numbers.append(values["tracking_number"])
        async with db.engine.begin() as connection:
            await connection.execute(insert(Complaint.__table__), rows)
    return numbers


def _base36(number: int) -> str:
    """Four characters of 0-9A-Z: the five of a tracking number with the "B" before them."""
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return "".join(digits[number // 36**power % 36] for power in (3, 2, 1, 0))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_web(url: str, port: int) -> subprocess.Popen[str]:
    environment = {**os.environ, "DATABASE_URL": url, "PSEUDONYM_KEY": PSEUDONYM_KEY,
                   "LOG_LEVEL": "WARNING"}  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "web", "--port", str(port)],
        stdout=subprocess.PIPE, text=True, env=environment,
    )  # fmt: skip
    assert process.stdout is not None
    process.stdout.readline()  # "Back-office on http://…": it listens
    return process


async def timings(browser: WebClient, path: str, requests: int) -> list[float]:
    for _ in range(3):
        await browser.get(path)
    served = []
    for _ in range(requests):
        page = await browser.get(path)
        assert page.status == 200, (path, page.status)
        served.append(float(page.headers["Server-Timing"].split("dur=")[1]))
    return served


def line(name: str, served: list[float], target: float) -> str:
    ordered = sorted(served)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    verdict = "ok" if p95 < target else "OVER TARGET"
    return (
        f"  {name:34} p50 {statistics.median(ordered):7.1f} ms  p95 {p95:7.1f} ms  "
        f"max {ordered[-1]:7.1f} ms  (target p95 < {target:.0f} ms: {verdict})"
    )


async def run(backend: str, complaints: int, responses: int, requests: int) -> None:
    async with scratch_database(backend) as db:
        began = time.perf_counter()
        numbers = await fill_complaints(db, complaints)
        consultation_id, _ = await open_consultation(db, document(), NOW)
        await fill(db, consultation_id, responses)
        login = await add_staff_member(db, "1", "admin", NOW, name="Bench Admin")
        # The schema is made from the models: mark it migrated, or `tachawor web` would
        # migrate the SQLite file again on start.
        await asyncio.to_thread(command.stamp, alembic_config(db.url), "head")
        print(f"{backend}: {complaints} complaints and {responses} responses inserted in "
              f"{time.perf_counter() - began:.1f} s")  # fmt: skip
        port = free_port()
        web = start_web(db.url, port)
        browser = WebClient(f"http://127.0.0.1:{port}")
        try:
            await browser.sign_in(login, PASSWORD)
            pages = [
                ("complaints list, page 1", "/complaints", 200.0),
                ("complaints list, page 500", "/complaints?page=500", 200.0),
                ("complaints list, filtered", "/complaints?status=received&quarter=Medina", 200.0),
                ("complaints list, overdue", "/complaints?overdue=1", 200.0),
                ("one complaint", f"/complaints/{numbers[len(numbers) // 2]}", 200.0),
                ("results, all responses", "/consultations/bench/results", 2000.0),
                ("results, one quarter", "/consultations/bench/results?quarter=Medina", 2000.0),
            ]
            for name, path, target in pages:
                print(line(name, await timings(browser, path, requests), target))
            memory = psutil.Process(web.pid)
            peak = _peak_rss_mb(web.pid)
            print(f"  web process RSS {memory.memory_info().rss / 2**20:.0f} MB "
                  f"(peak {peak:.0f} MB)")  # fmt: skip
        finally:
            await browser.close()
            web.terminate()
            web.wait(timeout=20)


def _peak_rss_mb(pid: int) -> float:
    """VmHWM: the most memory the process has held (Linux)."""
    for text in Path(f"/proc/{pid}/status").read_text().splitlines():
        if text.startswith("VmHWM:"):
            return int(text.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--complaints", type=int, default=50_000)
    parser.add_argument("--responses", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=40, help="timed requests per page")
    parser.add_argument("--backend", choices=BACKENDS, default="postgresql")
    args = parser.parse_args()
    asyncio.run(run(args.backend, args.complaints, args.responses, args.requests))


if __name__ == "__main__":
    main()

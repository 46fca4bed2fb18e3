"""`tachawor broadcast consultation KEY | message --text …`: broadcasts for staff.

Both queue one outbox row per citizen (once: running again queues only what is missing).
The running bot delivers them at Telegram's pace; `--wait` follows that delivery with a
progress line on stderr and ends with the delivery report. It only watches: a second
sender in this process would have its own rate limiter and break the 30 messages/s.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Callable
from typing import TextIO

from bot.cli.staff_texts import staff_translate
from bot.settings import Settings
from bot.startup import prepare_database
from handlers.clock import SystemClock
from handlers.consultations import BroadcastRefused, broadcast_consultation
from handlers.languages import Translator
from handlers.staff import BroadcastProgress, BroadcastQueued, broadcast_message
from storage.database import Database

POLL_SECONDS = 1.0


def add_broadcast_commands(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("broadcast", help="announce a consultation, or send a message")
    actions = parser.add_subparsers(dest="broadcast_command", required=True)
    consultation = actions.add_parser("consultation", help="announce an open consultation")
    consultation.add_argument("key")
    message = actions.add_parser("message", help="send a text to every citizen (of quarters)")
    message.add_argument("--text", required=True)
    message.add_argument("--quarter", action="append", default=[], help="repeat for several")
    for sub in (consultation, message):
        sub.add_argument("--wait", action="store_true", help="follow the delivery, then report")
        sub.add_argument("--timeout", type=float, default=3600.0, help="seconds --wait waits")
        sub.add_argument("--db", help="database URL (default: DATABASE_URL)")
        sub.set_defaults(run=broadcast_command)


def broadcast_command(args: argparse.Namespace, settings: Settings) -> int:
    """Queue a broadcast, then (with --wait) follow its delivery."""
    prepare_database(settings.database_url, automatic_only=True)
    return asyncio.run(_run(args, settings))


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    t = staff_translate(settings)
    db = Database(settings.database_url)
    try:
        try:
            done = await _queue(db, args, settings)
        except BroadcastRefused:
            print(t("broadcast.unknown", consultation=args.key), file=sys.stderr)
            return 1
        print(t("cli.broadcast.queued", name=done.name, queued=done.queued, targeted=done.targeted))
        if args.wait:
            counts = await follow_delivery(db, done.dedupe_prefix, t, timeout=args.timeout)
            print(delivery_report(t, counts))
        return 0
    finally:
        await db.close()


async def _queue(db: Database, args: argparse.Namespace, settings: Settings) -> BroadcastQueued:
    core = settings.core()
    now = SystemClock().now()
    async with db.transaction() as uow:
        if args.broadcast_command == "consultation":
            return await broadcast_consultation(uow, core, args.key, now)
        return await broadcast_message(uow, core, args.text, now, quarters=args.quarter)


async def delivery_counts(db: Database, prefix: str) -> dict[str, int]:
    async with db.transaction() as uow:
        return await uow.outbox.delivery_counts(prefix)


def progress_line(t: Translator, counts: dict[str, int]) -> str:
    """`envoyés 1200/10000 (12 %) · en échec 3`"""
    now = BroadcastProgress.of_counts(counts)
    failed = now.failed + now.unreachable
    return t(
        "cli.broadcast.progress", sent=now.sent, total=now.total, percent=now.percent,
        failed=failed,
    )  # fmt: skip


def delivery_report(t: Translator, counts: dict[str, int]) -> str:
    names = ("sent", "failed", "unreachable", "pending", "waiting")
    return t("cli.broadcast.delivery", **{name: counts.get(name, 0) for name in names})


async def follow_delivery(
    db: Database,
    prefix: str,
    t: Translator,
    *,
    timeout: float,
    out: TextIO = sys.stderr,
    clock: Callable[[], float] = time.monotonic,
) -> dict[str, int]:
    """Show progress until nothing is pending (or `timeout`); the last counts.
    Rows waiting for a citizen who blocked the bot count as unreachable, not pending."""
    deadline = clock() + timeout
    while True:
        counts = await delivery_counts(db, prefix)
        out.write("\r" + progress_line(t, counts))
        out.flush()
        if not counts.get("pending") or clock() >= deadline:
            out.write("\n")
            return counts
        await asyncio.sleep(POLL_SECONDS)

"""`tachawor chat`: talk to the bot in this terminal, as a citizen (no token needed)."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.settings import Settings
from bot.startup import open_core, prepare_database


def add_chat_command(commands: argparse._SubParsersAction) -> None:
    chat_parser = commands.add_parser("chat", help=chat.__doc__)
    chat_parser.add_argument("--user", default="citizen-1", help="who you are in the chat")
    chat_parser.add_argument("--db", help="database URL (default: DATABASE_URL)")
    chat_parser.add_argument(
        "--reshape", action="store_true", help="lay out Arabic for terminals without bidi"
    )
    chat_parser.set_defaults(run=chat)


def chat(args: argparse.Namespace, settings: Settings) -> int:
    """Talk to the bot in this terminal, as a citizen."""
    from bot.scheduling import run_workshop_jobs
    from bot.terminal import TerminalChat

    async def session() -> None:
        core, db = await open_core(settings)
        try:
            interactive = sys.stdin.isatty()
            terminal = TerminalChat(
                core,
                args.user,
                echo_input=not interactive,
                reshape_arabic=args.reshape,
                scheduled=lambda: run_workshop_jobs(db, core.settings, core.clock),
            )
            await terminal.run()
        finally:
            await db.close()

    prepare_database(settings.database_url, automatic_only=True)
    asyncio.run(session())
    return 0

"""`tachawor run` (long polling) and `tachawor webhook`: the bot on Telegram."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.settings import Settings
from bot.startup import open_core, prepare_database


def add_run_commands(commands: argparse._SubParsersAction) -> None:
    for name, handler in (("run", run), ("webhook", webhook)):
        telegram_parser = commands.add_parser(name, help=handler.__doc__)
        telegram_parser.add_argument("--db", help="database URL (default: DATABASE_URL)")
        telegram_parser.set_defaults(run=handler)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run the bot on Telegram with long polling."""
    return _telegram(settings, webhook=False)


def webhook(args: argparse.Namespace, settings: Settings) -> int:
    """Run the bot on Telegram behind a webhook (an HTTP server for Telegram to call)."""
    return _telegram(settings, webhook=True)


def _telegram(settings: Settings, *, webhook: bool) -> int:
    from bot.telegram import run_polling, run_webhook

    if settings.telegram_bot_token is None:
        print("TELEGRAM_BOT_TOKEN is not set (see .env.example)", file=sys.stderr)
        return 2
    serve = run_webhook if webhook else run_polling

    async def serving() -> None:
        core, db = await open_core(settings)
        try:
            await serve(settings, core, db)
        finally:
            await db.close()

    prepare_database(settings.database_url, automatic_only=True)
    asyncio.run(serving())
    return 0

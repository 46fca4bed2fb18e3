"""`tachawor run` (long polling) and `tachawor webhook`: the bot on Telegram."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.cli.staff_texts import staff_translate
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


def missing_settings(settings: Settings, *, webhook: bool) -> list[str]:
    """What the mode needs and is not set, one line each with an example."""
    t = staff_translate(settings)
    needed = [("TELEGRAM_BOT_TOKEN", settings.telegram_bot_token, t("cli.run.token_hint"))]
    if webhook:
        for name, value, example in (
            ("WEBHOOK_URL", settings.webhook_url, "https://bot.taroudant.ma/tg/hook"),
            ("WEBHOOK_SECRET", settings.webhook_secret, "$(openssl rand -hex 32)"),
        ):
            needed.append((name, value, t("cli.run.example_hint", example=example)))
    return [t("cli.run.not_set", name=name, hint=hint) for name, value, hint in needed if not value]


def _telegram(settings: Settings, *, webhook: bool) -> int:
    from bot.telegram import TelegramRefused, run_polling, run_webhook

    if missing := missing_settings(settings, webhook=webhook):
        for line in missing:
            print(f"tachawor: {line}", file=sys.stderr)
        return 2
    serve = run_webhook if webhook else run_polling

    async def serving() -> None:
        core, db = await open_core(settings)
        try:
            await serve(settings, core, db)
        finally:
            await db.close()

    prepare_database(settings.database_url, automatic_only=True)
    try:
        asyncio.run(serving())
    except TelegramRefused as refused:
        print(f"tachawor: {refused}", file=sys.stderr)
        return 2
    return 0

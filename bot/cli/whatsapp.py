"""`tachawor whatsapp`: the bot on WhatsApp (the Cloud API's webhook)."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.cli.staff_texts import staff_translate
from bot.settings import Settings
from bot.startup import open_core, prepare_database


def add_whatsapp_command(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("whatsapp", help="run the bot on WhatsApp (Cloud API webhook)")
    parser.add_argument("--db", help="database URL (default: DATABASE_URL)")
    parser.set_defaults(run=whatsapp)


def whatsapp(args: argparse.Namespace, settings: Settings) -> int:
    """Run the bot on WhatsApp until Ctrl-C (or SIGTERM)."""
    from bot.whatsapp.runner import missing_whatsapp_settings, run_whatsapp

    t = staff_translate(settings)
    if missing := missing_whatsapp_settings(settings):
        for name in missing:
            hint = t("cli.run.example_hint", example=f"{name}=…")
            print(f"tachawor: {t('cli.run.not_set', name=name, hint=hint)}", file=sys.stderr)
        return 2

    async def serving() -> None:
        core, db = await open_core(settings)
        try:
            await run_whatsapp(settings, core)
        finally:
            await db.close()

    prepare_database(settings.database_url, automatic_only=True)
    asyncio.run(serving())
    return 0

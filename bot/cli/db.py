"""`tachawor db upgrade`: bring the database schema to the latest version."""

from __future__ import annotations

import argparse

from bot.cli.staff_texts import staff_translate
from bot.settings import Settings
from bot.startup import prepare_database


def add_db_commands(commands: argparse._SubParsersAction) -> None:
    db_parser = commands.add_parser("db", help="database schema")
    db_commands = db_parser.add_subparsers(dest="db_command", required=True)
    upgrade_parser = db_commands.add_parser("upgrade", help=db_upgrade.__doc__)
    upgrade_parser.add_argument("--db", help="database URL (default: DATABASE_URL)")
    upgrade_parser.set_defaults(run=db_upgrade)


def db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    """Bring the database schema to the latest version."""
    prepare_database(settings.database_url, automatic_only=False)
    print(staff_translate(settings)("cli.db.up_to_date"))
    return 0

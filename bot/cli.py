"""The `tachawor` command: terminal chat, database, language detection and the bot itself."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable

from bot.broadcast_cli import add_broadcast_commands
from bot.complaints_cli import add_complaint_commands
from bot.consultations_cli import add_consultation_commands
from bot.demo_data import add_demo_command
from bot.settings import Settings
from bot.staff_cli import add_staff_commands
from bot.startup import open_core, prepare_database


def chat(args: argparse.Namespace, settings: Settings) -> int:
    """Talk to the bot in this terminal, as a citizen."""
    from bot.terminal import TerminalChat

    async def session() -> None:
        core, db = await open_core(settings)
        try:
            interactive = sys.stdin.isatty()
            terminal = TerminalChat(
                core, args.user, echo_input=not interactive, reshape_arabic=args.reshape
            )
            await terminal.run()
        finally:
            await db.close()

    prepare_database(settings.database_url, automatic_only=True)
    asyncio.run(session())
    return 0


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


def db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    """Bring the database schema to the latest version."""
    prepare_database(settings.database_url, automatic_only=False)
    print("database is up to date")
    return 0


def detect(args: argparse.Namespace, settings: Settings) -> int:
    """Print the detected language code of each text (arguments, or lines on stdin)."""
    from handlers.language_detection import describe_detection

    texts = args.text or (line.rstrip("\n") for line in sys.stdin)
    for text in texts:
        print(describe_detection(text))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tachawor", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    chat_parser = commands.add_parser("chat", help=chat.__doc__)
    chat_parser.add_argument("--user", default="citizen-1", help="who you are in the chat")
    chat_parser.add_argument("--db", help="database URL (default: DATABASE_URL)")
    chat_parser.add_argument(
        "--reshape", action="store_true", help="lay out Arabic for terminals without bidi"
    )
    chat_parser.set_defaults(run=chat)

    db_parser = commands.add_parser("db", help="database schema")
    db_commands = db_parser.add_subparsers(dest="db_command", required=True)
    upgrade_parser = db_commands.add_parser("upgrade", help=db_upgrade.__doc__)
    upgrade_parser.add_argument("--db", help="database URL (default: DATABASE_URL)")
    upgrade_parser.set_defaults(run=db_upgrade)

    for name, handler in (("run", run), ("webhook", webhook)):
        telegram_parser = commands.add_parser(name, help=handler.__doc__)
        telegram_parser.add_argument("--db", help="database URL (default: DATABASE_URL)")
        telegram_parser.set_defaults(run=handler)

    add_staff_commands(commands)
    add_consultation_commands(commands)
    add_complaint_commands(commands)
    add_broadcast_commands(commands)
    add_demo_command(commands)

    detect_parser = commands.add_parser("detect", help=detect.__doc__)
    detect_parser.add_argument("text", nargs="*", help="texts (default: lines on stdin)")
    detect_parser.set_defaults(run=detect)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings()
    if getattr(args, "db", None):
        settings = settings.model_copy(update={"database_url": args.db})
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("alembic").setLevel(max(logging.WARNING, logging.root.level))
    handler: Callable[[argparse.Namespace, Settings], int] = args.run
    try:
        return handler(args, settings)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

"""The `tachawor` command: one module per command group (chat, run/webhook, db, staff,
consultations, complaints, participation, workshops, broadcast, demo-data, detect, web,
whatsapp), assembled here."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from pydantic import ValidationError

from bot.cli.broadcast import add_broadcast_commands
from bot.cli.chat import add_chat_command
from bot.cli.complaints import add_complaint_commands
from bot.cli.consultations import add_consultation_commands
from bot.cli.db import add_db_commands
from bot.cli.demo import add_demo_command
from bot.cli.detect import add_detect_command
from bot.cli.output import output_to_a_pipe_that_may_close
from bot.cli.participation import add_participation_command
from bot.cli.run import add_run_commands
from bot.cli.staff import add_staff_commands
from bot.cli.web import add_web_command
from bot.cli.whatsapp import add_whatsapp_command
from bot.cli.workshops import add_workshop_commands
from bot.logs import configure_logging
from bot.pseudonym_key import PseudonymKeyProblem, settled
from bot.settings import Settings, setting_problems

DESCRIPTION = (
    "The `tachawor` command: terminal chat, database, language detection and the bot itself."
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tachawor", description=DESCRIPTION)
    commands = parser.add_subparsers(dest="command", required=True)
    add_chat_command(commands)
    add_db_commands(commands)
    add_run_commands(commands)
    add_staff_commands(commands)
    add_consultation_commands(commands)
    add_complaint_commands(commands)
    add_participation_command(commands)
    add_workshop_commands(commands)
    add_broadcast_commands(commands)
    add_demo_command(commands)
    add_detect_command(commands)
    add_web_command(commands)
    add_whatsapp_command(commands)
    return parser


# Commands that key tokens or pseudonyms: the key is settled before they run.
NEEDS_PSEUDONYM_KEY = {"chat", "run", "webhook", "whatsapp", "demo-data", "consultations", "web"}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as error:
        for line in setting_problems(error):
            print(f"tachawor: {line}", file=sys.stderr)
        return 2
    if getattr(args, "db", None):
        settings = settings.model_copy(update={"database_url": args.db})
    if args.command in NEEDS_PSEUDONYM_KEY or getattr(args, "pseudonymise", False):
        try:
            settings = settled(settings)
        except PseudonymKeyProblem as problem:
            print(f"tachawor: {problem}", file=sys.stderr)
            return 2
    configure_logging(settings.log_level, settings.secrets())
    handler: Callable[[argparse.Namespace, Settings], int] = args.run
    try:
        with output_to_a_pipe_that_may_close():
            return handler(args, settings)
    except KeyboardInterrupt:
        return 130

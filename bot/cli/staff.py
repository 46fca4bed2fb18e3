"""`tachawor staff add|remove|list`: who may act for the commune in chat."""

from __future__ import annotations

import argparse
import asyncio

from bot.cli.staff_texts import staff_translate
from bot.settings import Settings
from bot.startup import prepare_database
from handlers.clock import SystemClock
from storage.database import Database
from storage.repositories.staff import ROLES


def add_staff_commands(commands: argparse._SubParsersAction) -> None:
    staff = commands.add_parser("staff", help="staff accounts (admin, agent)")
    actions = staff.add_subparsers(dest="staff_command", required=True)
    add = actions.add_parser("add", help="add a staff member, or change their name or role")
    add.add_argument("user_id", help="their account id on the channel (Telegram: a number)")
    add.add_argument("--name", required=True)
    add.add_argument("--role", choices=ROLES, default="agent")
    remove = actions.add_parser("remove", help="remove a staff member")
    remove.add_argument("user_id")
    listing = actions.add_parser("list", help="list staff members")
    for parser in (add, remove, listing):
        parser.add_argument("--channel", default="telegram")
        parser.add_argument("--db", help="database URL (default: DATABASE_URL)")
        parser.set_defaults(run=staff_command)


def staff_command(args: argparse.Namespace, settings: Settings) -> int:
    """Run one `tachawor staff` action and print its outcome."""
    prepare_database(settings.database_url, automatic_only=True)
    return asyncio.run(_staff(args, settings))


async def _staff(args: argparse.Namespace, settings: Settings) -> int:
    t = staff_translate(settings)
    who = {"channel": args.channel, "user_id": args.user_id} if "user_id" in args else {}
    db = Database(settings.database_url)
    try:
        async with db.transaction() as uow:
            if args.staff_command == "add":
                member = await uow.staff.save(
                    args.channel, args.user_id, args.name, args.role, SystemClock().now()
                )
                print(t("cli.staff.saved", **who, name=member.name, role=member.role))
            elif args.staff_command == "remove":
                if not await uow.staff.remove(args.channel, args.user_id):
                    print(t("cli.staff.unknown", **who))
                    return 1
                print(t("cli.staff.removed", **who))
            else:
                for member in await uow.staff.all():
                    print(
                        f"{member.channel}\t{member.channel_user_id}\t{member.role}\t{member.name}"
                    )
        return 0
    finally:
        await db.close()

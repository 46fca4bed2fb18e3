"""`tachawor staff add|remove|list|password`: who may act for the commune in chat, and
the password a staff member signs in to the back-office with."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys

from bot.cli.staff_texts import staff_translate
from bot.settings import Settings
from bot.startup import prepare_database
from handlers.clock import SystemClock
from handlers.staff import AccountRefused, set_staff_password
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
    password = actions.add_parser(
        "password", help="set the back-office password of a staff member (asked twice)"
    )
    password.add_argument("user_id")
    password.add_argument("--login", help="the login to sign in with (default: kept or from name)")
    password.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    for parser in (add, remove, listing, password):
        parser.add_argument("--channel", default="telegram")
        parser.add_argument("--db", help="database URL (default: DATABASE_URL)")
        parser.set_defaults(run=staff_command)


def staff_command(args: argparse.Namespace, settings: Settings) -> int:
    """Run one `tachawor staff` action and print its outcome."""
    prepare_database(settings.database_url, automatic_only=True)
    if args.staff_command == "password":
        typed = _typed_password(args, settings)
        if typed is None:
            return 1
        return asyncio.run(_set_password(args, settings, typed))
    return asyncio.run(_staff(args, settings))


def _typed_password(args: argparse.Namespace, settings: Settings) -> str | None:
    """The new password: one line of standard input, or typed twice without echo."""
    t = staff_translate(settings)
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(t("cli.staff.password_prompt"))
    if getpass.getpass(t("cli.staff.password_again")) != first:
        print(t("cli.staff.password_mismatch"), file=sys.stderr)
        return None
    return first


async def _set_password(args: argparse.Namespace, settings: Settings, password: str) -> int:
    t = staff_translate(settings)
    db = Database(settings.database_url)
    try:
        async with db.transaction() as uow:
            member = await uow.staff.find(args.channel, args.user_id)
            if member is None:
                print(t("cli.staff.unknown", channel=args.channel, user_id=args.user_id))
                return 1
            try:
                login = await set_staff_password(
                    uow, member, password, SystemClock().now(), args.login
                )
            except AccountRefused as refused:
                print(t(refused.key, **refused.params), file=sys.stderr)
                return 1
            name = member.name
        print(t("cli.staff.password_set", name=name, login=login, url=settings.web_base_url))
        return 0
    finally:
        await db.close()


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
                    login = member.login or "-"
                    print(
                        f"{member.channel}\t{member.channel_user_id}\t{member.role}\t"
                        f"{member.name}\t{login}"
                    )
        return 0
    finally:
        await db.close()

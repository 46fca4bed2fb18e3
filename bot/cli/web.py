"""`tachawor web`: the back-office for staff, served until Ctrl-C (or SIGTERM)."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys

from bot.cli.staff_texts import staff_translate
from bot.settings import Settings
from bot.startup import prepare_database
from handlers.clock import SystemClock
from storage.database import Database


def add_web_command(commands: argparse._SubParsersAction) -> None:
    web = commands.add_parser("web", help="serve the back-office for staff (a web application)")
    web.add_argument("--host", help="address to listen on (default: WEB_HOST)")
    web.add_argument("--port", type=int, help="port (default: WEB_PORT)")
    web.add_argument("--db", help="database URL (default: DATABASE_URL)")
    web.set_defaults(run=serve_back_office)


def serve_back_office(args: argparse.Namespace, settings: Settings) -> int:
    """Serve the back-office on the database of the bot."""
    prepare_database(settings.database_url, automatic_only=True)
    host = args.host or settings.web_host
    port = settings.web_port if args.port is None else args.port
    try:
        asyncio.run(_serve(settings, host, port))
    except OSError as error:  # the port is taken, or the address is not ours
        print(f"tachawor: {host}:{port}: {error.strerror or error}", file=sys.stderr)
        return 2
    return 0


async def _serve(settings: Settings, host: str, port: int) -> None:
    from bot.web.app import BackOfficeServer, back_office_app

    db = Database(settings.database_url)
    server = BackOfficeServer(back_office_app(settings, db, SystemClock()))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for name in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(name, stop.set)
    try:
        bound = await server.start(host, port)
        t = staff_translate(settings)
        print(t("cli.web.serving", url=f"http://{host}:{bound}", public=settings.web_base_url))
        sys.stdout.flush()
        await stop.wait()
    finally:
        await server.stop()
        await db.close()

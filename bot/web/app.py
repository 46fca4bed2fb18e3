"""The back-office application: its middlewares (security headers, error pages, the
guard), its pages, its static files; and the server `tachawor web` runs."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

from aiohttp import web

from bot.settings import Settings
from bot.web.attachments import AttachmentFetcher
from bot.web.guard import guard, security_headers
from bot.web.pages import (
    audit,
    broadcasts,
    complaint_files,
    complaints,
    consultation_results,
    consultations,
    dashboard,
    participation,
    sign_in,
    staff,
    workshop_forms,
    workshops,
)
from bot.web.rendering import error_pages, template_environment
from bot.web.signing import Signer
from bot.web.state import BACK_OFFICE, BackOffice
from handlers.clock import Clock
from handlers.staff import forget_what_expired
from storage.database import DATABASE_UNAVAILABLE, Database

logger = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
MAX_UPLOAD = 5 * 1024 * 1024  # a consultation file with its translations fits many times


def back_office_app(settings: Settings, db: Database, clock: Clock) -> web.Application:
    app = web.Application(
        middlewares=[security_headers, error_pages, guard], client_max_size=MAX_UPLOAD
    )
    attachments = AttachmentFetcher(settings)
    app[BACK_OFFICE] = BackOffice(
        settings=settings,
        core=settings.core(),
        db=db,
        clock=clock,
        signer=Signer.from_settings(settings),
        templates=template_environment(),
        attachments=attachments,
    )

    async def close_attachments(_app: web.Application) -> None:
        await attachments.close()

    app.on_cleanup.append(close_attachments)
    app.cleanup_ctx.append(housekeeping)
    parts = (
        sign_in, dashboard, complaints, complaint_files, consultations, consultation_results,
        broadcasts, workshops, workshop_forms, participation, staff, audit,
    )  # fmt: skip
    for part in parts:
        part.add_routes(app)
    app.router.add_static("/static", STATIC)
    return app


HOUSEKEEPING_SECONDS = 3600


async def housekeeping(app: web.Application) -> AsyncIterator[None]:
    """While serving: every hour, forget the sessions, links and failures that expired."""
    office = app[BACK_OFFICE]
    idle = timedelta(minutes=office.settings.web_session_idle_minutes)

    async def forget() -> None:
        while True:
            try:
                async with office.db.transaction() as uow:
                    await forget_what_expired(uow, office.clock.now(), idle)
            except DATABASE_UNAVAILABLE:
                logger.warning("back-office housekeeping: the database is unavailable")
            await asyncio.sleep(HOUSEKEEPING_SECONDS)

    task = asyncio.create_task(forget())
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


class BackOfficeServer:
    """The back-office on host:port (0: a free one), for `tachawor web` and the tests."""

    def __init__(self, app: web.Application) -> None:
        self.app = app
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    async def start(self, host: str, port: int) -> int:
        self._runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=5.0)
        await self._runner.setup()
        # reuse_port: several processes can serve the same port (the kernel shares it out).
        site = web.TCPSite(self._runner, host, port, reuse_port=port != 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        return self.port

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

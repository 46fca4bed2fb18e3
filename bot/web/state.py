"""What every page handler reaches through the application: the settings, the database,
the clock, the signer, the templates and the attachment fetcher; and what the guard
learns about each request."""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web
from jinja2 import Environment

from bot.settings import Settings
from bot.web.attachments import AttachmentFetcher
from bot.web.signing import Signer
from bot.web.texts import WebTranslator
from handlers.clock import Clock
from handlers.staff import Where
from handlers.turns import CoreSettings
from storage.database import Database
from storage.models import StaffMember


@dataclass(frozen=True, slots=True)
class BackOffice:
    settings: Settings
    core: CoreSettings
    db: Database
    clock: Clock
    signer: Signer
    templates: Environment
    attachments: AttachmentFetcher


@dataclass(slots=True)
class Visit:
    """One request as the guard sees it: who (None: signed out), their language, the
    form token tied to their cookie, and where it comes from."""

    staff: StaffMember | None
    t: WebTranslator
    csrf_token: str
    where: Where
    session_token: str | None = None


BACK_OFFICE = web.AppKey("back_office", BackOffice)
VISIT = web.RequestKey("visit", Visit)


def back_office(request: web.Request) -> BackOffice:
    return request.app[BACK_OFFICE]


def visit(request: web.Request) -> Visit:
    found: Visit = request[VISIT]
    return found

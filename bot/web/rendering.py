"""Pages from Jinja2 templates (autoescaped, strict about undefined names), with what
every page shows: the staff member, their language and direction, the form token; and the
error pages (403, 404, 500) in the visitor's language."""

from __future__ import annotations

import logging
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from bot.web.guard import Handler
from bot.web.state import VISIT, back_office, visit
from handlers.languages import place_name, quarter_label

logger = logging.getLogger(__name__)

ERROR_PAGES = {403: "forbidden", 404: "not_found", 405: "not_found", 413: "too_large"}


def template_environment() -> Environment:
    return Environment(
        loader=PackageLoader("bot.web", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def local_time(moment: Any, timezone: str, pattern: str = "%Y-%m-%d %H:%M") -> str:
    return "" if moment is None else moment.astimezone(ZoneInfo(timezone)).strftime(pattern)


def render(request: web.Request, name: str, *, status: int = 200, **context: Any) -> web.Response:
    office = back_office(request)
    seen = visit(request)
    timezone = office.settings.timezone
    page = office.templates.get_template(name).render(
        t=seen.t,
        lang=seen.t.locale,
        direction=seen.t.direction,
        staff=seen.staff,
        csrf_token=seen.csrf_token,
        path=request.path,
        path_qs=request.path_qs,
        commune=place_name(seen.t.locale, office.settings.commune_name),
        quarter_name=lambda quarter: quarter_label(seen.t, quarter),  # type: ignore[arg-type]
        when=lambda moment, pattern="%Y-%m-%d %H:%M": local_time(moment, timezone, pattern),
        **context,
    )
    return web.Response(text=page, content_type="text/html", charset="utf-8", status=status)


@web.middleware
async def error_pages(request: web.Request, handler: Handler) -> web.StreamResponse:
    """4xx and 5xx answers as pages of the back-office, never a stack trace."""
    try:
        return await handler(request)
    except web.HTTPException as error:
        if error.status < 400 or VISIT not in request:
            raise
        page = ERROR_PAGES.get(error.status, "failed")
        return render(request, "error.html", status=error.status, problem=page)
    except Exception:
        logger.exception("page %s failed", request.path)
        if VISIT not in request:
            raise
        return render(request, "error.html", status=500, problem="failed")

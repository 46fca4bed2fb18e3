"""A complaint's attachment as the complaint page shows it: the photo in an <img>, the
voice note in an <audio> player, any other file as a download — fetched from the
channel through the bot. Each look is in the audit log: it is a citizen's personal data."""

from __future__ import annotations

import logging

from aiohttp import web

from bot.telegram.files import FileUnavailable
from bot.web.state import back_office, visit
from handlers.complaints import read_tracking_number
from handlers.staff import record_staff_action

logger = logging.getLogger(__name__)


async def attachment(request: web.Request) -> web.Response:
    """The file itself, or 404 when the complaint has none or the channel can't give it."""
    office, seen = back_office(request), visit(request)
    number = read_tracking_number(request.match_info["number"], office.settings.tracking_prefix)
    now = office.clock.now()
    async with office.db.transaction() as uow:
        complaint = await uow.complaints.by_number(number) if number else None
        author = await uow.citizens.get(complaint.citizen_id) if complaint else None
        if complaint is None or author is None or not complaint.attachment_file_ref:
            raise web.HTTPNotFound()
        await record_staff_action(
            uow, seen.staff, "complaint_attachment", seen.where, now,
            target=complaint.tracking_number,
        )  # fmt: skip
    try:
        found = await office.attachments.fetch(
            author.channel,
            complaint.attachment_file_ref,
            complaint.attachment_kind or "document",
            complaint.attachment_mime,
        )
    except FileUnavailable as why:
        logger.warning("attachment of %s not fetched: %s", complaint.tracking_number, why)
        raise web.HTTPNotFound() from None
    disposition = "inline" if found.inline else "attachment"
    name = complaint.attachment_name or f"{complaint.tracking_number}-{complaint.attachment_kind}"
    safe_name = "".join(c for c in name if c.isalnum() or c in "._- ")[:100] or "file"
    headers = {
        "Content-Disposition": f'{disposition}; filename="{safe_name}"',
        # Whatever the file holds, it never runs as a page of ours.
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "private, max-age=300",
    }
    return web.Response(body=found.data, content_type=found.content_type, headers=headers)


def add_routes(app: web.Application) -> None:
    app.router.add_get("/complaints/{number}/attachment", attachment)

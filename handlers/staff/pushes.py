"""Pushes to the staff group, queued in the outbox in the transaction of the change that
caused them, and written in the commune's working language."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from handlers.languages import Translator
from handlers.serialization import outgoing_to_dict
from handlers.turns import CoreSettings
from handlers.types import Button, Outgoing, OutgoingMedia
from storage.unit_of_work import UnitOfWork


async def notify_staff(
    uow: UnitOfWork,
    settings: CoreSettings,
    text: str,
    buttons: Sequence[Sequence[Button]],
    now: datetime,
    *,
    dedupe_key: str | None = None,
    about_citizen_id: int | None = None,
    media: OutgoingMedia | None = None,
) -> bool:
    """Queue a push to the staff group, in the transaction of the change that caused it.
    False when no staff group is configured (or the same push was queued already). A push
    that describes a citizen's request names them in `about_citizen_id`, so it is erased
    with them."""
    if not settings.staff_chat_id:
        return False
    rows = tuple(tuple(row) for row in buttons)
    message = Outgoing(settings.staff_chat_id, text, rows, media=media)
    return await uow.outbox.add(
        channel=settings.staff_channel,
        chat_id=settings.staff_chat_id,
        kind="staff",
        payload=outgoing_to_dict(message),
        now=now,
        about_citizen_id=about_citizen_id,
        dedupe_key=dedupe_key,
    )


def staff_translator(settings: CoreSettings) -> Translator:
    """The catalogs for the staff group: in the commune's working language."""
    return Translator(settings.default_locale)

"""Replies a channel could not send now go to the outbox, tied to the citizen (so they
are erased with them) and in order: the outbox sender delivers them later. Both channels'
reply paths (Telegram, WhatsApp) queue through here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from handlers.serialization import outgoing_to_dict
from handlers.types import Outgoing
from storage.database import Database

REPLY_KIND = "reply"


async def queue_replies(
    db: Database, channel: str, messages: Sequence[Outgoing], now: datetime
) -> None:
    async with db.transaction() as uow:
        for message in messages:
            citizen = await uow.citizens.find(channel, message.chat_id)
            await uow.outbox.add(
                channel=channel,
                chat_id=message.chat_id,
                kind=REPLY_KIND,
                payload=outgoing_to_dict(message),
                now=now,
                citizen_id=citizen.id if citizen else None,
            )

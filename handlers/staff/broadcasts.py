"""Broadcasts: one outbox row per targeted citizen, in their own language, queued once.

Every row has the dedupe key `broadcast:<name>:<citizen id>`: running a broadcast again,
or after a crash half-way through, queues only what is missing, and the outbox sender
never sends a row twice. Capabilities announce through `queue_broadcast` (a consultation,
say); staff send a text of their own with `broadcast_message`.

    staff ─ `tachawor broadcast …` or /broadcast ─► outbox rows ─► OutboxSender (30/s)
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from handlers.languages import citizen_locale, is_rtl
from handlers.serialization import outgoing_to_dict
from handlers.turns import CoreSettings
from handlers.types import Outgoing
from storage.models import Citizen
from storage.unit_of_work import UnitOfWork

BROADCAST_KIND = "broadcast"


@dataclass(frozen=True, slots=True)
class BroadcastQueued:
    name: str  # what follows `broadcast:` in the dedupe keys
    targeted: int  # citizens in the segment (who blocked the bot get theirs on unblocking)
    queued: int  # rows queued now (the others were queued by an earlier run)

    @property
    def dedupe_prefix(self) -> str:
        return broadcast_prefix(self.name)


def broadcast_prefix(name: str) -> str:
    return f"broadcast:{name}:"


@dataclass(frozen=True, slots=True)
class BroadcastProgress:
    """Where a broadcast's delivery stands. Rows for citizens who blocked the bot count as
    unreachable, not pending: they are not waiting for the sender; nor are the rows waiting
    for their citizen to write again (finished means: the sender has nothing left to do)."""

    sent: int = 0
    failed: int = 0
    unreachable: int = 0
    pending: int = 0
    cancelled: int = 0
    waiting: int = 0  # outside WhatsApp's window with no template: until the person writes

    @classmethod
    def of_counts(cls, counts: Mapping[str, int]) -> BroadcastProgress:
        """From `OutboxRepository.delivery_counts`."""
        return cls(**{name: counts.get(name, 0) for name in cls.__slots__})

    @property
    def total(self) -> int:
        return self.sent + self.failed + self.unreachable + self.pending + self.waiting

    @property
    def percent(self) -> int:
        return 100 * self.sent // self.total if self.total else 100

    @property
    def finished(self) -> bool:
        return self.pending == 0


async def broadcast_progress(uow: UnitOfWork, name: str) -> BroadcastProgress:
    return BroadcastProgress.of_counts(await uow.outbox.delivery_counts(broadcast_prefix(name)))


async def queue_broadcast(
    uow: UnitOfWork,
    citizens: Sequence[Citizen],
    name: str,
    build: Callable[[Citizen], Outgoing],
    now: datetime,
) -> int:
    """Queue `build(citizen)` to each citizen once; how many rows were new."""
    queued = 0
    for citizen in citizens:
        queued += bool(
            await uow.outbox.add(
                channel=citizen.channel,
                chat_id=citizen.chat_id,
                kind=BROADCAST_KIND,
                payload=outgoing_to_dict(build(citizen)),
                now=now,
                citizen_id=citizen.id,
                dedupe_key=f"{broadcast_prefix(name)}{citizen.id}",
            )
        )
    return queued


def message_name(text: str, quarters: Sequence[str]) -> str:
    """A staff message's broadcast name: the same text to the same quarters is one
    broadcast, so running the command again sends nothing twice."""
    digest = hashlib.sha256("\n".join([text, *sorted(quarters)]).encode()).hexdigest()
    return f"msg-{digest[:16]}"


async def broadcast_message(
    uow: UnitOfWork,
    settings: CoreSettings,
    text: str,
    now: datetime,
    *,
    quarters: Sequence[str] = (),
    name: str | None = None,
) -> BroadcastQueued:
    """Send a staff text, as written, to every citizen (of these quarters)."""
    name = name or message_name(text, quarters)
    citizens = await uow.consultations.citizens_in_segment(quarters=quarters)
    queued = await queue_broadcast(
        uow,
        citizens,
        name,
        lambda c: Outgoing(c.chat_id, text, rtl=is_rtl(citizen_locale(c))),
        now,
    )
    return BroadcastQueued(name, len(citizens), queued)

"""The outbox: messages to deliver later, claimed by one sender at a time."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models import Citizen, OutboxMessage
from storage.repositories.conflicts import insert_unless_present

PENDING, SENT, FAILED = "pending", "sent", "failed"
CANCELLED = "cancelled"  # withdrawn before it was due (a reminder no longer needed)
# Not sendable until the citizen writes again (WhatsApp's 24-hour window, no template).
WAITING = "waiting"
# Delivery statuses a channel reports later, in the order a message goes through them.
DELIVERY_ORDER = {"sent": 1, "delivered": 2, "read": 3}
# The channel refused a free-form message outside its window after it was sent: the next
# try goes as a template, or waits for the citizen.
OUTSIDE_WINDOW = "outside_window"


class OutboxRepository:
    def __init__(self, session: AsyncSession, *, locking: bool) -> None:
        self._session = session
        self._locking = locking

    async def add(
        self,
        *,
        channel: str,
        chat_id: str,
        kind: str,
        payload: dict[str, Any],
        now: datetime,
        due_at: datetime | None = None,
        citizen_id: int | None = None,
        about_citizen_id: int | None = None,
        dedupe_key: str | None = None,
    ) -> bool:
        """Queue a message; False when one with the same dedupe key is already queued.
        `citizen_id` is the recipient's, `about_citizen_id` that of the citizen a message
        to someone else describes: both are erased with that citizen."""
        values = {
            "channel": channel,
            "chat_id": chat_id,
            "citizen_id": citizen_id,
            "about_citizen_id": about_citizen_id,
            "kind": kind,
            "payload": payload,
            "status": PENDING,
            "due_at": due_at or now,
            "attempts": 0,
            "parts_sent": 0,
            "created_at": now,
            "dedupe_key": dedupe_key,
        }
        if dedupe_key is None:
            self._session.add(OutboxMessage(**values))
            return True
        return await insert_unless_present(
            self._session, OutboxMessage.__table__, values, ["dedupe_key"]
        )

    async def claim_due(
        self,
        now: datetime,
        *,
        limit: int,
        lease: timedelta,
        channel: str | None = None,
        chat_id: str | None = None,
    ) -> list[OutboxMessage]:
        """Take up to `limit` due messages for `lease`, at most one per chat: each chat's
        oldest one, and only if no other sender holds it (so each chat keeps its order, and
        a chat with a long queue gets one message per batch, about 1/s, while the batch
        serves everyone else)."""
        statement = select(OutboxMessage).where(
            OutboxMessage.id.in_(_first_free_per_chat(now, limit, channel, chat_id)),
            # Checked again on the locked rows: PostgreSQL re-evaluates the outer conditions
            # (not the subquery) for a row another sender claimed and committed meanwhile.
            OutboxMessage.status == PENDING,
            _unclaimed(now),
        )
        if self._locking:
            statement = statement.with_for_update(skip_locked=True)
        messages = list((await self._session.execute(statement)).scalars())
        messages.sort(key=lambda message: (message.due_at, message.id))
        for message in messages:
            message.claimed_until = now + lease
        return messages

    async def count_by_status(self) -> dict[str, int]:
        statement = select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        return {status: count for status, count in await self._session.execute(statement)}

    async def delivery_counts(self, dedupe_prefix: str) -> dict[str, int]:
        """How the rows whose dedupe key starts with `dedupe_prefix` (a broadcast) stand:
        sent, failed, pending, cancelled, `waiting` for the citizen to write again (outside
        WhatsApp's 24-hour window with no template), and `unreachable` — not sent because
        the citizen blocked the bot (failed on 403, or waiting until they unblock it)."""
        statement = (
            select(OutboxMessage.status, Citizen.reachable, func.count())
            .outerjoin(Citizen, Citizen.id == OutboxMessage.citizen_id)
            .where(OutboxMessage.dedupe_key.startswith(dedupe_prefix, autoescape=True))
            .group_by(OutboxMessage.status, Citizen.reachable)
        )
        counts = {SENT: 0, FAILED: 0, PENDING: 0, CANCELLED: 0, WAITING: 0, "unreachable": 0}
        for status, reachable, count in await self._session.execute(statement):
            blocked = reachable is False and status in (FAILED, PENDING, WAITING)
            counts["unreachable" if blocked else status] += count
        return counts

    async def mark_sent(
        self, message_id: int, now: datetime, message_ref: str | None = None
    ) -> None:
        """Delivered whole; `message_ref` is the channel's id of it, for its statuses."""
        values: dict[str, Any] = {"status": SENT, "sent_at": now, "claimed_until": None}
        if message_ref is not None:
            values["channel_message_ref"] = message_ref
        await self._set(message_id, **values)

    async def wait_for_person(self, message_id: int, error: str) -> None:
        """The channel refuses it until the citizen writes again: keep it, unclaimed, for
        `wake_waiting` (its delivered parts stay delivered)."""
        await self._set(message_id, status=WAITING, claimed_until=None, last_error=error[:500])

    async def wake_waiting(self, channel: str, chat_id: str, now: datetime) -> int:
        """The citizen wrote: what waited for them is due now, in its order, and what was
        refused as outside the window goes free-form again. How many waited."""
        of_the_chat = (OutboxMessage.chat_id == chat_id, OutboxMessage.channel == channel)
        await self._session.execute(
            update(OutboxMessage)
            .where(
                *of_the_chat,
                OutboxMessage.status == PENDING,
                OutboxMessage.delivery_status == OUTSIDE_WINDOW,
            )
            .values(delivery_status=None)
        )
        woken = await self._session.execute(
            update(OutboxMessage)
            .where(*of_the_chat, OutboxMessage.status == WAITING)
            .values(status=PENDING, due_at=now, claimed_until=None, delivery_status=None)
        )
        return woken.rowcount

    async def confirm_part(
        self, message_id: int, part: int, last: bool, message_ref: str, now: datetime
    ) -> bool:
        """The channel reports part `part` of a row delivered (its status names the row):
        record it as the sender would have, in case the sender died before it could; a
        no-op when already recorded. True when this changed the row."""
        values: dict[str, Any] = (
            {"status": SENT, "sent_at": now, "claimed_until": None}
            if last
            else {"parts_sent": part + 1}
        )
        if part == 0:
            values["channel_message_ref"] = message_ref
        changed = await self._session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == message_id,
                OutboxMessage.status == PENDING,
                OutboxMessage.parts_sent <= part,
            )
            .values(**values)
        )
        return changed.rowcount == 1

    async def find_sent(self, channel: str, message_ref: str) -> OutboxMessage | None:
        """The row whose (first) message the channel gave this id."""
        statement = select(OutboxMessage).where(
            OutboxMessage.channel_message_ref == message_ref, OutboxMessage.channel == channel
        )
        return (await self._session.execute(statement.limit(1))).scalars().first()

    async def record_delivery(
        self, channel: str, message_ref: str, status: str
    ) -> OutboxMessage | None:
        """Keep the latest delivery status the channel reported for a row (statuses can
        arrive out of order: `read` is never replaced by a late `delivered`, and `failed`
        is final); the row, or None when no row has this id (a reply, sent without the
        outbox)."""
        row = await self.find_sent(channel, message_ref)
        if row is None or row.delivery_status == "failed":
            return row
        current = DELIVERY_ORDER.get(row.delivery_status or "", 0)
        if status not in DELIVERY_ORDER or DELIVERY_ORDER[status] > current:
            row.delivery_status = status
        return row

    async def refused_outside_window(self, message_id: int, now: datetime, error: str) -> bool:
        """A message reported refused after it was sent, the window being closed: due
        again, whole, marked so that it goes as a template (or waits for the citizen).
        Only a row recorded as sent (not one failed or withdrawn meanwhile)."""
        changed = await self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.status == SENT)
            .values(
                status=PENDING,
                due_at=now,
                parts_sent=0,
                sent_at=None,
                channel_message_ref=None,
                delivery_status=OUTSIDE_WINDOW,
                claimed_until=None,
                last_error=error[:500],
            )
        )
        return changed.rowcount == 1

    async def renew_lease(
        self, message_id: int, claimed_until: datetime | None, until: datetime
    ) -> bool:
        """Extend a claim that is still the caller's (unchanged since it took it)."""
        if claimed_until is None:
            return False
        renewed = await self._session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == message_id,
                OutboxMessage.status == PENDING,
                OutboxMessage.claimed_until == claimed_until,
            )
            .values(claimed_until=until)
        )
        return renewed.rowcount == 1

    async def mark_parts_sent(
        self, message_id: int, parts_sent: int, message_ref: str | None = None
    ) -> None:
        """The first `parts_sent` parts of a message the channel shows as several were
        delivered: a retry starts after them (`message_ref`: the channel's id of the
        first, kept for its statuses)."""
        values: dict[str, Any] = {"parts_sent": parts_sent}
        if message_ref is not None:
            values["channel_message_ref"] = message_ref
        await self._set(message_id, **values)

    async def retry_later(self, message_id: int, due_at: datetime, error: str) -> None:
        """Put a message back, due at `due_at`; the later messages of its chat wait too,
        so the chat still receives them in order."""
        updated = await self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(
                due_at=due_at,
                claimed_until=None,
                last_error=error[:500],
                attempts=OutboxMessage.attempts + 1,
            )
            .returning(OutboxMessage.channel, OutboxMessage.chat_id)
        )
        channel, chat_id = updated.one()
        await self._session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.channel == channel,
                OutboxMessage.chat_id == chat_id,
                OutboxMessage.status == PENDING,
                OutboxMessage.id > message_id,
                OutboxMessage.due_at < due_at,
            )
            .values(due_at=due_at)
        )

    async def mark_failed(self, message_id: int, error: str) -> None:
        await self._set(message_id, status=FAILED, last_error=error[:500], claimed_until=None)

    async def cancel(self, dedupe_key: str, *, prefix: bool = False) -> int:
        """Withdraw pending or waiting messages (a reminder no longer needed): the one with this
        dedupe key, or with `prefix` every one whose key starts with it. How many."""
        matches = (
            OutboxMessage.dedupe_key.startswith(dedupe_key, autoescape=True)
            if prefix
            else OutboxMessage.dedupe_key == dedupe_key
        )
        cancelled = await self._session.execute(
            update(OutboxMessage)
            .where(matches, OutboxMessage.status.in_((PENDING, WAITING)))
            .values(status=CANCELLED, claimed_until=None)
        )
        return cancelled.rowcount

    async def _set(self, message_id: int, **values: Any) -> None:
        await self._session.execute(
            update(OutboxMessage).where(OutboxMessage.id == message_id).values(**values)
        )


def _unclaimed(now: datetime) -> Any:
    """Held by no sender: never claimed, or its lease has ended."""
    return or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now)


def _first_free_per_chat(
    now: datetime, limit: int, channel: str | None, chat_id: str | None
) -> Select:
    """Ids of each chat's first pending message, where it is due, nobody holds it and the
    citizen it is for has not blocked the bot (their messages wait until they unblock it;
    a message tied to no citizen, such as a staff-group push, is tried and fails on 403).

    "First" is checked with NOT EXISTS on `ix_outbox_chat_queue`, so a claim reads the due
    rows in order and stops after `limit`, whatever the size of the queue."""
    earlier = aliased(OutboxMessage)
    # OFFSET 0 keeps this a per-row probe of the index: PostgreSQL would otherwise plan an
    # anti-join that, before it has statistics, compares every pair of queued rows.
    has_earlier = (
        select(earlier.id)
        .where(
            earlier.chat_id == OutboxMessage.chat_id,
            earlier.channel == OutboxMessage.channel,
            earlier.status == PENDING,
            or_(
                earlier.due_at < OutboxMessage.due_at,
                and_(earlier.due_at == OutboxMessage.due_at, earlier.id < OutboxMessage.id),
            ),
        )
        .limit(1)
        .offset(0)
        .exists()
    )
    blocked = exists().where(Citizen.id == OutboxMessage.citizen_id, Citizen.reachable.is_(False))
    conditions = [
        OutboxMessage.status == PENDING,
        OutboxMessage.due_at <= now,
        _unclaimed(now),
        ~has_earlier,
        ~blocked,
    ]
    if channel is not None:
        conditions.append(OutboxMessage.channel == channel)
    if chat_id is not None:
        conditions.append(OutboxMessage.chat_id == chat_id)
    return (
        select(OutboxMessage.id)
        .where(*conditions)
        .order_by(OutboxMessage.due_at, OutboxMessage.id)
        .limit(limit)
    )

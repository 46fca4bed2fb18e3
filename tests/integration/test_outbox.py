"""The outbox on both databases: claims take each chat's oldest message only, so a chat with
a long queue gets about one message per batch while the batch serves everyone else."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from sqlalchemy import select

from handlers.clock import ManualClock
from handlers.serialization import outgoing_to_dict
from handlers.types import Outgoing
from storage.database import Database
from storage.models import OutboxMessage
from tests.unit.test_outbox_sender import citizen

LEASE = timedelta(minutes=5)


async def queue(db, clock, messages) -> None:
    async with db.transaction() as uow:
        for chat_id, text in messages:
            payload = outgoing_to_dict(Outgoing(chat_id, text))
            await uow.outbox.add(
                channel="telegram", chat_id=chat_id, kind="push", payload=payload, now=clock.now()
            )


async def claim(db, clock, limit: int = 30) -> list[str]:
    async with db.transaction() as uow:
        rows = await uow.outbox.claim_due(clock.now(), limit=limit, lease=LEASE)
        for row in rows:
            await uow.outbox.mark_sent(row.id, clock.now())
    return [row.payload["text"] for row in rows]


async def test_one_message_per_chat_per_claim_in_order(db, clock):
    await queue(db, clock, [("A", "a1"), ("A", "a2"), ("B", "b1"), ("A", "a3"), ("C", "c1")])
    assert await claim(db, clock) == ["a1", "b1", "c1"]
    assert await claim(db, clock) == ["a2"]
    assert await claim(db, clock) == ["a3"]
    assert await claim(db, clock) == []


async def test_a_message_due_later_does_not_hold_back_the_chat(db, clock):
    async with db.transaction() as uow:
        payload = outgoing_to_dict(Outgoing("A", "reminder tomorrow"))
        later = clock.now() + timedelta(days=1)
        await uow.outbox.add(
            channel="telegram",
            chat_id="A",
            kind="reminder",
            payload=payload,
            now=clock.now(),
            due_at=later,
        )
    await queue(db, clock, [("A", "status push")])
    assert await claim(db, clock) == ["status push"]


async def test_two_senders_never_claim_the_same_message(db, clock):
    await queue(db, clock, [(f"chat-{n}", f"m{n}") for n in range(40)])

    async def claim_without_sending() -> list[str]:
        async with db.transaction() as uow:
            rows = await uow.outbox.claim_due(clock.now(), limit=25, lease=LEASE)
        return [row.payload["text"] for row in rows]

    first, second = await asyncio.gather(claim_without_sending(), claim_without_sending())
    assert not set(first) & set(second)
    # A claim may come back short while another holds rows (SKIP LOCKED): the rest is
    # claimed by the next one, and nothing is left behind.
    rest = await claim_without_sending() + await claim_without_sending()
    assert sorted(first + second + rest, key=lambda t: int(t[1:])) == [f"m{n}" for n in range(40)]


async def test_concurrent_claims_never_overlap_under_contention(db, clock):
    """Many rounds of three claimers racing (a claim's candidates are read before another
    claim commits): the rows each takes are checked again once locked."""
    for round_number in range(30):
        await queue(db, clock, [(f"r{round_number}-{n}", f"m{n}") for n in range(12)])

        async def claim_some() -> set[int]:
            async with db.transaction() as uow:
                rows = await uow.outbox.claim_due(clock.now(), limit=12, lease=LEASE)
            return {row.id for row in rows}

        claims = await asyncio.gather(*(claim_some() for _ in range(3)))
        taken = [row_id for claim in claims for row_id in claim]
        assert len(taken) == len(set(taken)), f"round {round_number}: a row claimed twice"


# --- WhatsApp's 24-hour window: rows waiting for their citizen, delivery statuses --------

WHATSAPP = "whatsapp"


async def add_row(
    db: Database,
    clock: ManualClock,
    chat_id: str,
    text: str,
    *,
    channel: str = WHATSAPP,
    dedupe_key: str | None = None,
    citizen_id: int | None = None,
) -> int:
    async with db.transaction() as uow:
        await uow.outbox.add(
            channel=channel,
            chat_id=chat_id,
            kind="push",
            payload=outgoing_to_dict(Outgoing(chat_id, text)),
            now=clock.now(),
            dedupe_key=dedupe_key,
            citizen_id=citizen_id,
        )
    return (await row_of(db, text)).id


async def row_of(db: Database, text: str) -> OutboxMessage:
    async with db.engine.connect() as connection:
        found = await connection.execute(select(OutboxMessage).order_by(OutboxMessage.id))
        [row] = [r for r in found.all() if r.payload["text"] == text]
        return row  # type: ignore[return-value]


async def claim_ids(db: Database, clock: ManualClock, channel: str | None = None) -> list[int]:
    """Claim without sending (the lease ends before the next claim: see `unclaim`)."""
    async with db.transaction() as uow:
        rows = await uow.outbox.claim_due(clock.now(), limit=30, lease=LEASE, channel=channel)
    return [row.id for row in rows]


async def wait_for_person(db: Database, *row_ids: int) -> None:
    async with db.transaction() as uow:
        for row_id in row_ids:
            await uow.outbox.wait_for_person(row_id, "OutsideWindow: no template")


def same_time(a: datetime, b: datetime) -> bool:
    """SQLite gives naive datetimes back, PostgreSQL aware ones."""
    return a.replace(tzinfo=None) == b.replace(tzinfo=None)


async def test_waiting_rows_are_never_claimed_until_their_chat_is_woken(
    db: Database, clock: ManualClock
) -> None:
    a1 = await add_row(db, clock, "A", "a1")
    a2 = await add_row(db, clock, "A", "a2")
    b1 = await add_row(db, clock, "B", "b1")
    t1 = await add_row(db, clock, "A", "t1", channel="telegram")  # same chat id, other channel
    assert await claim_ids(db, clock) == [a1, b1, t1]
    async with db.transaction() as uow:  # a1 was refused once: its status goes on waking
        await uow.outbox.refused_outside_window(a1, clock.now(), "OutsideWindow: 131047")
    await wait_for_person(db, a1, b1, t1)
    clock.advance(LEASE * 2)
    assert await claim_ids(db, clock) == [a2], "waiting a1 neither claimed nor holding a2 back"
    await wait_for_person(db, a2)
    clock.advance(LEASE * 2)
    assert await claim_ids(db, clock) == []
    assert [(await row_of(db, t)).status for t in ("a1", "a2", "b1", "t1")] == ["waiting"] * 4

    async with db.transaction() as uow:
        assert await uow.outbox.wake_waiting(WHATSAPP, "A", clock.now()) == 2
    for text in ("a1", "a2"):
        row = await row_of(db, text)
        assert row.status == "pending" and row.delivery_status is None
        assert same_time(row.due_at, clock.now()) and row.claimed_until is None
    assert (await row_of(db, "b1")).status == (await row_of(db, "t1")).status == "waiting"
    assert await claim_ids(db, clock) == [a1]
    clock.advance(LEASE * 2)
    async with db.transaction() as uow:
        await uow.outbox.mark_sent(a1, clock.now())
    assert await claim_ids(db, clock) == [a2]
    async with db.transaction() as uow:
        assert await uow.outbox.wake_waiting(WHATSAPP, "A", clock.now()) == 0


async def test_delivery_statuses_only_move_forward_and_failed_is_always_kept(
    db: Database, clock: ManualClock
) -> None:
    row_id = await add_row(db, clock, "A", "a1")
    async with db.transaction() as uow:
        await uow.outbox.mark_sent(row_id, clock.now(), "wamid.1")
    seen = []
    for status in ("delivered", "sent", "read", "delivered", "failed"):
        async with db.transaction() as uow:
            assert await uow.outbox.record_delivery(WHATSAPP, "wamid.1", status)
        seen.append((await row_of(db, "a1")).delivery_status)
    assert seen == ["delivered", "delivered", "read", "read", "failed"]
    row = await row_of(db, "a1")
    assert row.status == "sent" and row.channel_message_ref == "wamid.1"


async def test_a_status_for_an_unknown_message_is_not_recorded(
    db: Database, clock: ManualClock
) -> None:
    row_id = await add_row(db, clock, "A", "a1")
    async with db.transaction() as uow:
        await uow.outbox.mark_sent(row_id, clock.now(), "wamid.1")
    async with db.transaction() as uow:
        assert not await uow.outbox.record_delivery(WHATSAPP, "wamid.other", "read")
        assert not await uow.outbox.record_delivery("telegram", "wamid.1", "read")
        assert await uow.outbox.find_sent(WHATSAPP, "wamid.other") is None
    assert (await row_of(db, "a1")).delivery_status is None


async def test_a_message_refused_outside_the_window_is_due_again_whole(
    db: Database, clock: ManualClock
) -> None:
    row_id = await add_row(db, clock, "A", "long push")
    async with db.transaction() as uow:
        await uow.outbox.claim_due(clock.now(), limit=30, lease=LEASE)
        await uow.outbox.mark_parts_sent(row_id, 2)
        await uow.outbox.mark_sent(row_id, clock.now(), "wamid.1")
    clock.advance(timedelta(minutes=1))
    async with db.transaction() as uow:
        await uow.outbox.refused_outside_window(row_id, clock.now(), "OutsideWindow: 131047")
    row = await row_of(db, "long push")
    assert (row.status, row.parts_sent, row.delivery_status) == ("pending", 0, "outside_window")
    assert row.channel_message_ref is None and row.sent_at is None
    assert same_time(row.due_at, clock.now())
    async with db.transaction() as uow:
        assert await uow.outbox.find_sent(WHATSAPP, "wamid.1") is None
    assert await claim_ids(db, clock) == [row_id]


async def test_a_late_refusal_leaves_a_failed_row_alone_and_writing_again_lifts_it(
    db: Database, clock: ManualClock
) -> None:
    failed = await add_row(db, clock, "A", "failed push")
    refused = await add_row(db, clock, "B", "refused push")
    async with db.transaction() as uow:
        await uow.outbox.mark_sent(failed, clock.now(), "wamid.a")
        await uow.outbox.mark_failed(failed, "Rejected: 131051")
        assert await uow.outbox.record_delivery(WHATSAPP, "wamid.a", "failed")
        assert await uow.outbox.record_delivery(WHATSAPP, "wamid.a", "delivered")
        assert not await uow.outbox.refused_outside_window(failed, clock.now(), "131047")
        await uow.outbox.mark_sent(refused, clock.now(), "wamid.b")
        assert await uow.outbox.refused_outside_window(refused, clock.now(), "131047")
    assert (await row_of(db, "failed push")).status == "failed"
    assert (await row_of(db, "failed push")).delivery_status == "failed"
    async with db.transaction() as uow:
        await uow.outbox.wake_waiting(WHATSAPP, "B", clock.now())
    row = await row_of(db, "refused push")
    assert (row.status, row.delivery_status) == ("pending", None), "free-form again"


async def test_a_status_naming_a_part_confirms_it_once(db: Database, clock: ManualClock) -> None:
    row_id = await add_row(db, clock, "A", "two parts")
    async with db.transaction() as uow:
        assert await uow.outbox.confirm_part(row_id, 0, False, "wamid.1", clock.now())
        assert not await uow.outbox.confirm_part(row_id, 0, False, "wamid.1", clock.now())
    row = await row_of(db, "two parts")
    assert (row.status, row.parts_sent, row.channel_message_ref) == ("pending", 1, "wamid.1")
    async with db.transaction() as uow:
        assert await uow.outbox.confirm_part(row_id, 1, True, "wamid.2", clock.now())
        assert not await uow.outbox.confirm_part(row_id, 1, True, "wamid.2", clock.now())
    row = await row_of(db, "two parts")
    assert (row.status, row.channel_message_ref) == ("sent", "wamid.1")


async def test_cancelling_a_broadcast_withdraws_its_waiting_rows_too(
    db: Database, clock: ManualClock
) -> None:
    waiting = await add_row(db, clock, "A", "a", dedupe_key="broadcast:1:A")
    await add_row(db, clock, "B", "b", dedupe_key="broadcast:1:B")
    sent = await add_row(db, clock, "C", "c", dedupe_key="broadcast:1:C")
    await add_row(db, clock, "D", "d", dedupe_key="broadcast:10:D")
    await wait_for_person(db, waiting)
    async with db.transaction() as uow:
        await uow.outbox.mark_sent(sent, clock.now())
    async with db.transaction() as uow:
        assert await uow.outbox.cancel("broadcast:1:", prefix=True) == 2
    statuses = [(await row_of(db, text)).status for text in "abcd"]
    assert statuses == ["cancelled", "cancelled", "sent", "pending"]


async def test_delivery_counts_tell_waiting_rows_from_unreachable_citizens(
    db: Database, clock: ManualClock
) -> None:
    async with db.transaction() as uow:
        blocked = await uow.citizens.register(citizen_values("E", clock))
    sent = await add_row(db, clock, "A", "a", dedupe_key="broadcast:1:A")
    waiting = await add_row(db, clock, "B", "b", dedupe_key="broadcast:1:B")
    await add_row(db, clock, "C", "c", dedupe_key="broadcast:1:C")
    blocked_row = await add_row(db, clock, "E", "e", dedupe_key="broadcast:1:E", citizen_id=blocked)
    await add_row(db, clock, "F", "f", dedupe_key="broadcast:2:F")
    await wait_for_person(db, waiting, blocked_row)
    async with db.transaction() as uow:
        await uow.outbox.mark_sent(sent, clock.now())
        await uow.citizens.set_reachable(WHATSAPP, "E", False)
        counts = await uow.outbox.delivery_counts("broadcast:1:")
    assert counts == {
        "sent": 1,
        "failed": 0,
        "pending": 1,
        "cancelled": 0,
        "waiting": 1,
        "unreachable": 1,
    }


def citizen_values(user_id: str, clock: ManualClock) -> dict[str, object]:
    return {**citizen(user_id, clock), "channel": WHATSAPP}

"""The outbox on both databases: claims take each chat's oldest message only, so a chat with
a long queue gets about one message per batch while the batch serves everyone else."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from handlers.serialization import outgoing_to_dict
from handlers.types import Outgoing

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

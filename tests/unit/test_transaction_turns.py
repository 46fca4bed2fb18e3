"""SQLite transactions take turns in the order they asked: a task that commits and begins
again at once queues behind those already waiting, and a transaction opened inside
another of the same task joins its turn (it would otherwise wait for itself)."""

from __future__ import annotations

import asyncio

from storage.unit_of_work import TransactionTurns


async def test_a_task_beginning_again_at_once_queues_behind_those_waiting():
    turns, served = TransactionTurns(), []
    others_wait = asyncio.Event()

    async def greedy() -> None:
        await turns.acquire()
        served.append("greedy-0")
        await others_wait.wait()
        turns.release()
        await turns.acquire()  # at once, while the others are still waiting
        served.append("greedy-1")
        turns.release()

    async def patient(name: str) -> None:
        await turns.acquire()
        served.append(name)
        turns.release()

    first = asyncio.create_task(greedy())
    await asyncio.sleep(0)  # greedy holds its first turn
    others = [asyncio.create_task(patient(name)) for name in ("a", "b")]
    await asyncio.sleep(0)  # both are waiting for it
    others_wait.set()
    await asyncio.gather(first, *others)
    assert served == ["greedy-0", "a", "b", "greedy-1"]


async def test_a_nested_transaction_of_the_same_task_joins_its_turn():
    turns = TransactionTurns()
    await turns.acquire()
    await turns.acquire()  # the same task: no waiting for itself
    turns.release()
    other = asyncio.create_task(turns.acquire())
    await asyncio.sleep(0)
    assert not other.done(), "still the first task's turn"
    turns.release()
    await asyncio.wait_for(other, timeout=5)
    turns.release()

import asyncio

from handlers.ordering import KeyedLocks


async def test_same_key_runs_one_at_a_time_in_arrival_order():
    locks = KeyedLocks()
    order: list[int] = []

    async def work(n: int) -> None:
        async with locks.hold("citizen"):
            order.append(n)
            await asyncio.sleep(0.001 * (5 - n))
            order.append(n)

    await asyncio.gather(*(work(n) for n in range(5)))
    assert order == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert len(locks) == 0


async def test_different_keys_run_concurrently():
    locks = KeyedLocks()
    inside = 0
    most = 0

    async def work(key: str) -> None:
        nonlocal inside, most
        async with locks.hold(key):
            inside += 1
            most = max(most, inside)
            await asyncio.sleep(0.01)
            inside -= 1

    await asyncio.gather(*(work(f"c{n}") for n in range(10)))
    assert most == 10

"""On SQLite, a citizen's turn is not starved by a busy task: transactions are served in
the order they asked for SQLite's one connection, not to whoever asks again first."""

from __future__ import annotations

import asyncio
from pathlib import Path

from storage.database import Database
from tests.databases import create_schema


async def test_a_waiting_transaction_is_served_before_a_busy_task_begins_again(tmp_path: Path):
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'turns.db'}")
    await create_schema(db)
    done: list[str] = []
    try:

        async def busy() -> None:
            for round_ in range(30):
                async with db.transaction() as uow:
                    await uow.citizens.count()
                done.append(f"busy-{round_}")

        async def waiting() -> None:
            async with db.transaction() as uow:
                await uow.citizens.count()
            done.append("waiting")

        first = asyncio.create_task(busy())
        while not done:
            await asyncio.sleep(0)
        await asyncio.gather(first, waiting())
    finally:
        await db.close()
    assert done.index("waiting") <= 3, done

"""A throwaway database for one benchmark run, with the schema: a temporary SQLite file, or
a PostgreSQL database made on the local server (127.0.0.1) and dropped afterwards."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from storage.database import Database
from tests.databases import (
    POSTGRES_SERVER,
    asyncpg_url,
    create_postgres_database,
    create_schema,
    drop_postgres_database,
)

BACKENDS = ("sqlite", "postgresql")


@asynccontextmanager
async def scratch_database(backend: str, *, pool_size: int = 10) -> AsyncIterator[Database]:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            db = Database(f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}")
            try:
                await create_schema(db)
                yield db
            finally:
                await db.close()
        return
    name = await create_postgres_database()
    db = Database(asyncpg_url(POSTGRES_SERVER, name), pool_size=pool_size)
    try:
        await create_schema(db)
        yield db
    finally:
        await db.close()
        await drop_postgres_database(name)

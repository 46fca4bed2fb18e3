"""Shared fixtures: every test that takes `db` runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from handlers.clock import ManualClock
from handlers.conversation_core import ConversationCore
from handlers.turns import CoreSettings
from storage.database import Database
from tests.databases import (
    POSTGRES_SERVER,
    asyncpg_url,
    create_postgres_database,
    create_schema,
    drop_postgres_database,
    empty_tables,
    postgres_reachable,
)

BACKENDS = ["sqlite", "postgresql"]


class PostgresForTests:
    """This test session's own PostgreSQL database, made on first use and dropped at the end."""

    def __init__(self) -> None:
        self.name: str | None = None
        self.db: Database | None = None

    async def get(self) -> Database:
        if self.db is None:
            problem = await postgres_reachable()
            if problem:
                if os.environ.get("CI"):
                    pytest.fail(problem + " (CI always has one: .ci/run starts it)")
                pytest.skip(problem)
            self.name = await create_postgres_database()
            self.db = Database(asyncpg_url(POSTGRES_SERVER, self.name))
            await create_schema(self.db)
        return self.db

    async def close(self) -> None:
        if self.db is not None and self.name is not None:
            await self.db.close()
            await drop_postgres_database(self.name)


@pytest.fixture(scope="session")
async def postgres() -> AsyncIterator[PostgresForTests]:
    holder = PostgresForTests()
    yield holder
    await holder.close()


@pytest.fixture(params=BACKENDS)
async def db(
    request: pytest.FixtureRequest, tmp_path: Path, postgres: PostgresForTests
) -> AsyncIterator[Database]:
    """A real, empty database: a fresh SQLite file, or the emptied PostgreSQL one."""
    if request.param == "postgresql":
        database = await postgres.get()
        await empty_tables(database)
        yield database
        return
    sqlite = Database(f"sqlite+aiosqlite:///{tmp_path / 'tachawor.db'}")
    await create_schema(sqlite)
    yield sqlite
    await sqlite.close()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def settings() -> CoreSettings:
    return CoreSettings(
        commune_name="Taroudant", privacy_contact="dpo@taroudant.test", cndp_declaration="D-TEST-1"
    )


@pytest.fixture
def core(db: Database, settings: CoreSettings, clock: ManualClock) -> ConversationCore:
    return ConversationCore(db, settings, clock)

"""Alembic migrations on both backends: up, down, up again, and no drift from the models."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import delete, insert, inspect, select
from sqlalchemy.ext.asyncio import create_async_engine

from storage import migrate
from storage.models import Base, StaffMember
from tests.databases import (
    POSTGRES_SERVER,
    asyncpg_url,
    create_postgres_database,
    drop_postgres_database,
    postgres_reachable,
)


@pytest.fixture(params=["sqlite", "postgresql"])
async def empty_database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'migrations.db'}"
        return
    if problem := await postgres_reachable():
        pytest.skip(problem)
    name = await create_postgres_database()
    yield asyncpg_url(POSTGRES_SERVER, name)
    await drop_postgres_database(name)


async def table_names(url: str) -> set[str]:
    engine = create_async_engine(url)
    async with engine.connect() as connection:
        names = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    await engine.dispose()
    return names - {"alembic_version"}


async def schema_differences(url: str) -> list:
    engine = create_async_engine(url)
    async with engine.connect() as connection:
        diff = await connection.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata)
        )
    await engine.dispose()
    return diff


async def test_upgrade_downgrade_upgrade(empty_database_url):
    await asyncio.to_thread(migrate.upgrade, empty_database_url)
    assert await table_names(empty_database_url) == set(Base.metadata.tables)
    await asyncio.to_thread(migrate.downgrade, empty_database_url, "base")
    assert await table_names(empty_database_url) == set()
    await asyncio.to_thread(migrate.upgrade, empty_database_url)
    assert await table_names(empty_database_url) == set(Base.metadata.tables)


async def test_migrations_match_the_models(empty_database_url):
    await asyncio.to_thread(migrate.upgrade, empty_database_url)
    assert await schema_differences(empty_database_url) == []


async def test_sqlite_never_gives_an_id_twice_once_migrated(tmp_path):
    """Ids leave the database (buttons, dedupe keys): a deleted row's id never comes back."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'ids.db'}"
    await asyncio.to_thread(migrate.upgrade, url)
    engine = create_async_engine(url)
    member = {"channel": "test", "name": "Agent", "role": "agent", "added_at": datetime.now(UTC)}
    async with engine.begin() as connection:
        for user in ("1", "2"):
            await connection.execute(insert(StaffMember), {**member, "channel_user_id": user})
        await connection.execute(delete(StaffMember).where(StaffMember.channel_user_id == "2"))
        await connection.execute(insert(StaffMember), {**member, "channel_user_id": "3"})
        ids = (await connection.execute(select(StaffMember.id))).scalars().all()
    await engine.dispose()
    assert ids == [1, 3]


def test_every_table_with_an_id_is_declared_never_to_reuse_it():
    for table in Base.metadata.tables.values():
        if "id" in table.c and table.c.id.primary_key:
            assert table.dialect_options["sqlite"]["autoincrement"], table.name

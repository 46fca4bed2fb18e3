"""Real databases for the tests: a temporary SQLite file, and a PostgreSQL database made
for this test session on 127.0.0.1 (dropped at the end)."""

from __future__ import annotations

import os
import uuid

import asyncpg
from sqlalchemy import text

from storage.database import Database
from storage.models import Base

POSTGRES_SERVER = os.environ.get("TEST_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5432/test")


def asyncpg_url(dsn: str, database: str) -> str:
    server = dsn.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    return f"{server}/{database}"


async def postgres_reachable() -> str | None:
    """None when PostgreSQL answers, else why not."""
    try:
        connection = await asyncpg.connect(POSTGRES_SERVER, timeout=3)
    except (OSError, asyncpg.PostgresError) as error:
        return f"PostgreSQL at {POSTGRES_SERVER} is not reachable: {error}"
    await connection.close()
    return None


async def create_postgres_database() -> str:
    name = f"tachawor_test_{uuid.uuid4().hex[:10]}"
    connection = await asyncpg.connect(POSTGRES_SERVER)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return name


async def drop_postgres_database(name: str) -> None:
    connection = await asyncpg.connect(POSTGRES_SERVER)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


async def create_schema(db: Database) -> None:
    async with db.engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)


async def empty_tables(db: Database) -> None:
    names = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    async with db.engine.begin() as connection:
        await connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))

"""INSERT … ON CONFLICT DO NOTHING for both backends (their SQL is the same, their
SQLAlchemy constructs are not)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


async def insert_unless_present(
    session: AsyncSession, table: Table, values: dict[str, Any], keys: list[str]
) -> Any | None:
    """Insert a row and return its primary key; None (nothing written) when a row with the
    same keys exists."""
    dialect = postgresql if session.bind.dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=keys)
        .returning(*table.primary_key.columns)
    )
    row = (await session.execute(statement)).first()
    return None if row is None else row[0]

"""INSERT … ON CONFLICT DO NOTHING for both backends (their SQL is the same, their
SQLAlchemy constructs are not). Statements are built once per table and backend."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

DIALECTS = {"postgresql": postgresql, "sqlite": sqlite}


@cache
def _insert_ignoring_conflicts(
    backend: str, table: Table, keys: tuple[str, ...], returning: tuple[str, ...]
) -> Any:
    statement = DIALECTS[backend].insert(table).on_conflict_do_nothing(index_elements=keys)
    return statement.returning(*(table.c[name] for name in returning))


def _backend(session: AsyncSession) -> str:
    return session.bind.dialect.name


async def insert_unless_present(
    session: AsyncSession, table: Table, values: dict[str, Any], keys: list[str]
) -> Any | None:
    """Insert a row and return its primary key; None (nothing written) when a row with the
    same keys exists."""
    primary_key = tuple(column.name for column in table.primary_key.columns)
    statement = _insert_ignoring_conflicts(_backend(session), table, tuple(keys), primary_key)
    row = (await session.execute(statement, values)).first()
    return None if row is None else row[0]


async def insert_many_unless_present(
    session: AsyncSession, table: Table, rows: Sequence[dict[str, Any]], keys: list[str]
) -> set[tuple[Any, ...]]:
    """Insert rows (one round trip); the `keys` values of the rows actually inserted."""
    if not rows:
        return set()
    statement = _insert_ignoring_conflicts(_backend(session), table, tuple(keys), tuple(keys))
    return {tuple(row) for row in await session.execute(statement, list(rows))}

"""Opening the database: one async engine and session factory, tuned per backend.

SQLite (the embedded default) runs in WAL mode with a busy timeout and takes the write lock
at BEGIN, so two writers queue instead of failing half-way; PostgreSQL runs on asyncpg.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

from storage.unit_of_work import TransactionTurns, UnitOfWork

# What a database that is down, unreachable or out of connections raises — as opposed to
# a bug (an integrity error, bad SQL). TimeoutError and connection refusals are OSErrors.
DATABASE_UNAVAILABLE: tuple[type[Exception], ...] = (
    sa_exc.OperationalError,
    sa_exc.InterfaceError,
    sa_exc.TimeoutError,
    OSError,
)

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA busy_timeout=10000",
    "PRAGMA foreign_keys=ON",
)


def _prepare_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        # Let SQLAlchemy, not the driver, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def on_begin(connection) -> None:  # type: ignore[no-untyped-def]
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def backend_of(url: str) -> str:
    """ "sqlite" or "postgresql" for a database URL."""
    return make_url(url).get_backend_name()


class Database:
    """The application's database: hands out units of work."""

    def __init__(self, url: str, *, pool_size: int = 10, null_pool: bool = False) -> None:
        self.url = url
        self.backend = backend_of(url)
        options: dict[str, object] = {"hide_parameters": True}
        if null_pool:
            options["poolclass"] = NullPool
        elif self.backend == "sqlite":
            # SQLite has one writer: queue transactions on one connection rather than let
            # several connections sleep in SQLite's busy handler.
            options.update(pool_size=1, max_overflow=0, pool_timeout=60)
        elif self.backend == "postgresql":
            options.update(pool_size=pool_size, max_overflow=pool_size, pool_recycle=1800)
            # asyncpg prepares every statement; PostgreSQL then switches to a generic plan
            # chosen while a table was small (a sequential scan), and keeps it as the table
            # grows. Custom plans cost ~0.1 ms of planning and stay index scans.
            options["connect_args"] = {"server_settings": {"plan_cache_mode": "force_custom_plan"}}
        self.engine = create_async_engine(url, **options)
        if self.backend == "sqlite":
            _prepare_sqlite(self.engine)
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # SQLite's one connection is handed back to whoever asks first once it is free — a
        # task that commits and begins again at once can take it ahead of tasks that have
        # waited for seconds. Transactions take turns in arrival order instead.
        sqlite = self.backend == "sqlite" and not null_pool
        self._turns = TransactionTurns() if sqlite else None

    @property
    def is_postgresql(self) -> bool:
        return self.backend == "postgresql"

    def transaction(self) -> UnitOfWork:
        """A unit of work: everything done inside commits together or not at all."""
        return UnitOfWork(self._sessions, locking=self.is_postgresql, turns=self._turns)

    async def close(self) -> None:
        await self.engine.dispose()

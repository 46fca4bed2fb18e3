"""Start-up wiring, readable top to bottom: settings → database → core."""

from __future__ import annotations

from bot.settings import Settings
from handlers.conversation_core import ConversationCore
from storage import migrate
from storage.database import Database, backend_of


def prepare_database(url: str, *, automatic_only: bool) -> None:
    """Migrate the schema. `automatic_only`: only the embedded SQLite default is migrated
    on start; a PostgreSQL server is migrated once with `tachawor db upgrade`, before
    workers start."""
    if automatic_only and backend_of(url) != "sqlite":
        return
    migrate.upgrade(url)


async def open_core(settings: Settings) -> tuple[ConversationCore, Database]:
    db = Database(settings.database_url)
    return ConversationCore(db, settings.core()), db

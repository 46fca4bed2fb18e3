"""ids are never reused (SQLite AUTOINCREMENT)

SQLite gives the largest id again once its row is deleted unless a table says
AUTOINCREMENT; ids leave the database (buttons, dedupe keys, tokens, pseudonyms), so every
table with an id is rebuilt with it. PostgreSQL's sequences never go back: nothing to do
there. Ids deleted before this migration above the largest id left cannot be known; from
here on none comes back.

Revision ID: 0007_ids_never_reused
Revises: 0006_sent_polls
Create Date: 2026-12-01 22:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007_ids_never_reused"
down_revision: str | None = "0006_sent_polls"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES_WITH_IDS = (
    "citizens",
    "inbox",
    "outbox",
    "staff",
    "complaints",
    "complaint_events",
    "consultations",
    "consultation_responses",
    "consultation_answers",
    "sent_polls",
)


def _rebuild(autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in TABLES_WITH_IDS:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass


def upgrade() -> None:
    _rebuild(autoincrement=True)


def downgrade() -> None:
    _rebuild(autoincrement=False)

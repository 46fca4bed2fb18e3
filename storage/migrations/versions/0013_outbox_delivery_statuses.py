"""outbox rows remember the channel's id of what they sent, and its delivery status

WhatsApp reports a message's fate later (sent, delivered, read, failed) by the id it gave
the message: `channel_message_ref` finds the row, `delivery_status` keeps the latest
status. A row can also be `waiting`: free-form messages are refused outside the 24-hour
window, so a push with no approved template waits for the citizen to write again.
A conversation keeps the choices last shown as a numbered list (`typed_choices`: beyond
WhatsApp's 10 list rows), so that a typed number presses one.

Revision ID: 0013_outbox_delivery_statuses
Revises: 0012_complaints_filed_at
Create Date: 2026-12-02 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_outbox_delivery_statuses"
down_revision: str | None = "0012_complaints_filed_at"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("conversations") as batch_op:
        batch_op.add_column(sa.Column("typed_choices", sa.JSON()))
    with op.batch_alter_table("outbox", table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.add_column(sa.Column("channel_message_ref", sa.String(length=128)))
        batch_op.add_column(sa.Column("delivery_status", sa.String(length=16)))
    op.create_index(
        "ix_outbox_channel_message_ref", "outbox", ["channel_message_ref"], unique=False
    )
    op.create_index(
        "ix_outbox_waiting",
        "outbox",
        ["chat_id", "channel"],
        unique=False,
        postgresql_where=sa.text("status = 'waiting'"),
        sqlite_where=sa.text("status = 'waiting'"),
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_waiting", table_name="outbox")
    op.drop_index("ix_outbox_channel_message_ref", table_name="outbox")
    with op.batch_alter_table("outbox", table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.drop_column("delivery_status")
        batch_op.drop_column("channel_message_ref")
    with op.batch_alter_table("conversations") as batch_op:
        batch_op.drop_column("typed_choices")
